// The trainer console's run modules, in Node: the clock as the state bar shows it, the RunState model
// (polling, ordering, reading again after stream entries), the scenario file checks, the inject form's
// definition and problems, the MSEL rows, and how entries of the new kinds read in the live view.
import { LINE_DEFAULTS } from '../../shared/line-entries.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Applied } from '../../shared/chain.js';
import type { Entry } from '../../shared/entry.js';
import { HotlineError } from '../../shared/errors.js';
import { ExerciseClock } from '../../shared/exercise-clock.js';
import type { InjectStatus, RunState } from '../../shared/http-api.js';
import type { ExerciseDef } from '../../shared/items.js';
import { MAX_SCENARIO_BYTES, type InjectDef } from '../../shared/scenario.js';
import { describeEntry, type EntryContext } from '../../web/src/trainer/entry-text.js';
import { defOf, fieldsOf, injectProblems, nextAdHocId } from '../../web/src/trainer/inject-def.js';
import { allowedActions, dueText, mselOrder, offsetText, statusText } from '../../web/src/trainer/msel-rows.js';
import {
  compressionMeaning,
  compressionText,
  exerciseMsAt,
  exerciseTimeText,
  parseCompression,
  stateMarkers,
  transitionLabel,
} from '../../web/src/trainer/run-clock.js';
import { RunModel } from '../../web/src/trainer/run-model.js';
import { checkScenario, checkScenarioText, refusalProblems } from '../../web/src/trainer/scenario-file.js';
import { noteOf } from '../../web/src/trainer/trainer-notes.js';
import { TrainerSession } from '../../web/src/trainer/session.js';
import { base64url, utf8 } from '../../shared/encoding.js';

const DEF: ExerciseDef = {
  id: 'ex-run',
  title: 'Run test',
  classification: 'UNCLASSIFIED // EXERCISE',
  stations: [
    { id: 'beijing', name: 'Beijing · MND', lang: 'zh' },
    { id: 'washington', name: 'Washington · DoD', lang: 'en' },
  ],
};

const INJ: InjectDef = {
  id: 'INJ-01',
  at: '00:05:00',
  to: 'beijing',
  from: { zh: '南部战区', en: 'Southern Theater Command' },
  precedence: 'FLASH',
  subject: { zh: '船只', en: 'Vessel' },
  body: { zh: '一艘船只进入海峡。', en: 'A vessel entered the strait.' },
  expectedAction: 'Call Washington.',
};

const scenario = (injects: unknown[]) => ({ format: 'hotline-scenario', v: 1, title: 'Test', injects });

function reading(over: Partial<RunState> = {}): RunState {
  return {
    exercise: DEF.id,
    phase: 'planned',
    at: '2026-01-01T10:00:00.000Z',
    exerciseMs: null,
    compression: 1,
    ackDeadlinesMs: { FLASH: 600_000, IMMEDIATE: 1_800_000, PRIORITY: 10_800_000, ROUTINE: 21_600_000 },
    line: { ...LINE_DEFAULTS },
    startex: null,
    endex: null,
    transitions: [],
    scenario: null,
    injects: [],
    ...over,
  };
}

