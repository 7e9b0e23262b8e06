// The types of several relays measured as one target (relay-group.ts) and of the figures reported for them
// (group-figures.ts), apart from both so that the target and the result can name them without a circle.
import type { ChildStats } from './relay-child.js';
import type { ServerCpu } from './pg-server-cpu.js';

/** Where the consoles go: across relays (sender on i, receiver on i+1 mod N) or both on the first relay. */
export type PlacementKind = 'cross' | 'same';

export interface GroupSample {
  /** Each relay's own stats, in relay order. */
  relays: ChildStats[];
  /** The PostgreSQL server's CPU so far, or null when it cannot be read here (GroupInfo says why). */
  postgres: ServerCpu | null;
  /** Commit notifications on the relays' channel so far. */
  notifications: number;
}

export type GroupStats = ChildStats & { group: GroupSample };

export interface GroupInfo {
  relays: number;
  placement: PlacementKind;
  /** The run's database (dropped after the run). */
  database: string;
  /** Why the server's CPU is not measured, or null when it is. */
  postgresCpuUnavailable: string | null;
}

export interface CpuFigure {
  /** Percent of one core over the window. */
  cpuPercent: number;
  /** µs per completed round trip (per accepted message without receipts). */
  cpuPerRoundTripUs: number | null;
}

export interface GroupFigures {
  relays: number;
  placement: PlacementKind;
  database: string;
  /** Each relay process, in relay order (the pairs' senders connect to relay i, receivers to relay i+1). */
  perRelay: CpuFigure[];
  /** The PostgreSQL server (postmaster and every child), or why it was not measured. */
  postgres: (CpuFigure & { processes: number }) | { unavailable: string };
  /** Durable commits per second over all relays (their /metrics summed), null without metrics. */
  commitsPerSecond: number | null;
  /** Notifications on the commit channel in the window: one per exercise per commit, each heard by every relay. */
  notifications: { count: number; perSecond: number };
}
