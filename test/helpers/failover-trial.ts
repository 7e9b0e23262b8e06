// One kill -9 failover trial between two relays on one PostgreSQL database, shared by the e2e test
// (test/client/failover-postgres.e2e.test.ts) and the trials script (test/chaos/failover.ts). Relays A and B run
// in child processes with one key file and one trainer secret; Beijing and Washington exchange messages at
// a steady rate (each sends, each one's delivered receipts go back); A is killed with SIGKILL mid-stream,
// a burst just sent and not yet answered; the consoles on A fail over to B by themselves. Measured: the
// time from the kill to each console's next welcome and to its next entry through B ("streaming again");
// checked: B's export holds every message once and in order, each delivered once, and verifies.
// No vitest here: the script runs it on its own.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HotlineClient } from '../../client/client.js';
import type { BackoffOptions } from '../../client/connection.js';
import { verifyExport } from '../../shared/export.js';
import { alive, spawnRelay, type ChildRelay } from './child-relay.js';
import { messagesOf, parseExport, receiptCounts, watchTrouble } from './durability.js';
import { lostFrom, type Acknowledged } from './kill-trials.js';
import { enrolClient, until } from './relay.js';

/** `same`: both consoles on A (case 1). `split`: Beijing on A, Washington on B, which never loses its link. */
export type FailoverCase = 'same' | 'split';

export interface TrialOptions {
  /** The trial's own database (a postgres:// URL), empty. */
  store: string;
  /** A fresh directory: the relays' data directories and their shared key file go in it. */
  dir: string;
  case: FailoverCase;
  /** Messages per second, both consoles together. */
  rate?: number;
  /** Steady load before the kill, and after it. */
  beforeMs?: number;
  afterMs?: number;
  /** Messages Beijing sends right before the kill without waiting for their answers: in flight at the kill. */
  burst?: number;
  /** The consoles' backoff; by default the reference client's own, so the times are what a console does. */
  backoff?: BackoffOptions;
  /** Bound on each wait (welcome, drain, delivery). */
  timeoutMs?: number;
}

export interface ConsoleTimes {
  station: string;
  /** Whether its link was on the killed relay. */
  affected: boolean;
  /** From the kill to its next welcome (affected consoles only). */
  welcomeMs?: number;
  /** From the kill to the first entry it verified after the kill through the other relay. */
  streamingMs: number;
  /** Welcomes after its first one: 0 for a console that never lost its link. */
  rewelcomes: number;
}

