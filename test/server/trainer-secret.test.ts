// The trainer secret stays pending until `serve` has shown it: a start that dies before printing it
// makes a fresh one next time instead of leaving the trainer locked out behind a hash nobody saw.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/store/memory.js';
import { checkTrainerSecret, ensureTrainerSecret, trainerSecretShown } from '../../server/trainer-secret.js';

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
});
