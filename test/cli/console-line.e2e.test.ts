// The line's procedures in the terminal console, with the built CLI against a real relay: Beijing requests
// a call with /call, Washington sees it numbered with the window left on line time, proposes another time,
// Beijing accepts; Washington translates Beijing's message with /translate and Beijing sees the translation
// under it; a translator-role console (enrolled from a link carrying &role=translator) translates and is
// refused anything else; link tests are answered silently, /link shows both stations' health, and when
// Washington's consoles leave, Beijing's prints the miss. Needs `npm run build` first (dist/cli).
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { until } from '../helpers/relay.js';
import { terminalExercises } from '../helpers/terminal-exercise.js';

describe('terminal console: calls, translations, link tests', () => {
  const exercises = terminalExercises('hotline-cli-line-');

  afterEach(() => exercises.stop());

  it('requests and answers a call, translates, and reports link health and a missed test', async () => {
    const { trainer, bj, wa, link } = await exercises.start();
    await trainer.setProcedures('dtl', { line: { linkTestIntervalMs: 1_500, linkTestTimeoutMs: 700 } });

    bj.write('/call deputy 14:00 Incident at sea');
    const [request] = await wa.waitFor(
      /CALL REQUEST #1 beijing → washington \(deputies\) for 14:00Z \d\d \w{3}: Incident at sea\n.*\n/,
    );
    expect(request).toMatch(
      /awaiting YOUR answer \(\/accept 1, \/propose 1 TIME, \/decline 1\); window (47 h 59 min|48 h 00 min) left \(line time, until \d\d:\d\d:\d\dZ \d\d \w{3}\)/,
    );
    await bj.waitFor(/CALL REQUEST #1 beijing → washington .*\n\s+awaiting washington's answer; window/);
    // Not Beijing's turn: refused at its console, with the code.
    bj.write('/accept 1');
    await bj.waitFor(/error: .*awaits washington's answer/);

    wa.write('/calls');
    await wa.waitFor(/call #1 {2}beijing → washington \(deputies\) for 14:00Z/);
    wa.write('/propose 1 15:30 Later, please.');
    await bj.waitFor(
      /call #1: washington proposes 15:30Z \d\d \w{3} “Later, please\.”\n\s+awaiting YOUR answer \(\/accept 1,/,
    );
    bj.write('/accept 1');
    await wa.waitFor(/call #1: beijing accepts; the call is set for 15:30Z/);
    wa.write('/calls');
    await wa.waitFor(/ACCEPTED for 15:30Z/);

    bj.write('请求明天上午通话。');
    await wa.waitFor(/#1 {2}ROUTINE .*beijing → washington/);
    wa.write('/subject Call request');
    wa.write('/translate 1 Request a call tomorrow morning.');
    await bj.waitFor(
      /#1 translated by washington \(en\) at \d\d:\d\d:\d\dZ, [\d.]+ (ms|s) after it was logged:\n\s+⇄ Call request: Request a call tomorrow morning\./,
    );
    await wa.waitFor(/#1 translated by washington \(en\)/);
    // /list prints the translation under its message.
    const before = bj.stdout().length;
    bj.write('/list');
    await until(
      () =>
        /请求明天上午通话。\n.*\n#1 translated by washington[^\n]*\n\s+⇄ Call request: Request a call tomorrow morning\./.test(
          bj.stdout().slice(before),
        ),
      5000,
      '/list',
    );

    // A translator device of Washington: the link's fragment says so.
    const xl = run(
      ['console', '--link', `${await link('washington')}&role=translator`, '--operator', 'Translator Brown'],
      {
        cwd: exercises.dir,
      },
    );
    exercises.procs.push(xl);
    await xl.waitFor(/live ---/);
    expect(xl.stderr()).toMatch(/enrolled as washington translator .*state in hotline-washington-translator\.json/);
    expect(xl.stdout()).toMatch(/TRANSLATOR operator Translator Brown/);
    xl.write('Hello from the translator.');
    await xl.waitFor(/refused: WRONG_ROLE: this console is enrolled as a translator/);
    xl.write('/call working 10:00 No');
    await xl.waitFor(/refused: WRONG_ROLE[^\n]*\n[\s\S]*refused: WRONG_ROLE/);
    bj.write('/subject 线路');
    bj.write('线路检查。');
    await xl.waitFor(/#2 {2}ROUTINE .*beijing → washington/);
    xl.write('/translate 2 Line check.');
    await bj.waitFor(/#2 translated by washington \(en\)[^\n]*\n\s+⇄ Line check\./);

    // Link tests: answered by the consoles themselves, said nothing of; /link shows both stations.
    // The first tests come one interval after the settings: ask until both stations have an answered one.
    const health =
      /link beijing: last test \d\d:\d\d:\d\dZ answered in \d+ ms; missed 0 of \d+\nlink washington: last test \d\d:\d\d:\d\dZ answered in \d+ ms; missed 0 of \d+/;
    let asked = 0;
    await until(
      () => {
        if (health.test(bj.stdout())) return true;
        if (Date.now() - asked > 300) {
          asked = Date.now();
          bj.write('/link');
        }
        return false;
      },
      15_000,
      'both stations answering link tests',
    );
    bj.write('/status');
    await bj.waitFor(/overdue: none\nlink beijing: .*\nlink washington: /);
    expect(bj.stdout()).not.toMatch(/LINK TEST/);

    // Washington's consoles leave: its next test is missed, at Beijing's console.
    for (const p of [wa, xl]) {
      p.child.stdin.end();
      expect(await p.exited).toBe(0);
    }
    await bj.waitFor(/!!! LINK TEST MISSED by washington at \d\d:\d\d:\d\dZ/, 10_000);
    bj.write('/link');
    await bj.waitFor(
      /link washington: last test \d\d:\d\d:\d\dZ (MISSED|awaiting its answer); last round trip \d+ ms; missed [1-9]\d* of \d+/,
    );
    expect(bj.stdout()).not.toMatch(/LINK TEST MISSED by beijing/);
    bj.child.stdin.end();
    expect(await bj.exited).toBe(0);
  }, 60_000);
});

// terminalExercises removes its directory when a test ends: one suite per test.
describe('terminal console: an expired call request', () => {
  const exercises = terminalExercises('hotline-cli-expiry-');

  afterEach(() => exercises.stop());

  it('says on both consoles when a call request expires unanswered (a 1 min window at 60x: one second)', async () => {
    const { trainer, bj, wa } = await exercises.start();
    await trainer.setProcedures('dtl', { line: { callWindowMs: 60_000 } });
    await trainer.setState('dtl', { state: 'running', compression: 60 });
    await wa.waitFor(/=== exercise RUNNING .* ×60 /);
    wa.write('/call principal 2026-12-24T08:00Z Holiday greetings');
    await bj.waitFor(
      /CALL REQUEST #1 washington → beijing \(principals\) for 08:00Z 24 Dec: Holiday greetings\n\s+awaiting YOUR answer/,
    );
    for (const p of [bj, wa])
      await p.waitFor(/call request #1 expired: beijing did not answer within 1 min 00 s \(line time\)/, 10_000);
    bj.write('/accept 1');
    await bj.waitFor(/error: Call request .* is expired: it takes no more answers\./);
    bj.write('/calls');
    await bj.waitFor(
      /call #1 {2}washington → beijing \(principals\) for 08:00Z 24 Dec: Holiday greetings\n\s+EXPIRED unanswered/,
    );
  }, 30_000);
});
