// The trainer secret: 256 random bits made on first start, shown once, stored only as a SHA-256 hash.
// A fast hash is enough here because the secret is random, not a person's password: there is nothing
// for a dictionary attack to guess.
// A new secret stays "pending" until whoever made it has shown it (`trainerSecretShown`): a start that
// dies between storing the hash and printing the secret makes a fresh one next time, so the trainer is
// never left with a hash nobody saw. Hash and pending mark are one meta value, written at once.
// Several relays starting at once on one database: each replaces only the value it read (swapMeta), and a
// secret made in the last PENDING_GRACE_MS is left to the relay that made it to show, so exactly one of them
// makes and prints the new secret; the others print none. The pending mark records when it was made. A store
// only one relay opens (SQLite) has no other relay to wait for: a pending secret there is from a start that died.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from './store/types.js';

const META_KEY = 'trainer_secret_sha256';
/** When the secret was last replaced (seconds): sessions signed in before it may not renew. */
const RESET_AT_KEY = 'trainer_secret_reset_at';
const PENDING = 'pending:';
/** How long a pending secret is another starting relay's to show (a start takes about a second). */
export const PENDING_GRACE_MS = 15_000;

/** The stored hash, and when it was made if it is still pending (0: pending, from a relay that kept no time). */
function parse(stored: string): { hash: string; pendingSince?: number } {
  if (!stored.startsWith(PENDING)) return { hash: stored };
  const rest = stored.slice(PENDING.length);
  const at = rest.indexOf(':');
  return at < 0
    ? { hash: rest, pendingSince: 0 }
    : { hash: rest.slice(at + 1), pendingSince: Number(rest.slice(0, at)) };
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Makes a secret when none was shown yet; returns it (to print once) only when it was just made. */
export async function ensureTrainerSecret(
  store: Store,
  graceMs = store.watch ? PENDING_GRACE_MS : 0,
): Promise<string | undefined> {
  const stored = await store.getMeta(META_KEY);
  const since = stored === undefined ? undefined : parse(stored).pendingSince;
  if (stored !== undefined && since === undefined) return undefined;
  if (since !== undefined && Date.now() - since < graceMs) return undefined;
  // No session can predate the first secret: nothing to end.
  const secret = newSecret();
  return (await store.swapMeta(META_KEY, stored ?? null, pendingValue(secret))) ? secret : undefined;
}

function newSecret(): string {
  return `hts_${randomBytes(32).toString('base64url')}`;
}

function pendingValue(secret: string): string {
  return `${PENDING}${Date.now()}:${digest(secret).toString('base64url')}`;
}

async function makeSecret(store: Store): Promise<string> {
  const secret = newSecret();
  await store.setMeta(META_KEY, pendingValue(secret));
  return secret;
}

/** A new secret, pending until `trainerSecretShown`; the old one stops working now, and the sessions
 * signed in with it can no longer renew their tokens (they end when their current token expires). */
export async function resetTrainerSecret(store: Store): Promise<string> {
  const secret = await makeSecret(store);
  await store.setMeta(RESET_AT_KEY, String(Math.floor(Date.now() / 1000)));
  return secret;
}

/** Whether a session that signed in at `authTime` (seconds) used the current secret or an earlier one. */
export async function signedInBeforeReset(store: Store, authTime: number): Promise<boolean> {
  const at = Number((await store.getMeta(RESET_AT_KEY)) ?? 0);
  return authTime < at;
}

/** The pending secret reached the trainer (printed): later starts keep it. */
export async function trainerSecretShown(store: Store): Promise<void> {
  const stored = await store.getMeta(META_KEY);
  if (stored?.startsWith(PENDING)) await store.swapMeta(META_KEY, stored, parse(stored).hash);
}

export async function checkTrainerSecret(store: Store, secret: string): Promise<boolean> {
  const stored = await store.getMeta(META_KEY);
  if (!stored || secret.length > 200) return false;
  const hash = Buffer.from(parse(stored).hash, 'base64url');
  return timingSafeEqual(hash, digest(secret));
}
