// The scenario (MSEL) file: the shipped examples are complete and valid as they are, and every problem of a
// bad file names the inject and the field, with limits counted in UTF-16 code units like every other text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXERCISE_MARKING } from '../../shared/classification.js';
import { parseOffset } from '../../shared/exercise-clock.js';
import { LANGS, LIMITS } from '../../shared/items.js';
import {
  injectOffset,
  MAX_SCENARIO_BYTES,
  SCENARIO_LIMITS,
  scenarioProblems,
  scenarioSchema,
  textIn,
  type Scenario,
} from '../../shared/scenario.js';
import { DEFAULT_STATIONS } from '../../shared/stations.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';

const DIR = 'scenarios';
const SHIPPED = ['incident-at-sea.json', 'missile-test.json'];
const HAN = /\p{Script=Han}/u;
const HOUR = 3_600_000;

const load = (file: string): Scenario => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Scenario;

/** A fresh copy of a shipped scenario to break one thing in. */
const sample = (): Scenario => structuredClone(load('incident-at-sea.json'));

describe('the shipped scenarios', () => {
  it('are the two the docs describe', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(SHIPPED);
  });

  for (const file of SHIPPED) {
    describe(file, () => {
      const s = load(file);
      const timed = s.injects.filter((i) => i.at !== 'manual');
      const manual = s.injects.filter((i) => i.at === 'manual');

      it('is valid for its own exercise and for the default exercise, and fits the size limit', () => {
        expect(scenarioSchema.safeParse(s).success).toBe(true);
        expect(scenarioProblems(s, s.exercise)).toEqual([]);
        expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([]);
        expect(statSync(path.join(DIR, file)).size).toBeLessThan(MAX_SCENARIO_BYTES);
      });

      it('defines its own exercise with the default stations, marked as an exercise, at 6x', () => {
        expect(s.exercise?.id).toBe(file.replace(/\.json$/, ''));
        expect(s.exercise?.classification).toBe(EXERCISE_MARKING);
        expect(s.exercise?.stations).toEqual(DEFAULT_STATIONS);
        expect(s.compression).toBe(6);
      });

      it('has at least 12 timed injects over about two exercise hours, and 2 or 3 manual ones', () => {
        expect(timed.length).toBeGreaterThanOrEqual(12);
        expect([2, 3]).toContain(manual.length);
        const offsets = timed.map((i) => injectOffset(i)!);
        expect(Math.min(...offsets)).toBeLessThanOrEqual(0.25 * HOUR);
        expect(Math.max(...offsets)).toBeGreaterThanOrEqual(1.75 * HOUR);
        expect(Math.max(...offsets)).toBeLessThanOrEqual(2.5 * HOUR);
        // Listed in the order they fire, so the file reads as the MSEL it is.
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      });

      it('sends injects to both stations, at every precedence from FLASH to ROUTINE', () => {
        expect(new Set(s.injects.map((i) => i.to))).toEqual(new Set(['beijing', 'washington']));
        expect(new Set(s.injects.map((i) => i.precedence))).toEqual(
          new Set(['FLASH', 'IMMEDIATE', 'PRIORITY', 'ROUTINE']),
        );
        for (const station of ['beijing', 'washington'])
          expect(s.injects.filter((i) => i.to === station).length, station).toBeGreaterThanOrEqual(6);
      });

      it('gives originator, subject and body in Chinese and in English, each in its own script', () => {
        for (const inj of s.injects) {
          for (const field of ['from', 'subject', 'body'] as const) {
            const t = inj[field];
            for (const lang of LANGS) expect(t?.[lang], `${inj.id} ${field}.${lang}`).toBeTruthy();
            expect(HAN.test(t!.zh!), `${inj.id} ${field}.zh is Chinese`).toBe(true);
            expect(HAN.test(t!.en!), `${inj.id} ${field}.en has no Chinese`).toBe(false);
          }
          // A body is a few sentences, not a headline.
          expect(inj.body.en!.split(/[.!?]\s/).length, `${inj.id} body.en`).toBeGreaterThanOrEqual(2);
          expect(inj.expectedAction.length, inj.id).toBeGreaterThan(20);
        }
      });

      it('is described as it is in docs/scenarios.md', () => {
        const row = readFileSync('docs/scenarios.md', 'utf8')
          .split('\n')
          .find((line) => line.startsWith(`| [\`${file}\`]`));
        const to = (station: string) => s.injects.filter((i) => i.to === station).length;
        const flash = s.injects.filter((i) => i.precedence === 'FLASH').length;
        const span = `T+${timed[0]!.at.slice(0, 5)} to T+${timed[timed.length - 1]!.at.slice(0, 5)}`;
        expect(row).toContain(`| \`${s.exercise?.id}\` |`);
        expect(row).toContain(`${timed.length} timed (${span}), ${manual.length} manual;`);
        expect(row).toContain(`${to('washington')} to Washington, ${to('beijing')} to Beijing; FLASH ×${flash}`);
      });

      it('has controller notes on most injects, and several originators', () => {
        const noted = s.injects.filter((i) => (i.controllerNotes ?? '').length > 0);
        expect(noted.length / s.injects.length).toBeGreaterThan(0.75);
        expect(new Set(s.injects.map((i) => textIn(i.from, 'en'))).size).toBeGreaterThanOrEqual(5);
      });
    });
  }
});

