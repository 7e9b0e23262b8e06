// The HTTP API's request bodies and answers (server/http.ts, docs/PROTOCOL.md "All routes"): the relay
// types what it sends with these and every client reads the same shapes, so a change shows up in both.
import type { LineSettings } from './line-entries.js';
import { HotlineError, isErrorCode, type ErrorCode } from './errors.js';
import type { ExerciseDef, Lang, Precedence, PublicJwk } from './items.js';
import type { ExerciseState, Phase } from './exercise-clock.js';
import type { InjectDef } from './scenario.js';

/** A request body as it arrives, before the server checks it: every field may be missing or of any type. */
export type Unchecked<T> = { [K in keyof T]?: unknown };

/** GET /livez */
export interface Liveness {
  status: 'ok';
}

/** GET /readyz (503 STORE_UNAVAILABLE otherwise) */
export interface Readiness {
  status: 'ready';
}

/** GET /v1/relay: the key that signs checkpoints and trainer tokens. */
export interface RelayInfo {
  kid: string;
  publicJwk: PublicJwk;
}

/** GET /v1/relay: the relay key and every relay of this log (a trainer's live view fails over between them). */
export interface RelayDescription extends RelayInfo {
  /** As in the enrolment answer (Enrolled.relays). */
  relays: string[];
}

/** POST /v1/auth/token */
export interface TokenRequest {
  secret: string;
  /** The trainer's display name (1 to 80 characters), carried in the token and written into every entry the
   * trainer causes (lifecycle, injects, notes); "Trainer" when not given. */
  name?: string;
}

/**
 * The answer to POST /v1/auth/token and to POST /v1/auth/renew (no body; the bearer token is the auth): a
 * trainer JWT and when it stops working. A renewed token keeps the session's auth_time, so renewals end 12 h
 * after the secret was used.
 */
export interface TrainerToken {
  token: string;
  expiresAt: string;
}

/** POST /v1/enrol: only the public key travels; the private key never leaves the console. */
export interface EnrolRequest {
  code: string;
  publicJwk: PublicJwk;
  operator: string;
  /** A device that only translates (docs/PROTOCOL.md section 16); absent for an operator console. */
  role?: 'translator';
}

/** POST /v1/enrol/preview: what a code would enrol, looked up without using it (the code is the auth). */
export interface EnrolPreviewRequest {
  code: string;
}

/** The answer to POST /v1/enrol/preview (200): the enrolment page names the exercise and station first. */
export interface EnrolPreview {
  exercise: { id: string; title: string; classification: string };
  station: { id: string; name: string; lang: Lang };
  /** When the code stops working (ISO 8601 UTC). */
  expiresAt: string;
}

/** The answer to POST /v1/enrol (201). The console pins `relay.publicJwk` for checkpoints. */
export interface Enrolled {
  exercise: ExerciseDef;
  station: string;
  kid: string;
  /** The key-enrolled entry. */
  idx: number;
  relay: RelayInfo;
  /** The public URLs (origins) of every relay serving this log, in the order to try them: the console's
   * relays to fail over to (PROTOCOL.md section 10). At least the relay that answered. */
  relays: string[];
}

/** One row of GET /v1/exercises: the definition with when it was made and how long its log is. */
export interface ExerciseSummary extends ExerciseDef {
  createdAt: string;
  entries: number;
  phase: Phase;
}

/** GET /v1/exercises */
export interface ExerciseList {
  exercises: ExerciseSummary[];
}

/** The answer to POST /v1/exercises (201; the body is an ExerciseDef). */
export interface ExerciseCreated {
  def: ExerciseDef;
  /** The exercise-created entry. */
  idx: number;
}

/** A console key of an exercise, as GET /v1/exercises/:id lists it. */
export interface KeyInfo {
  kid: string;
  exercise: string;
  station: string;
  operator: string;
  publicJwk: PublicJwk;
  enrolledIdx: number;
  revokedIdx: number | null;
  /** What the device may sign: everything (operator), or translations and link replies only (translator). */
  role: 'operator' | 'translator';
}

/** GET /v1/exercises/:id */
export interface ExerciseDetail {
  def: ExerciseDef;
  createdAt: string;
  head: { idx: number; hash: string };
  keys: KeyInfo[];
}

