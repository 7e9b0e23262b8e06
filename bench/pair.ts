// One console pair under load. The sender only sends messages, so their seq is known before the run and
// every message is signed ahead of time (sentAt is its scheduled time). The receiver answers each message
// with a `delivered` receipt, signed on arrival because it carries the log hash of the message's entry.
import { v7 as uuidv7 } from 'uuid';
import type { Entry } from '../shared/entry.js';
import { TYP, type Lang, type MessagePayload, type ReceiptPayload } from '../shared/items.js';
import type { BenchConsole } from './bench-client.js';
import { submitFrame } from './bench-client.js';
import type { PairLog, SeenEntry, SentMessage } from './checker.js';
import type { RunMeasures } from './measures.js';
import type { PlannedSend } from './scheduler.js';
import { decodePayload, verifyCompact } from './signer.js';

export interface PairOptions {
  receipts: boolean;
  /** The receiver checks each message's signature before its receipt, as a real console does. */
  verifyInline: boolean;
  bodyBytes: number;
  classification: string;
  lang: Lang;
}

const kids = new Map<string, string>();
/** The kid of a JWS, from its (cached) protected header. */
function kidOf(jws: string): string {
  const h = jws.slice(0, jws.indexOf('.'));
  let kid = kids.get(h);
  if (kid === undefined) {
    kid = (JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { kid: string }).kid;
    kids.set(h, kid);
  }
  return kid;
}

export function bodyText(bytes: number, label: string): string {
  const filler = ' The line is open; this is a scheduled latency test of the hotline relay.';
  let text = label;
  while (text.length < bytes) text += filler;
  return text.slice(0, Math.max(1, bytes));
}

export class BenchPair {
  readonly sent: SentMessage[] = [];
  readonly atReceiver: SeenEntry[] = [];
  readonly atSender: SeenEntry[] = [];
  /** Entries exactly as the receiver got them, for the after-the-fact chain and signature check. */
  readonly receiverEntries: Entry[] = [];
  /** Distinct relay checkpoints the sender received with its acceptances. */
  readonly checkpoints = new Set<string>();
  receiptsSubmitted = 0;
  receiptsAccepted = 0;
  #frames: string[] = [];
  #scheduled = new Float64Array(0);
  #warmup = new Uint8Array(0);
  readonly #byId = new Map<string, number>();
  #delivered = 0;
  #receiptsBack = 0;
  #accepted = 0;
  #fired = 0;

  constructor(
    readonly index: number,
    readonly sender: BenchConsole,
    readonly receiver: BenchConsole,
    private readonly measures: RunMeasures,
    private readonly options: PairOptions,
  ) {}

  /** Signs this pair's messages of the plan, in order. `wallStart` is the Date.now() of plan time 0. */
  presign(sends: readonly PlannedSend[], wallStart: number): void {
    const o = this.options;
    this.#scheduled = new Float64Array(sends.length);
    this.#warmup = new Uint8Array(sends.length);
    for (const s of sends) {
      const payload: MessagePayload = {
        v: 1,
        type: 'message',
        id: uuidv7(),
        exercise: this.sender.spec.exercise,
        from: this.sender.spec.station,
        to: this.receiver.spec.station,
        seq: this.sender.nextSeq + s.n,
        sentAt: new Date(wallStart + s.at).toISOString(),
        precedence: s.precedence,
        lang: o.lang,
        body: bodyText(o.bodyBytes, `Bench pair ${this.index} message ${s.n}.`),
        classification: o.classification,
      };
      const jws = this.sender.signer.sign(payload, TYP.message);
      this.#byId.set(payload.id, s.n);
      this.#warmup[s.n] = s.warmup ? 1 : 0;
      this.sent.push({ id: payload.id, seq: payload.seq, jws, accepted: 0, rejected: 0 });
      this.#frames.push(submitFrame(jws));
    }
    this.sender.nextSeq += sends.length;
  }

