// A file missing under /assets is an ordinary 404 NOT_FOUND with the usual JSON body, and the log shows no
// stack (express.static's error carries the absolute path of the file it looked for).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { tempDir } from '../helpers/relay.js';

let running: RunningRelay | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('static assets', () => {
  it('answers a missing asset with 404 NOT_FOUND and logs no stack', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const config = loadConfig(
      { dataDir: tempDir(), port: 0, host: '127.0.0.1', logLevel: 'info', printLinks: false },
      {},
    );
    running = await startRelay(config, pino({ level: 'info' }, sink));
    const started = lines.length;
    for (const asset of ['/assets/missing-file.js', '/assets/../../etc/passwd', '/assets/nested/none.css']) {
      const res = await fetch(new URL(asset, running.url));
      expect(res.status, asset).toBe(404);
      expect(await res.json(), asset).toEqual({ code: 'NOT_FOUND', message: 'No such resource.' });
    }
    const log = lines.slice(started).join('');
    expect(log).not.toContain('"stack"');
    expect(log).not.toContain('internal error');
    expect(log).not.toMatch(/dist\/web|\/assets\//);
  });
});
