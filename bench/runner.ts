// One bench run against one target: set up and connect the pairs, sign every message ahead of time, play
// the open-loop schedule (warmup, then the measurement window), drain, then check and verify what came back.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { TrainerApi } from '../client/trainer-api.js';
import { TYP, type PublicJwk } from '../shared/items.js';
import { checkPair, type Fault } from './checker.js';
import { caughtUp, closePairs, connectPairs, until } from './consoles.js';
import { RunMeasures } from './measures.js';
import { connectSteps, memoryFigures } from './memory.js';
import type { Workload } from './options.js';
import type { BenchPair } from './pair.js';
import { summariseProfile } from './profile-summary.js';
import type { ChildStats } from './relay-child.js';
import { assembleResult, LOOP_RESOLUTION_NS, type RunResult } from './result.js';
import { cpuBetween, hostLoad, hostTicks, ResourceSampler, type HostTicks } from './sampler.js';
import { pace, planSchedule, type PlannedSend } from './scheduler.js';
import { setupBarePairs, setupRealPairs, type PairSetup } from './setup.js';
import { parsePrometheus, storeFigures, type StoreFigures } from './store-metrics.js';
import type { Target } from './target.js';
import { verifyLogs, type Verification } from './verify-logs.js';
import { groupFigures, postgresCores } from './group-figures.js';

export type Phase = 'setup' | 'connect' | 'sign' | 'warmup' | 'measure' | 'drain' | 'idle' | 'verify';
export interface Progress {
  phase: Phase;
  done: number;
  total: number;
  /** Live figures while the schedule plays. */
  live?: { sent: number; accepted: number; receipts: number; errors: number };
}

export interface RunOptions {
  onProgress?: (p: Progress) => void;
  /** Write the relay's CPU profile of the measurement window here (relay child only). */
  cpuProfile?: string;
}

interface Snapshot {
  at: number;
  host: HostTicks | null;
  relay: ChildStats | null;
  metrics: string | null;
  gen: NodeJS.CpuUsage;
}

/** At the window's start the /metrics scrape goes first and at its end last, so its cost stays outside. */
async function snapshot(target: Target, edge: 'start' | 'end'): Promise<Snapshot> {
  const metrics = edge === 'start' ? await target.metrics() : null;
  const relay = await target.stats().catch(() => null);
  const at = performance.now();
  const gen = process.cpuUsage();
  const host = hostTicks();
  return { at, host, relay, gen, metrics: edge === 'end' ? await target.metrics() : metrics };
}

const sleepUntil = (t: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, t - performance.now())));

