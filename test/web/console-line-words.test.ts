// The operator console's words and times for the line's procedures (web/src/console/line-words.ts and
// line-strings.ts), without a browser: a call's state said from each side so that it cannot be misread, the
// call time and the UTC fields, and both languages complete and distinct where it matters.
import { describe, expect, it } from 'vitest';
import type { CallView } from '../../shared/line-book.js';
import {
  callPhrase,
  callTime,
  dateAndTime,
  defaultProposal,
  delayParts,
  dueText,
  instantOf,
  lapsedBy,
  spanText,
} from '../../web/src/console/line-words.js';
import { LINE_EN, LINE_ZH } from '../../web/src/console/line-strings.js';
import { en, zh } from '../../web/src/console/strings.js';

const T0 = Date.parse('2026-12-02T05:00:00.000Z');
const place = { idx: 7, hash: 'h'.repeat(43), at: T0 };

function call(over: Partial<CallView> = {}): CallView {
  return {
    id: '019ad000-0000-7000-8000-000000000001',
    place,
    from: 'beijing',
    to: 'washington',
    level: 'principal',
    subject: 'Ministers',
    proposedAt: '2026-12-03T15:00:00.000Z',
    state: 'awaiting',
    awaiting: 'washington',
    windowFrom: T0,
    steps: [{ idx: 7, at: T0, action: 'request', by: 'beijing', proposedAt: '2026-12-03T15:00:00.000Z' }],
    ...over,
  };
}

describe('a call state, as each station reads it', () => {
  it('says whose answer is awaited: YOURS at the awaited station, theirs (named) at the other', () => {
    expect(callPhrase(call(), 'washington')).toEqual({ key: 'callAwaitingYou' });
    expect(callPhrase(call(), 'beijing')).toEqual({ key: 'callAwaitingThem', station: 'washington' });
    expect(en.callAwaitingYou).toMatch(/YOUR/);
    expect(zh.callAwaitingYou).toContain('本台');
    expect(zh.callAwaitingThem).toContain('{station}');
  });

  it('gives the agreed time of an accepted call, and who declined', () => {
    const accepted = call({ state: 'accepted', callAt: '2026-12-03T16:30:00.000Z' });
    expect(callPhrase(accepted, 'beijing')).toEqual({ key: 'callAccepted', at: '2026-12-03T16:30:00.000Z' });
    const declined = call({
      state: 'declined',
      steps: [...call().steps, { idx: 9, at: T0 + 5, action: 'decline', by: 'washington' }],
    });
    expect(callPhrase(declined, 'beijing')).toEqual({ key: 'callDeclined', station: 'washington' });
  });

  it('names the side that let the window pass: the one that did not take the last step', () => {
    const expired = call({
      state: 'expired',
      steps: [
        ...call().steps,
        { idx: 9, at: T0 + 5, action: 'propose', by: 'washington', proposedAt: '2026-12-03T17:00:00.000Z' },
        { idx: 12, at: T0 + 9, action: 'expired', by: 'relay' },
      ],
    });
    expect(lapsedBy(expired)).toBe('beijing');
    expect(callPhrase(expired, 'beijing')).toEqual({ key: 'callExpiredYou' });
    expect(callPhrase(expired, 'washington')).toEqual({ key: 'callExpiredThem', station: 'beijing' });
    expect(lapsedBy(call())).toBeUndefined();
  });
});

describe('call times', () => {
  it('shows a call time as HH:MMZ and the day, in each language', () => {
    expect(callTime('2026-12-03T15:00:00.000Z', 'en')).toBe('15:00Z 3 Dec');
    expect(callTime('2026-12-03T15:00:00.000Z', 'zh')).toBe('12月3日 15:00Z');
  });

  it('gives a window’s close as HH:MM:SSZ, with the day only when it is another day', () => {
    expect(dueText(T0 + 90_000, T0, 'en')).toBe('05:01:30Z');
    expect(dueText(T0 + 48 * 3_600_000, T0, 'en')).toBe('05:00:00Z 4 Dec');
    expect(dueText(T0 + 48 * 3_600_000, T0, 'zh')).toBe('12月4日 05:00:00Z');
  });

  it('reads the date and HH:MM fields as UTC and refuses what is not on the calendar or the clock', () => {
    expect(instantOf('2026-12-03', '15:00')).toBe('2026-12-03T15:00:00.000Z');
    expect(dateAndTime('2026-12-03T15:00:00.000Z')).toEqual(['2026-12-03', '15:00']);
    for (const [d, t] of [
      ['2026-02-30', '10:00'],
      ['2026-12-03', '24:00'],
      ['2026-12-03', '9:00'],
      ['', '10:00'],
      ['2026-12-03', '10:61'],
    ])
      expect(instantOf(d!, t!), `${d} ${t}`).toBeUndefined();
  });

  it('proposes by default the next whole hour at least an hour ahead', () => {
    expect(defaultProposal(T0 + 10 * 60_000)).toBe('2026-12-02T07:00:00.000Z');
    expect(defaultProposal(T0)).toBe('2026-12-02T07:00:00.000Z');
  });
});

describe('spans and delays', () => {
  it('says a link test’s timeout or interval in its natural unit', () => {
    expect(spanText(500, 'en')).toBe('500 ms');
    expect(spanText(60_000, 'en')).toBe('60 s');
    expect(spanText(300_000, 'zh')).toBe('5 分钟');
    expect(spanText(3_600_000, 'en')).toBe('1 h');
  });

  it('gives a translation’s delay in seconds under a minute, else minutes', () => {
    expect(delayParts(42_400)).toEqual({ key: 'delaySeconds', n: 42 });
    expect(delayParts(150_000)).toEqual({ key: 'delayMinutes', n: 3 });
  });
});

describe('the words of the procedures', () => {
  it('exist in Chinese for every English key, in Chinese, with the same placeholders', () => {
    for (const key of Object.keys(LINE_EN) as (keyof typeof LINE_EN)[]) {
      const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(LINE_ZH[key]), key).toEqual(holes(LINE_EN[key]));
      if (!/^(linkTestRtt|delaySeconds|delayMinutes|translatorWho)$/.test(key))
        expect(LINE_ZH[key], key).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('give each call state its own words in each language', () => {
    for (const table of [en, zh]) {
      const words = [
        table.callAwaitingYou,
        table.callAwaitingThem,
        table.callAccepted,
        table.callDeclined,
        table.callExpiredYou,
        table.callExpiredThem,
      ];
      expect(new Set(words).size).toBe(words.length);
    }
  });
});
