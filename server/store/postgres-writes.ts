// The rows a linked batch writes to PostgreSQL, gathered while the linker runs and written with one statement
// per table (unnest of arrays), inside the batch's transaction: the same rows the embedded store writes one
// at a time (sqlite-statements.ts, writeEntry).
import type { PoolClient } from 'pg';
import type { Entry } from '../../shared/entry.js';
import type { AppendRequest } from './types.js';

type Cell = string | number | null;

export class BatchRows {
  readonly #exercises: Cell[][] = [[], [], []];
  readonly #entries: Cell[][] = Array.from({ length: 11 }, () => []);
  readonly #control: Cell[][] = [[], [], [], []];
  readonly #keys: Cell[][] = Array.from({ length: 7 }, () => []);
  readonly #revoked: Cell[][] = [[], []];
  readonly #codes: Cell[][] = [[], []];
  /** Each key's last seq, written once per batch. */
  readonly seqs = new Map<string, number>();

  add(req: AppendRequest, entry: Entry, json: string): void {
    if (req.kind === 'exercise-created') {
      push(this.#exercises, [req.exercise, JSON.stringify((req.data as { exercise: unknown }).exercise), req.at]);
    }
    const i = req.item;
    push(this.#entries, [
      req.exercise,
      entry.idx,
      entry.hash,
      json,
      ...(i ? [i.id, i.type, i.kid, i.seq, i.payloadHash, i.from, i.to] : [null, null, null, null, null, null, null]),
    ]);
    if (i) this.seqs.set(i.kid, i.seq);
    if (req.kind !== 'message' && req.kind !== 'receipt') {
      const state = (req.data as { state?: unknown } | undefined)?.state;
      push(this.#control, [req.exercise, entry.idx, req.kind, typeof state === 'string' ? state : null]);
    }
    if (req.kind === 'key-enrolled') {
      const d = req.data as { kid: string; station: string; operator: string; publicJwk: unknown; role?: string };
      const jwk = JSON.stringify(d.publicJwk);
      push(this.#keys, [d.kid, req.exercise, d.station, d.operator, jwk, entry.idx, d.role ?? 'operator']);
      if (req.codeHash) push(this.#codes, [req.codeHash, req.at]);
    }
    if (req.kind === 'key-revoked') push(this.#revoked, [(req.data as { kid: string }).kid, entry.idx]);
  }

  /** Writes every gathered row; exercises first (entries refer to them), keys before their revocations. */
  async write(client: PoolClient): Promise<void> {
    const q = async (cols: Cell[][], sql: string) => {
      if (cols[0]!.length > 0) await client.query(sql, cols);
    };
    await q(
      this.#exercises,
      'INSERT INTO exercises (id, def, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])',
    );
    await q(
      this.#entries,
      `INSERT INTO entries (exercise, idx, hash, body, item_id, item_type, kid, seq, payload_hash, from_station, to_station)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::int[], $9::text[], $10::text[], $11::text[])`,
    );
    await q(
      this.#control,
      'INSERT INTO control (exercise, idx, kind, state) SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])',
    );
    await q(
      this.#keys,
      `INSERT INTO keys (kid, exercise, station, operator, jwk, enrolled_idx, role)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])`,
    );
    await q(
      this.#revoked,
      `UPDATE keys SET revoked_idx = r.idx FROM unnest($1::text[], $2::int[]) AS r (kid, idx)
       WHERE keys.kid = r.kid AND keys.revoked_idx IS NULL`,
    );
    await q(
      this.#codes,
      `UPDATE enrolment_codes SET used_at = u.at FROM unnest($1::text[], $2::text[]) AS u (code_hash, at)
       WHERE enrolment_codes.code_hash = u.code_hash AND enrolment_codes.used_at IS NULL`,
    );
    if (this.seqs.size > 0) {
      await client.query(
        `INSERT INTO key_seqs (kid, last_seq) SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (kid) DO UPDATE SET last_seq = excluded.last_seq`,
        [[...this.seqs.keys()], [...this.seqs.values()]],
      );
    }
  }
}

function push(cols: Cell[][], row: Cell[]): void {
  row.forEach((cell, n) => cols[n]!.push(cell));
}
