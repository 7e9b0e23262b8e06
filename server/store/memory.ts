// A volatile store: the same chain, seq and code rules as SQLite (one ChainLinker), kept in memory and
// never written to disk. It exists to measure the relay without storage (`hotline bench --store volatile`)
// and is never used by `hotline serve`: nothing it accepts survives the process.
import type { Entry } from '../../shared/entry.js';
import type { KeyRole } from '../../shared/entry-data.js';
import type { ExerciseDef, PublicJwk } from '../../shared/items.js';
import { ChainLinker, isControl, isEndex } from './chain-linker.js';
import type {
  AppendRequest,
  AppendResult,
  Committed,
  EnrolmentCode,
  EnrolmentCodeState,
  ExerciseRecord,
  Head,
  ItemIndex,
  KeyRecord,
  MessageRecord,
  Store,
} from './types.js';

interface Item extends ItemIndex {
  exercise: string;
  idx: number;
}

export class MemoryStore implements Store {
  readonly #exercises = new Map<string, { def: ExerciseDef; createdAt: string; log: Committed[] }>();
  readonly #items = new Map<string, Item>();
  readonly #ids = new Map<string, Item>();
  readonly #keys = new Map<string, KeyRecord>();
  readonly #codes = new Map<string, EnrolmentCode & { usedAt?: string }>();
  readonly #meta = new Map<string, string>();
  readonly #lastSeq = new Map<string, number>();
  readonly #linker = new ChainLinker({
    head: (id) => this.#head(id) ?? (this.#exercises.has(id) ? { idx: -1, hash: '' } : null),
    lastSeq: (kid) => this.#lastSeq.get(kid) ?? -1,
    itemBySeq: (kid, seq) => {
      const i = this.#items.get(`${kid}:${seq}`);
      return i && { payloadHash: i.payloadHash, json: this.#exercises.get(i.exercise)!.log[i.idx]!.json };
    },
    idTaken: (exercise, id) => this.#ids.has(`${exercise}:${id}`),
    code: (hash) => {
      const c = this.#codes.get(hash);
      return c && { exercise: c.exercise, station: c.station, expires_at: c.expiresAt, used_at: c.usedAt ?? null };
    },
    keyExists: (kid) => this.#keys.has(kid),
    keyRevoked: (kid) => (this.#keys.get(kid)?.revokedIdx ?? null) !== null,
    exerciseExists: (id) => this.#exercises.has(id),
    exerciseEnded: (id) => this.#ended.has(id),
    lastControl: (id) => this.#exercises.get(id)?.log.findLast((c) => isControl(c.entry.kind))?.entry.idx ?? -1,
  });
  readonly #ended = new Set<string>();

  #head(id: string): Head | null {
    const last = this.#exercises.get(id)?.log.at(-1);
    return last ? { idx: last.entry.idx, hash: last.entry.hash } : null;
  }

  #write(req: AppendRequest, entry: Entry, json: string): void {
    if (req.kind === 'exercise-created') {
      this.#exercises.set(req.exercise, {
        def: (req.data as { exercise: ExerciseDef }).exercise,
        createdAt: req.at,
        log: [],
      });
    }
    this.#exercises.get(req.exercise)!.log.push({ exercise: req.exercise, entry, json, duplicate: false });
    if (req.item) {
      const item: Item = { ...req.item, exercise: req.exercise, idx: entry.idx };
      this.#items.set(`${item.kid}:${item.seq}`, item);
      this.#ids.set(`${req.exercise}:${item.id}`, item);
      this.#lastSeq.set(item.kid, item.seq);
    }
    if (req.kind === 'key-enrolled') {
      const d = req.data as { kid: string; station: string; operator: string; publicJwk: PublicJwk; role?: KeyRole };
      const { role = 'operator', ...rest } = d;
      this.#keys.set(d.kid, { ...rest, role, exercise: req.exercise, enrolledIdx: entry.idx, revokedIdx: null });
      const code = req.codeHash === undefined ? undefined : this.#codes.get(req.codeHash);
      if (code) code.usedAt = req.at;
    }
    if (isEndex(req)) this.#ended.add(req.exercise);
    if (req.kind === 'key-revoked') {
      const key = this.#keys.get((req.data as { kid: string }).kid);
      if (key && key.revokedIdx === null) key.revokedIdx = entry.idx;
    }
  }

  async append(requests: AppendRequest[]): Promise<AppendResult[]> {
    const batch = this.#linker.begin();
    return requests.map((req) => batch.link(req, (_body, entry, json) => this.#write(req, entry, json)));
  }

  async read(exercise: string, from: number, limit: number): Promise<Committed[]> {
    return (this.#exercises.get(exercise)?.log ?? []).slice(from, from + limit);
  }

  async readControl(exercise: string): Promise<Committed[]> {
    return (this.#exercises.get(exercise)?.log ?? []).filter(
      (c) => c.entry.kind !== 'message' && c.entry.kind !== 'receipt',
    );
  }

  async head(exercise: string): Promise<Head | null> {
    return this.#head(exercise);
  }

  async getExercise(id: string): Promise<ExerciseRecord | undefined> {
    const e = this.#exercises.get(id);
    return e && { def: e.def, createdAt: e.createdAt, head: this.#head(id) ?? { idx: -1, hash: '' } };
  }

  async listExercises(): Promise<ExerciseRecord[]> {
    return Promise.all([...this.#exercises.keys()].map(async (id) => (await this.getExercise(id))!));
  }

  async getKey(kid: string): Promise<KeyRecord | undefined> {
    return this.#keys.get(kid);
  }

  async listKeys(exercise: string): Promise<KeyRecord[]> {
    return [...this.#keys.values()].filter((k) => k.exercise === exercise);
  }

  async nextSeq(kid: string): Promise<number> {
    return (this.#lastSeq.get(kid) ?? -1) + 1;
  }

  async findMessage(exercise: string, id: string): Promise<MessageRecord | undefined> {
    const i = this.#ids.get(`${exercise}:${id}`);
    if (!i || i.type !== 'message') return undefined;
    return { idx: i.idx, hash: this.#exercises.get(exercise)!.log[i.idx]!.entry.hash, from: i.from, to: i.to };
  }

  async addEnrolmentCode(code: EnrolmentCode): Promise<void> {
    this.#codes.set(code.codeHash, { ...code });
  }

  async findEnrolmentCode(codeHash: string): Promise<EnrolmentCodeState | undefined> {
    const c = this.#codes.get(codeHash);
    return c && { exercise: c.exercise, station: c.station, expiresAt: c.expiresAt, used: c.usedAt !== undefined };
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.#meta.get(key);
  }

  async swapMeta(key: string, expected: string | null, value: string): Promise<boolean> {
    if ((this.#meta.get(key) ?? null) !== expected) return false;
    this.#meta.set(key, value);
    return true;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.#meta.set(key, value);
  }

  async probe(): Promise<void> {}

  async close(): Promise<void> {}
}
