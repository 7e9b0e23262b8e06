// A failed first start must lose nothing: when the port is taken, `serve` stops before it makes the
// trainer secret, and the next start prints one that works.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainerApi } from '../../client/trainer-api.js';
import { run, runToEnd } from '../helpers/cli.js';
import { tempDir } from '../helpers/relay.js';

describe('hotline serve, first start', () => {
  const dir = tempDir('hotline-first-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps nothing from a start that could not listen, and prints the secret on the next one', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const args = ['serve', '--data', path.join(dir, 'data'), '--port', String(port), '--log-level', 'warn'];
    const failed = await runToEnd(args, { cwd: dir });
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`port ${port}.*in use.*--port`, 'i'));
    expect(failed.stdout).not.toMatch(/hts_/);

    let secret: string;
    const serve = run(args, { cwd: dir });
    try {
      const url = (await serve.waitFor(/Hotline relay on (http:\/\/\S+)/))[1]!;
      secret = (await serve.waitFor(/shown once[^\n]*\n\s+(hts_\S+)/))[1]!;
      const exercises = await new TrainerApi(url, { secret }).listExercises();
      expect(exercises.map((e) => e.id)).toContain('dtl');
    } finally {
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }

    // Shown once: the next start keeps that secret and prints none.
    const again = run(args, { cwd: dir });
    try {
      const url = (await again.waitFor(/Hotline relay on (http:\/\/\S+)/))[1]!;
      await again.waitFor(/Terminal console:/);
      expect(again.stdout()).not.toMatch(/hts_/);
      expect((await new TrainerApi(url, { secret }).listExercises()).length).toBeGreaterThan(0);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
  });
});
