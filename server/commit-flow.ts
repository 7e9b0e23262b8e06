// What follows a commit. The batch's checkpoint is signed once per exercise; then each entry, this relay's or
// another relay's (log-follower.ts puts them in one order), goes to the exercise runner (control entries), to
// the key checks (revocations), and out to the streams, a version 2 submitter's answer inside its own copy.
import type { AppendRequest, Committed, Store } from './store/types.js';
import type { Answers } from './answers.js';
import type { Checkpoints } from './checkpoints.js';
import type { Fanout } from './fanout.js';
import { LogFollower } from './log-follower.js';
import type { Metrics } from './metrics.js';
import type { Logger } from 'pino';

export interface CommitFlowDeps {
  store: Store;
  log: Logger;
  metrics: Metrics;
  checkpoints: Checkpoints;
  answers: Answers;
  fanout: Fanout;
  /** The exercise runner, told of every control entry. */
  control?: (c: Committed) => void;
  /** A key was revoked at `idx`: items checked from now on see it. */
  revoked: (kid: string, idx: number) => void;
  /** Closes the connections of a revoked key. */
  disconnect: (kid: string) => void;
}

export class CommitFlow {
  readonly follower: LogFollower;

  constructor(private readonly deps: CommitFlowDeps) {
    this.follower = new LogFollower({
      store: deps.store,
      log: deps.log,
      deliver: (c, req) => this.#deliver(c, req),
      streamed: (exercise) => deps.fanout.streamed(exercise),
    });
  }

  /** The committer's hook: called once per batch, in commit order, with the entries it added. */
  async committed(fresh: Committed[], requests: AppendRequest[]): Promise<void> {
    const last = new Map<string, Committed>();
    for (const c of fresh) {
      this.deps.metrics.accepted.inc({ kind: c.entry.kind });
      last.set(c.exercise, c);
    }
    // One relay signature per exercise per batch: its cost is shared by the whole batch. Signed before the
    // entries go out, so a version 2 answer inside its entry frame carries a checkpoint that covers it.
    // A failed signature must not hold the entries back: they are durable, and their answers then go apart.
    const signed = await Promise.allSettled(
      [...last].map(([exercise, c]) => this.deps.checkpoints.sign(exercise, c.entry.idx, c.entry.hash)),
    );
    // Handed on in idx order with other relays' entries (at once, unless one of theirs comes first).
    await this.follower.local(fresh, requests);
    for (const s of signed) if (s.status === 'rejected') throw s.reason;
  }

  /** Each committed entry, once and in order, this relay's or another's (then without its request). */
  #deliver(c: Committed, req: AppendRequest | undefined): void {
    const kind = c.entry.kind;
    if (kind !== 'message' && kind !== 'receipt') this.deps.control?.(c);
    if (kind === 'key-revoked') {
      const kid = (c.entry.data as { kid: string }).kid;
      this.deps.revoked(kid, c.entry.idx);
      // Its batch is answered right after the commit hook: close the key's connections only then, so they
      // still get the answers of this batch (accepted before the revocation, KEY_REVOKED after it).
      setImmediate(() => this.deps.disconnect(kid));
    }
    if (req) this.deps.answers.publish(c, req);
    else this.deps.fanout.publish(c.exercise, c.entry.idx, c.json);
  }
}
