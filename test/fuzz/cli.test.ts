/**
 * A few dozen runs of the real CLI (`keepalived-ts -t --no-host-checks`) on mutated fixture configs:
 * exit code in {0, 2, 4, 5, 6}, equal to the in-process pipeline's, no stack trace on stderr, and done
 * within 20 s. Needs the build (`npm test` builds first; alone: `npx tsc -p tsconfig.build.json`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCliOutcome, cliEntry, runCli } from './config/cli.js';
import { configCaseArb, describeCase, materializeCase, type ConfigCase } from './config/mutations.js';
import { checkPipeline } from './config/pipeline.js';
import { fuzzSeed } from './support/seed.js';

const SEED = fuzzSeed();
const CASES = 24;
const CONCURRENCY = 2;
const scratch = mkdtempSync(join(tmpdir(), 'kts-fuzz-cli-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('fuzz: the real CLI under -t', () => {
  it(`${CASES} mutated configurations: keepalived exit codes, no stack traces`, async () => {
    cliEntry();
    console.log(`fuzz cli: seed ${SEED} (FUZZ_SEED to change), ${CASES} runs`);
    const cases: ConfigCase[] = [
      // Always include the crash the fuzzer found first (deep nesting) and an include loop.
      { fixture: 'feat-minimal-vrrp.conf', ops: [{ k: 'nest', at: 0, depth: 50_000, keyword: 'vrrp_instance' }], wrap: { k: 'none' } },
      { fixture: 'feat-include.conf', ops: [{ k: 'delete-brace', at: 3 }], wrap: { k: 'loop', variant: 'glob' } },
      ...fc.sample(configCaseArb(), { seed: SEED, numRuns: CASES - 2 }),
    ];
    const failures: string[] = [];
    const seen = new Set<number>();
    let next = 0;
    const worker = async (slot: number): Promise<void> => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i]!;
        const main = materializeCase(c, join(scratch, `slot${slot}`));
        const expected = checkPipeline(main, null, c.allConfig === true).exitCode;
        const out = await runCli(main, 20_000, c.allConfig === true);
        seen.add(out.status ?? -1);
        try {
          checkCliOutcome(out, expected, `case ${i}`);
        } catch (err) {
          failures.push(`${err instanceof Error ? err.message : String(err)}\n  input: ${describeCase(c)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, s) => worker(s)));
    expect(failures, failures.join('\n\n')).toEqual([]);
    // Mutations must actually break configs: not every run may pass cleanly.
    expect([...seen].some((s) => s !== 0)).toBe(true);
  }, 120_000);
});
