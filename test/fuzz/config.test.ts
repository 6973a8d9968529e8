/**
 * Small-budget fuzzing of the configuration pipeline: mutated copies of every fixture in
 * test/fixtures/conf (token swaps, deleted braces, garbage bytes, huge numbers, deep includes,
 * include loops, 1 MB lines, …) must give diagnostics and a -t exit code, never an exception, and
 * no single input may take more than 2 s (a hang). Each fixture is also run unmutated once.
 * Seed: FUZZ_SEED (printed); `npm run fuzz` runs 10^4 inputs with a hard per-input timeout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigCase } from './config/pipeline.js';
import { configCaseArb, configCorpus, describeCase } from './config/mutations.js';
import { fuzzRuns, fuzzSeed } from './support/seed.js';

const SEED = fuzzSeed();
const RUNS = fuzzRuns(600);
const HANG_MS = 2000;
const scratch = mkdtempSync(join(tmpdir(), 'kts-fuzz-config-'));

console.log(`fuzz config: seed ${SEED} (FUZZ_SEED to change), ${RUNS} mutated configurations`);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('fuzz: configuration pipeline', () => {
  it('every fixture, unmutated, loads and grades', () => {
    const codes = new Map<number, number>();
    for (const fixture of configCorpus().names) {
      const out = checkConfigCase({ fixture, ops: [], wrap: { k: 'none' } }, join(scratch, 'plain'));
      codes.set(out.exitCode, (codes.get(out.exitCode) ?? 0) + 1);
    }
    // The corpus has clean and broken configs: both 0 and non-zero exit codes must show up.
    expect(codes.get(0) ?? 0).toBeGreaterThan(0);
    expect([...codes.keys()].some((c) => c !== 0)).toBe(true);
  });

  it('mutated configurations give diagnostics and an exit code, never a crash or a hang', () => {
    let slowest = 0;
    fc.assert(
      fc.property(configCaseArb(), (c) => {
        const out = checkConfigCase(c, join(scratch, 'case'));
        slowest = Math.max(slowest, out.ms);
        if (out.ms > HANG_MS) throw new Error(`one input took ${out.ms.toFixed(0)} ms (limit ${HANG_MS} ms): ${describeCase(c)}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz config: slowest input ${slowest.toFixed(0)} ms`);
  });
});
