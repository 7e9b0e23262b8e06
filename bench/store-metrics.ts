// The relay's own view of the store during the measurement window, from two /metrics scrapes: items
// committed, commits, the batch size histogram (hotline_commit_batch_size) and the time spent committing.

export type Samples = Map<string, number>;

/** Parses Prometheus text exposition into `name{labels}` → value (comments skipped). */
export function parsePrometheus(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) out.set(line.slice(0, space), value);
  }
  return out;
}

export interface StoreFigures {
  windowSeconds: number;
  /** Entries committed in the window (messages, receipts, anything else). */
  items: number;
  itemsPerSecond: number;
  commits: number;
  meanBatch: number;
  /** Share of commits with at most `le` entries, from the relay's histogram buckets. */
  batchSizeBuckets: { le: string; commits: number }[];
  /** Mean wall time of one durable commit (transaction + fsync), ms. */
  meanCommitMs: number;
  /** Commits by duration, from hotline_commit_seconds: `le` is the bucket's upper bound in seconds. */
  commitSecondsBuckets: { le: string; commits: number }[];
  /** What the store could absorb committing back to back at the observed batch sizes: items / commit time. */
  itemsPerCommitSecond: number;
  /** Rejections the relay counted in the window, by code. */
  rejected: Record<string, number>;
}

function delta(a: Samples, b: Samples, key: string): number {
  return (b.get(key) ?? 0) - (a.get(key) ?? 0);
}

/** Per-bucket counts (not cumulative) of a Prometheus histogram between two scrapes; empty buckets left out. */
function bucketDeltas(before: Samples, after: Samples, name: string): { le: string; commits: number }[] {
  const out: { le: string; commits: number }[] = [];
  let previous = 0;
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`);
  for (const key of after.keys()) {
    const le = pattern.exec(key)?.[1];
    if (!le) continue;
    const cumulative = delta(before, after, key);
    out.push({ le, commits: cumulative - previous });
    previous = cumulative;
  }
  return out.filter((b) => b.commits > 0);
}

export function storeFigures(before: Samples, after: Samples, windowSeconds: number): StoreFigures {
  const commits = delta(before, after, 'hotline_commit_batch_size_count');
  const batchItems = delta(before, after, 'hotline_commit_batch_size_sum');
  let items = 0;
  const rejected: Record<string, number> = {};
  const batchBuckets = bucketDeltas(before, after, 'hotline_commit_batch_size');
  for (const key of after.keys()) {
    if (key.startsWith('hotline_items_accepted_total{')) items += delta(before, after, key);
    const code = /^hotline_items_rejected_total\{code="([^"]+)"\}$/.exec(key)?.[1];
    if (code) {
      const n = delta(before, after, key);
      if (n > 0) rejected[code] = n;
    }
  }
  const commitSeconds = delta(before, after, 'hotline_commit_seconds_sum');
  const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  return {
    windowSeconds: round(windowSeconds, 3),
    items,
    itemsPerSecond: round(items / windowSeconds, 1),
    commits,
    meanBatch: commits > 0 ? round(batchItems / commits) : 0,
    batchSizeBuckets: batchBuckets,
    meanCommitMs: commits > 0 ? round((commitSeconds / commits) * 1000, 3) : 0,
    commitSecondsBuckets: bucketDeltas(before, after, 'hotline_commit_seconds'),
    itemsPerCommitSecond: commitSeconds > 0 ? Math.round(batchItems / commitSeconds) : 0,
    rejected,
  };
}
