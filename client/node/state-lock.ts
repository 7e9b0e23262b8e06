// One process per console state file: two processes on one file would sign different items with the
// same seq (SEQ_CONFLICT, a permanent alarm entry in the log). The lock is FILE.lock, created with
// O_EXCL and holding the owner's PID; a lock whose process is gone (killed, crashed) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { HotlineError } from '../../shared/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function owner(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface StateLock {
  readonly file: string;
  release(): void;
}

/** Takes the lock of `stateFile` for this process, or throws CONSOLE_IN_USE naming the holder. */
export function lockStateFile(stateFile: string): StateLock {
  const file = `${stateFile}.lock`;
  // Two rounds: the second runs after a stale lock was removed (another process may win that race).
  for (let round = 0; round < 2; round++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = owner(file);
      // Unreadable or empty: its writer may be between open and write; treat it as held.
      if (pid === undefined || pid === process.pid || alive(pid)) {
        throw new HotlineError(
          'CONSOLE_IN_USE',
          `${stateFile} is already open${pid === undefined ? '' : ` in process ${pid}`}: close that console first (lock: ${file}).`,
          pid === undefined ? {} : { pid },
        );
      }
      unlinkSync(file);
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      process.off('exit', release);
      if (owner(file) === process.pid) unlinkSync(file);
    };
    // Also on process.exit(): a lock must not outlive its process when it ends normally.
    process.on('exit', release);
    return { file, release };
  }
  throw new HotlineError('CONSOLE_IN_USE', `${stateFile} is being opened by another process.`);
}
