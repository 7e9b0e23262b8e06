// The trainer secret: 256 random bits made on first start, shown once, stored only as a SHA-256 hash.
// A fast hash is enough here because the secret is random, not a person's password: there is nothing
// for a dictionary attack to guess.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from './store/types.js';

const META_KEY = 'trainer_secret_sha256';

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Makes a secret when none exists; returns it (to print once) only when it was just made. */
export async function ensureTrainerSecret(store: Store): Promise<string | undefined> {
  if (await store.getMeta(META_KEY)) return undefined;
  return resetTrainerSecret(store);
}

export async function resetTrainerSecret(store: Store): Promise<string> {
  const secret = `hts_${randomBytes(32).toString('base64url')}`;
  await store.setMeta(META_KEY, digest(secret).toString('base64url'));
  return secret;
}

export async function checkTrainerSecret(store: Store, secret: string): Promise<boolean> {
  const stored = await store.getMeta(META_KEY);
  if (!stored || secret.length > 200) return false;
  return timingSafeEqual(Buffer.from(stored, 'base64url'), digest(secret));
}
