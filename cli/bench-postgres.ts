// `hotline bench` on PostgreSQL at the command line: --store postgres://… (the relays under test on a fresh
// database of that server), --relays N (N relays on it, each pair across two of them), and the two
// comparisons of bench/compare.ts (--compare-stores, --cross-relay); what they refuse before any relay
// starts. The CLI only takes a URL: it never starts a PostgreSQL server itself.
import type { Command } from 'commander';
import { HotlineError } from '../shared/errors.js';
import type { CompareKind } from '../bench/compare.js';
import { parseRates } from '../bench/rate-steps.js';
import type { SuiteOptions } from '../bench/suite.js';

export interface PostgresFlags {
  store?: string;
  relays?: string;
  compareStores?: boolean;
  crossRelay?: boolean;
  rateSteps?: string;
  floors?: boolean;
  relayBuild?: string;
  cpuProf?: string;
}

export function addPostgresOptions(cmd: Command): Command {
  return cmd
    .option(
      '--store <store>',
      "the started relay's store: sqlite (default), volatile (memory, no fsync: the relay without storage, for comparison only), or a postgres:// URL (a fresh database on that server per run; its role needs CREATEDB)",
    )
    .option(
      '--relays <n>',
      'with --store postgres://…: N relays on one database, each pair across relays i and i+1 (default 1)',
    )
    .option(
      '--compare-stores',
      'with --store postgres://…: the same workload on SQLite and on PostgreSQL in turn, side by side',
    )
    .option(
      '--cross-relay',
      'with --store postgres://…: two relays, both consoles of each pair on A against Beijing on A and Washington on B',
    );
}

export const POSTGRES_HELP = `
  $ PG=postgres://bench:pw@127.0.0.1:5432/postgres      # a server whose role may create databases
  $ hotline bench --store $PG --pairs 10 --rate 200      # the relay on PostgreSQL
  $ hotline bench --store $PG --compare-stores --duration 10s --rate-steps 200,500,1000   # SQLite against PostgreSQL
  $ hotline bench --store $PG --relays 4 --pairs 12 --duration 10s --rate-steps 200,500,1000   # 4 relays, pairs across two
  $ hotline bench --store $PG --cross-relay --rate 200    # two relays: both consoles on A, against Beijing on A, Washington on B

PostgreSQL (--store postgres://URL): each run makes a fresh database on that server (dropped afterwards) and starts
its relays on it with one shared key file. Besides the usual figures it reports each relay's CPU, the PostgreSQL
server's CPU (its processes read from /proc when the server runs on this host), commits per second over all relays
and the commit notifications (one per exercise per commit, heard by every relay). --compare-stores and
--cross-relay run their two variants in turn at each rate and print them side by side with the ratio second ÷ first;
with --rate-steps a step passes at p99 ≤ 50 ms unless --max-p99 says otherwise.`;

export type StorePlan =
  | { kind: 'single'; store?: 'sqlite' | 'volatile'; postgres?: NonNullable<SuiteOptions['postgres']> }
  | { kind: 'compare'; compare: CompareKind; serverUrl: string; rates: number[] | null };

/** What the store flags ask for; refuses combinations it cannot run, before any relay starts. */
export function storePlan(o: PostgresFlags, base: Pick<SuiteOptions, 'remote' | 'workload'>): StorePlan {
  const bad = (why: string): never => {
    throw new HotlineError('BAD_REQUEST', why);
  };
  const store = o.store;
  const isPg = store !== undefined && /^postgres(ql)?:\/\/./.test(store);
  if (store !== undefined && !isPg && store !== 'sqlite' && store !== 'volatile')
    bad(`--store: "${store}" is not sqlite, volatile or a postgres:// URL`);
  const needsPg =
    o.relays !== undefined ? '--relays' : o.compareStores ? '--compare-stores' : o.crossRelay ? '--cross-relay' : null;
  if (needsPg && !isPg) bad(`${needsPg} runs relays on PostgreSQL: add --store postgres://URL`);
  if (!isPg) return { kind: 'single', ...(store ? { store: store as 'sqlite' | 'volatile' } : {}) };
  if (base.remote) bad('--store postgres://… starts its own relays, so it cannot measure --url');
  if (o.relayBuild) bad("--relay-build runs another build's relay on SQLite: leave out --store postgres://…");
  if (o.compareStores && o.crossRelay) bad('--compare-stores and --cross-relay are two runs: give one of them');
  const relays = o.relays === undefined ? undefined : Number(o.relays);
  if (relays !== undefined && !(Number.isInteger(relays) && relays >= 1 && relays <= 16))
    bad('--relays must be a whole number from 1 to 16');
  if (o.compareStores && relays !== undefined && relays !== 1) bad('--compare-stores runs one relay on each store');
  if (o.crossRelay && relays !== undefined && relays !== 2) bad('--cross-relay runs two relays');
  if (o.compareStores || o.crossRelay) {
    // Both variants would write the one file; profile a single run instead.
    if (o.cpuProf) bad('--cpu-prof profiles one relay: run the variant on its own (without the comparison)');
    if (base.workload.rate === 0 && !o.rateSteps) bad('a comparison needs messages: a --rate above 0, or --rate-steps');
    let rates: number[] | null = null;
    try {
      rates = o.rateSteps ? parseRates(o.rateSteps) : null;
    } catch (err) {
      bad((err as Error).message);
    }
    return { kind: 'compare', compare: o.compareStores ? 'stores' : 'cross-relay', serverUrl: store!, rates };
  }
  return { kind: 'single', postgres: { serverUrl: store!, relays: relays ?? 1, placement: 'cross' } };
}
