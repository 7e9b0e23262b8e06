// Honest logs and exports built offline with real Ed25519 signatures, as a relay would write them: entry 0,
// two enrolled keys, messages and receipts signed by the consoles, a note, and the relay's closing checkpoint.
import { GENESIS_PREV, hashEntry, type Entry, type EntryBody, type EntryKind } from '../../shared/entry.js';
import { EXPORT_FORMAT, exportLines, type ExportHeader } from '../../shared/export.js';
import { TYP, type MessagePayload } from '../../shared/items.js';
import { signJws } from '../../shared/jws.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { message, receipt, TestKey } from '../helpers/raw-console.js';

export interface LogKeys {
  relay: TestKey;
  beijing: TestKey;
  washington: TestKey;
}

export async function logKeys(): Promise<LogKeys> {
  const [relay, beijing, washington] = await Promise.all([TestKey.generate(), TestKey.generate(), TestKey.generate()]);
  return { relay, beijing, washington };
}

const START = Date.parse('2026-11-29T09:00:00.000Z');

/** An export file of `entries` as the relay writes it: header, entries, the relay's checkpoint of the last
 * entry; each line ends in \n. */
export async function exportFile(keys: LogKeys, entries: Entry[], exportedAt: string): Promise<string> {
  const last = entries[entries.length - 1]!;
  const relay = keys.relay;
  const checkpoint = await signJws(
    { exercise: 'dtl', idx: last.idx, hash: last.hash, at: last.at },
    relay.privateKey,
    relay.kid,
    TYP.checkpoint,
  );
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    v: 1,
    exportedAt,
    exercise: DEFAULT_EXERCISE,
    relay: { kid: relay.kid, publicJwk: relay.publicJwk },
  };
  return `${exportLines(header, entries, checkpoint).join('\n')}\n`;
}

/** Appends entries with correct idx, prev, at and hash. */
export class LogBuilder {
  readonly entries: Entry[] = [];

  constructor(readonly keys: LogKeys) {}

  async add(kind: EntryKind, content: { jws?: string; data?: Record<string, unknown> }): Promise<Entry> {
    const idx = this.entries.length;
    const body: EntryBody = {
      idx,
      prev: idx === 0 ? GENESIS_PREV : this.entries[idx - 1]!.hash,
      at: new Date(START + idx * 1000).toISOString(),
      kind,
      ...content,
    };
    const entry = { ...body, hash: await hashEntry(body) };
    this.entries.push(entry);
    return entry;
  }

  /** Entry 0 and both keys, operators named as given. */
  static async start(keys: LogKeys, operators: [string, string] = ['Duty officer Li', 'Duty officer Smith']) {
    const log = new LogBuilder(keys);
    await log.add('exercise-created', { data: { exercise: DEFAULT_EXERCISE, relayKid: keys.relay.kid } });
    for (const [i, station] of (['beijing', 'washington'] as const).entries()) {
      const k = keys[station];
      await log.add('key-enrolled', {
        data: { kid: k.kid, station, operator: operators[i]!, publicJwk: k.publicJwk },
      });
    }
    return log;
  }

  #seq = { beijing: 0, washington: 0 };

  /** A message from Beijing to Washington (a signed JWS, or one given as is). */
  async message(over: Partial<MessagePayload> = {}, jws?: string): Promise<{ entry: Entry; payload: MessagePayload }> {
    const payload = message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: this.#seq.beijing, ...over });
    const entry = await this.add('message', { jws: jws ?? (await this.keys.beijing.sign(payload)) });
    this.#seq.beijing++;
    return { entry, payload };
  }

  /** Washington's receipt for a logged message. */
  async receipt(of: { entry: Entry; payload: MessagePayload }, note?: string): Promise<Entry> {
    const payload = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: this.#seq.washington,
      ref: of.payload.id,
      refHash: of.entry.hash,
      kind: note === undefined ? 'delivered' : 'acknowledged',
      ...(note === undefined ? {} : { note }),
    });
    const entry = await this.add('receipt', { jws: await this.keys.washington.sign(payload, { typ: TYP.receipt }) });
    this.#seq.washington++;
    return entry;
  }

  /** The export file: header, entries, the relay's checkpoint of the last entry; each line ends in \n. */
  exportText(): Promise<string> {
    return exportFile(this.keys, this.entries, '2026-11-29T10:00:00.000Z');
  }
}

/** A short honest log: a message, its delivery and acknowledgement, and a second message. */
export async function honestLog(keys: LogKeys, bodies: [string, string] = ['Line check.', '收到 🚨']) {
  const log = await LogBuilder.start(keys);
  const first = await log.message({ body: bodies[0] });
  await log.receipt(first);
  await log.receipt(first, 'Acknowledged.');
  await log.message({ body: bodies[1] });
  return log;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export const part = (jws: string, i: number): string => jws.split('.')[i]!;
export const withPart = (jws: string, i: number, value: string): string =>
  jws
    .split('.')
    .map((p, j) => (j === i ? value : p))
    .join('.');

/** The same bytes with the lowest unused bit of the last character set: a second spelling of one value. */
export function nonCanonical(b64: string): string {
  if (b64.length % 4 === 0) throw new Error('no spare bits in a length that is a multiple of 4');
  const last = ALPHABET.indexOf(b64[b64.length - 1]!);
  return b64.slice(0, -1) + ALPHABET[last ^ 1]!;
}

/** A payload whose JSON length leaves spare bits in its base64url (a length that is not a multiple of 3). */
export function oddLength<T extends { body: string }>(payload: T): T {
  const p = { ...payload };
  while (JSON.stringify(p).length % 3 === 0) p.body += '.';
  return p;
}

/** A header JSON text of that key, padded with spaces so that its base64url has spare bits. */
export function oddHeader(kid: string, typ: string = TYP.message): string {
  let header = JSON.stringify({ alg: 'Ed25519', kid, typ });
  while (header.length % 3 === 0) header += ' ';
  return header;
}
