// Opens both consoles of every pair, wires their frames to the pair's bookkeeping, and waits until each has
// read the log that existed when it connected, so the measured traffic starts on quiet, caught-up consoles.
import type { ExerciseDef } from '../shared/items.js';
import { BenchConsole } from './bench-client.js';
import type { RunMeasures } from './measures.js';
import { BenchPair, type PairOptions } from './pair.js';
import { inParallel, type PairSetup } from './setup.js';
import type { Placement } from './target.js';

function lang(def: ExerciseDef, station: string) {
  return def.stations.find((s) => s.id === station)!.lang;
}

/** `place` says where each pair's consoles connect: one relay URL for all, or per pair (several relays). */
export async function connectPairs(
  place: string | ((pair: number) => Placement),
  setups: PairSetup[],
  measures: RunMeasures,
  options: Omit<PairOptions, 'lang' | 'classification'>,
  protocol: 1 | 2,
  onProgress?: (done: number) => void,
): Promise<BenchPair[]> {
  const pairs = new Array<BenchPair>(setups.length);
  await inParallel(
    setups.length,
    32,
    async (i) => {
      const s = setups[i]!;
      const at = typeof place === 'string' ? { sender: place, receiver: place } : place(s.index);
      const sender = new BenchConsole({ url: at.sender, exercise: s.exercise.id, ...s.sender, protocol });
      const receiver = new BenchConsole({ url: at.receiver, exercise: s.exercise.id, ...s.receiver, protocol });
      const pair = new BenchPair(s.index, sender, receiver, measures, {
        ...options,
        lang: lang(s.exercise, s.sender.station),
        classification: s.exercise.classification,
      });
      const closed = (side: string) => (code: number) =>
        measures.error(`SOCKET_CLOSED_${code}${code === 1000 ? '' : ` (${side})`}`);
      await Promise.all([
        sender.connect({
          entry: (e, now) => pair.onSenderEntry(e, now),
          accepted: (id, _seq, checkpoint, now) => pair.onSenderAccepted(id, checkpoint, now),
          rejected: (f) => pair.onRejected(f.code, f.id),
          closed: closed('sender'),
        }),
        receiver.connect({
          entry: (e, now) => pair.onReceiverEntry(e, now),
          accepted: () => pair.onReceiverAccepted(),
          rejected: (f) => pair.onRejected(f.code, undefined),
          closed: closed('receiver'),
        }),
      ]);
      pairs[i] = pair;
    },
    onProgress,
  );
  return pairs;
}

/** Resolves once `check` holds, polling every `everyMs`; false when `timeoutMs` passed first. */
export async function until(check: () => boolean, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}

export function caughtUp(pairs: BenchPair[]): boolean {
  return pairs.every((p) => p.sender.caughtUp && p.receiver.caughtUp);
}

export async function closePairs(pairs: BenchPair[]): Promise<void> {
  await inParallel(pairs.length, 64, async (i) => {
    const p = pairs[i];
    if (p) await Promise.all([p.sender.close(), p.receiver.close()]);
  });
}
