// The marks of answers in flight (server/line-pending.ts): one holder per call, test or message; a release
// settles only its own mark; a mark nobody settles lapses after its time, so a lost answer cannot hold a
// call or a test for ever; requests in flight are counted per station.
import { describe, expect, it } from 'vitest';
import { answerKey, PendingAnswers, PENDING_TTL_MS, requestPrefix } from '../../server/line-pending.js';

describe('PendingAnswers', () => {
  it('holds a key for its holder until released; a stale release leaves a newer mark alone', () => {
    const now = 1_000;
    const p = new PendingAnswers(() => now);
    const key = answerKey('dtl', '01900000-0000-7000-8000-000000000001');
    expect(p.holder(key)).toBeUndefined();
    const first = p.mark(key, 'kid-a:3:hash');
    expect(p.holder(key)).toBe('kid-a:3:hash');
    first();
    expect(p.holder(key)).toBeUndefined();
    const second = p.mark(key, 'relay');
    first(); // settled already: must not drop the relay's mark
    expect(p.holder(key)).toBe('relay');
    second();
    expect(p.holder(key)).toBeUndefined();
  });

  it(`lets a mark lapse after ${PENDING_TTL_MS} ms`, () => {
    let now = 0;
    const p = new PendingAnswers(() => now);
    const key = answerKey('dtl', 'x');
    p.mark(key, 'kid:0:h');
    now = PENDING_TTL_MS - 1;
    expect(p.holder(key)).toBe('kid:0:h');
    now = PENDING_TTL_MS;
    expect(p.holder(key)).toBeUndefined();
  });

  it('counts the requests in flight of one station in one exercise', () => {
    let now = 0;
    const p = new PendingAnswers(() => now, 100);
    const bj = requestPrefix('dtl', 'beijing');
    p.mark(`${bj}a`, 't1');
    const b = p.mark(`${bj}b`, 't2');
    p.mark(`${requestPrefix('dtl', 'washington')}c`, 't3');
    p.mark(`${requestPrefix('other', 'beijing')}d`, 't4');
    expect(p.count(bj)).toBe(2);
    b();
    expect(p.count(bj)).toBe(1);
    now = 100;
    expect(p.count(bj)).toBe(0);
  });
});
