/**
 * Fuzz seed and budgets: one fixed seed for CI runs (reproducible failures), `FUZZ_SEED` to pick another,
 * `FUZZ_RUNS` to scale a budget. Every run prints the seed it used so a failure can be replayed.
 */

/** The seed CI uses when FUZZ_SEED is not set. */
export const DEFAULT_FUZZ_SEED = 0x6b747331; // "kts1"

/** FUZZ_SEED (decimal or 0x hex, 32-bit) or the fixed default. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['FUZZ_SEED'];
  if (raw === undefined || raw.trim() === '') return DEFAULT_FUZZ_SEED;
  const n = Number(raw.trim());
  if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer, got '${raw}'`);
  return n | 0;
}

/** `base` scaled by FUZZ_RUNS when set (an absolute count), else `base`. */
export function fuzzRuns(base: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['FUZZ_RUNS'];
  if (raw === undefined || raw.trim() === '') return base;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got '${raw}'`);
  return n;
}
