// The bench's relay children start from the TypeScript sources as they do from the build: the real relay
// (with its SQLite writer thread) and the bare relay, each in its own process, answering over IPC.
import { describe, expect, it } from 'vitest';
import { startChild } from '../../bench/target.js';

describe('the bench relay child', () => {
  it('runs the real relay from the sources: ready (a durable write), /metrics, stats over IPC', async () => {
    const target = await startChild({ kind: 'relay' });
    try {
      expect(target.pid).not.toBe(process.pid);
      expect(target.secret).toMatch(/^hts_/);
      const ready = await fetch(new URL('/readyz', target.url));
      expect(ready.status).toBe(200);
      expect(await target.metrics()).toContain('hotline_commit_seconds');
      const stats = await target.stats(true);
      expect(stats?.cpu.user).toBeGreaterThan(0);
      expect(stats?.memory.rss).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });

  it('runs the bare relay from the sources', async () => {
    const target = await startChild({ kind: 'bare' });
    try {
      expect(target.secret).toBeNull();
      expect(await target.metrics()).toBeNull();
      expect((await target.stats())?.memory.rss).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });
});
