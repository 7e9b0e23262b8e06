// Makes the console pairs of a run. On a real relay, as a trainer would: one exercise per pair
// (POST /v1/exercises), a one-time code per station, and each console enrols its own fresh key with its code
// (POST /v1/enrol). On the bare relay nothing is enrolled: the keys are made the same way and sign the same.
import { HotlineError } from '../shared/errors.js';
import type { ExerciseDef, PublicJwk } from '../shared/items.js';
import type { TrainerApi } from '../client/trainer-api.js';
import { generateBenchKey, type BenchKey } from './signer.js';

export interface PairSetup {
  index: number;
  exercise: ExerciseDef;
  sender: { station: string; key: BenchKey };
  receiver: { station: string; key: BenchKey };
}

export interface RealSetup {
  pairs: PairSetup[];
  relayJwk: PublicJwk;
}

export function benchExercise(id: string, index: number): ExerciseDef {
  return {
    id,
    title: `Bench pair ${index}`,
    classification: 'UNCLASSIFIED // EXERCISE',
    stations: [
      { id: 'beijing', name: 'Beijing (bench)', lang: 'zh' },
      { id: 'washington', name: 'Washington (bench)', lang: 'en' },
    ],
  };
}

/** Runs `work` over 0..count-1 with at most `limit` in flight; `done` after each. */
export async function inParallel(
  count: number,
  limit: number,
  work: (i: number) => Promise<void>,
  done?: (n: number) => void,
): Promise<void> {
  let next = 0;
  let finished = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      await work(i);
      done?.(++finished);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

async function enrolKey(
  api: TrainerApi,
  code: string,
  operator: string,
): Promise<{ key: BenchKey; relay: { publicJwk: PublicJwk } }> {
  const key = await generateBenchKey();
  const enrolled = await api.enrol({ code, publicJwk: key.publicJwk, operator });
  if (enrolled.kid !== key.kid) throw new HotlineError('INTERNAL', 'the relay enrolled another kid than the bench key');
  return { key, relay: enrolled.relay };
}

/** Creates `count` exercises named `${prefix}-${i}` and enrols a sender and a receiver in each. */
export async function setupRealPairs(
  api: TrainerApi,
  count: number,
  prefix: string,
  onProgress?: (done: number) => void,
): Promise<RealSetup> {
  const pairs = new Array<PairSetup>(count);
  let relayJwk: PublicJwk | undefined;
  await inParallel(
    count,
    16,
    async (index) => {
      const def = benchExercise(`${prefix}-${index}`, index);
      await api.createExercise(def);
      const [a, b] = def.stations;
      const code = async (station: string) => (await api.issueCode(def.id, station, 600)).code;
      const [codeA, codeB] = await Promise.all([code(a.id), code(b.id)]);
      const [sender, receiver] = await Promise.all([
        enrolKey(api, codeA, 'bench sender'),
        enrolKey(api, codeB, 'bench receiver'),
      ]);
      relayJwk = sender.relay.publicJwk;
      pairs[index] = {
        index,
        exercise: def,
        sender: { station: a.id, key: sender.key },
        receiver: { station: b.id, key: receiver.key },
      };
    },
    onProgress,
  );
  return { pairs, relayJwk: relayJwk! };
}

/** Pairs for the bare relay: the same keys and signatures, nothing enrolled anywhere. */
export async function setupBarePairs(count: number, prefix: string): Promise<PairSetup[]> {
  const pairs: PairSetup[] = [];
  for (let index = 0; index < count; index++) {
    const def = benchExercise(`${prefix}-${index}`, index);
    pairs.push({
      index,
      exercise: def,
      sender: { station: def.stations[0].id, key: await generateBenchKey() },
      receiver: { station: def.stations[1].id, key: await generateBenchKey() },
    });
  }
  return pairs;
}