describe('scenario problems', () => {
  it('names the inject and the field when a Beijing inject lacks its Chinese text', () => {
    const s = sample();
    const i = s.injects.findIndex((inj) => inj.to === 'beijing');
    const inj = s.injects[i]!;
    delete inj.body.zh;
    delete inj.from.zh;
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([
      `inject ${inj.id} (injects[${i}]) from.zh: required, the language of station beijing`,
      `inject ${inj.id} (injects[${i}]) body.zh: required, the language of station beijing`,
    ]);
    // Without an exercise to say which language a station reads, one language is enough.
    expect(scenarioProblems(s)).toEqual([]);
  });

  it('names a text given in neither language', () => {
    const s = sample();
    s.injects[2]!.subject = {};
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([
      `inject ${s.injects[2]!.id} (injects[2]) subject: give the text in zh, en or both`,
    ]);
  });

  it('names a duplicate id at its second use', () => {
    const s = sample();
    s.injects[4]!.id = s.injects[1]!.id;
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([
      `inject ${s.injects[1]!.id} (injects[4]) id: used by an earlier inject`,
    ]);
  });

  it('names a station the exercise does not have', () => {
    const s = sample();
    s.injects[3]!.to = 'moscow';
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([
      `inject ${s.injects[3]!.id} (injects[3]) to: no station moscow in exercise dtl`,
    ]);
    // The same file is fine for an exercise that has the station.
    const def: typeof DEFAULT_EXERCISE = {
      ...DEFAULT_EXERCISE,
      stations: [DEFAULT_STATIONS[0], { id: 'moscow', name: 'Moscow', lang: 'en' }],
    };
    const problems = scenarioProblems(s, def);
    expect(problems).toHaveLength(s.injects.filter((inj) => inj.to === 'washington').length);
    for (const p of problems)
      expect(p).toMatch(/^inject \S+ \(injects\[\d+\]\) to: no station washington in exercise dtl$/);
  });

  it('names a bad offset, and takes the three documented spellings of a good one', () => {
    for (const at of ['1:75:00', '00:60:00', '-5:00', 'soon', '', '1234567']) {
      const s = sample();
      s.injects[0]!.at = at;
      expect(scenarioProblems(s, DEFAULT_EXERCISE), at).toEqual([
        `inject INJ-01 (injects[0]) at: an exercise-time offset ("00:05:00", "5:00" or seconds) or "manual"`,
      ]);
    }
    for (const [at, ms] of [
      ['00:05:00', 300_000],
      ['5:00', 300_000],
      ['300', 300_000],
      ['101:00:00', 101 * HOUR],
    ] as const) {
      const s = sample();
      s.injects[0]!.at = at;
      expect(scenarioProblems(s, DEFAULT_EXERCISE), at).toEqual([]);
      expect(parseOffset(at)).toBe(ms);
    }
  });

  it('names a field outside the format and a wrong precedence, by inject', () => {
    const s = sample() as unknown as { injects: Record<string, unknown>[] };
    s.injects[5]!['priority'] = 'high';
    s.injects[6]!['precedence'] = 'URGENT';
    const problems = scenarioProblems(s, DEFAULT_EXERCISE);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^inject INJ-06 \(injects\[5\]\): Unrecognized key: "priority"/);
    expect(problems[1]).toMatch(/^inject INJ-07 \(injects\[6\]\) precedence: /);
  });

  it('refuses a file that is not a scenario, naming the top-level field', () => {
    expect(scenarioProblems({ ...sample(), format: 'msel' })[0]).toMatch(/^format: /);
    expect(scenarioProblems({ ...sample(), injects: [] })[0]).toMatch(/^injects: /);
    expect(scenarioProblems({ ...sample(), compression: 61 })[0]).toMatch(/^compression: /);
    expect(scenarioProblems(null)[0]).toMatch(/^\(scenario\): /);
  });
});

describe('scenario limits count UTF-16 code units', () => {
  const emoji = '😀'; // one code point, two UTF-16 code units

  it('takes a body of exactly the limit in astral characters, and refuses one unit more', () => {
    const s = sample();
    s.injects[0]!.body.en = emoji.repeat(LIMITS.body / 2);
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([]);
    s.injects[0]!.body.en = emoji.repeat(LIMITS.body / 2) + 'x';
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([
      `inject INJ-01 (injects[0]) body.en: at most ${LIMITS.body} UTF-16 code units (found ${LIMITS.body + 1})`,
    ]);
  });

  it('counts an originator of 61 emoji as 122 units, over its limit of 120', () => {
    const s = sample();
    s.injects[1]!.from.zh = emoji.repeat(61);
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([
      `inject INJ-02 (injects[1]) from.zh: at most ${SCENARIO_LIMITS.originator} UTF-16 code units (found 122)`,
    ]);
  });

  it('applies the same count to the subject, the expected action and the title', () => {
    const s = sample();
    s.injects[0]!.subject!.en = emoji.repeat(LIMITS.subject / 2 + 1);
    s.injects[0]!.expectedAction = 'a'.repeat(SCENARIO_LIMITS.expectedAction + 1);
    s.title = emoji.repeat(LIMITS.title / 2 + 1);
    expect(scenarioProblems(s, DEFAULT_EXERCISE)).toEqual([
      `title: at most ${LIMITS.title} UTF-16 code units (found ${LIMITS.title + 2})`,
      `inject INJ-01 (injects[0]) subject.en: at most ${LIMITS.subject} UTF-16 code units (found ${LIMITS.subject + 2})`,
      `inject INJ-01 (injects[0]) expectedAction: at most ${SCENARIO_LIMITS.expectedAction} UTF-16 code units (found ${SCENARIO_LIMITS.expectedAction + 1})`,
    ]);
  });
});