describe('the run clock', () => {
  const at = Date.parse('2026-01-01T10:00:00.000Z');

  it('advances exercise time by the compression while running, and only then', () => {
    const running = reading({ phase: 'running', exerciseMs: 60_000, compression: 6 });
    expect(exerciseMsAt(running, at + 10_000)).toBe(120_000);
    expect(exerciseTimeText(running, at + 10_000)).toBe('T+00:02:00');
    // A reading taken a moment after `now` (a skewed estimate) never runs the clock backwards.
    expect(exerciseMsAt(running, at - 5_000)).toBe(60_000);
    expect(exerciseMsAt({ ...running, phase: 'paused' }, at + 10_000)).toBe(60_000);
    expect(exerciseMsAt({ ...running, phase: 'ended' }, at + 10_000)).toBe(60_000);
    expect(exerciseMsAt(reading(), at + 10_000)).toBeNull();
    expect(exerciseTimeText(reading(), at)).toBe('T−');
  });

  it('reads and names compressions', () => {
    expect(parseCompression('6')).toBe(6);
    expect(parseCompression(' 12x ')).toBe(12);
    expect(parseCompression('1.5')).toBe(1.5);
    expect(parseCompression('60×')).toBe(60);
    for (const bad of ['', '0', '0.5', '61', '100', 'six', '6xx', '-2', '1e1'])
      expect(parseCompression(bad), bad).toBeUndefined();
    expect(compressionText(6)).toBe('6x');
    expect(compressionText(1.5)).toBe('1.5x');
    expect(compressionMeaning(1)).toBe('1x: real time');
    expect(compressionMeaning(6)).toBe('6x: one exercise hour every 10 min');
    expect(compressionMeaning(60)).toBe('60x: one exercise hour every 1 min');
    expect(compressionMeaning(12)).toBe('12x: one exercise hour every 5 min');
  });

  it('names transitions: the first running is STARTEX, a later one RESUMED', () => {
    const clock = new ExerciseClock();
    clock.apply({ at: at, idx: 4, state: 'running', compression: 6, by: 'Ana' });
    clock.apply({ at: at + 1000, idx: 7, state: 'paused', compression: 6, by: 'Ana' });
    clock.apply({ at: at + 2000, idx: 9, state: 'running', compression: 12, by: 'Bo' });
    clock.apply({ at: at + 3000, idx: 12, state: 'ended', compression: 12, by: 'Bo' });
    const all = clock.transitions;
    expect(all.map((t) => transitionLabel(t, all))).toEqual(['STARTEX', 'PAUSED', 'RESUMED', 'ENDEX']);
    expect(stateMarkers(all)).toEqual([
      { idx: 4, at: '2026-01-01T10:00:00.000Z', label: 'STARTEX', by: 'Ana', compression: 6 },
      { idx: 7, at: '2026-01-01T10:00:01.000Z', label: 'PAUSED', by: 'Ana' },
      { idx: 9, at: '2026-01-01T10:00:02.000Z', label: 'RESUMED', by: 'Bo', compression: 12 },
      { idx: 12, at: '2026-01-01T10:00:03.000Z', label: 'ENDEX', by: 'Bo' },
    ]);
  });
});