/** POST /v1/exercises/:id/enrolment-codes; ttlSeconds defaults to the relay's enrolmentTtlSeconds. */
export interface IssueCodeRequest {
  station: string;
  ttlSeconds?: number;
}

/** The answer to POST /v1/exercises/:id/enrolment-codes (201): the code travels only in the link's #fragment. */
export interface IssuedCode {
  exercise: string;
  station: string;
  code: string;
  link: string;
  expiresAt: string;
}

/** POST /v1/exercises/:id/keys/:kid/revoke; reason defaults to "revoked by trainer". */
export interface RevokeRequest {
  reason?: string;
}

/** The answer to a revoke: the key-revoked entry. */
export interface Revoked {
  idx: number;
}

/** One inject of the exercise's MSEL as exercise control sees it. */
export interface InjectStatus {
  /** The MSEL id ("INJ-03"). */
  id: string;
  /** The inject as it stands now (after any edit). */
  def: InjectDef;
  status: 'pending' | 'held' | 'fired' | 'skipped';
  /** When a pending timed inject fires, in UTC, while the clock runs. */
  dueAt?: string;
  /** The inject entry, once fired. */
  fired?: { idx: number; at: string; id: string };
  edited: boolean;
  /** Added during play (an ad-hoc inject), not in the loaded scenario. */
  added: boolean;
}

/** GET /v1/exercises/:id/run, and the answer to every change of it: the exercise's lifecycle and MSEL. */
export interface RunState {
  exercise: string;
  phase: Phase;
  /** The relay's time of this reading, and the exercise time then (null before STARTEX). */
  at: string;
  exerciseMs: number | null;
  compression: number;
  /** The exercise's acknowledgement deadlines (ms of line time): the defaults unless a `procedures` entry set them. */
  ackDeadlinesMs: Partial<Record<Precedence, number>>;
  /** The line's procedures settings (call window, link tests): the defaults unless a `procedures` entry set them. */
  line: LineSettings;
  startex: string | null;
  endex: string | null;
  transitions: { idx: number; at: string; state: ExerciseState; by: string; compression?: number }[];
  scenario: { title: string; summary?: string; idx: number; by: string } | null;
  injects: InjectStatus[];
}

/** POST /v1/exercises/:id/state */
export interface StateRequest {
  state: ExerciseState;
  /** Exercise seconds per real second, 1 to 60; only with `running`. */
  compression?: number;
}

/**
 * POST /v1/exercises/:id/procedures (planned exercises only): all four deadlines (ms of line time, 1 min to 7
 * days) and/or line settings (shared/line-entries.ts bounds). What is left out keeps its current value; the entry
 * records the whole table.
 */
export interface ProceduresRequest {
  ackDeadlinesMs?: Record<Precedence, number>;
  line?: Partial<LineSettings>;
}

/** POST /v1/exercises/:id/scenario (planned exercises only): the scenario file's JSON as it is. */
export interface ScenarioRequest {
  scenario: unknown;
}

/** PUT /v1/exercises/:id/injects/:inject (edit before firing); POST /v1/exercises/:id/injects (ad hoc). */
export interface InjectRequest {
  def: InjectDef;
  /** Ad hoc only: fire it at once. */
  fire?: boolean;
}

/** POST /v1/exercises/:id/notes */
export interface NoteRequest {
  text: string;
  /** The entry the note is about. */
  ref?: number;
}

/** The answer to a note: its entry. */
export interface NoteAdded {
  idx: number;
}

/** Every refusal: a stable code, a human message and the error's details (expectedSeq, id, ...) beside them. */
export type ErrorBody = { code: ErrorCode; message: string } & Record<string, unknown>;

/** The HotlineError a refused request stands for: the relay's code, message and details, or INTERNAL for an
 * answer that is not the relay's (a proxy's error page, say). */
export async function refusal(res: Response): Promise<HotlineError> {
  const body: unknown = await res.json().catch(() => undefined);
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  const { code, message, ...details } = isObject ? (body as Record<string, unknown>) : {};
  return new HotlineError(
    isErrorCode(code) ? code : 'INTERNAL',
    typeof message === 'string' ? message : `HTTP ${res.status}`,
    details,
  );
}
