// `hotline replay` as a user runs it, on an exported exercise run (test/helpers/replay-log.ts) with injects
// private to each station, a note, STARTEX at 6x, a pause and ENDEX: the events it prints are the log's, with
// exercise times computed here from the schedule; --station withholds what that station never received;
// a tampered file is refused with the verify fault and exit code 5. Needs the built CLI (npm run build).
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.js';
import type { LogEvent } from '../../shared/replay-events.js';
import { runToEnd } from '../helpers/cli.js';
import { logKeys } from '../helpers/log-fixture.js';
import { tempDir } from '../helpers/relay.js';
import { exerciseRun, SCENARIO } from '../helpers/replay-log.js';

const day = (hms: string) => Date.parse(`2026-11-29T${hms}.000Z`);
/** Exercise ms from the schedule the run was written with: 6x from 09:01 to 09:05 and from 09:10 to 09:12. */
function expectedMs(at: string): number | null {
  const t = Date.parse(at);
  if (t < day('09:01:00')) return null;
  const run = (from: string, to: string) => Math.max(0, Math.min(t, day(to)) - day(from)) * 6;
  return run('09:01:00', '09:05:00') + run('09:10:00', '09:12:00');
}

describe('hotline replay', () => {
  const dir = tempDir('hotline-replay-');
  const file = path.join(dir, 'run.jsonl');
  let run: Awaited<ReturnType<typeof exerciseRun>>;
  let entries: Entry[];
  let text: string;
  const jsonLines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LogEvent);

  beforeAll(async () => {
    run = await exerciseRun(await logKeys());
    text = await run.log.exportText();
    entries = run.log.entries;
    writeFileSync(file, text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every entry of the log as an event, with its UTC and exercise time, as JSON lines', async () => {
    const r = await runToEnd(['replay', file, '--speed', 'max', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^OK {2}.*run\.jsonl: exercise dtl, 20 entries verified/m);
    const events = jsonLines(r.stdout);
    expect(events.map((e) => [e.idx, e.at])).toEqual(entries.map((e) => [e.idx, e.at]));
    for (const e of events) expect(e.exerciseMs, `entry ${e.idx}`).toBe(expectedMs(e.at));
    const kinds: Record<string, string> = {
      'exercise-created': 'created',
      'key-enrolled': 'enrolment',
      'exercise-state': 'state',
    };
    expect(events.map((e) => e.kind)).toEqual(entries.map((e) => kinds[e.kind] ?? e.kind));
    // Every private entry's content is the export's reveal, as exercise control reads it.
    const inj1 = events[run.inj1.entry.idx]!;
    expect(inj1).toMatchObject({ kind: 'inject', to: 'beijing', withheld: false, ...run.inj1.data });
    expect(events[run.note.idx]).toMatchObject({ kind: 'note', text: run.note.reveal!.data['text'] });
    expect(events[3]).toMatchObject({ kind: 'scenario', title: SCENARIO.title, injects: 2 });
    expect(events.filter((e) => e.kind === 'state').map((e) => e.kind === 'state' && e.label)).toEqual([
      'STARTEX',
      'PAUSE',
      'RESUME',
      'ENDEX',
    ]);
    const ack = events[run.inj1.entry.idx + 2]!;
    expect(ack).toMatchObject({ kind: 'receipt', receipt: 'acknowledged', of: 'inject', refIdx: run.inj1.entry.idx });
  });

  it('prints the traffic as it happened, one line per event, with bodies below', async () => {
    const r = await runToEnd(['replay', file, '--speed', 'max']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const idxLines = lines.filter((l) => /^\d\d:\d\d:\d\dZ /.test(l));
    expect(idxLines.map((l) => Number(/#(\d+)/.exec(l)![1]))).toEqual(entries.map((e) => e.idx));
    expect(r.stdout).toMatch(/^09:01:00Z {2}T\+00:00:00 +#4 {2}control +STARTEX by Controller Wu \(6x\)$/m);
    expect(r.stdout).toMatch(
      /^09:03:00Z {2}T\+00:12:00 +#5 {2}Beijing +EXERCISE INJECT INJ-01 FLASH from 东部战区: 不明船只\n +一艘不明船只进入演习区域。$/m,
    );
    expect(r.stdout).toMatch(/^09:04:00Z {2}T\+00:18:00 +#7 {2}Beijing +acknowledged inject #5 “收到”$/m);
    expect(r.stdout).toMatch(
      /^09:04:01Z {2}T\+00:18:06 +#8 {2}Beijing +FLASH → Washington: 请求通话\n +请求立即通话。$/m,
    );
    expect(r.stdout).toMatch(/^09:05:00Z {2}T\+00:24:00 +#11 {2}control +PAUSE by Controller Wu$/m);
    expect(r.stdout).toMatch(/^09:10:00Z {2}T\+00:24:00 +#12 {2}control +RESUME by Controller Wu$/m);
    expect(r.stdout).toMatch(/^09:12:00Z {2}T\+00:36:00 +#19 {2}control +ENDEX by Controller Wu$/m);
    expect(r.stdout).toMatch(/NOTE by Controller Wu \(about #5\)\n +Beijing answered INJ-01/);
    // Timed (non-TTY, no keys): the same lines, in the same order, once the clock reaches each.
    const timed = await runToEnd(['replay', file, '--speed', '4096', '--from', '11', '--to', '00:30:00']);
    expect(timed.code, timed.stderr).toBe(0);
    const picked = timed.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\dZ /.test(l));
    expect(picked.map((l) => Number(/#(\d+)/.exec(l)![1]))).toEqual([11, 12, 13, 14]);
    expect(timed.stderr).toMatch(/End of the replay: 4 events\./);
  });

  it("shows only what one station received: the other station's inject and every note withheld", async () => {
    const secrets = [
      run.inj1.data.body.zh!,
      run.inj1.data.subject!.zh!,
      run.inj1.data.from.zh!,
      String(run.note.reveal!.data['text']),
      SCENARIO.title,
    ];
    for (const args of [['--json'], []]) {
      const r = await runToEnd(['replay', file, '--speed', 'max', '--station', 'washington', ...args]);
      expect(r.code, r.stderr).toBe(0);
      for (const s of secrets) expect(r.stdout, s).not.toContain(s);
      // Its own inject in full.
      expect(r.stdout).toContain(run.inj2.data.body.en);
    }
    const events = jsonLines(
      (await runToEnd(['replay', file, '--speed', 'max', '--station', 'washington', '--json'])).stdout,
    );
    expect(events[run.inj1.entry.idx]).toEqual({
      idx: run.inj1.entry.idx,
      at: run.inj1.entry.at,
      exerciseMs: 12 * 60_000,
      phase: 'running',
      kind: 'inject',
      withheld: true,
      to: 'beijing',
      commit: run.inj1.entry.commit,
    });
    const asText = await runToEnd(['replay', file, '--speed', 'max', '--station', 'washington']);
    expect(asText.stdout).toMatch(/#5 {2}Beijing +private entry: exercise inject for Beijing, content withheld/);
    const bad = await runToEnd(['replay', file, '--station', 'moscow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/BAD_REQUEST: --station: exercise dtl has stations beijing and washington/);
  });

  it('refuses a tampered export with the fault verify names and exit code 5, printing no event', async () => {
    const lines = text.trimEnd().split('\n');
    const n = run.inj1.entry.idx + 2; // the inject's line (after the header)
    const entry = JSON.parse(lines[n - 1]!) as Entry;
    expect(entry.idx).toBe(run.inj1.entry.idx);
    // Washington's view must not be forged either: one word of Beijing's inject changed beside its commitment.
    entry.reveal!.data['body'] = { zh: '没有船只。' };
    lines[n - 1] = JSON.stringify(entry);
    const tampered = path.join(dir, 'tampered.jsonl');
    writeFileSync(tampered, `${lines.join('\n')}\n`);
    const verify = await runToEnd(['verify', tampered]);
    expect(verify.code).toBe(5);
    expect(verify.stdout).toContain(`line ${n} (entry ${entry.idx}): COMMIT_MISMATCH`);
    for (const args of [['--speed', 'max'], ['--json'], ['--station', 'washington', '--speed', 'max']]) {
      const r = await runToEnd(['replay', tampered, ...args]);
      expect(r.code, args.join(' ')).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`FAULT  ${tampered} line ${n} (entry ${entry.idx}): COMMIT_MISMATCH`);
    }
  });

  it('has --help with examples, and names a bad bound or speed', async () => {
    const help = await runToEnd(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}\$ hotline replay dtl\.jsonl/);
    expect(help.stdout).toMatch(/space pause\/resume/);
    const from = await runToEnd(['replay', file, '--from', 'soon']);
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/--from: "soon" is neither an entry idx/);
    const speed = await runToEnd(['replay', file, '--speed', 'fast']);
    expect(speed.code).toBe(2);
    expect(speed.stderr).toMatch(/--speed: a number from 1 to 4096, or max/);
  });
});
