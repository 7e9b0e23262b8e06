// The after-action report's figures computed a second time, for an end-to-end test to hold the report page
// to: from an export's JSON lines parsed here, with this file's own clock, statistics and formatting, by the
// rules docs/report.md states, and nothing of shared/report/ or shared/exercise-clock.ts. Each figure comes
// out as the text the page shows, so the test compares strings.

export interface RawEntry {
  idx: number;
  at: string;
  kind: string;
  hash: string;
  jws?: string;
  data?: Record<string, unknown>;
  to?: string;
  commit?: string;
  reveal?: { salt: string; data: Record<string, unknown> };
}

interface Station {
  id: string;
  name: string;
}

export interface ParsedExport {
  title: string;
  stations: Station[];
  entries: RawEntry[];
  /** The closing checkpoint's payload. */
  checkpoint: { idx: number; hash: string; at: string };
}

const payloadOf = <T>(jws: string): T => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as T;

export function parseExport(text: string): ParsedExport {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = JSON.parse(lines[0]!) as { exercise: { title: string; stations: Station[] } };
  const tail = JSON.parse(lines[lines.length - 1]!) as { checkpoint: string };
  return {
    title: header.exercise.title,
    stations: header.exercise.stations,
    entries: lines.slice(1, -1).map((l) => JSON.parse(l) as RawEntry),
    checkpoint: payloadOf(tail.checkpoint),
  };
}

// ---- time ------------------------------------------------------------------------------------------------

const ms = (iso: string) => Date.parse(iso);

/** Exercise state changes: from each one's time on, exercise time runs at `rate` (compression, or 0). */
interface Segment {
  at: number;
  state: string;
  rate: number;
}

function segments(x: ParsedExport): Segment[] {
  return x.entries
    .filter((e) => e.kind === 'exercise-state')
    .map((e) => {
      const state = String(e.data!['state']);
      return { at: ms(e.at), state, rate: state === 'running' ? Number(e.data!['compression'] ?? 1) : 0 };
    });
}

/** Time between `from` and `to` weighted by the rate in force: before the first state change `before`. */
function integrate(segs: Segment[], from: number, to: number, before: number): number {
  let total = 0;
  const bounds = [-Infinity, ...segs.map((s) => s.at), Infinity];
  for (let i = 0; i < bounds.length - 1; i++) {
    const rate = i === 0 ? before : segs[i - 1]!.rate;
    const a = Math.max(from, bounds[i]!);
    const b = Math.min(to, bounds[i + 1]!);
    if (b > a) total += (b - a) * rate;
  }
  return total;
}

export function exerciseMsAt(x: ParsedExport, at: number): number | null {
  const segs = segments(x);
  const start = segs.find((s) => s.state === 'running');
  return start === undefined || start.at > at ? null : integrate(segs, start.at, at, 0);
}

/** Line time: real before STARTEX, exercise time while running, none while paused or after ENDEX. */
export const lineMs = (x: ParsedExport, from: number, to: number) => integrate(segments(x), from, to, 1);

// ---- text as the report writes it ------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

