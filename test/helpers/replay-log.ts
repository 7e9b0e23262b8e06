// An exercise run written offline as the relay writes it, with times the test chooses: STARTEX with a time
// compression, injects private to one station (commit = commitmentOf(reveal), the content beside the hash),
// the target station's receipts for them, trainer notes and control entries private to exercise control,
// a pause, a resume and ENDEX, and the relay's closing checkpoint. Real Ed25519 signatures throughout; the
// export verifies in full (test/web/replay-model.test.ts, test/cli/replay.e2e.test.ts, the replay browser test).
import { v7 as uuidv7 } from 'uuid';
import { GENESIS_PREV, hashEntry, type Entry, type EntryBody, type EntryKind } from '../../shared/entry.js';
import { TYP, type MessagePayload } from '../../shared/items.js';
import { commitmentOf, newSalt } from '../../shared/private.js';
import type { InjectData } from '../../shared/run-entries.js';
import { SCENARIO_FORMAT, type Scenario } from '../../shared/scenario.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { exportFile, type LogKeys } from './log-fixture.js';
import { message, receipt } from './raw-console.js';

type Station = 'beijing' | 'washington';
const OTHER: Record<Station, Station> = { beijing: 'washington', washington: 'beijing' };
export const CONTROLLER = 'Controller Wu';

export class RunLog {
  readonly entries: Entry[] = [];
  /** The `at` of the next entry (ms); each entry moves it on by a second unless the test sets it. */
  now: number;
  readonly #seq: Record<Station, number> = { beijing: 0, washington: 0 };

  constructor(
    readonly keys: LogKeys,
    start = Date.parse('2026-11-29T09:00:00.000Z'),
  ) {
    this.now = start;
  }

  /** Sets the time of the next entry ("09:03:00" on the log's day, or ms). */
  at(time: string | number): this {
    this.now =
      typeof time === 'number' ? time : Date.parse(`${new Date(this.now).toISOString().slice(0, 10)}T${time}.000Z`);
    return this;
  }

  async add(kind: EntryKind, content: Omit<EntryBody, 'idx' | 'prev' | 'at' | 'kind'> & Pick<Entry, 'reveal'>) {
    const { reveal, ...fields } = content;
    const idx = this.entries.length;
    const body: EntryBody = {
      idx,
      prev: idx === 0 ? GENESIS_PREV : this.entries[idx - 1]!.hash,
      at: new Date(this.now).toISOString(),
      kind,
      ...fields,
    };
    const entry: Entry = { ...body, hash: await hashEntry(body), ...(reveal ? { reveal } : {}) };
    this.entries.push(entry);
    this.now += 1000;
    return entry;
  }

  /** Entry 0 and both keys. */
  static async start(keys: LogKeys): Promise<RunLog> {
    const log = new RunLog(keys);
    await log.add('exercise-created', { data: { exercise: DEFAULT_EXERCISE, relayKid: keys.relay.kid } });
    for (const [station, operator] of [
      ['beijing', 'Duty officer Li'],
      ['washington', 'Duty officer Smith'],
    ] as const) {
      const k = keys[station];
      await log.add('key-enrolled', { data: { kid: k.kid, station, operator, publicJwk: k.publicJwk } });
    }
    return log;
  }

  /** A private entry: the hash covers the commitment; the content travels beside it. */
  async private(kind: EntryKind, data: Record<string, unknown>, to?: Station): Promise<Entry> {
    const reveal = { salt: newSalt(), data };
    return this.add(kind, { commit: await commitmentOf(reveal), reveal, ...(to ? { to } : {}) });
  }

  state(state: 'running' | 'paused' | 'ended', compression?: number): Promise<Entry> {
    return this.add('exercise-state', {
      data: { state, by: CONTROLLER, ...(compression === undefined ? {} : { compression }) },
    });
  }

