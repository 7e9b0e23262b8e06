// The trainer secret stays pending until `serve` has shown it: a start that dies before printing it
// makes a fresh one next time instead of leaving the trainer locked out behind a hash nobody saw.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/store/memory.js';
import {
  checkTrainerSecret,
  ensureTrainerSecret,
  PENDING_GRACE_MS,
  trainerSecretShown,
} from '../../server/trainer-secret.js';

describe('the trainer secret', () => {
  it('is made again on each start until one was shown, then never again', async () => {
    const store = new MemoryStore();
    const first = await ensureTrainerSecret(store);
    expect(first).toMatch(/^hts_/);
    expect(await checkTrainerSecret(store, first!)).toBe(true);
    // The process died before printing it: the next start makes another, and the unseen one stops working.
    const second = await ensureTrainerSecret(store);
    expect(second).toMatch(/^hts_/);
    expect(second).not.toBe(first);
    expect(await checkTrainerSecret(store, first!)).toBe(false);
    expect(await checkTrainerSecret(store, second!)).toBe(true);
    await trainerSecretShown(store);
    expect(await ensureTrainerSecret(store)).toBeUndefined();
    expect(await checkTrainerSecret(store, second!)).toBe(true);
  });

  it('is made and shown by exactly one of several relays starting at once on a shared store', async () => {
    for (let round = 0; round < 20; round++) {
      const store = new MemoryStore();
      const made = await Promise.all(Array.from({ length: 4 }, () => ensureTrainerSecret(store, PENDING_GRACE_MS)));
      const shown = made.filter((s): s is string => s !== undefined);
      expect(shown).toHaveLength(1);
      expect(await checkTrainerSecret(store, shown[0]!)).toBe(true);
      // Within the grace another relay leaves it alone; after it, a pending secret is from a start that died.
      expect(await ensureTrainerSecret(store, PENDING_GRACE_MS)).toBeUndefined();
      const later = await ensureTrainerSecret(store, 0);
      expect(later).toMatch(/^hts_/);
      await trainerSecretShown(store);
      expect(await checkTrainerSecret(store, later!)).toBe(true);
      expect(await ensureTrainerSecret(store, 0)).toBeUndefined();
    }
  });
});
