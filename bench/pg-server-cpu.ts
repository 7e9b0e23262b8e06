// CPU of the PostgreSQL server during a run, from /proc: the postmaster is the parent of the backend that
// serves one of our connections (pg_backend_pid()), and the server's CPU is the postmaster's own, that of its
// live children (backends, WAL writer, checkpointer...) and that of the children it has reaped (cutime and
// cstime), so backends that come and go between two readings are still counted. Only when the server runs
// on this host, in this PID namespace; otherwise the reason why not.
import { readdirSync, readFileSync } from 'node:fs';
import { onServer } from './pg-database.js';

/** Linux reports /proc CPU times in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const TICK_US = 10_000;

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, µs. */
  ownUs: number;
  /** cutime + cstime (reaped children), µs. */
  childrenUs: number;
}

/** Parses one /proc/PID/stat line (the command may hold spaces and parentheses: it ends at the last ')'). */
export function parseProcStat(line: string): ProcStat | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const n = (i: number) => Number(f[i] ?? NaN);
  const [ppid, utime, stime, cutime, cstime] = [n(1), n(11), n(12), n(13), n(14)];
  if (![ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return null;
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid,
    ownUs: (utime + stime) * TICK_US,
    childrenUs: (cutime + cstime) * TICK_US,
  };
}

function readStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export interface ServerCpu {
  /** CPU of the whole server since it started, µs. */
  cpuUs: number;
  /** Its processes alive at this reading. */
  processes: number;
}

/** The postmaster's pid, found through our own backend; or why it cannot be read here. */
export async function findPostmaster(url: string): Promise<{ pid: number } | { why: string }> {
  // Read while the connection is open: its backend exits when it closes.
  const [backend, stat] = await onServer(url, async (c) => {
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    return [pid, pid === undefined ? null : readStat(pid)] as const;
  });
  if (!stat || !stat.comm.startsWith('postgres'))
    return {
      why: `the server's backend ${String(backend)} is not a postgres process visible in /proc here (another host or container)`,
    };
  const parent = readStat(stat.ppid);
  if (!parent || !parent.comm.startsWith('postgres'))
    return { why: `the parent of backend ${backend} (pid ${stat.ppid}) is not a postgres process visible here` };
  return { pid: parent.pid };
}

/** The server's CPU so far: the postmaster, its reaped children and its live ones. */
export function serverCpu(postmaster: number): ServerCpu | null {
  const root = readStat(postmaster);
  if (!root) return null;
  let cpuUs = root.ownUs + root.childrenUs;
  let processes = 1;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s?.ppid === postmaster) {
      cpuUs += s.ownUs;
      processes++;
    }
  }
  return { cpuUs, processes };
}
