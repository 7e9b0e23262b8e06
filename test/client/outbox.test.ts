import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HotlineClient } from '../../client/client.js';
import { FileStorage } from '../../client/node/file-storage.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import { MemoryStorage, type SavedState } from '../../client/storage.js';
import { enrolClient, startTestRelay, tempDir, until, type TestRelay } from '../helpers/relay.js';

describe('the outbox', () => {
  let relay: TestRelay;
  const dir = tempDir('hotline-outbox-');
  const clients: HotlineClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await relay?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recovers from state restored from an older copy: a SEQ_CONFLICT re-signs after the relay\u2019s seq and loses nothing', async () => {
    relay = await startTestRelay();
    const file = path.join(dir, 'bj.json');
    const bj = await enrolClient(relay, 'beijing', { storage: new FileStorage(file) });
    clients.push(bj);
    const snapshot = path.join(dir, 'bj-old.json');
    copyFileSync(file, snapshot);
    bj.start();
    for (const body of ['one', 'two']) {
      const v = await bj.send({ body });
      await until(() => bj.conversation.messages.get(v.id)?.states.accepted !== undefined, 5000, 'accepted');
    }
    await bj.stop();

    const restored = await HotlineClient.open({
      storage: new FileStorage(snapshot),
      socket: nodeSocket(),
      backoff: { baseMs: 20, maxMs: 200 },
    });
    clients.push(restored);
    const alarms: string[] = [];
    restored.on('alarm', (a) => alarms.push(a.code));
    restored.start();
    await until(() => restored.link.state === 'open', 5000, 'open');
    // The restored state believes seq 0 is next, but the relay holds seq 0 and 1 for this key... unless the
    // welcome's nextSeq already moved it on; force the stale counter to reproduce the worst case.
    restored.outbox.nextSeq = 0;
    const v = await restored.send({ body: 'three' });
    await until(
      () => restored.conversation.messages.get(v.id)?.states.accepted !== undefined,
      5000,
      'accepted after rebase',
    );
    // The re-signed seq shows at once, before its entry has been verified and applied.
    expect(restored.conversation.messages.get(v.id)?.seq).toBe(2);
    await until(() => restored.conversation.messages.get(v.id)?.idx !== undefined, 5000, 'in the verified log');
    expect(alarms).toContain('SEQ_CONFLICT');
    expect(restored.outbox.items).toHaveLength(0);
    const msgs = restored
      .messages()
      .filter((m) => m.direction === 'out')
      .map((m) => [m.body, m.seq]);
    expect(msgs).toEqual([
      ['one', 0],
      ['two', 1],
      ['three', 2],
    ]);
  });

  it('refuses, before it takes a seq, an item whose escaped JSON would not fit a frame', async () => {
    relay = await startTestRelay();
    const bj = await enrolClient(relay, 'beijing');
    clients.push(bj);
    // Control characters are within the schema's limits but are escaped to six bytes each.
    await expect(bj.send({ subject: '\u0001'.repeat(200), body: '\u0001'.repeat(8000) })).rejects.toMatchObject({
      code: 'FRAME_TOO_LARGE',
    });
    expect(bj.outbox.items).toHaveLength(0);
    expect(bj.outbox.nextSeq).toBe(0);
    bj.start();
    const ok = await bj.send({ body: 'short' });
    expect(ok.seq).toBe(0);
    await until(() => bj.conversation.messages.get(ok.id)?.states.accepted !== undefined, 5000, 'accepted');
  });

  it('keeps applying the log when saving a checkpoint fails, and says so with an alarm', async () => {
    relay = await startTestRelay();
    // Storage that fails once, on the next save of a new checkpoint: a transient disk error.
    class FailingStorage extends MemoryStorage {
      failing = false;
      #saved: string | null = null;
      override async save(state: SavedState): Promise<void> {
        if (this.failing && state.checkpoint !== this.#saved) {
          this.failing = false;
          throw new Error('disk full');
        }
        this.#saved = state.checkpoint;
        return super.save(state);
      }
    }
    const storage = new FailingStorage();
    const bj = await enrolClient(relay, 'beijing', { storage });
    const wa = await enrolClient(relay, 'washington');
    clients.push(bj, wa);
    const alarms: string[] = [];
    bj.on('alarm', (a) => alarms.push(a.code));
    bj.start();
    wa.start();
    await until(() => bj.link.state === 'open' && wa.link.state === 'open', 5000, 'open');
    storage.failing = true;
    const sent = await wa.send({ body: 'after the disk filled' });
    await until(() => bj.conversation.messages.get(sent.id) !== undefined, 5000, 'the message reached Beijing');
    const mine = await bj.send({ body: 'still here' });
    await until(() => alarms.includes('INTERNAL'), 5000, 'an alarm about the failed save');
    // Entries after the failed save are still verified and applied.
    const again = await wa.send({ body: 'and after that' });
    await until(() => bj.conversation.messages.get(again.id) !== undefined, 5000, 'later entries still applied');
    expect(bj.conversation.messages.get(mine.id)?.states.accepted).toBeDefined();
  });

  it('stop() resolves once the console has finished writing its state', async () => {
    relay = await startTestRelay();
    let writing = 0;
    class SlowStorage extends MemoryStorage {
      override async save(state: SavedState): Promise<void> {
        writing++;
        await new Promise((r) => setTimeout(r, 20));
        await super.save(state);
        writing--;
      }
    }
    const bj = await enrolClient(relay, 'beijing', { storage: new SlowStorage() });
    bj.start();
    await until(() => bj.link.state === 'open', 5000, 'open');
    const v = await bj.send({ body: 'one' });
    await until(() => bj.conversation.messages.get(v.id)?.states.accepted !== undefined, 5000, 'accepted');
    // The send queues its item (a 20 ms save); stop() must not resolve before that save has finished.
    void bj.send({ body: 'two' });
    await bj.stop();
    expect(writing).toBe(0);
  });
});
