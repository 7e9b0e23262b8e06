// kill -9 trials: a relay in a child process is killed with SIGKILL at random moments of a stream and
// started again on the same files and port, while a console keeps sending through its durable outbox.
// Afterwards every item the console saw accepted must be in the log at the idx and hash it was given,
// the whole stream exactly once and in order, and the export must verify. Shared by the CI suite
// (test/server/faults.crash.test.ts, a few trials) and `npm run chaos` (test/chaos/chaos.ts, 100+).
// No vitest here: the chaos script runs it on its own.
import { prng } from '../../bench/scheduler.js';
import type { HotlineClient } from '../../client/client.js';
import { verifyExport } from '../../shared/export.js';
import { spawnRelay, type ChildRelay } from './child-relay.js';
import { messagesOf, parseExport, receiptCounts, watchTrouble } from './durability.js';
import { enrolClient, until } from './relay.js';

export interface TrialOptions {
  dataDir: string;
  trials: number;
  /** Seeds the choice of when to kill, so a failing run can be repeated. */
  seed: number;
  /** Fewest and most new acceptances between two kills. */
  between?: [number, number];
  progress?: (line: string) => void;
}

export interface TrialReport {
  trials: number;
  /** Items the console saw accepted (each with an idx and a hash). */
  acknowledged: number;
  /** Acknowledged items missing from the log, or there at another idx or hash. */
  lost: string[];
  /** Items sent that are not in the log exactly once, in order. */
  misordered: boolean;
  /** Messages whose `delivered` receipt is not in the log exactly once. */
  undelivered: number;
  /** The first fault of the export's verification, if any. */
  fault: string | undefined;
  alarms: number;
  rejected: number;
}

/** Most unacknowledged items the console holds before it waits (see the stream below). */
const BACKLOG = 100;

/** Where each acknowledged item stands: its idx and the hash it was given. */
export type Acknowledged = Map<string, { idx: number; hash: string }>;

/** Waits until Beijing's outbox has drained, all it sent is acknowledged and delivered, and Washington's
 * outbox has drained too (each step with `timeoutMs`, the acknowledgements with half of it). */
export async function settle(
  beijing: HotlineClient,
  washington: HotlineClient,
  sent: string[],
  accepted: Acknowledged,
  timeoutMs = 30_000,
): Promise<void> {
  await until(() => beijing.outbox.items.length === 0, timeoutMs, 'the outbox drained');
  await until(() => sent.every((id) => accepted.has(id)), timeoutMs / 2, 'all sent accepted');
  await until(
    () => sent.every((id) => beijing.conversation.messages.get(id)?.states.delivered !== undefined),
    timeoutMs,
    'all delivered',
  );
  await until(() => washington.outbox.items.length === 0, timeoutMs, 'washington outbox drained');
}

/** The acknowledged items that are not in the log at the idx and with the hash they were given (`id@idx`). */
export function lostFrom(log: ReturnType<typeof parseExport>, accepted: Acknowledged): string[] {
  const lost: string[] = [];
  for (const [id, { idx, hash }] of accepted) {
    const at = log[idx];
    const item = at?.item?.payload;
    if (!at || at.entry.hash !== hash || item?.type !== 'message' || item.id !== id) lost.push(`${id}@${idx}`);
  }
  return lost;
}

export async function runKillTrials(o: TrialOptions): Promise<TrialReport> {
  const next = prng(o.seed);
  const [least, most] = o.between ?? [5, 40];
  let relay: ChildRelay = await spawnRelay(o.dataDir);
  const port = relay.port;
  // The consoles enrol through whichever relay process runs now.
  const issuer = { url: relay.url, issueCode: (station: string) => relay.issueCode(station) };
  const beijing: HotlineClient = await enrolClient(issuer, 'beijing');
  const washington: HotlineClient = await enrolClient(issuer, 'washington');
  const trouble = watchTrouble(beijing, washington);
  const accepted: Acknowledged = new Map();
  beijing.on('message', (v) => {
    if (v.direction === 'out' && v.idx !== undefined && v.hash !== undefined && !accepted.has(v.id))
      accepted.set(v.id, { idx: v.idx, hash: v.hash });
  });
  const sent: string[] = [];
  let stop = false;
  try {
    beijing.start();
    washington.start();
    await until(() => beijing.peerOnline && washington.peerOnline, 10_000, 'presence');
    const streaming = (async () => {
      for (let i = 0; !stop && i < 1_000_000; i++) {
        sent.push((await beijing.send({ body: `chaos ${i}` })).id);
        // Pacing, not synchronisation: an outbox of at most BACKLOG items keeps a long run's log (and the
        // consoles' work to verify it) in proportion to the trials, while each restart still has a
        // backlog to take in when the next kill comes.
        do {
          await new Promise((r) => setTimeout(r, 2));
        } while (!stop && beijing.outbox.items.length >= BACKLOG);
      }
    })();
    streaming.catch(() => undefined); // Awaited below; this only keeps an early failure from going unhandled.
    for (let t = 1; t <= o.trials; t++) {
      const target = accepted.size + least + Math.floor(next() * (most - least + 1));
      await until(() => accepted.size >= target, 30_000, `trial ${t}: ${target} accepted`);
      process.kill(relay.proc.pid!, 'SIGKILL');
      await relay.exited;
      relay = await spawnRelay(o.dataDir, port);
      o.progress?.(`trial ${t}/${o.trials}: killed at ${accepted.size} acknowledged, ${sent.length} sent`);
    }
    stop = true;
    await streaming;
    await settle(beijing, washington, sent, accepted);

    const res = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
    const text = res.body;
    const held = [beijing.outbox.checkpoint, washington.outbox.checkpoint].filter((c): c is string => c !== null);
    const report = await verifyExport(text, { checkpoints: held });
    const log = parseExport(text);
    const mine = messagesOf(log, beijing.identity.kid);
    const inOrder = mine.length === sent.length && mine.every((m, i) => m.id === sent[i] && m.seq === i);
    const delivered = receiptCounts(log, 'delivered');
    return {
      trials: o.trials,
      acknowledged: accepted.size,
      lost: lostFrom(log, accepted),
      misordered: !inOrder,
      undelivered: sent.filter((id) => delivered.get(id) !== 1).length,
      fault: report.ok ? undefined : JSON.stringify(report.fault),
      alarms: trouble.alarms.length,
      rejected: trouble.rejected.length,
    };
  } finally {
    stop = true;
    await beijing.stop();
    await washington.stop();
  }
}
