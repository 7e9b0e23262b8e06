// Which pages each commit of a SQLite WAL database wrote, read from its -wal file (bench/commit-pages.ts and
// the store's page tests). Every page a transaction changes is one frame (a 24-byte header, then the page);
// the frame that ends a transaction carries the database size. Frames of an older WAL generation (left in
// the file after a checkpoint restarted it) have other salts and end the read.
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** The page numbers each commit wrote, in commit order, for the WAL's current generation. */
export function walCommits(file: string): number[][] {
  const wal = readFileSync(`${file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const salt = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  const commits: number[][] = [];
  let current: number[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt[0] || wal.readUInt32BE(at + 12) !== salt[1]) break;
    current.push(wal.readUInt32BE(at));
    if (wal.readUInt32BE(at + 4) !== 0) {
      commits.push(current);
      current = [];
    }
  }
  return commits;
}

/** The table or index each page belongs to now (SQLite's dbstat), page 1 named as the file header. */
export function pageOwners(db: Database.Database): Map<number, string> {
  const owner = new Map<number, string>();
  for (const r of db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[])
    owner.set(r.pageno, r.pageno === 1 ? 'page 1 (header)' : r.name);
  return owner;
}

/** Pages per commit, by owner, over `commits`. */
export function pagesByOwner(commits: number[][], owner: Map<number, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pages of commits)
    for (const p of pages) {
      const name = owner.get(p) ?? 'other';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  return new Map([...counts].map(([name, n]) => [name, n / commits.length]));
}
