// A whole `hotline bench`: calibrate signature costs, run the workload against the relay (a child the bench
// starts, or --url), then the same workload against the bare relay (--baseline), and judge the result.
// A floors run (floors.ts) also measures the bare relay alone: subject 'bare' puts it in the report's
// measured slot (`relay`, whose target.kind then says 'bare').
import type { BareFault } from './bare-relay.js';
import { calibrate } from './calibrate.js';
import { initHistograms } from './histograms.js';
import type { P99Thresholds, Workload } from './options.js';
import { checkThresholds, machine, ratios, type BenchReport } from './report.js';
import type { RunResult } from './result.js';
import { runBench, type Progress } from './runner.js';
import { startRelayGroup } from './relay-group.js';
import type { PlacementKind } from './group-types.js';
import { remoteTarget, startChild, type Target } from './target.js';

export interface SuiteOptions {
  workload: Workload;
  profile: string | null;
  command: string;
  /** A running relay to measure instead of starting one; needs the trainer secret. */
  remote?: { url: string; secret: string };
  baseline: boolean;
  /** What the run measures: the relay (default) or, for a floors run, the bare relay alone. */
  subject?: 'relay' | 'bare';
  maxP99: P99Thresholds;
  minRate?: number;
  /** Write the relay's CPU profile of the measurement window to this file. */
  cpuProfile?: string;
  relayNodeOptions?: string[];
  /** Another build's dist/ directory whose relay is measured instead of this one's. */
  relayBuild?: string;
  /** The started relay's store: SQLite (default) or volatile memory (the relay without storage). */
  store?: 'sqlite' | 'volatile';
  /** Instead: relays on PostgreSQL, a fresh database per run on this server (relay-group.ts). */
  postgres?: { serverUrl: string; relays: number; placement: PlacementKind };
  /** Test hook: the bare relay drops, duplicates or reorders one message. */
  fault?: BareFault;
  /** `run` names the target: relay or bare, or a floors run's own label. */
  onProgress?: (run: string, p: Progress) => void;
}

async function withTarget(start: () => Promise<Target>, run: (t: Target) => Promise<RunResult>): Promise<RunResult> {
  const target = await start();
  try {
    return await run(target);
  } catch (err) {
    const detail = target.stderr().trim().split('\n').slice(-5).join('\n');
    if (detail && err instanceof Error) err.message += `\nrelay stderr:\n${detail}`;
    throw err;
  } finally {
    await target.close();
  }
}

function correctnessFailure(label: string, run: RunResult): string | undefined {
  if (run.correctness.ok) return undefined;
  const parts = Object.entries(run.correctness.faultCounts).map(([k, n]) => `${n} ${k}`);
  const errors = Object.entries(run.errors).map(([k, n]) => `${n} ${k}`);
  if (errors.length) parts.push(`errors: ${errors.join(', ')}`);
  if (!run.timing.drained) parts.push('not drained');
  return `${label} correctness: ${parts.join(', ')}`;
}

export async function runSuite(o: SuiteOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const host = machine();
  await initHistograms();
  const calibration = await calibrate();
  const relay = await withTarget(
    () =>
      o.subject === 'bare'
        ? startChild({ kind: 'bare', ...(o.fault ? { fault: o.fault } : {}) })
        : o.remote
          ? Promise.resolve(remoteTarget(o.remote.url, o.remote.secret))
          : o.postgres
            ? startRelayGroup({
                ...o.postgres,
                ...(o.relayNodeOptions ? { nodeOptions: o.relayNodeOptions } : {}),
              })
            : startChild({
                kind: 'relay',
                ...(o.store ? { store: o.store } : {}),
                ...(o.relayNodeOptions ? { nodeOptions: o.relayNodeOptions } : {}),
                ...(o.relayBuild ? { relayBuild: o.relayBuild } : {}),
              }),
    (t) =>
      runBench(t, o.workload, {
        onProgress: (p) => o.onProgress?.(o.subject ?? 'relay', p),
        ...(o.cpuProfile ? { cpuProfile: o.cpuProfile } : {}),
      }),
  );
  const baseline = o.baseline
    ? await withTarget(
        () => startChild({ kind: 'bare', ...(o.fault ? { fault: o.fault } : {}) }),
        (t) => runBench(t, o.workload, { onProgress: (p) => o.onProgress?.('bare', p) }),
      )
    : null;
  const thresholds = checkThresholds(relay, o.maxP99, o.minRate);
  const failures: string[] = [];
  const relayFailure = correctnessFailure(o.subject === 'bare' ? 'bare relay' : 'relay', relay);
  if (relayFailure) failures.push(relayFailure);
  const bareFailure = baseline && correctnessFailure('bare relay', baseline);
  if (bareFailure) failures.push(bareFailure);
  for (const t of thresholds) if (!t.ok) failures.push(`threshold ${t.name}: ${t.actual ?? '-'} against ${t.limit}`);
  return {
    tool: 'hotline bench',
    version: 1,
    startedAt,
    command: o.command,
    profile: o.profile,
    machine: host,
    calibration,
    workload: o.workload,
    relay,
    baseline,
    ratios: baseline ? ratios(relay, baseline) : null,
    thresholds,
    ok: failures.length === 0,
    failures,
  };
}

/** Correctness failures outrank missed thresholds. */
export function verdict(r: BenchReport): 'pass' | 'incorrect' | 'threshold' {
  if (!r.relay?.correctness.ok || (r.baseline && !r.baseline.correctness.ok)) return 'incorrect';
  if (r.thresholds.some((t) => !t.ok)) return 'threshold';
  return 'pass';
}
