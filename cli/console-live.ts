// Waiting on a console client from a script: until it is live, until a message reaches a state, with a
// time limit; and giving up at once, with the right code, when waiting cannot help (a revoked key, a
// relay that refuses connections).
import type { HotlineClient } from '../client/client.js';
import { HotlineError } from '../shared/errors.js';

/** Rejects with the client's fatal error (KEY_REVOKED, UNKNOWN_KEY, …) as soon as it has one. */
export function fatal(client: HotlineClient): { failed: Promise<never>; off(): void } {
  let off: () => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    off = client.on('fatal', reject);
  });
  // A rejection nobody waits for any more (the work finished first) must not end the process.
  failed.catch(() => undefined);
  return { failed, off: () => off() };
}

/** `work`, unless the time runs out (INTERNAL) or the client fails for good first. */
export async function within<T>(client: HotlineClient, ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HotlineError('INTERNAL', `timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  const dead = fatal(client);
  try {
    return await Promise.race([work, late, dead.failed]);
  } finally {
    clearTimeout(timer);
    dead.off();
  }
}

/** Starts the client and resolves once it has replayed the log. When a first connection to every relay
 * it has cannot even open (refused, no route: close 1006 before any welcome), it is RELAY_UNREACHABLE, not
 * a wait. */
export function untilLive(client: HotlineClient, ms: number): Promise<unknown> {
  let offLink: () => void = () => undefined;
  let refused = 0;
  const unreachable = new Promise<never>((_, reject) => {
    offLink = client.on('link', (l) => {
      if (l.state === 'open') offLink();
      if (l.state === 'reconnecting' && l.reason === '1006' && ++refused >= client.relays.length)
        reject(new HotlineError('RELAY_UNREACHABLE', `Cannot connect to the relay at ${client.relays.join(' or ')}.`));
    });
  });
  unreachable.catch(() => undefined);
  client.start();
  return within(client, ms, 'the relay', Promise.race([client.once('caughtUp'), unreachable])).finally(() => offLink());
}
