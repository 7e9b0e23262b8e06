// Private entries in one chain, as each reader verifies them: exercise control with every reveal, a station
// with its own injects' content and only commitments of the rest; tampered content, a missing reveal, a
// receipt of an inject, and ENDEX sealing the log.
import { codeOf } from '../helpers/thrown.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChainVerifier } from '../../shared/chain.js';
import { GENESIS_PREV, hashEntry, type Entry, type EntryBody, type EntryKind } from '../../shared/entry.js';
import { TYP } from '../../shared/items.js';
import { commitmentOf, newSalt, redactFor, type Audience } from '../../shared/private.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { receipt } from '../helpers/raw-console.js';
import { logKeys, type LogKeys } from '../helpers/log-fixture.js';

const START = Date.parse('2026-12-02T09:00:00.000Z');
const INJECT_ID = '019ade00-0000-7000-8000-000000000001';

class Log {
  readonly entries: Entry[] = [];
  async add(kind: EntryKind, content: Partial<Pick<Entry, 'jws' | 'data' | 'to' | 'commit' | 'reveal'>>) {
    const idx = this.entries.length;
    const { reveal, ...hashed } = content;
    const body: EntryBody = {
      idx,
      prev: idx === 0 ? GENESIS_PREV : this.entries[idx - 1]!.hash,
      at: new Date(START + idx * 1000).toISOString(),
      kind,
      ...hashed,
    };
    const entry: Entry = { ...body, hash: await hashEntry(body), ...(reveal ? { reveal } : {}) };
    this.entries.push(entry);
    return entry;
  }
  async private(kind: EntryKind, data: Record<string, unknown>, to?: string) {
    const reveal = { salt: newSalt(), data };
    return this.add(kind, { commit: await commitmentOf(reveal), reveal, ...(to ? { to } : {}) });
  }
}

async function verify(entries: Entry[], audience: Audience): Promise<ChainVerifier> {
  const v = new ChainVerifier({ audience });
  for (const e of entries) await v.apply(redactFor(e, audience));
  return v;
}

describe('private entries', () => {
  let keys: LogKeys;
  let log: Log;
  let inject: Entry;

  beforeAll(async () => {
    keys = await logKeys();
    log = new Log();
    await log.add('exercise-created', { data: { exercise: DEFAULT_EXERCISE, relayKid: keys.relay.kid } });
    for (const station of ['beijing', 'washington'] as const) {
      const k = keys[station];
      await log.add('key-enrolled', { data: { kid: k.kid, station, operator: 'op', publicJwk: k.publicJwk } });
    }
    await log.private('scenario', {
      by: 'Controller',
      scenario: {
        format: 'hotline-scenario',
        v: 1,
        title: 'T',
        injects: [
          {
            id: 'I1',
            at: '00:01:00',
            to: 'beijing',
            from: { zh: '南部战区' },
            precedence: 'FLASH',
            body: { zh: '内容' },
            expectedAction: 'x',
          },
        ],
      },
    });
    await log.add('exercise-state', { data: { state: 'running', by: 'Controller', compression: 6 } });
    inject = await log.private(
      'inject',
      { id: INJECT_ID, inject: 'I1', from: { zh: '南部战区' }, precedence: 'FLASH', body: { zh: '秘密内容' } },
      'beijing',
    );
    const ack = receipt({
      exercise: 'dtl',
      from: 'beijing',
      to: 'washington',
      seq: 0,
      ref: INJECT_ID,
      refHash: inject.hash,
      kind: 'acknowledged',
    });
    await log.add('receipt', { jws: await keys.beijing.sign(ack, { typ: TYP.receipt }) });
    await log.private('note', { text: 'quick answer', by: 'Controller', ref: inject.idx });
    await log.add('exercise-state', { data: { state: 'ended', by: 'Controller' } });
  });

  it('verifies for every reader: control opens all, each station its own, and all see one chain', async () => {
    const control = await verify(log.entries, 'control');
    expect(control.injects.get(inject.hash)?.data?.id).toBe(INJECT_ID);
    expect(control.clock.phase).toBe('ended');
    const beijing = await verify(log.entries, { station: 'beijing' });
    const washington = await verify(log.entries, { station: 'washington' });
    expect(washington.injects.get(inject.hash)?.to).toBe('beijing');
    expect(washington.injects.get(inject.hash)?.data).toBeUndefined();
    expect(beijing.hashes).toEqual(control.hashes);
    expect(washington.hashes).toEqual(control.hashes);
    expect(JSON.stringify(log.entries.map((e) => redactFor(e, { station: 'washington' })))).not.toContain('秘密');
  });

  it('refuses content that does not match its commitment, and a station missing its own inject', async () => {
    const changed = log.entries.map((e) =>
      e.idx === inject.idx ? { ...e, reveal: { ...e.reveal!, data: { ...e.reveal!.data, body: { zh: '改' } } } } : e,
    );
    expect(await codeOf(verify(changed, 'control'))).toBe('COMMIT_MISMATCH');
    const stripped = log.entries.map((e) => (e.idx === inject.idx ? redactFor(e, { station: 'washington' }) : e));
    expect(await codeOf(verify(stripped, { station: 'beijing' }))).toBe('SCHEMA_INVALID');
    expect(await codeOf(verify(stripped, 'control'))).toBe('SCHEMA_INVALID');
    expect(await codeOf(verify(stripped, { station: 'washington' }))).toBe('ok');
  });

  it('refuses a receipt whose refHash names no inject of its sender, and anything after ENDEX', async () => {
    const late = new Log();
    for (const e of log.entries) late.entries.push(e);
    await late.add('alarm', { data: { code: 'X' } });
    expect(await codeOf(verify(late.entries, 'control'))).toBe('EXERCISE_ENDED');

    const other = new Log();
    for (const e of log.entries.slice(0, inject.idx + 1)) other.entries.push(e);
    const stray = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 0,
      ref: INJECT_ID,
      refHash: inject.hash,
    });
    await other.add('receipt', { jws: await keys.washington.sign(stray, { typ: TYP.receipt }) });
    for (const audience of ['control', { station: 'washington' }] as const)
      expect(await codeOf(verify(other.entries, audience))).toBe('UNKNOWN_REF');
  });
});
