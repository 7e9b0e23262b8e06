// What the relay core is composed of: the store, its key, the clock, the exercise runner as the core sees it,
// and the few options it reads (the composition root, app.ts, gives them; tests give fakes).
import type { Logger } from 'pino';
import type { ItemCrypto } from '../shared/signed.js';
import type { Config } from './config.js';
import type { LineLookup } from './line-admission.js';
import type { PendingAnswers } from './line-pending.js';
import type { Metrics } from './metrics.js';
import type { RelayKey } from './relay-key.js';
import type { Committed, Store } from './store/types.js';
import type { InjectLookup } from './verifier.js';

/** The exercise runner as the core sees it: it follows every committed control entry, knows fired injects and
 * keeps each exercise's line, whose answers in flight it shares (pending) to time its expiries and misses. */
export interface RunHooks extends InjectLookup, LineLookup {
  committed(c: Committed): void;
  readonly pending: PendingAnswers;
}

/** The options the core reads; the rest of Config is for the adapters and the composition root. */
export type RelayOptions = Pick<
  Config,
  'helloTimeoutMs' | 'maxBufferedBytes' | 'slowConsumerGraceMs' | 'maxBatch' | 'commitWindowMs'
>;

export interface RelayDeps {
  store: Store;
  key: RelayKey;
  metrics: Metrics;
  log: Logger;
  /** Milliseconds since the epoch: every timestamp the core writes (entries, checkpoints, pongs). */
  now: () => number;
  options: RelayOptions;
  runs?: RunHooks;
  /** Signature checks of submitted items (a VerifyPool); node:crypto inline when absent. */
  crypto?: ItemCrypto;
}
