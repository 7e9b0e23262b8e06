// How the submitter of a committed item is answered. Version 1: an `accepted` frame once the commit has
// returned. Version 2: inside the submitter's own copy of the item's entry, in its place in the stream
// (fanout.ts), one frame where version 1 sends two; an `accepted` frame still answers whatever the stream
// cannot carry (a duplicate, whose entry was streamed long ago; a stream with too many answers waiting).
import type { Checkpoints } from './checkpoints.js';
import type { Fanout, Subscriber } from './fanout.js';
import { acceptedMember, encodeFrame } from './frames.js';
import type { AppendRequest, Committed } from './store/types.js';

export class Answers {
  /** The version 2 connections that submitted the requests being committed. */
  readonly #origins = new WeakMap<AppendRequest, Subscriber>();
  /** Requests whose answer went inside their entry frame: nothing more is sent for them. */
  readonly #inStream = new WeakSet<AppendRequest>();

  constructor(
    private readonly fanout: Fanout,
    private readonly checkpoints: Checkpoints,
  ) {}

  /** The request comes from a version 2 connection: its answer goes in its stream when it can. */
  expect(req: AppendRequest, origin: Subscriber): void {
    this.#origins.set(req, origin);
  }

  /** Streams a freshly committed entry, after its batch's checkpoint was signed, so that the answer inside
   * a version 2 submitter's copy carries a checkpoint that covers it. */
  publish(c: Committed, req: AppendRequest): void {
    const origin = this.#origins.get(req);
    const checkpoint = origin && req.item ? this.checkpoints.held(c.exercise) : undefined;
    const answer =
      origin && req.item && checkpoint && checkpoint.idx >= c.entry.idx
        ? { to: origin, text: acceptedMember(req.item.id, req.item.seq, checkpoint.jws) }
        : undefined;
    if (this.fanout.publish(c.exercise, c.entry.idx, c.json, answer) && answer) this.#inStream.add(req);
  }

  /** What is still to send once the commit of a console's item returned: nothing when the answer went
   * inside its entry, otherwise the accepted frame, encoded once. */
  async frame(req: AppendRequest, c: Committed): Promise<string | undefined> {
    if (this.#inStream.has(req)) return undefined;
    const checkpoint = this.checkpoints.held(req.exercise) ?? (await this.checkpoints.latest(req.exercise));
    // A commit signs its checkpoint before it answers, so an empty log here is a bug.
    if (!checkpoint) throw new Error(`no checkpoint of ${req.exercise} after a commit`);
    const { id, seq } = req.item!;
    const { idx, hash, at } = c.entry;
    return encodeFrame({ type: 'accepted', id, seq, idx, hash, at, checkpoint: checkpoint.jws });
  }
}
