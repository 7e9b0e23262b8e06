// What a console knows from the verified log, for its own station: the chain verifier (with the station as
// the audience of private entries: the content of injects addressed to it is required, every other private
// entry is checked by its commitment alone), the conversation with the other station, the injects addressed
// to this one, the exercise's clock, and whether the line is closed. Rebuilt from entry 0 on every start.
import { ChainVerifier, type Applied } from '../shared/chain.js';
import type { Entry } from '../shared/entry.js';
import { Conversation, type MessageView } from './conversation.js';
import type { TrafficItem } from './events.js';
import { exerciseStatus, type ExerciseStatus } from './exercise-status.js';
import { InjectBook, type InjectView } from './injects.js';
import { lineChange, type LineChange } from './line-changes.js';

/** An incoming message (in the log) or an inject: what a receipt can refer to, with its states. */
export type Incoming = (MessageView & { hash: string }) | InjectView;

export interface AppliedHere {
  applied: Applied;
  message?: MessageView;
  inject?: InjectView;
  /** A call request, a link test or a translation this entry changed. */
  line?: LineChange;
  /** An exercise-state entry: the phase or clock changed. */
  exercise: boolean;
}

export class StationLog {
  readonly chain: ChainVerifier;
  readonly conversation: Conversation;
  readonly injects: InjectBook;
  #refusedEnded = false;

  constructor(station: string) {
    this.chain = new ChainVerifier({ audience: { station } });
    this.conversation = new Conversation(station);
    this.injects = new InjectBook(station, this.chain.clock);
  }

  /** Verifies and applies one entry; throws the verifier's HotlineError and changes nothing on failure. */
  async apply(entry: Entry): Promise<AppliedHere> {
    const applied = await this.chain.apply(entry);
    const line = lineChange(applied, this.chain.line);
    // A translated message changes too: its card shows the translation (the LineBook holds it by message id).
    const message =
      this.conversation.apply(applied) ??
      (line?.kind === 'translation' ? this.conversation.messages.get(line.translation.ref) : undefined);
    const inject = this.injects.apply(applied);
    return {
      applied,
      ...(message ? { message } : {}),
      ...(inject ? { inject } : {}),
      ...(line ? { line } : {}),
      exercise: entry.kind === 'exercise-state',
    };
  }

  /** Messages of both stations and the injects addressed to this one, in log order (unlogged items last). */
  traffic(): TrafficItem[] {
    const items: TrafficItem[] = [
      ...this.conversation.list().map((view) => ({ kind: 'message' as const, view })),
      ...this.injects.list().map((view) => ({ kind: 'inject' as const, view })),
    ];
    // Array.prototype.sort is stable: messages not yet in the log keep the conversation's order, at the end.
    return items.sort((a, b) => (a.view.idx ?? Infinity) - (b.view.idx ?? Infinity));
  }

  get exercise(): ExerciseStatus {
    return exerciseStatus(this.chain.clock, this.#refusedEnded);
  }

  /** ENDEX is in the log, or the relay said so first by refusing a submit EXERCISE_ENDED. */
  get lineClosed(): boolean {
    return this.#refusedEnded || this.chain.clock.phase === 'ended';
  }

  /** The relay refused a submit EXERCISE_ENDED; true the first time (the line just closed for this console). */
  refusedEnded(): boolean {
    if (this.#refusedEnded) return false;
    this.#refusedEnded = true;
    return true;
  }

  /** The incoming message or inject with this id, if this console has it. */
  incoming(id: string): Incoming | undefined {
    const inject = this.injects.get(id);
    if (inject) return inject;
    const view = this.conversation.messages.get(id);
    if (!view || view.direction !== 'in' || view.hash === undefined) return undefined;
    return view as MessageView & { hash: string };
  }

  /** Incoming messages and injects that no device of this station has receipted `delivered` yet. */
  undelivered(): Incoming[] {
    return [
      ...(this.conversation.awaiting('delivered') as (MessageView & { hash: string })[]),
      ...this.injects.awaiting('delivered'),
    ];
  }
}
