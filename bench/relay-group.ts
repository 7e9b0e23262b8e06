// Several relay children on one fresh PostgreSQL database (hotline bench --store postgres://… [--relays N]),
// seen by the runner as one target: the first relay makes the key file, the schema and the trainer secret,
// the others share them; each pair's sender connects to relay i and its receiver to relay i+1 (mod N), so
// with N ≥ 2 every message and receipt crosses relays. Its stats are the relays' summed, with each relay's
// own, the PostgreSQL server's CPU and the commit notifications heard so far; its /metrics are the relays'
// summed, so the store figures count every relay's commits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBenchDatabase, NotificationCounter, type BenchDatabase } from './pg-database.js';
import { findPostmaster, serverCpu } from './pg-server-cpu.js';
import type { ChildStats } from './relay-child.js';
import type { GroupInfo, GroupSample, GroupStats, PlacementKind } from './group-types.js';
import { parsePrometheus } from './store-metrics.js';
import { startChild, type Placement, type Target } from './target.js';

export function groupSample(s: ChildStats | null): GroupSample | undefined {
  return s && 'group' in s ? (s as GroupStats).group : undefined;
}

export interface GroupOptions {
  /** A PostgreSQL URL whose role may create databases: the run gets a fresh one beside it. */
  serverUrl: string;
  relays: number;
  placement: PlacementKind;
  nodeOptions?: string[];
}

/** Sums the relays' /metrics sample by sample (counters and histogram buckets add up), in the first's order. */
export function sumMetrics(texts: string[]): string {
  const total = new Map<string, number>();
  for (const text of texts)
    for (const [key, value] of parsePrometheus(text)) total.set(key, (total.get(key) ?? 0) + value);
  return [...total].map(([k, v]) => `${k} ${v}`).join('\n');
}

function sumStats(parts: ChildStats[]): ChildStats {
  const memory = { ...parts[0]!.memory };
  for (const p of parts.slice(1))
    for (const k of Object.keys(memory) as (keyof NodeJS.MemoryUsage)[]) memory[k] += p.memory[k];
  return {
    cpu: {
      user: parts.reduce((a, p) => a + p.cpu.user, 0),
      system: parts.reduce((a, p) => a + p.cpu.system, 0),
    },
    memory,
    at: Math.max(...parts.map((p) => p.at)),
  };
}

export async function startRelayGroup(o: GroupOptions): Promise<Target & { group: GroupInfo }> {
  const db: BenchDatabase = await createBenchDatabase(o.serverUrl);
  const keyDir = mkdtempSync(path.join(tmpdir(), 'hotline-bench-key-'));
  const members: Target[] = [];
  let counter: NotificationCounter | undefined;
  const cleanup = async () => {
    await Promise.all(members.map((m) => m.close()));
    await counter?.close();
    await db.drop().catch(() => undefined);
    rmSync(keyDir, { recursive: true, force: true });
  };
  try {
    const relayKeyFile = path.join(keyDir, 'relay-key.jwk');
    const start = (keepSecret: boolean) =>
      startChild({
        kind: 'relay',
        postgres: { url: db.url, relayKeyFile, keepSecret },
        ...(o.nodeOptions ? { nodeOptions: o.nodeOptions } : {}),
      });
    // The first alone: it makes the key, the schema and the one trainer secret the bench signs in with.
    members.push(await start(false));
    const rest = await Promise.allSettled(Array.from({ length: o.relays - 1 }, () => start(true)));
    for (const r of rest) if (r.status === 'fulfilled') members.push(r.value);
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    counter = await NotificationCounter.start(db.url);
    const postmaster = await findPostmaster(db.url);
    const first = members[0]!;
    const n = members.length;
    const place = (pair: number): Placement =>
      o.placement === 'same'
        ? { sender: first.url, receiver: first.url }
        : { sender: members[pair % n]!.url, receiver: members[(pair + 1) % n]!.url };
    const heard = counter;
    return {
      kind: 'relay',
      url: first.url,
      store: 'postgres',
      secret: first.secret,
      pid: first.pid,
      place,
      group: {
        relays: n,
        placement: o.placement,
        database: db.name,
        postgresCpuUnavailable: 'pid' in postmaster ? null : postmaster.why,
      },
      async stats(gc) {
        const relays = (await Promise.all(members.map((m) => m.stats(gc)))) as ChildStats[];
        const postgres = 'pid' in postmaster ? serverCpu(postmaster.pid) : null;
        return { ...sumStats(relays), group: { relays, postgres, notifications: heard.count } } satisfies GroupStats;
      },
      profile: (action, file) => first.profile(action, file),
      async metrics() {
        const texts = await Promise.all(members.map((m) => m.metrics()));
        return texts.every((t) => t !== null) ? sumMetrics(texts) : null;
      },
      stderr: () => members.map((m, i) => `relay ${i}: ${m.stderr()}`).join('\n'),
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
