// Resource use over time, once a second: the relay child's CPU (all its threads) and RSS, and the
// generator's own CPU. One small IPC round trip per second is all it asks of the relay.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { ChildStats } from './relay-child.js';
import type { Target } from './target.js';

export interface ResourcePoint {
  /** Seconds since sampling started. */
  t: number;
  /** Percent of one core. */
  relayCpu: number | null;
  relayRssMb: number | null;
  generatorCpu: number;
}

const cpuUs = (c: { user: number; system: number }) => c.user + c.system;

export class ResourceSampler {
  readonly points: ResourcePoint[] = [];
  #timer: NodeJS.Timeout | undefined;
  #start = 0;
  #last: { at: number; relay: ChildStats | null; gen: NodeJS.CpuUsage } | undefined;

  constructor(private readonly target: Target) {}

  start(everyMs = 1000): void {
    this.#start = performance.now();
    void this.#sample();
    this.#timer = setInterval(() => void this.#sample(), everyMs);
  }

  async #sample(): Promise<void> {
    const relay = await this.target.stats().catch(() => null);
    const at = performance.now();
    const gen = process.cpuUsage();
    const last = this.#last;
    this.#last = { at, relay, gen };
    if (!last) return;
    const ms = at - last.at;
    const pct = (us: number) => Math.round((us / 1000 / ms) * 1000) / 10;
    this.points.push({
      t: Math.round((at - this.#start) / 100) / 10,
      relayCpu: relay && last.relay ? pct(cpuUs(relay.cpu) - cpuUs(last.relay.cpu)) : null,
      relayRssMb: relay ? Math.round(relay.memory.rss / 1024 / 102.4) / 10 : null,
      generatorCpu: pct(cpuUs(gen) - cpuUs(last.gen)),
    });
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** The host's CPU time counters (Linux /proc/stat, all cores), or null elsewhere. */
export interface HostTicks {
  busy: number;
  total: number;
  steal: number;
}

export function hostTicks(): HostTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, ...fields] = line.trim().split(/\s+/);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: total - idle - iowait, total, steal };
  } catch {
    return null;
  }
}

export interface HostLoad {
  /** Cores' worth of CPU the whole host used in the window (relay, generator and everything else). */
  busyCores: number;
  /** What was neither the relay nor the generator: other processes competing for the same cores. */
  otherCores: number | null;
  /** CPU time the hypervisor took away, % of all cores. */
  stealPercent: number;
}

export function hostLoad(
  a: HostTicks | null,
  b: HostTicks | null,
  relayCores: number | null,
  generatorCores: number,
): HostLoad | null {
  if (!a || !b || b.total <= a.total) return null;
  const cores = cpus().length;
  const busyCores = ((b.busy - a.busy) / (b.total - a.total)) * cores;
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    busyCores: r2(busyCores),
    otherCores: relayCores === null ? null : r2(Math.max(0, busyCores - relayCores - generatorCores)),
    stealPercent: r2(((b.steal - a.steal) / (b.total - a.total)) * 100),
  };
}

/** CPU between two child stats, in µs (all threads, user + system). */
export function cpuBetween(a: ChildStats, b: ChildStats): number {
  return cpuUs(b.cpu) - cpuUs(a.cpu);
}
