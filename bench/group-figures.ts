// What a run on several relays (relay-group.ts) adds to the report, over its measurement window: each
// relay's CPU, the PostgreSQL server's CPU, commits per second over all relays and the commit notifications.
import type { ChildStats } from './relay-child.js';
import type { RunResult } from './result.js';
import { groupSample } from './relay-group.js';
import type { CpuFigure, GroupFigures, GroupInfo } from './group-types.js';
import { cpuBetween } from './sampler.js';
import type { StoreFigures } from './store-metrics.js';

const r1 = (n: number) => Math.round(n * 10) / 10;

export function groupFigures(
  info: GroupInfo,
  a: ChildStats | null,
  b: ChildStats | null,
  windowSeconds: number,
  roundTrips: number,
  store: StoreFigures | null,
): GroupFigures | null {
  const ga = groupSample(a);
  const gb = groupSample(b);
  if (!ga || !gb || windowSeconds <= 0) return null;
  const figure = (us: number): CpuFigure => ({
    cpuPercent: r1(us / 1e4 / windowSeconds),
    cpuPerRoundTripUs: roundTrips > 0 ? Math.round(us / roundTrips) : null,
  });
  const postgres =
    ga.postgres && gb.postgres
      ? { ...figure(gb.postgres.cpuUs - ga.postgres.cpuUs), processes: gb.postgres.processes }
      : { unavailable: info.postgresCpuUnavailable ?? 'the server process could not be read during the run' };
  const notes = gb.notifications - ga.notifications;
  return {
    relays: info.relays,
    placement: info.placement,
    database: info.database,
    perRelay: ga.relays.map((s, i) => figure(cpuBetween(s, gb.relays[i]!))),
    postgres,
    commitsPerSecond: store ? r1(store.commits / windowSeconds) : null,
    notifications: { count: notes, perSecond: r1(notes / windowSeconds) },
  };
}

/** The server's CPU over the window in cores, for the host's "other processes" figure (0 when unmeasured). */
export function postgresCores(a: ChildStats | null, b: ChildStats | null, windowSeconds: number): number {
  const pa = groupSample(a)?.postgres;
  const pb = groupSample(b)?.postgres;
  return pa && pb && windowSeconds > 0 ? (pb.cpuUs - pa.cpuUs) / 1e6 / windowSeconds : 0;
}

/** The report's lines for a run on PostgreSQL, under the relay's own. */
export function groupLines(g: GroupFigures): string[] {
  const cpu = (f: CpuFigure) => `${f.cpuPercent}% (${f.cpuPerRoundTripUs ?? '-'} µs per round trip)`;
  const where =
    g.relays === 1
      ? 'one relay'
      : g.placement === 'cross'
        ? `${g.relays} relays, each pair's sender on relay i and receiver on relay i+1 (mod ${g.relays})`
        : `${g.relays} relays, every console on relay 0`;
  const pg =
    'unavailable' in g.postgres
      ? `not measured: ${g.postgres.unavailable}`
      : `${cpu(g.postgres)} over ${g.postgres.processes} processes`;
  return [
    `  PostgreSQL (database ${g.database}): ${where}`,
    `  CPU per relay: ${g.perRelay.map((f, i) => `relay ${i} ${cpu(f)}`).join('; ')}`,
    `  PostgreSQL server CPU: ${pg}`,
    `  commits: ${g.commitsPerSecond ?? '-'}/s over all relays; notifications: ${g.notifications.count} (${g.notifications.perSecond}/s, each heard by ${g.relays} relay${g.relays === 1 ? '' : 's'})`,
  ];
}

/** With --rate-steps on PostgreSQL: one line per step with what the step table leaves out. */
export function groupStepLine(rate: number, run: RunResult): string | null {
  const g = run.group;
  if (!g) return null;
  const s = run.latency[run.workload.receipts ? 'receipt' : 'delivered'];
  const pct = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const pg = 'unavailable' in g.postgres ? 'PostgreSQL -' : `PostgreSQL ${g.postgres.cpuPercent}%`;
  return `  ${rate}/s: ${run.rate.accepted}/s accepted; round trip p50/p90/p99/max ${[s.p50, s.p90, s.p99, s.max].map(pct).join('/')} ms; CPU ${g.perRelay.map((f, i) => `relay ${i} ${f.cpuPercent}%`).join(', ')}, ${pg}; ${g.commitsPerSecond ?? '-'} commits/s, ${g.notifications.perSecond} notifications/s`;
}
