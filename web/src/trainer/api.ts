// The trainer API over fetch, always with `Authorization: Bearer`; a 401 ends the session.
import type { ExerciseDef, IssuedCode } from '../../../shared/items.js';
import type { Session } from './auth.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ExerciseSummary extends ExerciseDef {
  createdAt: string;
  entries: number;
}

export interface KeyInfo {
  kid: string;
  exercise: string;
  station: string;
  operator: string;
  enrolledIdx: number;
  revokedIdx: number | null;
}

export interface ExerciseDetail {
  def: ExerciseDef;
  createdAt: string;
  head: { idx: number; hash: string };
  keys: KeyInfo[];
}

export type { IssuedCode } from '../../../shared/items.js';

export class Api {
  constructor(private readonly session: Session) {}

  async #fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const token = this.session.token;
    if (!token) {
      this.session.signOut('Your trainer session expired. Sign in again.');
      throw new ApiError(401, 'UNAUTHORIZED', 'Not signed in.');
    }
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (res.ok) return res;
    const err = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    if (res.status === 401) this.session.signOut('Your trainer session expired or was refused. Sign in again.');
    throw new ApiError(res.status, err.code ?? 'HTTP_ERROR', err.message ?? `HTTP ${res.status}`);
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.#fetch(method, path, body)).json()) as T;
  }

  listExercises(): Promise<{ exercises: ExerciseSummary[] }> {
    return this.json('GET', '/v1/exercises');
  }

  createExercise(def: ExerciseDef): Promise<{ def: ExerciseDef; idx: number }> {
    return this.json('POST', '/v1/exercises', def);
  }

  exercise(id: string): Promise<ExerciseDetail> {
    return this.json('GET', `/v1/exercises/${encodeURIComponent(id)}`);
  }

  issueCode(id: string, station: string, ttlSeconds: number): Promise<IssuedCode> {
    return this.json('POST', `/v1/exercises/${encodeURIComponent(id)}/enrolment-codes`, { station, ttlSeconds });
  }

  revoke(id: string, kid: string, reason: string): Promise<{ idx: number }> {
    return this.json('POST', `/v1/exercises/${encodeURIComponent(id)}/keys/${encodeURIComponent(kid)}/revoke`, {
      reason,
    });
  }

  /** The self-contained export (JSON Lines), byte for byte as the relay sent it. */
  async exportBlob(id: string): Promise<Blob> {
    return (await this.#fetch('GET', `/v1/exercises/${encodeURIComponent(id)}/export`)).blob();
  }
}
