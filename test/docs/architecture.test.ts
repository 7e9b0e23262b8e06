// The layout is the architecture, so the import graph is checked like any other contract: each room imports
// only the rooms below it, shared/ and the client library stay isomorphic, and no files import each other in
// a circle. Read from the sources as text (every static `from '…'` and dynamic `import('…')`).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROOMS = ['shared', 'client', 'server', 'web', 'bench', 'cli'] as const;
type Room = (typeof ROOMS)[number];

/** What each room may import besides itself. The browser consoles reach the client library's browser side only. */
const MAY_IMPORT: Record<Room, readonly Room[]> = {
  shared: [],
  client: ['shared'],
  server: ['shared'],
  web: ['shared', 'client'],
  bench: ['shared', 'client', 'server'],
  cli: ['shared', 'client', 'server', 'bench'],
};

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

function specifiers(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'([^']+)'/gm)) found.push(m[1]!);
  return found;
}

/** The repository file a relative specifier names (`./x.js` is the source `./x.ts`), or null for packages. */
function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return path.normalize(path.join(path.dirname(from), spec)).replace(/\.js$/, '.ts');
}

function roomOf(file: string): Room {
  return file.split(path.sep)[0] as Room;
}

const files = ROOMS.flatMap(sources);
type Graph = Map<string, { spec: string; target: string | null }[]>;
const graph: Graph = new Map(
  files.map((f) => [f, specifiers(f).map((s) => ({ spec: s, target: resolveLocal(f, s) }))]),
);

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function circles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (w === null || !graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      const selfLoop = graph.get(v)?.some((e) => e.target === v) ?? false;
      if (scc.length > 1 || selfLoop) found.push(scc.sort());
    }
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return found;
}

/** Imports from one room into another that the room may not use. */
function upward(graph: Graph): string[] {
  return [...graph].flatMap(([f, edges]) =>
    edges
      .filter((e) => e.target !== null && !e.target.startsWith('..'))
      .filter((e) => roomOf(e.target!) !== roomOf(f) && !MAY_IMPORT[roomOf(f)].includes(roomOf(e.target!)))
      .map((e) => `${f} -> ${e.target!}`),
  );
}

describe('the house drawn from its imports', () => {
  it('reads every room, and every relative import names a file that exists', () => {
    for (const room of ROOMS)
      expect(
        files.some((f) => roomOf(f) === room),
        room,
      ).toBe(true);
    const dangling = [...graph].flatMap(([f, edges]) =>
      edges
        .filter((e) => e.target !== null && !e.target.endsWith('.css') && !graph.has(e.target))
        .map((e) => `${f} -> ${e.spec}`),
    );
    expect(dangling).toEqual([]);
  });

  it('has no import circle anywhere', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('imports only downwards: each room uses itself and the rooms below it', () => {
    expect(upward(graph)).toEqual([]);
  });

  it('keeps shared/ and the client library isomorphic, and the browser consoles off Node', () => {
    const nodeOnly = (spec: string) =>
      spec.startsWith('node:') || ['ws', 'better-sqlite3', 'pg', 'pino', 'express'].includes(spec);
    const offending = [...graph].flatMap(([f, edges]) => {
      const isomorphic =
        roomOf(f) === 'shared' || (roomOf(f) === 'client' && !f.startsWith(path.join('client', 'node')));
      if (roomOf(f) === 'web') {
        return edges
          .filter((e) => nodeOnly(e.spec) || e.target?.startsWith(path.join('client', 'node')))
          .map((e) => `${f} -> ${e.spec}`);
      }
      return isomorphic ? edges.filter((e) => nodeOnly(e.spec)).map((e) => `${f} -> ${e.spec}`) : [];
    });
    expect(offending).toEqual([]);
  });

  it('finds a circle and an upward import in a graph that has them', () => {
    const edge = (target: string) => ({ spec: `./${path.basename(target)}`, target });
    const a = path.join('server', 'a.ts');
    const b = path.join('server', 'b.ts');
    const c = path.join('shared', 'c.ts');
    const bad: Graph = new Map([
      [a, [edge(b)]],
      [b, [edge(a), edge(c)]],
      [c, [edge(path.join('client', 'd.ts'))]],
    ]);
    expect(circles(bad)).toEqual([[a, b]]);
    expect(upward(bad)).toEqual([`${c} -> ${path.join('client', 'd.ts')}`]);
  });
});
