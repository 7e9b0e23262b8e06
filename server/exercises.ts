// Exercise administration on top of the relay core: create, issue enrolment codes, enrol, revoke, export.
import { HotlineError } from '../shared/errors.js';
import { exportLines, EXPORT_FORMAT, type ExportHeader } from '../shared/export.js';
import { parsePublicJwk, thumbprint } from '../shared/jws.js';
import type {
  EnrolPreview,
  EnrolPreviewRequest,
  EnrolRequest,
  Enrolled,
  ExerciseCreated,
  ExerciseSummary,
  IssuedCode,
  Revoked,
  Unchecked,
} from '../shared/http-api.js';
import { EXERCISE_MARKING } from '../shared/classification.js';
import { exerciseDef, LIMITS, otherStation, type ExerciseDef } from '../shared/items.js';
import { validate } from '../shared/protocol.js';
import { DEFAULT_STATIONS } from '../shared/stations.js';
import type { Entry } from '../shared/entry.js';
import { enrolmentLink, hashEnrolmentCode, newEnrolmentCode } from './enrolment-code.js';
import type { Relay } from './relay.js';
import type { ExerciseRunner } from './exercise-runner.js';
import type { RelayKey } from './relay-key.js';
import type { Store } from './store/types.js';

export const DEFAULT_EXERCISE: ExerciseDef = {
  id: 'dtl',
  title: 'Defense Telephone Link',
  classification: EXERCISE_MARKING,
  stations: DEFAULT_STATIONS,
};

/** The members of an enrolment body: anything else is refused rather than ignored. */
const ENROL_FIELDS: ReadonlySet<string> = new Set(['code', 'publicJwk', 'operator', 'role']);

export interface ExercisesDeps {
  /** Appends go through the relay core, so they share its commits, checks and fan-out. */
  relay: Pick<Relay, 'append' | 'exercise' | 'checkpoint'>;
  store: Store;
  key: RelayKey;
  /** The relay's URL as consoles reach it: enrolment links start with it. */
  publicUrl: string;
  /** Every relay of this log (config relayUrls), handed to consoles at enrolment; empty: the public URL alone. */
  relayUrls?: string[];
  runner: Pick<ExerciseRunner, 'phase'>;
}

