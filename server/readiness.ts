// What /readyz proves of the store: that it can commit (a durable probe write) and read what a hello reads,
// every exercise's head and its last entries. The relay adds its own conditions (relay.ts checkReady).
import type { Logger } from 'pino';
import type { Store } from './store/types.js';

/** How many of each exercise's last entries are read back, as a console resuming near the head does. */
const READY_TAIL = 16;

/** 'ok', or which part failed (logged here, with the error). */
export async function storeReadiness(store: Store, log: Logger): Promise<'ok' | 'commit' | 'read'> {
  try {
    await store.probe();
  } catch (err) {
    log.warn({ err }, 'readiness probe failed: the store cannot commit');
    return 'commit';
  }
  try {
    for (const { def, head } of await store.listExercises()) {
      if (head.idx >= 0) await store.read(def.id, Math.max(0, head.idx - READY_TAIL + 1), READY_TAIL);
    }
  } catch (err) {
    log.warn({ err }, 'readiness probe failed: the store cannot read the log');
    return 'read';
  }
  return 'ok';
}