export async function runBench(target: Target, w: Workload, o: RunOptions = {}): Promise<RunResult> {
  const progress = o.onProgress ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const prefix = `${target.kind === 'bare' ? 'bare' : 'bench'}-${Date.now().toString(36)}`;
  progress({ phase: 'setup', done: 0, total: w.pairs });
  let setups: PairSetup[];
  let relayJwk: PublicJwk | undefined;
  if (target.kind === 'bare') setups = await setupBarePairs(w.pairs, prefix);
  else {
    const real = await setupRealPairs(new TrainerApi(target.url, { secret: target.secret! }), w.pairs, prefix, (done) =>
      progress({ phase: 'setup', done, total: w.pairs }),
    );
    setups = real.pairs;
    relayJwk = real.relayJwk;
  }
  const setupSeconds = (performance.now() - t0) / 1000;

  const measures = new RunMeasures();
  const t1 = performance.now();
  let pairs: BenchPair[] = [];
  try {
    const memory: { sockets: number; stats: ChildStats }[] = [];
    const before = await target.stats(true);
    if (before) memory.push({ sockets: 0, stats: before });
    const steps = connectSteps(w.pairs);
    for (let k = 0; k < steps; k++) {
      const slice = setups.slice(Math.floor((k * w.pairs) / steps), Math.floor(((k + 1) * w.pairs) / steps));
      const offset = pairs.length;
      const connected = await connectPairs(
        target.place ?? target.url,
        slice,
        measures,
        { receipts: w.receipts, verifyInline: w.verify === 'inline', bodyBytes: w.bodyBytes },
        w.protocol,
        (done) => progress({ phase: 'connect', done: offset + done, total: w.pairs }),
      );
      pairs = pairs.concat(connected);
      if (!(await until(() => caughtUp(connected), 30_000)))
        throw new Error('consoles did not catch up with their logs within 30 s');
      await new Promise((r) => setTimeout(r, 300));
      const after = await target.stats(true);
      if (after) memory.push({ sockets: pairs.length * 2, stats: after });
    }
    const connectSeconds = (performance.now() - t1) / 1000;

    const plan = planSchedule({ ...w, seed: w.seed });
    const signStart = performance.now();
    const wallStart = presign(pairs, plan, w.pairs, (done) => progress({ phase: 'sign', done, total: plan.length }));
    const signSeconds = (performance.now() - signStart) / 1000;

    const sampler = new ResourceSampler(target);
    sampler.start();
    const start = performance.now() + Math.max(50, wallStart - Date.now());
    const windowStart = start + (w.rate === 0 ? 0 : w.warmupMs);
    const windowEnd = windowStart + w.durationMs;
    measures.begin(windowStart, windowEnd);
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_NS / 1e6 });
    const first = sleepUntil(windowStart).then(async () => {
      loop.enable();
      if (o.cpuProfile) await target.profile('start');
      return snapshot(target, 'start');
    });
    const last = sleepUntil(windowEnd).then(async () => {
      const s = await snapshot(target, 'end');
      loop.disable();
      if (o.cpuProfile) await target.profile('stop', o.cpuProfile);
      return s;
    });
    const live = setInterval(() => {
      const now = performance.now();
      const inWarmup = now < windowStart;
      progress({
        phase: inWarmup ? 'warmup' : w.rate === 0 ? 'idle' : 'measure',
        done: Math.round(Math.min(now, windowEnd) - start),
        total: Math.round(windowEnd - start),
        live: { ...liveCounts(pairs), errors: [...measures.errors.values()].reduce((a, b) => a + b, 0) },
      });
    }, 250);
    await pace(plan, (i, scheduled) => pairs[plan[i]!.pair]!.fire(plan[i]!.n, scheduled), { start });
    const [a, b] = await Promise.all([first, last]);
    clearInterval(live);
    const drainStart = performance.now();
    progress({ phase: 'drain', done: 0, total: 1 });
    const complete = await until(() => pairs.every((p) => p.complete), w.drainMs, 20);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    sampler.stop();
    measures.finish();
    await closePairs(pairs);
    const memEnd = await target.stats(true);
    const memoryResult = memEnd && memory.length >= 2 ? memoryFigures(memory, memEnd) : null;

    progress({ phase: 'verify', done: 0, total: 1 });
    const checks = pairs.map((p) => checkPair(p.log()));
    const verification: Verification =
      target.kind === 'bare'
        ? { mode: 'skipped', signatures: 0, checkpoints: 0, entries: 0, seconds: 0, faults: [] }
        : await verifyLogs(
            pairs.map((p) => ({ pair: p.index, entries: p.receiverEntries, checkpoints: p.checkpoints })),
            relayJwk,
          );
    const windowSeconds = (b.at - a.at) / 1000;
    const genUs = b.gen.user + b.gen.system - a.gen.user - a.gen.system;
    let store: StoreFigures | null = null;
    if (a.metrics && b.metrics)
      store = storeFigures(parsePrometheus(a.metrics), parsePrometheus(b.metrics), windowSeconds);
    return assembleResult({
      target,
      workload: w,
      startedAt,
      plan,
      measures,
      checks,
      verification,
      complete,
      timing: { setupSeconds, connectSeconds, signSeconds, windowSeconds, drainSeconds },
      relay:
        a.relay && b.relay && memoryResult
          ? {
              cpuUs: cpuBetween(a.relay, b.relay),
              userUs: b.relay.cpu.user - a.relay.cpu.user,
              systemUs: b.relay.cpu.system - a.relay.cpu.system,
              cpuSeconds: (b.relay.at - a.relay.at) / 1000,
              memory: memoryResult,
            }
          : null,
      generator: { cpuUs: genUs, loop },
      // A PostgreSQL server on this host is part of what is measured, not "other" load.
      host: hostLoad(
        a.host,
        b.host,
        a.relay && b.relay
          ? cpuBetween(a.relay, b.relay) / 1e6 / windowSeconds + postgresCores(a.relay, b.relay, windowSeconds)
          : null,
        genUs / 1e6 / windowSeconds,
      ),
      store,
      group: target.group
        ? groupFigures(
            target.group,
            a.relay,
            b.relay,
            windowSeconds,
            w.receipts ? measures.inWindow.receipts : measures.inWindow.accepted,
            store,
          )
        : null,
      resources: sampler.points,
      profile: o.cpuProfile && target.pid !== null ? summariseProfile(o.cpuProfile) : null,
    });
  } finally {
    await closePairs(pairs);
    measures.destroy();
  }
}

function liveCounts(pairs: BenchPair[]): { sent: number; accepted: number; receipts: number } {
  let sent = 0;
  let accepted = 0;
  let receipts = 0;
  for (const p of pairs) {
    sent += p.firedCount;
    accepted += p.acceptedCount;
    receipts += p.receiptsBackCount;
  }
  return { sent, accepted, receipts };
}

/** Signs every planned message; returns the wall time (Date.now()) at which the schedule should start. */
function presign(pairs: BenchPair[], plan: PlannedSend[], count: number, onProgress: (done: number) => void): number {
  const byPair: PlannedSend[][] = Array.from({ length: count }, () => []);
  for (const s of plan) byPair[s.pair]!.push(s);
  // sentAt of each message is its scheduled wall time, so the start is fixed before signing, from what a
  // few probe signatures cost (a start a little later than planned only makes sentAt a little early).
  const probe = pairs[0]!.sender.signer;
  const t = performance.now();
  for (let i = 0; i < 20; i++) probe.sign({ probe: i, body: 'x'.repeat(256) }, TYP.message);
  const perMessageMs = (performance.now() - t) / 20;
  const wallStart = Date.now() + perMessageMs * 1.3 * plan.length + 100;
  let done = 0;
  for (const p of pairs) {
    p.presign(byPair[p.index]!, wallStart);
    done += byPair[p.index]!.length;
    onProgress(done);
  }
  return wallStart;
}

export type { Fault };