describe('RunModel', () => {
  const OPTIONS = { pollMs: 3_000, idleMs: 15_000, settleMs: 150 };
  let answers: RunState[];
  let calls: number;
  let fail: HotlineError | undefined;
  const api = {
    run: () => {
      calls++;
      if (fail) return Promise.reject(fail);
      const next = answers.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error('no answer scripted'));
    },
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T10:00:00.000Z') });
    answers = [];
    calls = 0;
    fail = undefined;
  });
  afterEach(() => vi.useRealTimers());

  it('reads every few seconds while running, seldom while planned, never after ENDEX', async () => {
    const model = new RunModel(DEF.id, api, OPTIONS);
    const seen: string[] = [];
    model.on('change', (s) => seen.push(s.phase));
    answers.push(reading({ at: '2026-01-01T10:00:00.000Z' }));
    model.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    answers.push(reading({ phase: 'running', at: '2026-01-01T10:00:15.000Z', exerciseMs: 0 }));
    await vi.advanceTimersByTimeAsync(14_999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    answers.push(reading({ phase: 'ended', at: '2026-01-01T10:00:18.000Z', exerciseMs: 3_000 }));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls).toBe(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(3);
    expect(seen).toEqual(['planned', 'running', 'ended']);
    model.stop();
  });

  it('keeps the newest reading when answers arrive out of order, and estimates the relay clock', async () => {
    const model = new RunModel(DEF.id, api, OPTIONS);
    const newer = reading({ phase: 'running', at: '2026-01-01T10:00:05.000Z', exerciseMs: 10_000, compression: 2 });
    await model.act(() => Promise.resolve(newer));
    const older = reading({ at: '2026-01-01T10:00:01.000Z' });
    expect(await model.act(() => Promise.resolve(older))).toBe(newer);
    expect(model.state).toBe(newer);
    // The relay's clock reads 5 s ahead of this one: exercise time is the relay's.
    expect(model.now()).toBe(Date.parse('2026-01-01T10:00:05.000Z'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(model.exerciseMs()).toBe(12_000);
  });

  it('reads again soon after a stream entry that changes the run, and only then', async () => {
    const model = new RunModel(DEF.id, api, OPTIONS);
    answers.push(reading(), reading({ at: '2026-01-01T10:00:01.000Z' }));
    model.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    model.sawEntry('message');
    model.sawEntry('receipt');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(1);
    model.sawEntry('inject');
    model.sawEntry('inject-control');
    model.sawEntry('exercise-state');
    await vi.advanceTimersByTimeAsync(149);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    model.stop();
  });

  it('emits a failed read and keeps trying; an action failure goes to its caller', async () => {
    const model = new RunModel(DEF.id, api, OPTIONS);
    const errors: string[] = [];
    model.on('error', (e) => errors.push(e.code));
    fail = new HotlineError('RELAY_UNREACHABLE', 'down');
    model.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual(['RELAY_UNREACHABLE']);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(errors).toEqual(['RELAY_UNREACHABLE', 'RELAY_UNREACHABLE']);
    const refused = new HotlineError('BAD_TRANSITION', 'no');
    await expect(model.act(() => Promise.reject(refused))).rejects.toBe(refused);
    expect(errors).toHaveLength(2);
    model.stop();
  });
});

describe('scenario files', () => {
  it('lists every problem, each naming the inject and the field, before anything is sent', () => {
    const bad = scenario([
      INJ,
      { ...INJ, id: 'INJ-02', body: { en: 'English only' } },
      { ...INJ, id: 'INJ-03', at: 'soon', precedence: 'URGENT' },
    ]);
    const check = checkScenarioText(JSON.stringify(bad), 100, DEF);
    expect(check.ok).toBe(false);
    const problems = check.ok ? [] : check.problems;
    expect(problems.some((p) => p.startsWith('inject INJ-03 (injects[2]) at:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('inject INJ-03 (injects[2]) precedence:'))).toBe(true);
    // The schema's problems come first; with them fixed, the language rule names INJ-02's body.zh.
    const fixed = scenario([INJ, { ...INJ, id: 'INJ-02', body: { en: 'English only' } }]);
    const second = checkScenario(fixed, DEF);
    expect(second.ok ? [] : second.problems).toEqual([
      'inject INJ-02 (injects[1]) body.zh: required, the language of station beijing',
    ]);
  });

  it('says when a file is not JSON or too large, and passes a valid one', () => {
    const notJson = checkScenarioText('{"format": ', 11, DEF);
    expect(notJson.ok ? [] : notJson.problems).toEqual([expect.stringMatching(/^\(file\): not JSON: /)]);
    const big = checkScenarioText('{}', MAX_SCENARIO_BYTES + 1, DEF);
    expect(big.ok ? [] : big.problems).toEqual([
      expect.stringMatching(/^\(file\): 193 KiB; a scenario file is at most 192 KiB$/),
    ]);
    const good = checkScenarioText(JSON.stringify(scenario([INJ])), 500, DEF);
    expect(good.ok && good.scenario.title).toBe('Test');
    const wrongStation = checkScenario(scenario([{ ...INJ, to: 'moscow' }]), DEF);
    expect(wrongStation.ok ? [] : wrongStation.problems).toEqual([
      'inject INJ-01 (injects[0]) to: no station moscow in exercise ex-run',
    ]);
  });

  it("reads the relay's SCENARIO_INVALID problems, and nothing else, as a list", () => {
    const problems = ['inject A (injects[0]) body.zh: required'];
    expect(refusalProblems(new HotlineError('SCENARIO_INVALID', 'bad', { problems }))).toEqual(problems);
    expect(refusalProblems(new HotlineError('SCENARIO_INVALID', 'The scenario is bad.'))).toEqual([
      'The scenario is bad.',
    ]);
    expect(refusalProblems(new HotlineError('BAD_TRANSITION', 'started'))).toBeUndefined();
    expect(refusalProblems(new Error('x'))).toBeUndefined();
  });
});

describe('the inject form', () => {
  it('round-trips a definition and leaves empty fields out', () => {
    expect(defOf(fieldsOf(INJ))).toEqual(INJ);
    const fields = {
      ...fieldsOf(INJ),
      subjectZh: ' ',
      subjectEn: '',
      fromEn: '',
      at: ' Manual ',
      controllerNotes: ' x ',
    };
    const def = defOf(fields);
    expect(def.subject).toBeUndefined();
    expect(def.from).toEqual({ zh: '南部战区' });
    expect(def.at).toBe('manual');
    expect(def.controllerNotes).toBe('x');
  });

  it('names the field of each problem, for the station the inject goes to', () => {
    expect(injectProblems(INJ, DEF)).toEqual([]);
    expect(injectProblems({ ...INJ, body: { en: 'only English' } }, DEF)).toEqual([
      'body.zh: required, the language of station beijing',
    ]);
    expect(injectProblems({ ...INJ, to: 'washington', body: { zh: '只有中文' } }, DEF)).toEqual([
      'body.en: required, the language of station washington',
    ]);
    const timeProblems = injectProblems({ ...INJ, at: 'later', expectedAction: '' }, DEF);
    expect(timeProblems.map((p) => p.split(':')[0])).toEqual(['at', 'expectedAction']);
  });

  it('proposes the next free ad-hoc id', () => {
    expect(nextAdHocId([])).toBe('ADHOC-01');
    expect(nextAdHocId(['ADHOC-01', 'INJ-01', 'ADHOC-03'])).toBe('ADHOC-02');
  });
});

describe('MSEL rows', () => {
  const status = (over: Partial<InjectStatus>): InjectStatus => ({
    id: over.def?.id ?? 'INJ-01',
    def: INJ,
    status: 'pending',
    edited: false,
    added: false,
    ...over,
  });

  it('orders timed injects by time, manual ones last, each in MSEL order', () => {
    const list = [
      status({ def: { ...INJ, id: 'M1', at: 'manual' } }),
      status({ def: { ...INJ, id: 'T2', at: '00:10:00' } }),
      status({ def: { ...INJ, id: 'T1', at: '300' } }),
      status({ def: { ...INJ, id: 'M2', at: 'manual' } }),
    ];
    expect(mselOrder(list).map((i) => i.def.id)).toEqual(['T1', 'T2', 'M1', 'M2']);
    expect(list.map((i) => offsetText(i))).toEqual(['Manual', 'T+00:10:00', 'T+00:05:00', 'Manual']);
  });

  it('shows when an inject is due while the clock runs, and how it fired', () => {
    const due = status({ dueAt: '2026-01-01T10:05:00.000Z' });
    expect(dueText(due, 'running')).toBe('due 10:05:00Z');
    expect(dueText(due, 'paused')).toBeUndefined();
    expect(dueText({ ...due, status: 'held' }, 'running')).toBeUndefined();
    expect(statusText(status({ status: 'fired', fired: { idx: 14, at: '2026-01-01T10:05:03.000Z', id: 'x' } }))).toBe(
      'Fired · entry 14 · 10:05:03Z',
    );
    expect(statusText(status({ status: 'held' }))).toBe('Held');
    expect(statusText(status({ status: 'skipped' }))).toBe('Skipped');
  });

  it('offers what the relay allows: fire between STARTEX and ENDEX, hold or release, skip, edit until fired', () => {
    expect(allowedActions(status({}), 'planned')).toEqual(['hold', 'skip', 'edit']);
    expect(allowedActions(status({}), 'running')).toEqual(['fire', 'hold', 'skip', 'edit']);
    expect(allowedActions(status({ status: 'held' }), 'paused')).toEqual(['fire', 'release', 'skip', 'edit']);
    expect(allowedActions(status({ status: 'fired' }), 'running')).toEqual([]);
    expect(allowedActions(status({ status: 'skipped' }), 'running')).toEqual([]);
    expect(allowedActions(status({}), 'ended')).toEqual([]);
  });
});

describe('entries of a run as the live view reads them', () => {
  let idx = 10;
  const entry = (kind: Entry['kind'], fields: Partial<Entry>): Applied => ({
    entry: { idx: idx++, prev: 'p', at: '2026-01-01T10:00:00.000Z', kind, hash: `h${idx}`, ...fields },
  });
  const clock = new ExerciseClock();
  const ctx: EntryContext = {
    def: DEF,
    message: () => undefined,
    inject: () => undefined,
    transitions: clock.transitions,
  };

  it('names lifecycle changes, injects, controller actions, the scenario and notes', () => {
    const start = entry('exercise-state', { data: { state: 'running', by: 'Ana', compression: 6 } });
    clock.apply({ at: Date.parse(start.entry.at), idx: start.entry.idx, state: 'running', compression: 6, by: 'Ana' });
    expect(describeEntry(start, ctx)).toBe(`STARTEX by Ana at 6x (entry ${start.entry.idx})`);
    const end = entry('exercise-state', { data: { state: 'ended', by: 'Bo' } });
    expect(describeEntry(end, ctx)).toBe(`ENDEX by Bo: the line is closed and the log sealed (entry ${end.entry.idx})`);
    const inject = entry('inject', {
      to: 'beijing',
      commit: 'c',
      reveal: {
        salt: 's',
        data: {
          id: '0190b3a0-0000-7000-8000-000000000000',
          inject: 'INJ-01',
          from: INJ.from,
          precedence: 'FLASH',
          subject: INJ.subject!,
          body: INJ.body,
        },
      },
    });
    expect(describeEntry(inject, ctx)).toBe(
      `EXERCISE INJECT INJ-01 → Beijing from Southern Theater Command (FLASH) “Vessel” (entry ${inject.entry.idx})`,
    );
    const held = entry('inject-control', {
      commit: 'c',
      reveal: { salt: 's', data: { action: 'hold', inject: 'INJ-02', by: 'Ana' } },
    });
    expect(describeEntry(held, ctx)).toBe(`inject INJ-02 held by Ana (entry ${held.entry.idx})`);
    const loaded = entry('scenario', {
      commit: 'c',
      reveal: { salt: 's', data: { scenario: scenario([INJ]), by: 'Ana' } },
    });
    expect(describeEntry(loaded, ctx)).toBe(`scenario “Test” loaded by Ana (1 inject) (entry ${loaded.entry.idx})`);
    const note = entry('note', { commit: 'c', reveal: { salt: 's', data: { text: 'Slow reply', by: 'Bo', ref: 3 } } });
    expect(describeEntry(note, ctx)).toBe(
      `controller note by Bo: “Slow reply” (about entry 3) (entry ${note.entry.idx})`,
    );
    const hidden = entry('note', { commit: 'c' });
    expect(describeEntry(hidden, ctx)).toBe(`note (private) (entry ${hidden.entry.idx})`);
  });

  it('reads a note with its exercise time and author', () => {
    const note = entry('note', {
      at: '2026-01-01T10:00:10.000Z',
      commit: 'c',
      reveal: { salt: 's', data: { text: 'Check the FLASH', by: 'Bo' } },
    });
    expect(noteOf(note.entry, clock)).toEqual({
      idx: note.entry.idx,
      at: '2026-01-01T10:00:10.000Z',
      exerciseMs: 60_000,
      by: 'Bo',
      text: 'Check the FLASH',
    });
    expect(noteOf(entry('note', { commit: 'c' }).entry, clock)).toBeUndefined();
  });
});

describe('the session shows the name its token carries', () => {
  const store = () => {
    const map = new Map<string, string>();
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  };
  const part = (o: unknown) => base64url(utf8(JSON.stringify(o)));
  const session = (claims: unknown) => {
    const s = store();
    const token = `${part({ alg: 'EdDSA' })}.${part(claims)}.c2ln`;
    s.setItem(
      'hotline.trainer.session',
      JSON.stringify({ token, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    return new TrainerSession('http://127.0.0.1:1', s);
  };

  it('reads the name claim, and nothing from a token without one', () => {
    const named = session({ role: 'trainer', name: '赵 Controller' });
    expect(named.name).toBe('赵 Controller');
    named.signOut();
    expect(named.name).toBeUndefined();
    const unnamed = session({ role: 'trainer' });
    expect(unnamed.name).toBeUndefined();
    unnamed.signOut();
    const odd = session({ name: 42 });
    expect(odd.name).toBeUndefined();
    odd.signOut();
  });
});
