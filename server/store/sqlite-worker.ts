// The SQLite writer, on its own thread: a durable commit (fsync) takes milliseconds during which the
// main thread would otherwise stop verifying signatures and serving sockets. The main thread sends
// whole batches; every write of the store happens here, in order, one transaction per batch.
import { parentPort, workerData } from 'node:worker_threads';
import { HotlineError, toHotlineError } from '../../shared/errors.js';
import type { CheckLevel } from './sqlite-check.js';
import { openSqliteStore } from './sqlite.js';
import type { AppendResult } from './types.js';
import { WRITE_OPS, type WireResult, type WriteOp } from './sqlite-wire.js';

const port = parentPort!;
const { file, check } = workerData as { file: string; check: CheckLevel };

function encode(results: AppendResult[]): WireResult[] {
  return results.map((r) =>
    r.ok ? r : { ok: false, error: { code: r.error.code, message: r.error.message, details: { ...r.error.details } } },
  );
}

try {
  const store = openSqliteStore(file, check);
  port.postMessage({ ready: true, synchronous: store.synchronousLevel() });
  port.on('message', (msg: { id: number; op: WriteOp; args: unknown[] }) => {
    void (async () => {
      try {
        if (!WRITE_OPS.includes(msg.op)) throw new Error(`unknown store operation ${String(msg.op)}`);
        const fn = store[msg.op].bind(store) as (...args: unknown[]) => Promise<unknown>;
        const value = await fn(...msg.args);
        port.postMessage({
          id: msg.id,
          ok: true,
          value: msg.op === 'append' ? encode(value as AppendResult[]) : value,
        });
      } catch (err) {
        const e = toHotlineError(err);
        port.postMessage({
          id: msg.id,
          ok: false,
          error: {
            code: e.code === 'INTERNAL' ? 'STORE_UNAVAILABLE' : e.code,
            message: (err as Error).message,
            details: {},
          },
        });
      }
    })();
  });
} catch (err) {
  const code = err instanceof HotlineError ? err.code : 'STORE_UNAVAILABLE';
  port.postMessage({ ready: false, code, error: (err as Error).message });
}