/** A revocation reason cut to its limit in UTF-16 units, never through the middle of a surrogate pair. */
function cutReason(reason: string): string {
  const cut = reason.slice(0, LIMITS.revocationReason);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

export class Exercises {
  readonly #relay: ExercisesDeps['relay'];
  readonly #store: Store;
  readonly #key: RelayKey;
  readonly #publicUrl: string;
  /** Every relay of this log, this one among them (the enrolment answer's and GET /v1/relay's `relays`). */
  readonly relays: readonly string[];
  readonly #runner: ExercisesDeps['runner'];
  #revoking: Promise<unknown> = Promise.resolve();

  constructor(deps: ExercisesDeps) {
    this.#relay = deps.relay;
    this.#store = deps.store;
    this.#key = deps.key;
    this.#publicUrl = deps.publicUrl;
    this.relays = deps.relayUrls?.length ? deps.relayUrls : [deps.publicUrl];
    this.#runner = deps.runner;
  }

  async create(input: unknown): Promise<ExerciseCreated> {
    const def = validate(exerciseDef, input, 'BAD_REQUEST');
    const c = await this.#relay.append({
      exercise: def.id,
      kind: 'exercise-created',
      at: new Date().toISOString(),
      data: { exercise: def, relayKid: this.#key.kid },
    });
    return { def, idx: c.entry.idx };
  }

  async list(): Promise<ExerciseSummary[]> {
    const all = await this.#store.listExercises();
    return all.map((e) => ({
      ...e.def,
      createdAt: e.createdAt,
      entries: e.head.idx + 1,
      phase: this.#runner.phase(e.def.id),
    }));
  }

  async issueCode(exercise: string, station: string, ttlSeconds: number): Promise<IssuedCode> {
    const def = await this.#relay.exercise(exercise);
    if (otherStation(def, station) === undefined)
      throw new HotlineError('BAD_REQUEST', `Exercise ${exercise} has no station ${station}.`);
    if (this.#runner.phase(exercise) === 'ended')
      throw new HotlineError('EXERCISE_ENDED', `Exercise ${exercise} has ended: no console can join it.`);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 30 || ttlSeconds > 7 * 24 * 3600) {
      throw new HotlineError('BAD_REQUEST', 'ttlSeconds must be between 30 and 604800.');
    }
    const code = newEnrolmentCode();
    const issuedAt = new Date();
    const expiresAt = new Date(issuedAt.getTime() + ttlSeconds * 1000).toISOString();
    await this.#store.addEnrolmentCode({
      codeHash: hashEnrolmentCode(code),
      exercise,
      station,
      issuedAt: issuedAt.toISOString(),
      expiresAt,
    });
    return { exercise, station, code, link: enrolmentLink(this.#publicUrl, code), expiresAt };
  }

  async enrol(body: Unchecked<EnrolRequest>): Promise<Enrolled> {
    const extra = Object.keys(body).find((k) => !ENROL_FIELDS.has(k));
    if (extra !== undefined)
      throw new HotlineError(
        'BAD_REQUEST',
        `Unknown field ${extra}; an enrolment takes ${[...ENROL_FIELDS].join(', ')}.`,
      );
    if (body.role !== undefined && body.role !== 'translator')
      throw new HotlineError('BAD_REQUEST', 'role is "translator" or absent (an operator console).');
    if (typeof body.code !== 'string' || body.code.length > 64)
      throw new HotlineError('BAD_REQUEST', 'code is required.');
    const operator = typeof body.operator === 'string' ? body.operator.trim() : '';
    if (operator.length === 0 || operator.length > LIMITS.operator)
      throw new HotlineError('BAD_REQUEST', `operator is required (at most ${LIMITS.operator} characters).`);
    const jwk = parsePublicJwk(body.publicJwk);
    const kid = await thumbprint(jwk);
    const codeHash = hashEnrolmentCode(body.code);
    const target = await this.#codeTarget(codeHash);
    const c = await this.#relay.append({
      exercise: target.exercise,
      kind: 'key-enrolled',
      at: new Date().toISOString(),
      data: { kid, station: target.station, operator, publicJwk: jwk, ...(body.role ? { role: body.role } : {}) },
      codeHash,
    });
    return {
      exercise: await this.#relay.exercise(target.exercise),
      station: target.station,
      kid,
      idx: c.entry.idx,
      relay: { kid: this.#key.kid, publicJwk: this.#key.publicJwk },
      relays: [...this.relays],
    };
  }

  /** What a code would enrol, refused as enrolment would refuse it (unknown, used, expired); changes nothing. */
  async previewEnrolment(body: Unchecked<EnrolPreviewRequest>): Promise<EnrolPreview> {
    if (typeof body.code !== 'string' || body.code.length > 64)
      throw new HotlineError('BAD_REQUEST', 'code is required.');
    const meta = await this.#store.findEnrolmentCode(hashEnrolmentCode(body.code));
    if (!meta) throw new HotlineError('ENROLMENT_CODE_INVALID');
    if (meta.used) throw new HotlineError('ENROLMENT_CODE_USED');
    if (meta.expiresAt <= new Date().toISOString()) throw new HotlineError('ENROLMENT_CODE_EXPIRED');
    const def = await this.#relay.exercise(meta.exercise);
    const station = def.stations.find((s) => s.id === meta.station);
    if (!station) throw new HotlineError('ENROLMENT_CODE_INVALID');
    return {
      exercise: { id: def.id, title: def.title, classification: def.classification },
      station: { id: station.id, name: station.name, lang: station.lang },
      expiresAt: meta.expiresAt,
    };
  }

  async #codeTarget(codeHash: string): Promise<{ exercise: string; station: string }> {
    const meta = await this.#store.findEnrolmentCode(codeHash);
    if (!meta) throw new HotlineError('ENROLMENT_CODE_INVALID');
    return meta;
  }

  /** One key-revoked entry per key: a second revocation is refused with the entry of the first. */
  revoke(exercise: string, kid: string, reason: string): Promise<Revoked> {
    // One at a time, so two revocations of the same key cannot both pass the check before either is stored.
    const next = this.#revoking.then(async () => {
      const key = await this.#store.getKey(kid);
      if (!key || key.exercise !== exercise)
        throw new HotlineError('NOT_FOUND', `No key ${kid} in exercise ${exercise}.`);
      if (key.revokedIdx !== null)
        throw new HotlineError('KEY_ALREADY_REVOKED', `Key ${kid} was already revoked at entry ${key.revokedIdx}.`, {
          idx: key.revokedIdx,
        });
      const c = await this.#relay.append({
        exercise,
        kind: 'key-revoked',
        at: new Date().toISOString(),
        data: { kid, reason: cutReason(reason) },
      });
      return { idx: c.entry.idx };
    });
    this.#revoking = next.catch(() => undefined);
    return next;
  }

  /** The self-contained export: header, every entry, and a fresh checkpoint of the last one. */
  async *export(exercise: string): AsyncGenerator<string> {
    const def = await this.#relay.exercise(exercise);
    const checkpoint = await this.#relay.checkpoint(exercise);
    const header: ExportHeader = {
      format: EXPORT_FORMAT,
      v: 1,
      exportedAt: new Date().toISOString(),
      exercise: def,
      relay: { kid: this.#key.kid, publicJwk: this.#key.publicJwk },
    };
    const [first] = exportLines(header, [], '');
    yield `${first}\n`;
    // The checkpoint was signed first, so export exactly the entries it covers even if more arrive.
    const last = checkpoint?.idx ?? -1;
    for (let from = 0; from <= last;) {
      const rows = await this.#store.read(exercise, from, Math.min(1000, last - from + 1));
      if (rows.length === 0) break;
      for (const r of rows) yield `${r.json}\n`;
      from = (rows[rows.length - 1]!.entry as Entry).idx + 1;
    }
    if (checkpoint) yield `${JSON.stringify({ checkpoint: checkpoint.jws })}\n`;
  }
}
