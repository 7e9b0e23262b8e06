// The integrity check of the data file at open. A damaged page is otherwise found by the first read that
// crosses it, in the middle of serving a console; checked here, the relay refuses to start and says how to
// recover (docs/operations.md, "A corrupt data file"). PRAGMA quick_check reads every page, so its cost
// grows with the file: below QUICK_CHECK_MAX_BYTES it runs at every start; above, the start checks the
// edges instead (the first and last pages of every table and index, and each exercise's chain head), and
// `hotline serve --check full` runs the complete integrity_check on demand.
import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HotlineError } from '../../shared/errors.js';

/** quick: PRAGMA quick_check; edges: the cheap check above; full: PRAGMA integrity_check (also indexes'
 * contents); auto: quick or edges by the file's size; none: the second connection of a relay whose
 * writer thread already checked the file. */
export type CheckLevel = 'auto' | 'quick' | 'edges' | 'full' | 'none';

/** The data file in a data directory. */
export function dataFilePath(dataDir: string): string {
  return path.join(dataDir, 'hotline.db');
}

/** quick_check at start up to this size (about 120,000 entries of a typical exercise). */
export const QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024;

/** How many of each exercise's last entries the edge check reads back: what a resuming console reads. */
const TAIL = 64;

const RECOVERY = 'see docs/operations.md, "A corrupt data file", to recover';

function corrupt(file: string, what: string): HotlineError {
  return new HotlineError('STORE_CORRUPT', `The data file ${file} is damaged (${what}): ${RECOVERY}.`);
}

/** The level `auto` stands for on this file. */
export function levelFor(file: string, level: CheckLevel): Exclude<CheckLevel, 'auto'> {
  if (level !== 'auto') return level;
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return 'quick'; // No file yet: SQLite makes an empty one.
  }
  return size <= QUICK_CHECK_MAX_BYTES ? 'quick' : 'edges';
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The first and last rows of every table and index (the root page and the path down each edge), then
 * each exercise's last entries, read through entries_by_idx as a resuming console reads them: their idx
 * without a gap, each one's stored hash its body's, each one's prev the hash of the entry before. */
function checkEdges(db: Database.Database, file: string): void {
  const objects = db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'",
    )
    .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
  for (const o of objects) {
    const from = o.type === 'index' ? `${quote(o.tbl_name)} INDEXED BY ${quote(o.name)}` : quote(o.name);
    const cols =
      o.type === 'index' ? (db.prepare('SELECT name FROM pragma_index_info(?)').pluck().all(o.name) as string[]) : [];
    // A partial index is read under its own condition (SQLite uses it for no other query).
    const partial = o.type === 'index' ? / WHERE (.*)$/is.exec(o.sql ?? '')?.[1] : undefined;
    const where = partial ? ` WHERE ${partial}` : '';
    // An index in its own order; a table in its key's order (rowid, or the first primary key column).
    const key = cols.length > 0 ? cols.map(quote).join(', ') : isWithoutRowid(db, o.name) ? '1' : 'rowid';
    db.prepare(`SELECT * FROM ${from}${where} ORDER BY ${key} LIMIT 1`).all();
    db.prepare(`SELECT * FROM ${from}${where} ORDER BY ${descending(key)} LIMIT 1`).all();
  }
  const exercises = db.prepare('SELECT id FROM exercises').pluck().all() as string[];
  const tail = db.prepare('SELECT idx, hash, body FROM entries WHERE exercise = ? ORDER BY idx DESC LIMIT ?');
  for (const id of exercises) {
    const rows = tail.all(id, TAIL) as { idx: number; hash: string; body: string }[];
    if (rows.length === 0) throw corrupt(file, `exercise ${id} has no entry`);
    rows.forEach((row, n) => {
      const entry = parseEntry(row.body);
      const before = rows[n + 1];
      const linked = before === undefined || (before.idx === row.idx - 1 && entry?.prev === before.hash);
      if (entry?.idx !== row.idx || entry.hash !== row.hash || !linked)
        throw corrupt(
          file,
          `exercise ${id}: its entry ${row.idx} is missing, differs or does not follow the one before`,
        );
    });
  }
}

function parseEntry(body: string): { idx?: unknown; hash?: unknown; prev?: unknown } | undefined {
  try {
    return JSON.parse(body) as { idx?: unknown; hash?: unknown; prev?: unknown };
  } catch {
    return undefined;
  }
}

function isWithoutRowid(db: Database.Database, table: string): boolean {
  return (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) as string).includes(
    'WITHOUT ROWID',
  );
}

function descending(order: string): string {
  return order
    .split(', ')
    .map((c) => `${c} DESC`)
    .join(', ');
}

/** Checks an open connection; throws STORE_CORRUPT when the file is damaged. */
export function checkDatabase(db: Database.Database, file: string, level: CheckLevel): void {
  const chosen = levelFor(file, level);
  if (chosen === 'none') return;
  try {
    if (chosen === 'edges') {
      checkEdges(db, file);
      return;
    }
    const pragma = chosen === 'full' ? 'integrity_check' : 'quick_check';
    const problems = db.pragma(`${pragma}(20)`, { simple: false }) as Record<string, string>[];
    const found = problems.map((r) => Object.values(r)[0]).filter((p) => p !== 'ok');
    if (found.length > 0) throw corrupt(file, found.slice(0, 3).join('; '));
  } catch (err) {
    if (err instanceof HotlineError) throw err;
    if (isCorruption(err)) throw corrupt(file, (err as Error).message);
    throw err;
  }
}

/** SQLite's own words for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB and their extended codes). */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/** Opens `file` read-only and checks it (for `hotline serve --check full` and tests). */
export function checkDataFile(file: string, level: CheckLevel): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    if (isCorruption(err)) throw corrupt(file, (err as Error).message);
    throw err;
  }
  try {
    checkDatabase(db, file, level);
  } finally {
    db.close();
  }
}
