// The line's procedures written into an offline run (RunLog) as the relay and the consoles write them, with real
// Ed25519 signatures: a second device per station (an operator key for call requests and their answers, a
// translator key for translations; both answer link tests), the relay's link tests, link-missed and
// call-expired entries, and a procedures entry with line settings. The devices' own seq counters keep their
// keys' sequences whole, so the whole log verifies (the RunLog's two first keys go on with theirs).
import { v7 as uuidv7 } from 'uuid';
import type { Entry } from '../../shared/entry.js';
import { TYP, type CallLevel, type Lang } from '../../shared/items.js';
import type { LineSettingsInput } from '../../shared/line-entries.js';
import { ACK_DEADLINE_MS } from '../../shared/precedence.js';
import type { LogKeys } from './log-fixture.js';
import { CONTROLLER, RunLog } from './replay-log.js';
import { TestKey } from './raw-console.js';

export type Station = 'beijing' | 'washington';
const OTHER: Record<Station, Station> = { beijing: 'washington', washington: 'beijing' };
const LANG: Record<Station, Lang> = { beijing: 'zh', washington: 'en' };

export interface Logged {
  entry: Entry;
  id: string;
}

type Device = 'operator' | 'translator';

export class LineWriter {
  readonly #seq = new Map<string, number>();

  private constructor(
    readonly log: RunLog,
    readonly devices: Record<Station, Record<Device, TestKey>>,
  ) {}

  /** Enrols a second operator device and a translator device for each station. */
  static async enrol(log: RunLog): Promise<LineWriter> {
    const devices = {} as Record<Station, Record<Device, TestKey>>;
    for (const station of ['beijing', 'washington'] as const) {
      const [operator, translator] = await Promise.all([TestKey.generate(), TestKey.generate()]);
      devices[station] = { operator, translator };
      await log.add('key-enrolled', {
        data: { kid: operator.kid, station, operator: `Call desk ${station}`, publicJwk: operator.publicJwk },
      });
      await log.add('key-enrolled', {
        data: {
          kid: translator.kid,
          station,
          operator: `Translator ${station}`,
          publicJwk: translator.publicJwk,
          role: 'translator',
        },
      });
    }
    return new LineWriter(log, devices);
  }

  /** Sets the time of the next entry, as RunLog.at does. */
  at(time: string | number): this {
    this.log.at(time);
    return this;
  }

  async #item(from: Station, device: Device, kind: 'call' | 'translation' | 'link-reply', fields: object) {
    const key = this.devices[from][device];
    const seq = this.#seq.get(key.kid) ?? 0;
    this.#seq.set(key.kid, seq + 1);
    const payload = {
      v: 1,
      id: uuidv7(),
      exercise: 'dtl',
      from,
      to: OTHER[from],
      seq,
      sentAt: new Date(this.log.now).toISOString(),
      type: kind,
      ...fields,
    };
    const typ = kind === 'call' ? TYP.call : kind === 'translation' ? TYP.translation : TYP.linkReply;
    const entry = await this.log.add(kind, { jws: await key.sign(payload, { typ }) });
    return { entry, id: payload.id };
  }

  /** The line settings (and the default deadlines), before STARTEX. */
  procedures(line: LineSettingsInput): Promise<Entry> {
    return this.log.add('procedures', { data: { ackDeadlinesMs: { ...ACK_DEADLINE_MS }, line, by: CONTROLLER } });
  }

  request(from: Station, level: CallLevel, subject: string, proposedAt: string): Promise<Logged> {
    return this.#item(from, 'operator', 'call', { action: 'request', level, subject, proposedAt });
  }

  accept(from: Station, request: Logged, callAt: string): Promise<Logged> {
    return this.#item(from, 'operator', 'call', {
      action: 'accept',
      ref: request.id,
      refHash: request.entry.hash,
      callAt,
    });
  }

  propose(from: Station, request: Logged, proposedAt: string, note?: string): Promise<Logged> {
    return this.#item(from, 'operator', 'call', {
      action: 'propose',
      ref: request.id,
      refHash: request.entry.hash,
      proposedAt,
      ...(note === undefined ? {} : { note }),
    });
  }

  decline(from: Station, request: Logged, note?: string): Promise<Logged> {
    return this.#item(from, 'operator', 'call', {
      action: 'decline',
      ref: request.id,
      refHash: request.entry.hash,
      ...(note === undefined ? {} : { note }),
    });
  }

  /** The relay's expiry of a call request awaiting `awaiting`, with the window in force. */
  expire(request: Logged, awaiting: Station, windowMs: number): Promise<Entry> {
    return this.log.add('call-expired', { data: { ref: request.id, refHash: request.entry.hash, awaiting, windowMs } });
  }

  /** The receiving station's translation of a message sent to it (by its translator device). */
  translate(by: Station, message: Logged, body: string, subject?: string): Promise<Logged> {
    return this.#item(by, 'translator', 'translation', {
      ref: message.id,
      refHash: message.entry.hash,
      lang: LANG[by],
      body,
      ...(subject === undefined ? {} : { subject }),
    });
  }

  async linkTest(to: Station, timeoutMs: number): Promise<Logged> {
    const id = uuidv7();
    return { entry: await this.log.add('link-test', { data: { id, to, timeoutMs } }), id };
  }

  linkReply(from: Station, test: Logged, device: Device = 'operator'): Promise<Logged> {
    return this.#item(from, device, 'link-reply', { ref: test.id, refHash: test.entry.hash });
  }

  linkMissed(to: Station, test: Logged): Promise<Entry> {
    return this.log.add('link-missed', { data: { ref: test.id, refHash: test.entry.hash, to } });
  }
}

