// The options of `hotline bench` and the workload they make: a named profile (bench/options.ts), then every
// flag the user gave over it, each parsed and checked once before any relay starts.
import { HotlineError } from '../shared/errors.js';
import { checkWorkload, parseDuration, parseMix, profileWorkload, type Workload } from '../bench/options.js';
import type { FloorFlags } from './bench-floors.js';
import type { PostgresFlags } from './bench-postgres.js';

/** What `hotline bench` was given on its command line, as commander parses it. */
export interface BenchOptions extends FloorFlags, PostgresFlags {
  url?: string;
  secretFile?: string;
  profile?: string;
  pairs?: string;
  rate?: string;
  duration?: string;
  warmup?: string;
  bodyBytes?: string;
  precedence?: string;
  receipts: boolean;
  protocol?: '1' | '2';
  arrival?: 'uniform' | 'poisson';
  drain?: string;
  verify?: 'after' | 'inline';
  seed?: string;
  baseline?: boolean;
  store?: string;
  maxP99?: string;
  minRate?: string;
  json?: string | boolean;
  html?: string;
  cpuProf?: string;
  relayNodeOption?: string[];
  relayBuild?: string;
  injectFault?: 'drop' | 'duplicate' | 'reorder';
  rateSteps?: string;
}

/** A number the user typed, or BAD_REQUEST naming the option. */
export function number(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new HotlineError('BAD_REQUEST', `${what}: "${text}" is not a number`);
  return n;
}

/** The workload of a run: the named profile, then each flag given over it, checked. */
export function workloadFrom(o: BenchOptions): Workload {
  const w = profileWorkload(o.profile);
  if (o.pairs !== undefined) w.pairs = number(o.pairs, '--pairs');
  if (o.rate !== undefined) w.rate = number(o.rate, '--rate');
  if (o.duration !== undefined) w.durationMs = parseDuration(o.duration, '--duration');
  if (o.warmup !== undefined) w.warmupMs = parseDuration(o.warmup, '--warmup');
  if (o.bodyBytes !== undefined) w.bodyBytes = number(o.bodyBytes, '--body-bytes');
  if (o.precedence !== undefined) w.precedenceMix = parseMix(o.precedence);
  if (o.arrival !== undefined) w.arrival = o.arrival;
  if (o.drain !== undefined) w.drainMs = parseDuration(o.drain, '--drain');
  if (o.verify !== undefined) w.verify = o.verify;
  if (o.seed !== undefined) w.seed = number(o.seed, '--seed');
  if (o.receipts === false) w.receipts = false;
  if (o.protocol !== undefined) w.protocol = o.protocol === '1' ? 1 : 2;
  checkWorkload(w);
  return w;
}
