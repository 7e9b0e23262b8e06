// The relay's signed checkpoints: "entry idx of exercise E has hash H". The newest one of each exercise
// is kept and handed out with every acceptance and welcome; a console holding one can prove the log
// was later truncated or rewritten. Signing costs the same for one entry or a whole batch, so the
// relay signs once per exercise per commit batch rather than once per item.
import type { RelayKey } from './relay-key.js';
import type { Store } from './store/types.js';

export interface Checkpoint {
  idx: number;
  jws: string;
}

export interface CheckpointDeps {
  store: Store;
  key: Pick<RelayKey, 'signCheckpoint'>;
  now: () => number;
}

export class Checkpoints {
  readonly #held = new Map<string, Checkpoint>();

  constructor(private readonly deps: CheckpointDeps) {}

  /** The newest checkpoint kept for an exercise, if any was signed since start. */
  held(exercise: string): Checkpoint | undefined {
    return this.#held.get(exercise);
  }

  /** The newest checkpoint of an exercise, signed on demand when none covers its head; null when empty. */
  async latest(exercise: string): Promise<Checkpoint | null> {
    const held = this.#held.get(exercise);
    const head = await this.deps.store.head(exercise);
    if (!head) return null;
    if (held && held.idx >= head.idx) return held;
    return this.sign(exercise, head.idx, head.hash);
  }

  /** Signs a checkpoint and keeps it unless a newer one was kept meanwhile (signing is asynchronous). */
  async sign(exercise: string, idx: number, hash: string): Promise<Checkpoint> {
    const at = new Date(this.deps.now()).toISOString();
    const signed = { idx, jws: await this.deps.key.signCheckpoint({ exercise, idx, hash, at }) };
    const held = this.#held.get(exercise);
    if (!held || held.idx < idx) this.#held.set(exercise, signed);
    return signed;
  }
}
