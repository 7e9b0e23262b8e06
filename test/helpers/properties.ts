// One seed and one size for every property test, so a failure reproduces exactly: fast-check prints the
// seed and the path of a failing case, and running again with the same seed finds it again. FC_SEED and
// FC_RUNS override them for one run (a failing seed from elsewhere, or a longer search).
export const SEED = Number(process.env['FC_SEED'] ?? 20_261_202);
export const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 10_000);

/** Prints what a property proved and how often, in the test output. */
export function report(property: string, runs: number = NUM_RUNS): void {
  console.log(`property: ${property}: ${runs} cases, seed ${SEED}`);
}
