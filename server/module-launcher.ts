// Starts one of this project's modules on its own thread or in its own process, from the build and from the
// TypeScript sources alike. Built, a module is a .js file that node runs as it is. From the sources (vitest,
// `npx tsx`) it is a .ts file that node cannot load alone, so it goes through tsx. tsx is a devDependency
// that a production install does not have: only a module whose own URL ends in .ts takes that path, and tsx
// is named there as a string for node to load, never imported by this code.
// A child process takes tsx's loader (`node --import tsx`). A worker thread cannot: Node 20 does not apply
// the module hooks of --import to a worker (ERR_UNKNOWN_FILE_EXTENSION), so the worker starts from a
// one-line script that loads the module through tsx's tsImport().
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const fromSources = (module: URL): boolean => module.pathname.endsWith('.ts');

/** The module `name` next to the caller, in the caller's own form: .ts from the sources, .js when built. */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${fromSources(new URL(callerUrl)) ? '.ts' : '.js'}`, callerUrl);
}

/** How node runs `module` as a child process: the node options it needs and the script. */
export function processEntry(module: URL): { execArgv: string[]; script: string } {
  return {
    execArgv: fromSources(module) ? ['--import', import.meta.resolve('tsx')] : [],
    script: fileURLToPath(module),
  };
}

/** `module` started on a new worker thread. */
export function startWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!fromSources(module)) return new Worker(module, options);
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const href = JSON.stringify(module.href);
  // The module's URL is absolute: it is its own parent URL. A rejection here is the worker's 'error' event.
  const boot = `import(${api}).then((tsx) => tsx.tsImport(${href}, ${href}));`;
  return new Worker(boot, { ...options, eval: true });
}
