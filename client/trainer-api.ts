// The one client of the relay's HTTP API, used by the CLI, the load generator, the web trainer and the tests.
// Isomorphic (fetch only). A trainer either holds the secret (exchanged here for a short-lived JWT, renewed
// before it expires) or a token someone else obtained (the web trainer's session, ended on a 401).
import { HotlineError } from '../shared/errors.js';
import {
  refusal,
  type EnrolPreview,
  type EnrolPreviewRequest,
  type EnrolRequest,
  type Enrolled,
  type ExerciseCreated,
  type ExerciseDetail,
  type ExerciseList,
  type ExerciseSummary,
  type InjectRequest,
  type IssueCodeRequest,
  type IssuedCode,
  type NoteAdded,
  type NoteRequest,
  type ProceduresRequest,
  type RunState,
  type ScenarioRequest,
  type StateRequest,
  type RelayDescription,
  type RevokeRequest,
  type Revoked,
  type TokenRequest,
  type TrainerToken,
} from '../shared/http-api.js';
import type { ExerciseDef } from '../shared/items.js';

/** Why a supplied token could not be used: there was none (expired), or the relay refused it (401). */
export type TokenTrouble = 'expired' | 'refused';

export type TrainerAuth =
  { secret: string; name?: string } | { token: () => string | undefined; onUnauthorized?: (why: TokenTrouble) => void };

/** What a controller can do to one inject of the MSEL. */
export type InjectCommand = 'fire' | 'hold' | 'release' | 'skip';

/** A token this close to its expiry is renewed first, so a call never races the clock. */
const RENEW_MS = 30_000;

const at = (id: string) => `/v1/exercises/${encodeURIComponent(id)}`;

export class TrainerApi {
  #issued: TrainerToken | undefined;

  constructor(
    /** The relay's base URL (http or https). */
    readonly url: string,
    private readonly auth: TrainerAuth,
  ) {}

