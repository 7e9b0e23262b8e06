// The terminal consoles' exercise suites start the same way: a real relay, a trainer signed in, and the built
// CLI's console live at each station, all run from one temp directory and stopped together afterwards.
import { rmSync } from 'node:fs';
import { TrainerApi } from '../../client/trainer-api.js';
import { run, type Proc } from './cli.js';
import { startTestRelay, tempDir, type TestRelay } from './relay.js';

export interface TerminalExercise {
  relay: TestRelay;
  /** Signed in as Controller Zhao. */
  trainer: TrainerApi;
  /** Beijing's console (Duty officer Li) and Washington's (Watch officer Smith), both live. */
  bj: Proc;
  wa: Proc;
  /** A fresh enrolment link for a station, as `hotline serve` prints it. */
  link: (station: string) => Promise<string>;
}

/** One suite's directory and processes; `stop()` is its after-each. */
export function terminalExercises(prefix: string) {
  const dir = tempDir(prefix);
  const procs: Proc[] = [];
  let relay: TestRelay | undefined;

  return {
    dir,
    procs,
    async start(): Promise<TerminalExercise> {
      const r = await startTestRelay();
      relay = r;
      const trainer = new TrainerApi(r.url, { secret: r.newTrainerSecret!, name: 'Controller Zhao' });
      const link = async (station: string) => `${r.url}/console#code=${await r.issueCode(station)}`;
      const bj = run(['console', '--link', await link('beijing'), '--operator', 'Duty officer Li'], { cwd: dir });
      const wa = run(['console', '--link', await link('washington'), '--operator', 'Watch officer Smith'], {
        cwd: dir,
      });
      procs.push(bj, wa);
      await bj.waitFor(/live ---/);
      await wa.waitFor(/live ---/);
      return { relay: r, trainer, bj, wa, link };
    },
    async stop(): Promise<void> {
      for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGTERM');
      await relay?.cleanup();
      relay = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