export function duration(v: number | undefined): string {
  if (v === undefined) return '—';
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
  const s = Math.round(v / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

export function tPlus(v: number | null): string {
  if (v === null) return 'T−';
  const s = Math.floor(v / 1000);
  return `T+${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** A time in a table: the time of day when the log lies within one UTC day, else date and time. */
export function clockText(x: ParsedExport, at: number): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const oneDay = day(ms(x.entries[0]!.at)) === day(Math.max(ms(x.entries.at(-1)!.at), ms(x.checkpoint.at)));
  const iso = new Date(at).toISOString();
  return oneDay ? `${iso.slice(11, 19)}Z` : `${iso.slice(0, 19).replace('T', ' ')}Z`;
}

export const shortName = (x: ParsedExport, id: string) =>
  (x.stations.find((s) => s.id === id)?.name ?? id).split(' · ')[0]!;

// ---- items: messages and injects -------------------------------------------------------------------------

export const PRECEDENCES = ['FLASH', 'IMMEDIATE', 'PRIORITY', 'ROUTINE'] as const;
/** docs/report.md (ACP 121): FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h. */
const DEADLINE: Record<string, number> = {
  FLASH: 10 * 60_000,
  IMMEDIATE: 30 * 60_000,
  PRIORITY: 3 * 3_600_000,
  ROUTINE: 6 * 3_600_000,
};

export interface Item {
  kind: 'message' | 'inject';
  idx: number;
  at: number;
  from?: string;
  to: string;
  precedence: string;
  subject?: string;
  /** The MSEL id, for an inject. */
  inject?: string;
  delivered?: number;
  acknowledged?: { ms: number; line: number };
  outcome: 'met' | 'late' | 'missed' | 'open' | 'none';
}

export function items(x: ParsedExport): Item[] {
  const byHash = new Map<string, Item>();
  for (const e of x.entries) {
    const at = ms(e.at);
    if (e.kind === 'message') {
      const p = payloadOf<{ from: string; to: string; precedence: string; subject?: string }>(e.jws!);
      byHash.set(e.hash, { kind: 'message', idx: e.idx, at, ...p, outcome: 'none' });
    } else if (e.kind === 'inject') {
      const d = e.reveal!.data as { inject: string; precedence: string };
      byHash.set(e.hash, {
        kind: 'inject',
        idx: e.idx,
        at,
        to: e.to!,
        precedence: d.precedence,
        inject: d.inject,
        outcome: 'none',
      });
    } else if (e.kind === 'receipt') {
      const r = payloadOf<{ from: string; kind: string; refHash: string }>(e.jws!);
      const item = byHash.get(r.refHash);
      if (!item || r.from !== item.to) continue;
      if (r.kind === 'delivered') item.delivered ??= at - item.at;
      else item.acknowledged ??= { ms: at - item.at, line: lineMs(x, item.at, at) };
    }
  }
  const end = ms(x.checkpoint.at);
  return [...byHash.values()].map((i) => {
    const deadline = DEADLINE[i.precedence];
    if (deadline !== undefined) {
      if (i.acknowledged) i.outcome = i.acknowledged.line <= deadline ? 'met' : 'late';
      else i.outcome = lineMs(x, i.at, end) > deadline ? 'missed' : 'open';
    }
    return i;
  });
}

function statTexts(values: number[]): string[] {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return ['—', '—', '—'];
  const median = n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return [median, s[Math.ceil(0.9 * n) - 1]!, s[n - 1]!].map(duration);
}

export type Group = 'messages' | 'injects';
export const ROWS = [...PRECEDENCES, 'all'] as const;

/** One row of "Time to deliver and to acknowledge": items, delivered (count, median, p90, max), acknowledged. */
export function timesRow(all: Item[], group: Group, precedence: (typeof ROWS)[number]): string[] {
  const its = all.filter((i) => `${i.kind}s` === group && (precedence === 'all' || i.precedence === precedence));
  const delivered = its.flatMap((i) => (i.delivered === undefined ? [] : [i.delivered]));
  const acked = its.flatMap((i) => (i.acknowledged ? [i.acknowledged.ms] : []));
  return [its.length, delivered.length, ...statTexts(delivered), acked.length, ...statTexts(acked)].map(String);
}

/** "10 min", "3 h": whole hours in hours, as docs/report.md shows them. */
const deadlineText = (p: string) => {
  const ms = DEADLINE[p];
  if (ms === undefined) return p === 'all' ? '' : 'none';
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`;
};

/** One row of "Acknowledgement deadlines met and missed": deadline, met, late, never acknowledged, not yet due. */
export function deadlineRow(all: Item[], group: Group, precedence: (typeof ROWS)[number]): string[] {
  const its = all.filter((i) => `${i.kind}s` === group && (precedence === 'all' || i.precedence === precedence));
  const n = (o: Item['outcome']) => String(its.filter((i) => i.outcome === o).length);
  return [deadlineText(precedence), n('met'), n('late'), n('missed'), n('open')];
}

const OUTCOME = {
  met: 'met',
  late: 'missed (late)',
  missed: 'missed (never acknowledged)',
  open: 'not yet due',
  none: '—',
};

/** A row of "Every message and inject". */
export function itemRow(x: ParsedExport, i: Item): string[] {
  const who =
    i.kind === 'message' ? `${shortName(x, i.from!)} → ${shortName(x, i.to)}` : `inject → ${shortName(x, i.to)}`;
  return [
    String(i.idx),
    who,
    i.precedence,
    clockText(x, i.at),
    duration(i.delivered),
    duration(i.acknowledged?.ms),
    duration(i.acknowledged?.line),
    DEADLINE[i.precedence] === undefined ? '—' : deadlineText(i.precedence),
    OUTCOME[i.outcome],
  ];
}

const DEADLINE_WORDS = {
  met: 'within its deadline',
  late: 'after its deadline (missed)',
  missed: 'never: its deadline passed (missed)',
  open: 'not yet: its deadline had not passed at the end',
  none: '',
};

/** What the report says happened to a fired timed inject, line by line (whitespace as one space). */
export function injectLines(x: ParsedExport, all: Item[], inject: string): string[] {
  const i = all.find((it) => it.inject === inject);
  if (!i) return ['Never fired.'];
  const station = shortName(x, i.to);
  const words = DEADLINE_WORDS[i.outcome];
  const lines = [
    `Fired by the timer at ${clockText(x, i.at)} (${tPlus(exerciseMsAt(x, i.at))}, entry ${i.idx}).`,
    i.delivered === undefined ? 'No delivery receipt.' : `Delivered after ${duration(i.delivered)}.`,
    i.acknowledged
      ? `Acknowledged after ${duration(i.acknowledged.ms)} (line time ${duration(i.acknowledged.line)})${words ? `, ${words}` : ''}.`
      : `Not acknowledged${words ? ` (${words})` : ''}.`,
  ];
  const reply = all.find((m) => m.kind === 'message' && m.idx > i.idx && m.from === i.to);
  lines.push(
    reply
      ? `First message from ${station} after it: entry ${reply.idx} at ${clockText(x, reply.at)}, ${duration(reply.at - i.at)} later (line time ${duration(lineMs(x, i.at, reply.at))}), ${reply.precedence}${reply.subject ? ` “${reply.subject}”` : ''}.`
      : `No message from ${station} after it.`,
  );
  return lines;
}

// ---- the exercise overview and the verification statement -----------------------------------------------

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const kinds = (x: ParsedExport, kind: string) => x.entries.filter((e) => e.kind === kind);

/** The line's procedures in "In the log", when there are any: call requests, translations, link tests. */
function lineCounts(x: ParsedExport): string[] {
  const calls = kinds(x, 'call').filter((e) => payloadOf<{ action: string }>(e.jws!).action === 'request').length;
  const translations = kinds(x, 'translation').length;
  const tests = kinds(x, 'link-test').length;
  if (calls + translations + tests === 0) return [];
  const missed = kinds(x, 'link-missed').length;
  return [
    count(calls, 'call request'),
    count(translations, 'translation'),
    `${count(tests, 'link test')} (${missed} missed)`,
  ];
}

/** "In the log": entries, messages, receipts, injects fired of the MSEL's, notes, relay alarms. */
export function inTheLog(x: ParsedExport, mselSize: number): string {
  return [
    count(x.entries.length, 'entry', 'entries'),
    count(kinds(x, 'message').length, 'message'),
    count(kinds(x, 'receipt').length, 'receipt'),
    `${kinds(x, 'inject').length} of ${count(mselSize, 'inject')} fired`,
    count(kinds(x, 'note').length, 'note'),
    count(kinds(x, 'alarm').length, 'relay alarm'),
    ...lineCounts(x),
  ].join(', ');
}

/** "Duration": STARTEX to ENDEX in real time, and the exercise time reached. */
export function durationLine(x: ParsedExport): string {
  const segs = segments(x);
  const start = segs.find((s) => s.state === 'running')!.at;
  const end = segs.find((s) => s.state === 'ended')!.at;
  return `${duration(end - start)} real time; exercise time reached ${tPlus(exerciseMsAt(x, ms(x.checkpoint.at)))}`;
}

/** "Pauses": how many, their total real time (each to the next state change), by whom. */
export function pausesLine(x: ParsedExport): string {
  const states = kinds(x, 'exercise-state');
  const pauses = states.flatMap((e, i) => (e.data!['state'] === 'paused' ? [[e, states[i + 1]] as const] : []));
  const total = pauses.reduce((sum, [p, next]) => sum + ms(next?.at ?? x.checkpoint.at) - ms(p.at), 0);
  const by = [...new Set(pauses.map(([p]) => String(p.data!['by'])))];
  return pauses.length ? `${pauses.length} (${duration(total)} in all), by ${by.join(', ')}` : 'None';
}

export function verificationStatement(x: ParsedExport): string {
  const messages = kinds(x, 'message').length;
  const receipts = kinds(x, 'receipt').length;
  // The line's signed items (calls, translations, link replies) are console signatures too, named when present.
  const line = kinds(x, 'call').length + kinds(x, 'translation').length + kinds(x, 'link-reply').length;
  const priv = x.entries.filter((e) => e.commit !== undefined);
  return (
    `This report was computed from the exported log alone, after the whole file verified: ${x.entries.length} ` +
    `entries verified (hash chain from entry 0 to entry ${x.entries.at(-1)!.idx}), ${messages + receipts + line} console ` +
    `signatures verified (${messages} messages, ${receipts} receipts${line ? `, ${line} line procedure items` : ''}) ` +
    `against ${kinds(x, 'key-enrolled').length} ` +
    `keys enrolled in the same log, ${priv.filter((e) => e.reveal).length} of ${priv.length} private entries ` +
    `opened and matched to their commitments, and the relay’s closing checkpoint verified.`
  );
}
