// The after-each of the fault suites (crash, corrupt store, faults): the test's own cleanups, the last
// pushed first, then the child processes it started, each by its own pid.
import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { killChildren } from './child-relay.js';
import { tempDir } from './relay.js';

export interface FaultSuite {
  /** Run after each test, the last pushed first. */
  cleanups: (() => unknown)[];
  /** A fresh temp directory, removed after the test. */
  dataDir: () => string;
}

/** Registers the after-each; `prefix` names the temp directories. */
export function faultSuite(prefix: string): FaultSuite {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await killChildren();
  });
  return {
    cleanups,
    dataDir: () => {
      const dir = tempDir(prefix);
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