  async message(from: Station, over: Partial<MessagePayload> = {}): Promise<{ entry: Entry; id: string }> {
    const payload = message({ exercise: 'dtl', from, to: OTHER[from], seq: this.#seq[from]++, ...over });
    const entry = await this.add('message', { jws: await this.keys[from].sign(payload) });
    return { entry, id: payload.id };
  }

  /** `from`'s receipt of a message or an inject (ref = its id, refHash = its entry's hash). */
  async receipt(from: Station, of: { entry: Entry; id: string }, kind: 'delivered' | 'acknowledged', note?: string) {
    const payload = receipt({
      exercise: 'dtl',
      from,
      to: OTHER[from],
      seq: this.#seq[from]++,
      ref: of.id,
      refHash: of.entry.hash,
      kind,
      ...(note === undefined ? {} : { note }),
    });
    return this.add('receipt', { jws: await this.keys[from].sign(payload, { typ: TYP.receipt }) });
  }

  async inject(to: Station, over: Partial<InjectData> & Pick<InjectData, 'inject'>) {
    const data: InjectData = {
      id: uuidv7(),
      from: { zh: '东部战区', en: 'Eastern Theater Command' },
      precedence: 'FLASH',
      subject: { zh: '不明船只', en: 'Unidentified vessel' },
      body: { zh: '一艘不明船只进入演习区域。', en: 'An unidentified vessel entered the exercise area.' },
      ...over,
    };
    const entry = await this.private('inject', data as unknown as Record<string, unknown>, to);
    return { entry, id: data.id, data };
  }

  note(text: string, ref?: number): Promise<Entry> {
    return this.private('note', { text, by: CONTROLLER, ...(ref === undefined ? {} : { ref }) });
  }

  /** The export file: header, entries (with their reveals), the relay's checkpoint of the last entry. */
  exportText(): Promise<string> {
    return exportFile(this.keys, this.entries, new Date(this.now).toISOString());
  }
}

export const SCENARIO: Scenario = {
  format: SCENARIO_FORMAT,
  v: 1,
  title: 'Incident at sea',
  compression: 6,
  injects: [
    {
      id: 'INJ-01',
      at: '00:12:00',
      to: 'beijing',
      from: { zh: '东部战区', en: 'Eastern Theater Command' },
      precedence: 'FLASH',
      body: { zh: '一艘不明船只进入演习区域。' },
      expectedAction: 'Beijing calls Washington within 10 minutes.',
      controllerNotes: 'Watch for the first message.',
    },
    {
      id: 'INJ-02',
      at: 'manual',
      to: 'washington',
      from: { en: 'Wire service' },
      precedence: 'IMMEDIATE',
      body: { en: 'A wire story reports a collision.' },
      expectedAction: 'Washington asks Beijing to confirm.',
    },
  ],
};

/**
 * The run the replay tests play: a scenario, STARTEX at 09:01:00 with 6x compression, an inject for Beijing
 * at 09:03:00 (T+00:12:00) that Beijing acknowledges and answers, a note, a pause from 09:05:00 to 09:10:00
 * (the clock stands at T+00:24:00), an inject for Washington fired by hand at 09:11:00 (T+00:30:00), traffic,
 * ENDEX at 09:12:00 (T+00:36:00).
 */
export async function exerciseRun(keys: LogKeys) {
  const log = await RunLog.start(keys);
  await log.private('scenario', { scenario: SCENARIO, by: CONTROLLER });
  const startex = await log.at('09:01:00').state('running', 6);
  const inj1 = await log.at('09:03:00').inject('beijing', { inject: 'INJ-01' });
  await log.receipt('beijing', inj1, 'delivered');
  await log.at('09:04:00').receipt('beijing', inj1, 'acknowledged', '收到');
  const reply = await log.message('beijing', {
    precedence: 'FLASH',
    lang: 'zh',
    subject: '请求通话',
    body: '请求立即通话。',
  });
  await log.receipt('washington', reply, 'delivered');
  const note = await log.note('Beijing answered INJ-01 within a minute of acknowledging it.', inj1.entry.idx);
  const pause = await log.at('09:05:00').state('paused');
  const resume = await log.at('09:10:00').state('running');
  await log.private('inject-control', { action: 'fire', inject: 'INJ-02', by: CONTROLLER });
  const inj2 = await log.at('09:11:00').inject('washington', {
    inject: 'INJ-02',
    from: { en: 'Wire service' },
    precedence: 'IMMEDIATE',
    subject: { en: 'Collision reported' },
    body: { en: 'A wire story reports a collision between two vessels.' },
  });
  await log.receipt('washington', inj2, 'delivered');
  const ask = await log.message('washington', {
    precedence: 'IMMEDIATE',
    subject: 'Confirm',
    body: 'Please confirm the report.',
  });
  await log.receipt('beijing', ask, 'delivered');
  await log.receipt('beijing', ask, 'acknowledged', 'Checking');
  const endex = await log.at('09:12:00').state('ended');
  return { log, startex, inj1, reply, note, pause, resume, inj2, ask, endex };
}
