// Exercise injects between real console clients and a real relay: a controller fires an inject to Beijing
// through the trainer API; Beijing's client receives it with its content, sends `delivered` by itself and
// `acknowledged` when the operator does; Washington's socket carries the same entry without a byte of the
// inject's body, subject, originator or salt (every raw frame it receives is recorded and searched) and its
// client verifies the chain to the end; after ENDEX a waiting submit is refused EXERCISE_ENDED once, for
// good, and the line is reported closed.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HotlineClient } from '../../client/client.js';
import type { SocketFactory, SocketLike } from '../../client/connection.js';
import type { ExerciseStatus } from '../../client/exercise-status.js';
import { TrainerApi } from '../../client/trainer-api.js';
import type { Entry } from '../../shared/entry.js';
import type { Scenario } from '../../shared/scenario.js';
import { frameText } from '../helpers/raw-console.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

const BODY_ZH = '南海巡逻编队报告：对方驱逐舰在 300 米内横越我舰艏。编号 8841。';
const BODY_EN = 'South Sea patrol reports a destroyer crossing our bow within 300 m. Ref 8841.';
const SUBJECT_ZH = '危险接近 7719';
const SUBJECT_EN = 'Unsafe approach 7719';
const FROM_ZH = '南部战区海军 5503';
const FROM_EN = 'Southern Theater Navy 5503';

function scenario(): Scenario {
  return {
    format: 'hotline-scenario',
    v: 1,
    title: 'Client inject test',
    injects: [
      {
        id: 'INJ-07',
        at: 'manual',
        to: 'beijing',
        from: { zh: FROM_ZH, en: FROM_EN },
        precedence: 'FLASH',
        subject: { zh: SUBJECT_ZH, en: SUBJECT_EN },
        body: { zh: BODY_ZH, en: BODY_EN },
        expectedAction: 'Call Washington at once.',
      },
    ],
  };
}

interface Wire {
  dir: 'in' | 'out';
  text: string;
}

/** A ws socket factory that records every text frame, byte for byte, in both directions. */
function recordingSocket(log: Wire[]): SocketFactory {
  return (url, protocol) => {
    const ws = new WebSocket(url, protocol, { maxPayload: 1024 * 1024 });
    ws.on('message', (data) => log.push({ dir: 'in', text: frameText(data) }));
    const send = ws.send.bind(ws);
    const socket = ws as unknown as SocketLike;
    socket.send = (data: string) => {
      log.push({ dir: 'out', text: data });
      send(data);
    };
    return socket;
  };
}

const submitsOf = (log: Wire[], id: string) =>
  log
    .filter((w) => w.dir === 'out' && w.text.includes('"submit"'))
    .filter((w) => {
      const jws = (JSON.parse(w.text) as { jws: string }).jws;
      return (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { id: string }).id === id;
    }).length;