const ms = (time: string) => Date.parse(`2026-11-29T${time}Z`);

/**
 * A run with every procedure, at times chosen so that test/report/line.test.ts and test/web/trainer-line.test.ts
 * can work out its figures by hand: line settings (10 min call window, a test every minute, 5 s to answer)
 * before STARTEX at 09:01:00 with 2x compression, ENDEX at 09:09:30. Call request A (Washington → Beijing,
 * 09:00:20) gets a counter-proposal at 09:02:00 and is accepted at 09:03:00; B (Beijing → Washington,
 * 09:03:30) expires at 09:08:30; C (Washington → Beijing, 09:04:00) is declined at 09:05:00; D (Beijing →
 * Washington, 09:06:00) is still open at ENDEX. Three messages, each translated by its receiver (after 30 s,
 * 120 s and 10 s). Five link tests: Beijing answers in 250 ms, misses one, answers in 300 ms; Washington
 * answers in 400 ms (its translator) and 1200 ms.
 */
export async function lineRun(keys: LogKeys) {
  const log = await RunLog.start(keys);
  const w = await LineWriter.enrol(log);
  const procedures = await w.procedures({
    callWindowMs: 600_000,
    linkTestIntervalMs: 60_000,
    linkTestTimeoutMs: 5_000,
  });
  const callA = await w
    .at('09:00:20')
    .request('washington', 'principal', 'Collision at sea', '2026-11-29T12:00:00.000Z');
  const t1 = await w.at('09:00:30').linkTest('beijing', 5_000);
  const r1 = await w.at(ms('09:00:30.250')).linkReply('beijing', t1);
  const t2 = await w.at('09:00:31').linkTest('washington', 5_000);
  const r2 = await w.at(ms('09:00:31.400')).linkReply('washington', t2, 'translator');
  const startex = await log.at('09:01:00').state('running', 2);
  const m1 = await log.at('09:01:10').message('beijing', { lang: 'zh', subject: '渔船', body: '请确认渔船位置。' });
  const x1 = await w
    .at('09:01:40')
    .translate('washington', m1, 'Please confirm the fishing boats’ position.', 'Fishing boats');
  const proposeA = await w.at('09:02:00').propose('beijing', callA, '2026-11-29T13:00:00.000Z', 'Minister travelling');
  const m2 = await log
    .at('09:02:30')
    .message('washington', { lang: 'en', subject: 'Position', body: 'Position follows.' });
  const acceptA = await w.at('09:03:00').accept('washington', callA, '2026-11-29T13:00:00.000Z');
  const callB = await w.at('09:03:30').request('beijing', 'working', 'Fishing vessels', '2026-11-29T15:00:00.000Z');
  const callC = await w.at('09:04:00').request('washington', 'deputy', 'Hotline test', '2026-11-29T16:00:00.000Z');
  const x2 = await w.at('09:04:30').translate('beijing', m2, '位置如下。');
  const declineC = await w.at('09:05:00').decline('beijing', callC, 'Not needed');
  const m3 = await log.at('09:05:10').message('washington', { lang: 'en', body: 'Thank you.' });
  const x3 = await w.at('09:05:20').translate('beijing', m3, '谢谢。');
  const callD = await w.at('09:06:00').request('beijing', 'principal', 'Follow-up', '2026-11-29T18:00:00.000Z');
  const t3 = await w.at('09:06:30').linkTest('beijing', 5_000);
  const t4 = await w.at('09:06:31').linkTest('washington', 5_000);
  const r4 = await w.at(ms('09:06:32.200')).linkReply('washington', t4);
  const missed3 = await w.at('09:06:36').linkMissed('beijing', t3);
  const t5 = await w.at('09:07:30').linkTest('beijing', 5_000);
  const r5 = await w.at(ms('09:07:30.300')).linkReply('beijing', t5);
  const expiredB = await w.at('09:08:30').expire(callB, 'washington', 600_000);
  const endex = await log.at('09:09:30').state('ended');
  return {
    log,
    w,
    procedures,
    startex,
    endex,
    calls: { callA, proposeA, acceptA, callB, expiredB, callC, declineC, callD },
    messages: { m1, m2, m3 },
    translations: { x1, x2, x3 },
    tests: { t1, r1, t2, r2, t3, missed3, t4, r4, t5, r5 },
  };
}