export interface TrialResult {
  case: FailoverCase;
  consoles: ConsoleTimes[];
  /** Messages sent, and of them still unanswered in the outboxes at the kill. */
  sent: number;
  inFlight: number;
  /** Items a console saw accepted that are not in B's log at the idx and hash it was given, plus messages
   * sent and not in the log at all. */
  lost: string[];
  /** Extra copies of a message or of a delivered receipt in the log. */
  duplicates: number;
  /** Each console's messages are not in the log in the order sent. */
  misordered: boolean;
  /** Messages without a delivered receipt in the log. */
  undelivered: number;
  /** The first fault of the export's verification, if any. */
  fault: string | undefined;
  /** Both consoles verified the same chain, up to the export's last entry. */
  chainsEqual: boolean;
  alarms: number;
  rejected: number;
  /** Time for the killed relay, started again on the same database, port and key, to say ready. */
  restartMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Relay A (makes the key file and the trainer secret) then relay B with both, on one database. */
async function startRelays(o: TrialOptions): Promise<[ChildRelay, ChildRelay]> {
  const shared = { store: o.store, relayKeyFile: path.join(o.dir, 'relay-key.jwk') };
  const a = await spawnRelay(path.join(o.dir, 'a'), 0, shared);
  const b = await spawnRelay(path.join(o.dir, 'b'), 0, { ...shared, trainerSecret: a.secret });
  return [a, b];
}

/** Records, per console, when it was welcomed and when it applied an entry through `viaUrl`, after `since`. */
function watchTimes(c: HotlineClient, viaUrl: string) {
  const t = { welcomes: 0, welcomeAt: undefined as number | undefined, entryAt: undefined as number | undefined };
  let since = Infinity;
  c.on('welcome', () => {
    t.welcomes += 1;
    if (t.welcomeAt === undefined && performance.now() >= since) t.welcomeAt = performance.now();
  });
  c.on('entry', () => {
    const onVia = c.link.state === 'open' && c.link.url === viaUrl;
    if (t.entryAt === undefined && onVia && performance.now() >= since) t.entryAt = performance.now();
  });
  return { t, from: (at: number) => (since = at) };
}

export async function runFailoverTrial(o: TrialOptions): Promise<TrialResult> {
  const rate = o.rate ?? 50;
  const timeoutMs = o.timeoutMs ?? 20_000;
  const [a, b] = await startRelays(o);
  const backoff = o.backoff ?? { baseMs: 250, maxMs: 15_000 };
  const onA = { url: a.url, issueCode: (s: string) => a.issueCode(s) };
  // Enrolled through B with a code from A: one trainer secret opens both.
  const onB = { url: b.url, issueCode: (s: string) => a.issueCode(s) };
  const beijing = await enrolClient(onA, 'beijing', { alternates: [b.url], backoff });
  const washington =
    o.case === 'same'
      ? await enrolClient(onA, 'washington', { alternates: [b.url], backoff })
      : await enrolClient(onB, 'washington', { alternates: [a.url], backoff });
  const pair = [beijing, washington];
  const trouble = watchTrouble(beijing, washington);
  const watches = pair.map((c) => watchTimes(c, b.url));
  const accepted: Acknowledged = new Map();
  const sent = new Map<HotlineClient, string[]>(pair.map((c) => [c, []]));
  for (const c of pair)
    c.on('message', (v) => {
      if (v.direction === 'out' && v.idx !== undefined && v.hash !== undefined && !accepted.has(v.id))
        accepted.set(v.id, { idx: v.idx, hash: v.hash });
    });
  const send = async (from: HotlineClient, body: string) => sent.get(from)!.push((await from.send({ body })).id);
  let stop = false;
  let again: ChildRelay | undefined;
  try {
    for (const c of pair) c.start();
    await until(() => beijing.peerOnline && washington.peerOnline, timeoutMs, 'presence');
    const load = (async () => {
      const t0 = performance.now();
      for (let i = 0; !stop; i++) {
        await send(i % 2 ? washington : beijing, `steady ${i}`);
        await sleep(t0 + ((i + 1) * 1000) / rate - performance.now());
      }
    })();
    load.catch(() => undefined); // Awaited below; this only keeps an early failure from going unhandled.
    await sleep(o.beforeMs ?? 1500);
    for (let i = 0; i < (o.burst ?? 5); i++) await send(beijing, `in flight ${i}`);
    const inFlight = beijing.outbox.items.length + washington.outbox.items.length;
    const killedAt = performance.now();
    for (const w of watches) w.from(killedAt);
    process.kill(a.pid, 'SIGKILL');
    await a.exited;
    const affected = pair.map((c) => o.case === 'same' || c === beijing);
    await until(
      () => watches.every((w, i) => w.t.entryAt !== undefined && (!affected[i] || w.t.welcomeAt !== undefined)),
      timeoutMs,
      'every console streaming through B',
    );
    await sleep(o.afterMs ?? 1500);
    stop = true;
    await load;

    const all = [...sent.values()].flat();
    const delivered = (c: HotlineClient, id: string) => c.conversation.messages.get(id)?.states.delivered !== undefined;
    const drained = () => pair.every((c) => c.outbox.items.length === 0);
    await until(drained, timeoutMs, 'every outbox drained on B');
    await until(() => pair.every((c) => sent.get(c)!.every((id) => delivered(c, id))), timeoutMs, 'all delivered');
    await until(drained, timeoutMs, 'every receipt accepted');

    const res = await b.api<string>('GET', '/v1/exercises/dtl/export', undefined, await b.trainerToken());
    if (res.status !== 200) throw new Error(`export from B: ${res.status}`);
    const held = pair.map((c) => c.outbox.checkpoint).filter((c): c is string => c !== null);
    const report = await verifyExport(res.body, { checkpoints: held });
    const log = parseExport(res.body);
    const lost = lostFrom(log, accepted);
    let duplicates = 0;
    let misordered = false;
    for (const [c, ids] of sent) {
      const mine = messagesOf(log, c.identity.kid).map((m) => m.id);
      const once = [...new Set(mine)];
      duplicates += mine.length - once.length;
      lost.push(...ids.filter((id) => !once.includes(id)));
      if (once.join() !== ids.join()) misordered = true;
    }
    const receipts = receiptCounts(log, 'delivered');
    for (const n of receipts.values()) duplicates += Math.max(0, n - 1);
    const chainsEqual = await until(
      () => pair.every((c) => c.lastIdx === log.length - 1),
      timeoutMs,
      'both consoles verified the whole log',
    ).then(
      () =>
        beijing.chain.hashes.join() === washington.chain.hashes.join() &&
        pair.every((c) => c.chain.hashes.length === log.length && c.chain.hashes.at(-1) === log.at(-1)!.entry.hash),
      () => false,
    );

    // The killed relay comes back on the same database, port and key, and says ready.
    const restartedAt = performance.now();
    again = await spawnRelay(path.join(o.dir, 'a'), a.port, {
      store: o.store,
      relayKeyFile: path.join(o.dir, 'relay-key.jwk'),
      trainerSecret: a.secret,
    });
    const restarted = again;
    await until(async () => (await restarted.api('GET', '/readyz')).status === 200, timeoutMs, 'A ready again');
    const restartMs = performance.now() - restartedAt;

    return {
      case: o.case,
      consoles: pair.map((c, i) => ({
        station: c.station,
        affected: affected[i]!,
        ...(affected[i] ? { welcomeMs: watches[i]!.t.welcomeAt! - killedAt } : {}),
        streamingMs: watches[i]!.t.entryAt! - killedAt,
        rewelcomes: watches[i]!.t.welcomes - 1,
      })),
      sent: all.length,
      inFlight,
      lost,
      duplicates,
      misordered,
      undelivered: all.filter((id) => receipts.get(id) !== 1).length,
      fault: report.ok ? undefined : JSON.stringify(report.fault),
      chainsEqual,
      alarms: trouble.alarms.length,
      rejected: trouble.rejected.length,
      restartMs,
    };
  } finally {
    stop = true;
    await Promise.all(pair.map((c) => c.stop()));
    const relays = [a, b, again].filter((r): r is ChildRelay => r !== undefined);
    for (const r of relays) if (alive(r.proc)) process.kill(r.pid, 'SIGKILL');
    await Promise.all(relays.map((r) => r.exited));
  }
}
