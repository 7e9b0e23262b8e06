// The relay core's admission path through a fake transport: what an acceptance carries, what a seq
// conflict leaves on the record, and how a failed commit is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../shared/signed.js';
import { MemoryStore } from '../../server/store/memory.js';
import { Core, PINO_ERROR } from '../helpers/fake-transport.js';
import { message } from '../helpers/raw-console.js';

let core: Core | undefined;

afterEach(async () => {
  await core?.stop();
  core = undefined;
});

describe('Relay', () => {
  it('accepts with a relay checkpoint that covers the new entry, and a resubmission is accepted again, once', async () => {
    core = await Core.start();
    const bjKey = await core.enrol('beijing');
    const bj = await core.open(bjKey, 1);
    const jws = await bjKey.sign(message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0 }));
    bj.session.receive(JSON.stringify({ type: 'submit', jws }));
    const entry = (await bj.transport.nextOf('entry')).entry;
    const accepted = await bj.transport.nextOf('accepted');
    expect(accepted).toMatchObject({ seq: 0, idx: entry.idx, hash: entry.hash, at: entry.at });
    const payload = await verifyCheckpoint(accepted.checkpoint, core.key.verifyKey);
    expect(payload).toMatchObject({ exercise: 'dtl', idx: entry.idx, hash: entry.hash });

    bj.session.receive(JSON.stringify({ type: 'submit', jws }));
    expect(await bj.transport.nextOf('accepted')).toMatchObject({ seq: 0, idx: entry.idx });
    expect((await core.store.head('dtl'))?.idx).toBe(entry.idx);
  });

  it('refuses a seq conflict with expectedSeq and puts an alarm on the record', async () => {
    core = await Core.start();
    const bjKey = await core.enrol('beijing');
    const bj = await core.open(bjKey, 1);
    const first = message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0 });
    bj.session.receive(JSON.stringify({ type: 'submit', jws: await bjKey.sign(first) }));
    await bj.transport.nextOf('entry');
    await bj.transport.nextOf('accepted');

    const other = message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0, body: 'Something else.' });
    bj.session.receive(JSON.stringify({ type: 'submit', jws: await bjKey.sign(other) }));
    expect(await bj.transport.nextOf('rejected')).toMatchObject({
      code: 'SEQ_CONFLICT',
      id: other.id,
      seq: 0,
      expectedSeq: 1,
    });
    const alarm = (await bj.transport.nextOf('entry')).entry;
    expect(alarm).toMatchObject({ idx: 3, kind: 'alarm', data: { code: 'SEQ_CONFLICT', kid: bjKey.kid, seq: 0 } });
    expect(core.logs.filter((r) => r.msg === 'seq conflict: same key and seq, different payload')).toHaveLength(1);
  });

  it('refuses the items of a failed commit with STORE_UNAVAILABLE and keeps the connection', async () => {
    const store = new MemoryStore();
    core = await Core.start({}, store);
    const bjKey = await core.enrol('beijing');
    const bj = await core.open(bjKey, 1);
    store.append = async () => {
      throw new Error('simulated: disk full');
    };
    const item = message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0 });
    bj.session.receive(JSON.stringify({ type: 'submit', jws: await bjKey.sign(item) }));
    expect(await bj.transport.nextOf('rejected')).toMatchObject({ code: 'STORE_UNAVAILABLE', id: item.id, seq: 0 });
    expect(bj.transport.closedWith).toBeUndefined();
    // Logged once, by the committer: the session does not log what is not an internal error.
    expect(core.logs.filter((r) => r.level === PINO_ERROR).map((r) => r.msg)).toEqual([
      'commit failed; nothing in the batch was accepted',
    ]);
  });
});