  /** Puts message n on the wire; `scheduled` is when the plan wanted it sent. */
  fire(n: number, scheduled: number): void {
    this.#scheduled[n] = scheduled;
    this.#fired++;
    this.sender.sendText(this.#frames[n]!);
    this.measures.sent(scheduled, performance.now(), this.#warmup[n] === 1);
  }

  get firedCount(): number {
    return this.#fired;
  }

  get acceptedCount(): number {
    return this.#accepted;
  }

  get receiptsBackCount(): number {
    return this.#receiptsBack;
  }

  /** Everything the plan sent has been accepted, delivered and (with receipts) answered. */
  get complete(): boolean {
    const n = this.sent.length;
    return this.#accepted >= n && this.#delivered >= n && (!this.options.receipts || this.#receiptsBack >= n);
  }

  onSenderEntry(entry: Entry, now: number): void {
    const seen: SeenEntry = { idx: entry.idx, hash: entry.hash, kind: entry.kind };
    if (entry.kind === 'receipt' && entry.jws) {
      const p = decodePayload<ReceiptPayload>(entry.jws);
      Object.assign(seen, { kid: kidOf(entry.jws), id: p.id, seq: p.seq, ref: p.ref });
      const n = this.#byId.get(p.ref);
      if (n !== undefined && p.kind === 'delivered') {
        this.#receiptsBack++;
        this.measures.record('receipt', this.#scheduled[n]!, now, this.#warmup[n] === 1);
      }
    }
    this.atSender.push(seen);
  }

  onReceiverEntry(entry: Entry, now: number): void {
    this.receiverEntries.push(entry);
    const seen: SeenEntry = { idx: entry.idx, hash: entry.hash, kind: entry.kind };
    this.atReceiver.push(seen);
    if (entry.kind !== 'message' || !entry.jws) return;
    const p = decodePayload<MessagePayload>(entry.jws);
    Object.assign(seen, { jws: entry.jws, kid: kidOf(entry.jws), id: p.id, seq: p.seq });
    const n = this.#byId.get(p.id);
    if (n === undefined) return;
    this.#delivered++;
    this.measures.record('delivered', this.#scheduled[n]!, now, this.#warmup[n] === 1);
    if (!this.options.receipts) return;
    if (this.options.verifyInline && !verifyCompact(entry.jws, this.sender.spec.key.publicKey)) {
      this.measures.error('BAD_SIGNATURE_AT_RECEIVER');
      return;
    }
    const receipt: ReceiptPayload = {
      v: 1,
      type: 'receipt',
      id: uuidv7(),
      exercise: this.receiver.spec.exercise,
      from: this.receiver.spec.station,
      to: this.sender.spec.station,
      seq: this.receiver.nextSeq++,
      sentAt: new Date().toISOString(),
      kind: 'delivered',
      ref: p.id,
      refHash: entry.hash,
    };
    this.receiver.submit(this.receiver.signer.sign(receipt, TYP.receipt));
    this.receiptsSubmitted++;
  }

  onSenderAccepted(id: string, checkpoint: string, now: number): void {
    const n = this.#byId.get(id);
    if (n === undefined) return this.measures.error('ACCEPTED_UNKNOWN_ID');
    const m = this.sent[n]!;
    m.accepted++;
    if (m.accepted === 1) {
      this.#accepted++;
      this.measures.record('accepted', this.#scheduled[n]!, now, this.#warmup[n] === 1);
    }
    if (checkpoint) this.checkpoints.add(checkpoint);
  }

  onReceiverAccepted(): void {
    this.receiptsAccepted++;
  }

  onRejected(code: string, id: string | undefined): void {
    this.measures.error(code);
    const n = id === undefined ? undefined : this.#byId.get(id);
    if (n !== undefined) this.sent[n]!.rejected++;
  }

  log(): PairLog {
    return {
      pair: this.index,
      senderKid: this.sender.kid,
      receiverKid: this.receiver.kid,
      sent: this.sent,
      atReceiver: this.atReceiver,
      atSender: this.atSender,
      receipts: this.options.receipts,
      receiptsSubmitted: this.receiptsSubmitted,
      receiptsAccepted: this.receiptsAccepted,
    };
  }
}
