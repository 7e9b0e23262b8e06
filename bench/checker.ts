// Correctness of one console pair after a run, from what each side actually saw. Pure and synchronous:
// signatures and hashes are proven separately (verify-logs.ts), this checks the stream itself:
// nothing lost, nothing duplicated, nothing out of order, and both sides saw the same log.

/** What the generator sent for one message of the pair's sender. */
export interface SentMessage {
  id: string;
  seq: number;
  jws: string;
  /** accepted frames received for it (exactly one is right). */
  accepted: number;
  /** rejected frames received for it. */
  rejected: number;
}

/** One entry frame as a console received it, reduced to what the checks need. */
export interface SeenEntry {
  idx: number;
  hash: string;
  kind: string;
  jws?: string;
  /** For message and receipt entries, from the signed payload. */
  id?: string;
  kid?: string;
  seq?: number;
  /** For receipts: the message they refer to. */
  ref?: string;
}

export interface PairLog {
  pair: number;
  senderKid: string;
  receiverKid: string;
  /** The sender's messages in submission order. */
  sent: SentMessage[];
  /** Entry frames in arrival order. */
  atReceiver: SeenEntry[];
  atSender: SeenEntry[];
  /** Whether the receiver answers every message with a `delivered` receipt. */
  receipts: boolean;
  /** Receipts the receiver submitted, and how many of them the relay accepted. */
  receiptsSubmitted: number;
  receiptsAccepted: number;
}

export type FaultKind =
  | 'lost'
  | 'duplicated'
  | 'reordered'
  | 'altered'
  | 'gap'
  | 'views-differ'
  | 'not-accepted'
  | 'accepted-twice'
  | 'receipt-lost'
  | 'receipt-duplicated'
  | 'receipt-not-accepted'
  | 'unexpected'
  | 'bad-signature'
  | 'chain';

export interface Fault {
  pair: number;
  kind: FaultKind;
  detail: string;
}

/** Keeps the report readable when everything breaks at once: at most this many faults per kind and pair. */
const MAX_PER_KIND = 5;

export interface PairCheck {
  pair: number;
  ok: boolean;
  /** Every fault, counted by kind. */
  counts: Partial<Record<FaultKind, number>>;
  /** The faults themselves, at most a few of each kind. */
  faults: Fault[];
}

export function checkPair(log: PairLog): PairCheck {
  const faults: Fault[] = [];
  const counts: Partial<Record<FaultKind, number>> = {};
  const fault = (kind: FaultKind, detail: string) => {
    const n = (counts[kind] ?? 0) + 1;
    counts[kind] = n;
    if (n <= MAX_PER_KIND) faults.push({ pair: log.pair, kind, detail });
  };

  checkContinuity(log.atReceiver, 'receiver', fault);
  checkContinuity(log.atSender, 'sender', fault);
  checkMessages(log, fault);
  if (log.receipts) checkReceipts(log, fault);
  checkViews(log, fault);
  return { pair: log.pair, ok: faults.length === 0, counts, faults };
}

type Report = (kind: FaultKind, detail: string) => void;

/** Entries must arrive with idx 0, 1, 2, ... each exactly once and in order. */
function checkContinuity(seen: SeenEntry[], side: string, fault: Report): void {
  const got = new Set<number>();
  let max = -1;
  for (const e of seen) {
    if (got.has(e.idx)) {
      fault('duplicated', `${side} received entry ${e.idx} twice`);
      continue;
    }
    if (e.idx < max) fault('reordered', `${side} received entry ${e.idx} after entry ${max}`);
    got.add(e.idx);
    max = Math.max(max, e.idx);
  }
  for (let i = 0; i <= max; i++)
    if (!got.has(i)) fault('gap', `${side} never received entry ${i} (it has later ones, up to ${max})`);
}

function checkMessages(log: PairLog, fault: Report): void {
  const sent = new Map(log.sent.map((m) => [m.id, m]));
  for (const m of log.sent) {
    if (m.accepted === 0)
      fault(
        'not-accepted',
        `message seq ${m.seq} (${m.id}) got no accepted frame${m.rejected ? ` (${m.rejected} rejected)` : ''}`,
      );
    if (m.accepted > 1) fault('accepted-twice', `message seq ${m.seq} (${m.id}) was accepted ${m.accepted} times`);
  }
  const delivered = new Set<string>();
  let lastSeq = -1;
  for (const e of log.atReceiver) {
    if (e.kind !== 'message' || e.kid !== log.senderKid) continue;
    const m = e.id === undefined ? undefined : sent.get(e.id);
    if (!m) {
      fault('unexpected', `receiver got message ${e.id ?? '?'} (entry ${e.idx}) that the sender never sent`);
      continue;
    }
    if (delivered.has(m.id)) {
      fault('duplicated', `receiver got message seq ${m.seq} (${m.id}) twice (again as entry ${e.idx})`);
      continue;
    }
    delivered.add(m.id);
    if (e.jws !== m.jws) fault('altered', `entry ${e.idx} does not carry the JWS exactly as sent for seq ${m.seq}`);
    if (e.seq !== m.seq)
      fault('altered', `entry ${e.idx} has seq ${String(e.seq)} for a message sent with seq ${m.seq}`);
    if (m.seq < lastSeq) fault('reordered', `receiver got seq ${m.seq} after seq ${lastSeq} (entry ${e.idx})`);
    lastSeq = Math.max(lastSeq, m.seq);
  }
  for (const m of log.sent)
    if (!delivered.has(m.id)) fault('lost', `message seq ${m.seq} (${m.id}) never reached the receiver`);
}

function checkReceipts(log: PairLog, fault: Report): void {
  const sentIds = new Set(log.sent.map((m) => m.id));
  const back = new Map<string, number>();
  let lastOrder = -1;
  const order = new Map(log.sent.map((m, i) => [m.id, i]));
  for (const e of log.atSender) {
    if (e.kind !== 'receipt' || e.kid !== log.receiverKid || e.ref === undefined) continue;
    if (!sentIds.has(e.ref)) {
      fault('unexpected', `sender got a receipt for ${e.ref}, which it never sent`);
      continue;
    }
    const n = (back.get(e.ref) ?? 0) + 1;
    back.set(e.ref, n);
    if (n === 2) fault('receipt-duplicated', `sender got a second delivered receipt for ${e.ref} (entry ${e.idx})`);
    const o = order.get(e.ref)!;
    if (n === 1 && o < lastOrder)
      fault('reordered', `sender got the receipt for message #${o} after the one for #${lastOrder}`);
    lastOrder = Math.max(lastOrder, o);
  }
  for (const m of log.sent)
    if (!back.has(m.id)) fault('receipt-lost', `no delivered receipt came back for seq ${m.seq} (${m.id})`);
  if (log.receiptsAccepted < log.receiptsSubmitted) {
    fault(
      'receipt-not-accepted',
      `${log.receiptsSubmitted - log.receiptsAccepted} of ${log.receiptsSubmitted} receipts were not accepted`,
    );
  }
}

/** Both consoles read the same exercise log: the same idx must carry the same hash on both sides. */
function checkViews(log: PairLog, fault: Report): void {
  const atReceiver = new Map(log.atReceiver.map((e) => [e.idx, e.hash]));
  for (const e of log.atSender) {
    const other = atReceiver.get(e.idx);
    if (other !== undefined && other !== e.hash)
      fault('views-differ', `entry ${e.idx} has hash ${e.hash} at the sender and ${other} at the receiver`);
  }
}
