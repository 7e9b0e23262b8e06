// Running an exercise from the command line, with the built CLI against a real relay: create it from a shipped
// scenario, read its MSEL, STARTEX with a compression, fire a manual inject, hold and skip, a note, pause and
// resume, ENDEX; a bad scenario file is refused before anything is sent, naming the inject and the field.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunState } from '../../shared/http-api.js';
import { MAX_SCENARIO_BYTES, type Scenario } from '../../shared/scenario.js';
import { runToEnd } from '../helpers/cli.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';

const SEA = 'scenarios/incident-at-sea.json';
const MISSILE = 'scenarios/missile-test.json';

describe('hotline exercise: running an exercise from the CLI', () => {
  const dir = tempDir('hotline-exercise-run-');
  let relay: TestRelay;
  let env: Record<string, string>;
  const hotline = (...args: string[]) => runToEnd(args, { env });
  /** A private entry's content as the relay stored it (its reveal), with the entry's kind and audience. */
  const entry = async (exercise: string, idx: number) => {
    const [c] = await relay.store.read(exercise, idx, 1);
    return { kind: c?.entry.kind, to: c?.entry.to, data: c?.entry.reveal?.data ?? c?.entry.data };
  };

  beforeAll(async () => {
    relay = await startTestRelay();
    // A fresh data directory: the relay made the secret and has not printed it anywhere.
    env = { HOTLINE_URL: relay.url, HOTLINE_TRAINER_SECRET: relay.newTrainerSecret! };
  });
  afterAll(async () => {
    await relay.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has --help with an example on every new command', async () => {
    const commands = ['exercise create', 'exercise start', 'exercise pause', 'exercise resume', 'exercise end'];
    commands.push('exercise run', 'exercise scenario', 'inject', 'inject fire', 'inject hold', 'inject release');
    commands.push('inject skip', 'note');
    const results = await Promise.all(commands.map((cmd) => runToEnd([...cmd.split(' '), '--help'])));
    results.forEach((r, i) => {
      expect(r.code, commands[i]).toBe(0);
      expect(r.stdout, commands[i]).toMatch(/Example/);
    });
  }, 60_000);

  it('takes a shipped scenario from an empty relay to ENDEX', async () => {
    const file = JSON.parse(readFileSync(SEA, 'utf8')) as Scenario;
    const id = file.exercise!.id;

    const created = await hotline('exercise', 'create', '--scenario', SEA, '--name', 'Control (Lt Chen)');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe(`created ${id}\nloaded scenario "${file.title}": 18 injects (3 manual)\n`);
    const def = (await (await relay.trainer()).exercise(id)).def;
    expect(def).toEqual(file.exercise);

    // Before STARTEX: every inject pending, none due (the clock does not run yet).
    const planned = await hotline('exercise', 'run', id);
    expect(planned.code, planned.stderr).toBe(0);
    const lines = planned.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${id} PLANNED T− at 1x \\(\\d\\d:\\d\\d:\\d\\dZ\\)$`));
    expect(lines[1]).toBe('STARTEX -  ENDEX -');
    expect(lines[2]).toMatch(
      new RegExp(`^scenario "${file.title}" \\(entry \\d+, loaded by Control \\(Lt Chen\\)\\)$`),
    );
    expect(lines[4]).toMatch(/^ID\s+AT\s+TO\s+PRECEDENCE\s+STATUS\s+DUE\/FIRED\s+SUBJECT$/);
    const rows = lines.slice(5).filter(Boolean);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(file.injects.map((i) => i.id));
    expect(planned.stdout).toMatch(/^INJ-05\s+T\+00:38:00\s+beijing\s+FLASH\s+pending\s+-\s+URGENT: contact with/m);
    expect(planned.stdout).toMatch(/^CON-01\s+manual\s+beijing\s+FLASH\s+pending\s+-\s+US helicopter/m);

    // A bad compression is a usage error, before anything is sent: the exercise stays planned.
    const tooFast = await hotline('exercise', 'start', id, '--compression', '61');
    expect(tooFast.code).toBe(2);
    expect(tooFast.stderr).toMatch(/BAD_REQUEST: --compression: a number from 1 to 60/);
    const early = await hotline('exercise', 'resume', id);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/BAD_TRANSITION: Exercise incident-at-sea is planned, not paused/);

    const start = await runToEnd(['exercise', 'start', id, '--compression', '30', '--json'], {
      env: { ...env, HOTLINE_TRAINER_NAME: 'Exercise director' },
    });
    expect(start.code, start.stderr).toBe(0);
    const running = JSON.parse(start.stdout) as RunState;
    expect([running.phase, running.compression, running.transitions[0]?.by]).toEqual([
      'running',
      30,
      'Exercise director',
    ]);
    // INJ-01 at T+00:05:00 is due 300 / 30 = 10 real seconds after STARTEX.
    const due = running.injects.find((i) => i.id === 'INJ-01')?.dueAt;
    expect(Date.parse(due!) - Date.parse(running.startex!)).toBe(10_000);
    const again = await hotline('exercise', 'start', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/BAD_TRANSITION: Exercise incident-at-sea is running, not planned: it is already/);

    const fire = await hotline('inject', 'fire', id, 'CON-01');
    expect(fire.code, fire.stderr).toBe(0);
    const firedIdx = Number(/^CON-01 fired at entry (\d+)\n$/.exec(fire.stdout)?.[1]);
    const fired = await entry(id, firedIdx);
    expect(fired.kind).toBe('inject');
    expect(fired.to).toBe('beijing');
    expect(fired.data).toMatchObject({ inject: 'CON-01', precedence: 'FLASH', body: file.injects[15]!.body });
    // The controller's command is on the record just before it, with the default name.
    expect((await entry(id, firedIdx - 1)).data).toEqual({ action: 'fire', inject: 'CON-01', by: 'Trainer (CLI)' });
    const twice = await hotline('inject', 'fire', id, 'CON-01');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/INJECT_STATE: /);

    expect((await hotline('inject', 'hold', id, 'INJ-15')).stdout).toBe('INJ-15 held\n');
    expect((await hotline('inject', 'skip', id, 'INJ-14')).stdout).toBe('INJ-14 skipped\n');

    const note = await hotline('note', id, 'Beijing', 'answered', 'CON-01', 'calmly', '--ref', String(firedIdx));
    expect(note.code, note.stderr).toBe(0);
    const noteIdx = Number(/^note at entry (\d+)\n$/.exec(note.stdout)?.[1]);
    expect(await entry(id, noteIdx)).toMatchObject({
      kind: 'note',
      data: { text: 'Beijing answered CON-01 calmly', ref: firedIdx, by: 'Trainer (CLI)' },
    });
    const badRef = await hotline('note', id, 'x', '--ref', 'last');
    expect(badRef.code).toBe(2);

    const table = await hotline('exercise', 'run', id);
    expect(table.stdout).toMatch(/^incident-at-sea RUNNING T\+\d\d:\d\d:\d\d at 30x/);
    expect(table.stdout).toMatch(
      new RegExp(
        `^CON-01\\s+manual\\s+beijing\\s+FLASH\\s+fired\\s+fired \\d\\d:\\d\\d:\\d\\dZ T\\+\\d\\d:\\d\\d:\\d\\d entry ${firedIdx}\\s`,
        'm',
      ),
    );
    expect(table.stdout).toMatch(/^INJ-15\s+T\+02:00:00\s+beijing\s+ROUTINE\s+held\s+-\s/m);
    expect(table.stdout).toMatch(/^INJ-14\s+T\+01:50:00\s+washington\s+PRIORITY\s+skipped\s+-\s/m);
    expect(table.stdout).toMatch(/^INJ-13\s+T\+01:40:00\s+beijing\s+PRIORITY\s+pending\s+due \d\d:\d\d:\d\dZ\s/m);

    expect((await hotline('exercise', 'pause', id)).stdout).toMatch(/^incident-at-sea PAUSED T\+/);
    expect((await hotline('exercise', 'resume', id)).stdout).toMatch(/^incident-at-sea RUNNING T\+.* at 30x/);
    const end = await hotline('exercise', 'end', id);
    expect(end.code, end.stderr).toBe(0);
    expect(end.stdout).toMatch(/^incident-at-sea ENDEX T\+/);

    const after = await hotline('exercise', 'run', id, '--json');
    const ended = JSON.parse(after.stdout) as RunState;
    expect(ended.phase).toBe('ended');
    expect(ended.transitions.map((t) => t.state)).toEqual(['running', 'paused', 'running', 'ended']);
    const list = await hotline('exercise', 'list');
    expect(list.stdout).toMatch(/^incident-at-sea\s+ENDEX\s+\d+ entries {2}beijing \/ washington {2}Incident at Sea/m);
    expect(list.stdout).toMatch(/^dtl\s+PLANNED\s+\d+ entries/m);
    const late = await hotline('inject', 'fire', id, 'CON-02');
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/INJECT_STATE: /);

    // The export names its exercise like the other commands, and holds every private entry, opened.
    const out = path.join(dir, 'sea.jsonl');
    const exported = await hotline('export', id, '-o', out);
    expect(exported.code, exported.stderr).toBe(0);
    const verified = await runToEnd(['verify', out]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/exercise incident-at-sea, .* private entries opened .*ended \(ENDEX\) and sealed/);
  }, 60_000);

  it('refuses a bad scenario file, naming each inject and field, and creates nothing', async () => {
    const bad = JSON.parse(readFileSync(MISSILE, 'utf8')) as Scenario;
    bad.exercise!.id = 'missile-bad';
    delete bad.injects[0]!.body.zh; // INJ-01 goes to Beijing
    bad.injects[3]!.id = 'INJ-02';
    bad.injects[5]!.at = '00:61:00';
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));

    const r = await hotline('exercise', 'create', '--scenario', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}: inject INJ-06 (injects[5]) at: an exercise-time offset`);
    // The schema is checked first; with the offset fixed, the problems against the exercise show.
    bad.injects[5]!.at = '00:45:00';
    writeFileSync(file, JSON.stringify(bad));
    const r2 = await hotline('exercise', 'create', '--scenario', file);
    expect(r2.code).toBe(2);
    expect(r2.stderr.split('\n').filter((l) => l.startsWith(file))).toEqual([
      `${file}: inject INJ-01 (injects[0]) body.zh: required, the language of station beijing`,
      `${file}: inject INJ-02 (injects[3]) id: used by an earlier inject`,
    ]);
    expect(r2.stderr).toMatch(/hotline: SCENARIO_INVALID: .*2 problems/);
    const ids = (await (await relay.trainer()).listExercises()).map((e) => e.id);
    expect(ids).not.toContain('missile-bad');

    const big = path.join(dir, 'big.json');
    writeFileSync(big, ' '.repeat(MAX_SCENARIO_BYTES + 1));
    const tooBig = await hotline('exercise', 'create', 'big-one', '--scenario', big);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toMatch(new RegExp(`BAD_REQUEST: .*big.json is ${MAX_SCENARIO_BYTES + 1} bytes`));

    const dup = path.join(dir, 'dup.json');
    writeFileSync(dup, '{"format":"hotline-scenario","format":"x"}');
    const duplicate = await hotline('exercise', 'create', 'dup-one', '--scenario', dup);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/BAD_REQUEST: .*dup.json has the member "format" twice/);
  }, 60_000);

  it('loads a scenario into an existing exercise, checked against its stations; flags win over the file', async () => {
    const made = await hotline(
      'exercise',
      'create',
      'north-drill',
      '--title',
      'North drill',
      '--station',
      'north:North:en',
      'washington:Washington:en',
    );
    expect(made.code, made.stderr).toBe(0);
    const refused = await hotline('exercise', 'scenario', 'north-drill', MISSILE);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `${MISSILE}: inject INJ-01 (injects[0]) to: no station beijing in exercise north-drill`,
    );

    const fromFile = await hotline('exercise', 'create', 'missile-2', '--scenario', MISSILE, '--title', 'Second run');
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const def = (await (await relay.trainer()).exercise('missile-2')).def;
    expect([def.id, def.title, def.stations.map((s) => s.id)]).toEqual([
      'missile-2',
      'Second run',
      ['beijing', 'washington'],
    ]);

    const plain = await hotline('exercise', 'create', 'plain-1', '--title', 'Plain');
    expect(plain.code, plain.stderr).toBe(0);
    const loaded = await hotline('exercise', 'scenario', 'plain-1', MISSILE);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/^loaded scenario ".*" into plain-1: 19 injects \(3 manual\)\n$/);

    const noTitle = await hotline('exercise', 'create', 'plain-2');
    expect(noTitle.code).toBe(2);
    expect(noTitle.stderr).toMatch(/required option '--title <title>'/);
    const noName = await hotline('exercise', 'create', 'plain-3', '--title', 'x', '--name', '');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/BAD_REQUEST: --name: at least 1/);
  }, 60_000);
});
