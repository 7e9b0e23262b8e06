// Reads a V8 .cpuprofile (from --cpu-prof, or the relay child's profiler) and says where the time went:
// self time per function and per module (package or node internals), from the sample time deltas.
import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

/** A stretch of the main thread busy without a break: what the event loop could not answer during it. */
export interface Stall {
  /** Seconds from the start of the profile. */
  at: number;
  ms: number;
  /** The functions that took most of it (self time). */
  top: SelfTime[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled wall time of the main thread, ms (idle included). */
  totalMs: number;
  /** Main-thread time not idle: JS, GC, native work on the event loop. */
  busyMs: number;
  topFunctions: SelfTime[];
  byModule: SelfTime[];
  /** The longest busy stretches: heartbeat bursts, GC pauses, long commits show up here. */
  longestStalls: Stall[];
}

/** A readable module for a script URL: the npm package, node:internal, or the project file. */
export function moduleOf(url: string): string {
  if (url === '') return '(native / VM)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? 'internal' : url.slice(5)}`;
  const ours = /\/dist\/(.+)$/.exec(url) ?? /\/(server\/.+|shared\/.+|client\/.+)$/.exec(url);
  return ours ? ours[1]! : url;
}

function shortWhere(url: string, line: number): string {
  if (url === '') return '';
  const m = /node_modules\/(.+)$/.exec(url) ?? /\/dist\/(.+)$/.exec(url);
  return `${m ? m[1] : url}:${line + 1}`;
}

/** Starting the profiler perturbs the first moments (code logging, deopts): stalls there are its own. */
const PROFILER_SETTLE_US = 100_000;

/** Maximal runs of consecutive non-idle samples (the profiler's own inspector work counts as idle). */
function stalls(
  profile: CpuProfile,
  byId: Map<number, CpuProfileNode>,
  labelOf: (id: number) => { name: string; where: string },
  count: number,
): Stall[] {
  const out: { start: number; us: number; by: Map<string, { name: string; where: string; us: number }> }[] = [];
  let current: (typeof out)[number] | undefined;
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const cf = byId.get(id)!.callFrame;
    if (
      cf.functionName === '(idle)' ||
      cf.url.startsWith('node:inspector') ||
      (cf.url === '' && /inspector/.test(labelOf(id).where))
    ) {
      if (current) out.push(current);
      current = undefined;
      continue;
    }
    current ??= { start: t - dt, us: 0, by: new Map() };
    current.us += dt;
    const l = labelOf(id);
    const key = `${l.name}|${l.where}`;
    const e = current.by.get(key) ?? { ...l, us: 0 };
    e.us += dt;
    current.by.set(key, e);
  }
  if (current) out.push(current);
  return out
    .filter((st) => st.start >= PROFILER_SETTLE_US)
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((st) => ({
      at: Math.round(st.start / 1e4) / 100,
      ms: Math.round(st.us / 100) / 10,
      top: [...st.by.values()]
        .sort((a, b) => b.us - a.us)
        .slice(0, 3)
        .map((e) => ({
          name: e.name,
          where: e.where,
          ms: Math.round(e.us / 100) / 10,
          percent: Math.round((e.us / st.us) * 1000) / 10,
        })),
    }));
}

export function summariseProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, CpuProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  /** Native frames (no script) are named after the nearest JS caller: `run` alone says nothing. */
  const caller = (id: number): string => {
    for (let p = parent.get(id); p; p = parent.get(p.id)) {
      if (p.callFrame.url)
        return `${p.callFrame.functionName || '(anonymous)'} ${shortWhere(p.callFrame.url, p.callFrame.lineNumber)}`;
    }
    return '';
  };
  const self = new Map<number, number>();
  // timeDeltas[i] is the time between sample i-1 and sample i; charge it to sample i's node.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const labelOf = (id: number): { name: string; where: string } => {
    const cf = byId.get(id)!.callFrame;
    const name = cf.functionName || '(anonymous)';
    return {
      name,
      where: cf.url
        ? shortWhere(cf.url, cf.lineNumber)
        : name.startsWith('(')
          ? ''
          : `native, called from ${caller(id) || '?'}`,
    };
  };
  /** The script of the nearest JS caller, so native work counts towards the module that asked for it. */
  const nativeModule = (id: number): string => {
    for (let p = parent.get(id); p; p = parent.get(p.id)) if (p.callFrame.url) return p.callFrame.url;
    return '';
  };
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const mod = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    total += us;
    const { name, where } = labelOf(id);
    if (name === '(idle)') idle += us;
    const special = name.startsWith('(');
    const key = `${name}|${where}`;
    const f = fn.get(key) ?? { name, where, us: 0 };
    f.us += us;
    fn.set(key, f);
    const m = special ? name : moduleOf(cf.url || nativeModule(id));
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number) => Math.round((us / Math.max(busy, 1)) * 1000) / 10;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    file,
    totalMs: ms(total),
    busyMs: ms(busy),
    topFunctions: [...fn.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: ms(f.us), percent: pct(f.us) })),
    byModule: [...mod]
      .filter(([m]) => m !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([m, us]) => ({ name: m, where: '', ms: ms(us), percent: pct(us) })),
    longestStalls: stalls(profile, byId, labelOf, 5),
  };
}
