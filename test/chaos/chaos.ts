// `npm run chaos [-- TRIALS [SEED]]`: the long kill -9 run. A relay in a child process is killed with
// SIGKILL at TRIALS random moments (100 by default) of a console's stream and started again on the same
// files; at the end every item the console saw accepted must be in the log (test/helpers/kill-trials.ts).
// Prints the trials, the items acknowledged and how many of them were lost (must be 0); exits 1 if any
// was lost or anything else is wrong. CI runs a few of the same trials in test/server/faults.crash.test.ts.
import { rmSync } from 'node:fs';
import { killChildren } from '../helpers/child-relay.js';
import { runKillTrials } from '../helpers/kill-trials.js';
import { tempDir } from '../helpers/relay.js';

const trials = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run chaos -- [TRIALS] [SEED]\n');
  process.exit(2);
}

const dataDir = tempDir('hotline-chaos-');
const started = Date.now();
let failed = true;
try {
  const report = await runKillTrials({
    dataDir,
    trials,
    seed,
    // Every tenth trial, so a long run shows it is alive without a line per kill.
    progress: (line) => {
      const t = Number(/^trial (\d+)\//.exec(line)?.[1]);
      if (t === 1 || t % 10 === 0) process.stderr.write(`${line}\n`);
    },
  });
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    `chaos: ${report.trials} kill -9 trials, ${report.acknowledged} items acknowledged, ${report.lost.length} lost` +
      ` (seed ${seed}, ${secs} s)\n`,
  );
  const wrong = [
    report.lost.length > 0 && `lost: ${report.lost.slice(0, 10).join(', ')}`,
    report.misordered && 'the log does not hold the stream exactly once in order',
    report.undelivered > 0 && `${report.undelivered} messages without exactly one delivered receipt`,
    report.fault && `the export does not verify: ${report.fault}`,
    report.alarms > 0 && `${report.alarms} alarms`,
    report.rejected > 0 && `${report.rejected} rejections`,
  ].filter((w): w is string => typeof w === 'string');
  for (const w of wrong) process.stdout.write(`FAIL ${w}\n`);
  failed = wrong.length > 0;
} catch (err) {
  process.stdout.write(`chaos: FAIL ${(err as Error).message}\n`);
} finally {
  await killChildren();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