  async #send(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.url), {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new HotlineError('RELAY_UNREACHABLE', `Cannot reach the relay at ${this.url}: ${(err as Error).message}`);
    }
    if (res.ok) return res;
    if (res.status === 401 && token !== undefined && 'token' in this.auth) this.auth.onUnauthorized?.('refused');
    if (res.status === 401) this.#issued = undefined;
    throw await refusal(res);
  }

  async #json<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    return (await (await this.#send(method, path, body, token)).json()) as T;
  }

  /** A trainer token: the secret's (exchanged once, renewed near expiry) or the one supplied. */
  async token(): Promise<string> {
    if ('token' in this.auth) {
      const token = this.auth.token();
      if (token !== undefined) return token;
      this.auth.onUnauthorized?.('expired');
      throw new HotlineError('UNAUTHORIZED', 'Not signed in.');
    }
    return (await this.signIn()).token;
  }

  /** POST /v1/auth/token with the secret: what the web trainer keeps as its session. */
  async signIn(): Promise<TrainerToken> {
    if (!('secret' in this.auth)) throw new HotlineError('UNAUTHORIZED', 'No trainer secret to sign in with.');
    if (this.#issued === undefined || Date.parse(this.#issued.expiresAt) - RENEW_MS < Date.now()) {
      const { secret, name } = this.auth;
      const body: TokenRequest = name === undefined ? { secret } : { secret, name };
      this.#issued = await this.#json<TrainerToken>('POST', '/v1/auth/token', body);
    }
    return this.#issued;
  }

  /** POST /v1/auth/renew: a fresh token for the same session (refused 401 once the session is 12 h old). */
  async renew(): Promise<TrainerToken> {
    const renewed = await this.#json<TrainerToken>('POST', '/v1/auth/renew', undefined, await this.token());
    if ('secret' in this.auth) this.#issued = renewed;
    return renewed;
  }

  async #trainer<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.#json<T>(method, path, body, await this.token());
  }

  /** GET /v1/relay (no auth): the relay key, e.g. to verify an export against, and every relay of the log. */
  relayInfo(): Promise<RelayDescription> {
    return this.#json('GET', '/v1/relay');
  }

  /** POST /v1/enrol (the code is the auth): enrols a public key made elsewhere. */
  enrol(request: EnrolRequest): Promise<Enrolled> {
    return this.#json('POST', '/v1/enrol', request);
  }

  /** POST /v1/enrol/preview: what a code would enrol, without using it. */
  previewEnrolment(code: string): Promise<EnrolPreview> {
    return this.#json('POST', '/v1/enrol/preview', { code } satisfies EnrolPreviewRequest);
  }

  async listExercises(): Promise<ExerciseSummary[]> {
    return (await this.#trainer<ExerciseList>('GET', '/v1/exercises')).exercises;
  }

  createExercise(def: ExerciseDef): Promise<ExerciseCreated> {
    return this.#trainer('POST', '/v1/exercises', def);
  }

  exercise(id: string): Promise<ExerciseDetail> {
    return this.#trainer('GET', at(id));
  }

  /** A one-time enrolment code for a station; without ttlSeconds the relay's default validity. */
  issueCode(id: string, station: string, ttlSeconds?: number): Promise<IssuedCode> {
    const body: IssueCodeRequest = ttlSeconds === undefined ? { station } : { station, ttlSeconds };
    return this.#trainer('POST', `${at(id)}/enrolment-codes`, body);
  }

  revoke(id: string, kid: string, reason?: string): Promise<Revoked> {
    const body: RevokeRequest = reason === undefined ? {} : { reason };
    return this.#trainer('POST', `${at(id)}/keys/${encodeURIComponent(kid)}/revoke`, body);
  }

  /** The exercise's lifecycle, clock and MSEL as exercise control sees it. */
  run(id: string): Promise<RunState> {
    return this.#trainer('GET', `${at(id)}/run`);
  }

  /** STARTEX (running, optionally with a compression), pause, resume (running) or ENDEX (ended). */
  setState(id: string, request: StateRequest): Promise<RunState> {
    return this.#trainer('POST', `${at(id)}/state`, request);
  }

  /** Loads (or, before STARTEX, replaces) the MSEL; refused SCENARIO_INVALID with `problems` naming each fault. */
  /** Sets the exercise's acknowledgement deadlines (ms of line time, all four), before STARTEX only. */
  /** Sets the exercise's deadlines and/or line settings before STARTEX; what is left out keeps its value. */
  setProcedures(id: string, body: ProceduresRequest): Promise<RunState> {
    return this.#trainer('POST', `${at(id)}/procedures`, body);
  }

  loadScenario(id: string, scenario: unknown): Promise<RunState> {
    const body: ScenarioRequest = { scenario };
    return this.#trainer('POST', `${at(id)}/scenario`, body);
  }

  injectCommand(id: string, inject: string, command: InjectCommand): Promise<RunState> {
    return this.#trainer('POST', `${at(id)}/injects/${encodeURIComponent(inject)}/${command}`);
  }

  /** Edits an inject that has not fired yet. */
  editInject(id: string, inject: string, def: InjectRequest['def']): Promise<RunState> {
    const body: InjectRequest = { def };
    return this.#trainer('PUT', `${at(id)}/injects/${encodeURIComponent(inject)}`, body);
  }

  /** Adds an ad-hoc inject to the MSEL, and fires it at once with `fire`. */
  addInject(id: string, def: InjectRequest['def'], fire = false): Promise<RunState> {
    const body: InjectRequest = { def, fire };
    return this.#trainer('POST', `${at(id)}/injects`, body);
  }

  /** A controller's note, private to exercise control, at this moment (and about entry `ref`). */
  addNote(id: string, text: string, ref?: number): Promise<NoteAdded> {
    const body: NoteRequest = ref === undefined ? { text } : { text, ref };
    return this.#trainer('POST', `${at(id)}/notes`, body);
  }

  /** The self-contained export (JSON Lines) as it streams from the relay. */
  async exportStream(id: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.#send('GET', `${at(id)}/export`, undefined, await this.token());
    if (!res.body) throw new HotlineError('BAD_EXPORT', 'The relay sent an empty export.');
    return res.body;
  }

  /** The self-contained export, byte for byte as the relay sent it. */
  async exportBlob(id: string): Promise<Blob> {
    return (await this.#send('GET', `${at(id)}/export`, undefined, await this.token())).blob();
  }
}
