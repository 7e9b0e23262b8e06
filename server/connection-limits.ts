// Caps on sockets a client can hold open for nothing: sockets that have not finished their hello (over all
// addresses), and sockets per remote address. The ws adapter asks before each upgrade; each admitted socket
// holds a ticket until it closes.
import type { ErrorCode } from '../shared/errors.js';

export interface ConnectionLimitsOptions {
  /** Sockets whose hello (or observe) has not succeeded yet; 0: no limit. */
  maxPending: number;
  /** Open sockets per remote address; 0: no limit. */
  maxPerAddress: number;
}

/** One admitted socket's place in the counts. Both calls are idempotent. */
export interface Ticket {
  /** The hello or observe succeeded: the socket no longer counts as pending. */
  established(): void;
  /** The socket is gone. */
  release(): void;
}

export type Refusal = Extract<ErrorCode, 'TOO_MANY_CONNECTIONS' | 'TOO_MANY_HANDSHAKES'>;

export class ConnectionLimits {
  #pending = 0;
  /** Only addresses with open sockets: an entry goes when its last socket does. */
  readonly #perAddress = new Map<string, number>();

  constructor(private readonly options: ConnectionLimitsOptions) {}

  get pending(): number {
    return this.#pending;
  }

  /** A ticket for a new socket from `address`, or the code that refuses it. */
  admit(address: string): Ticket | Refusal {
    const { maxPending, maxPerAddress } = this.options;
    const open = this.#perAddress.get(address) ?? 0;
    // The address's own excess is its own fault (429); a relay full of half-open sockets is busy (503).
    if (maxPerAddress > 0 && open >= maxPerAddress) return 'TOO_MANY_CONNECTIONS';
    if (maxPending > 0 && this.#pending >= maxPending) return 'TOO_MANY_HANDSHAKES';
    this.#perAddress.set(address, open + 1);
    this.#pending++;
    let pending = true;
    let released = false;
    const settle = () => {
      if (pending) this.#pending--;
      pending = false;
    };
    return {
      established: settle,
      release: () => {
        if (released) return;
        released = true;
        settle();
        const left = (this.#perAddress.get(address) ?? 1) - 1;
        if (left > 0) this.#perAddress.set(address, left);
        else this.#perAddress.delete(address);
      },
    };
  }
}