describe('exercise injects at real consoles', () => {
  let relay: TestRelay;
  const clients: HotlineClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await relay.cleanup();
  });

  it('reach only their station, are receipted like messages, and ENDEX closes the line for good', async () => {
    relay = await startTestRelay();
    const trainer = new TrainerApi(relay.url, { secret: relay.newTrainerSecret!, name: 'Controller Zhao' });
    const bjWire: Wire[] = [];
    const dcWire: Wire[] = [];
    const bj = await enrolClient(relay, 'beijing', { socket: recordingSocket(bjWire) });
    const dc = await enrolClient(relay, 'washington', { socket: recordingSocket(dcWire) });
    clients.push(bj, dc);
    const bjEntries: Entry[] = [];
    bj.on('entry', (a) => bjEntries.push(a.entry));
    const phases: ExerciseStatus[] = [];
    bj.on('exercise', (s) => phases.push(s));
    bj.start();
    dc.start();
    await until(() => bj.link.state === 'open' && dc.link.state === 'open', 10_000, 'both consoles open');

    await trainer.loadScenario('dtl', scenario());
    await trainer.setState('dtl', { state: 'running', compression: 6 });
    await until(() => bj.exercise.phase === 'running', 10_000, 'STARTEX at Beijing');
    expect(phases.at(-1)).toMatchObject({ phase: 'running', compression: 6, last: { by: 'Controller Zhao' } });
    expect(bj.exerciseTime()).not.toBeNull();

    await trainer.injectCommand('dtl', 'INJ-07', 'fire');
    await until(() => bj.injects.list().length === 1, 10_000, 'the inject at Beijing');
    const view = bj.injects.list()[0]!;
    expect(view).toMatchObject({
      inject: 'INJ-07',
      to: 'beijing',
      precedence: 'FLASH',
      from: { zh: FROM_ZH, en: FROM_EN },
      subject: { zh: SUBJECT_ZH, en: SUBJECT_EN },
      body: { zh: BODY_ZH, en: BODY_EN },
    });
    expect(bj.traffic().map((i) => i.kind)).toEqual(['inject']);
    const entry = bjEntries.find((e) => e.kind === 'inject')!;
    expect(entry.hash).toBe(view.hash);
    const salt = entry.reveal!.salt;

    // `delivered` went out by itself; the operator acknowledges; both are in the verified log.
    await until(() => view.states.delivered !== undefined, 10_000, 'delivered');
    await bj.acknowledge(view.id, '已收到，正在处理');
    await until(() => bj.injects.get(view.id)?.states.acknowledged !== undefined, 10_000, 'acknowledged');
    expect(bj.injects.get(view.id)?.ackNote).toBe('已收到，正在处理');

    // Washington verified everything up to Beijing's acknowledgement, showing nothing of the inject.
    await until(() => dc.lastIdx >= bj.lastIdx, 10_000, 'Washington caught up');
    expect(dc.chain.injects.get(view.hash)).toMatchObject({ to: 'beijing' });
    expect(dc.chain.injects.get(view.hash)?.data).toBeUndefined();
    expect(dc.traffic()).toEqual([]);
    const received = dcWire.filter((w) => w.dir === 'in').map((w) => w.text);
    const all = received.join('\n');
    expect(all).toContain(entry.commit!);
    for (const secret of [BODY_ZH, BODY_EN, SUBJECT_ZH, SUBJECT_EN, FROM_ZH, FROM_EN, salt, '8841', '7719', '5503'])
      expect(all, `Washington received "${secret}"`).not.toContain(secret);
    // Nor in any escaped spelling: every frame, parsed, holds no reveal at all.
    expect(received.filter((t) => (JSON.parse(t) as { entry?: Entry }).entry?.reveal !== undefined)).toEqual([]);

    // Beijing goes offline with a message in its outbox; the trainer ends the exercise meanwhile.
    await bj.stop();
    const waiting = await bj.send({ precedence: 'FLASH', body: 'Request a call between ministers.' });
    await trainer.setState('dtl', { state: 'ended' });
    bj.start();
    await until(() => bj.conversation.messages.get(waiting.id)?.rejected !== undefined, 10_000, 'the refusal');
    expect(bj.conversation.messages.get(waiting.id)?.rejected).toMatchObject({ code: 'EXERCISE_ENDED' });
    expect(bj.outbox.items).toEqual([]);
    await until(() => bj.exercise.phase === 'ended', 10_000, 'ENDEX at Beijing');
    expect(bj.lineClosed).toBe(true);
    expect(phases.at(-1)).toMatchObject({ phase: 'ended', closed: true });
    await expect(bj.send({ body: 'After ENDEX.' })).rejects.toMatchObject({ code: 'EXERCISE_ENDED' });
    expect(submitsOf(bjWire, waiting.id)).toBe(1);

    // Reconnecting sends nothing again: the refusal was final.
    await bj.stop();
    const welcomed = bj.once('welcome');
    bj.start();
    await welcomed;
    await until(() => bj.lastIdx === dc.lastIdx && bj.exercise.phase === 'ended', 10_000, 'caught up again');
    expect(submitsOf(bjWire, waiting.id)).toBe(1);
  });
});
