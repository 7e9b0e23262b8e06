// What the chain linker reads (LinkerLookups), fetched for a whole batch before it is linked: the linker is
// synchronous, so the PostgreSQL store reads everything a batch can ask about in a few queries, inside the
// batch's transaction and after its exercise locks are held (postgres.ts), so what is read here cannot change
// before the batch commits.
import type { PoolClient } from 'pg';
import { GENESIS_PREV } from '../../shared/entry.js';
import type { LinkerLookups } from './chain-linker.js';
import type { AppendRequest, Head } from './types.js';

type Row = Record<string, unknown>;

const kidOf = (req: AppendRequest): string | undefined =>
  req.kind === 'key-enrolled' || req.kind === 'key-revoked'
    ? (req.data as { kid?: string } | undefined)?.kid
    : undefined;

async function rows(client: PoolClient, sql: string, params: unknown[]): Promise<Row[]> {
  return (await client.query<Row>(sql, params)).rows;
}

/** A batch's lookups, read once. `current` is the request being linked (see itemBySeq). */
export async function prefetchLookups(
  client: PoolClient,
  reqs: AppendRequest[],
  current: () => AppendRequest | undefined,
): Promise<LinkerLookups> {
  const exercises = [...new Set(reqs.map((r) => r.exercise))];
  const items = reqs.flatMap((r) => (r.item ? [r] : []));
  const kids = [...new Set([...items.map((r) => r.item!.kid), ...reqs.flatMap((r) => kidOf(r) ?? [])])];
  const codes = [...new Set(reqs.flatMap((r) => r.codeHash ?? []))];
  // Each exercise with its last entry (none before its first: the head, as the embedded store reads it) and
  // whether its ENDEX is logged. One round trip per question family: each costs as much as a small query.
  const heads = await rows(
    client,
    `SELECT x.id, e.idx, e.hash, EXISTS (SELECT 1 FROM control c WHERE c.exercise = x.id
         AND c.kind = 'exercise-state' AND c.state = 'ended') AS ended,
       (SELECT max(idx) FROM control c WHERE c.exercise = x.id) AS last_control
     FROM exercises x LEFT JOIN LATERAL
       (SELECT idx, hash FROM entries WHERE exercise = x.id ORDER BY idx DESC LIMIT 1) e ON true
     WHERE x.id = ANY($1::text[])`,
    [exercises],
  );
  // Each key's last seq, whether it is enrolled, and whether it is revoked.
  const keys = kids.length
    ? await rows(
        client,
        `SELECT w.kid, s.last_seq, k.kid IS NOT NULL AS enrolled, k.revoked_idx FROM unnest($1::text[]) AS w (kid)
         LEFT JOIN key_seqs s ON s.kid = w.kid LEFT JOIN keys k ON k.kid = w.kid`,
        [kids],
      )
    : [];
  // The logged items with the ids this batch carries: they answer both ID_CONFLICT and a resubmission.
  const logged = items.length
    ? await rows(
        client,
        `SELECT e.exercise, e.item_id, e.kid, e.seq, e.payload_hash, e.body FROM entries e
         JOIN unnest($1::text[], $2::text[]) AS w (exercise, item_id)
           ON e.exercise = w.exercise AND e.item_id = w.item_id`,
        [items.map((r) => r.exercise), items.map((r) => r.item!.id)],
      )
    : [];
  const codeRows = codes.length
    ? await rows(client, 'SELECT * FROM enrolment_codes WHERE code_hash = ANY($1::text[])', [codes])
    : [];

  const headOf = new Map<string, Head>(
    heads.map((r) => [
      r['id'] as string,
      r['idx'] === null ? { idx: -1, hash: GENESIS_PREV } : { idx: r['idx'] as number, hash: r['hash'] as string },
    ]),
  );
  const controlOf = new Map(heads.map((r) => [r['id'] as string, (r['last_control'] as number | null) ?? -1]));
  const endedSet = new Set(heads.filter((r) => r['ended'] === true).map((r) => r['id'] as string));
  const seqOf = new Map(
    keys.flatMap((r) => (r['last_seq'] === null ? [] : [[r['kid'] as string, r['last_seq'] as number]])),
  );
  const keyOf = new Map(
    keys.filter((r) => r['enrolled'] === true).map((r) => [r['kid'] as string, r['revoked_idx'] as number | null]),
  );
  const itemOf = new Map(logged.map((r) => [`${r['exercise'] as string}\n${r['item_id'] as string}`, r]));
  const codeOf = new Map(codeRows.map((r) => [r['code_hash'] as string, r]));
  return {
    head: (exercise) => headOf.get(exercise) ?? null,
    lastSeq: (kid) => seqOf.get(kid) ?? -1,
    // As in sqlite-lookups.ts: asked only for the seq of the item being linked, found through its id; a
    // different item at that seq answers undefined, which the linker refuses as SEQ_CONFLICT.
    itemBySeq: (kid, seq) => {
      const req = current();
      const i = req?.item;
      if (!req || !i || i.kid !== kid || i.seq !== seq) return undefined;
      const row = itemOf.get(`${req.exercise}\n${i.id}`);
      if (!row || row['kid'] !== kid || row['seq'] !== seq) return undefined;
      return { payloadHash: row['payload_hash'] as string, json: row['body'] as string };
    },
    idTaken: (exercise, id) => itemOf.has(`${exercise}\n${id}`),
    code: (hash) => codeOf.get(hash),
    keyExists: (kid) => keyOf.has(kid),
    keyRevoked: (kid) => (keyOf.get(kid) ?? null) !== null,
    exerciseExists: (id) => headOf.has(id),
    exerciseEnded: (id) => endedSet.has(id),
    lastControl: (exercise) => controlOf.get(exercise) ?? -1,
  };
}
