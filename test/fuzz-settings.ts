// Owns how property tests are sized and seeded: a fixed seed in the test suites, longer random runs through STEPFLOW_FUZZ_RUNS / STEPFLOW_FUZZ_SEED.

/** The fast-check parameters of one property. */
export interface FuzzSettings {
  numRuns: number;
  seed: number;
}

/** The seed every property test uses unless STEPFLOW_FUZZ_SEED says otherwise, so a test run is reproducible. */
export const FIXED_FUZZ_SEED = 20_261_127;

/**
 * Returns `runs` and the fixed seed, or — when set — STEPFLOW_FUZZ_RUNS (times `share`, for a property
 * whose runs are much heavier than most) and STEPFLOW_FUZZ_SEED, as `npm run bench -- --fuzz` sets them.
 */
export function fuzzSettings(runs: number, share = 1): FuzzSettings {
  const wanted = readWhole('STEPFLOW_FUZZ_RUNS');
  const seed = readWhole('STEPFLOW_FUZZ_SEED') ?? FIXED_FUZZ_SEED;
  return { numRuns: wanted === null ? runs : Math.max(1, Math.round(wanted * share)), seed };
}

function readWhole(name: string): number | null {
  const text = process.env[name];
  if (text === undefined || text === '') return null;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name}=${text}: expected a whole number`);
  return value;
}
