/**
 * Differential test: every fixture configuration is checked by real keepalived 2.2.7 (`keepalived -t`)
 * and by `keepalived-ts -t` inside one network namespace that has the interfaces the fixtures name;
 * the exit codes must be equal. Needs root (CI runs as root) and a build (`npm run build`).
 *
 * keepalived's own sample configurations (Debian ships them under /usr/share/doc/keepalived/samples)
 * are diffed too when present; they are read in place, not copied into this repository.
 *
 * Both programs run for all fixtures up front (a few at a time, without blocking the event loop);
 * each fixture is then one test case that prints both outputs when the exit codes differ.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEPALIVED, Lab, REPO_ROOT, isRoot, listFixtures, listSystemSamples, mapLimit } from './lab.js';
import type { RunResult } from './lab.js';

const ownFixtures = listFixtures();
/** Our fixtures plus keepalived's shipped samples when installed (extra corpus, same assertion). */
const fixtures = [...ownFixtures, ...listSystemSamples()];
const CONCURRENCY = 8;
let lab: Lab | null = null;
const results = new Map<string, { ref: RunResult; ours: RunResult }>();

describe('keepalived -t vs keepalived-ts -t', () => {
  beforeAll(async () => {
    if (!isRoot()) throw new Error('the differential test needs root (network namespaces); run it as root, as CI does');
    if (!existsSync(KEEPALIVED)) throw new Error(`${KEEPALIVED} not found: install Debian's keepalived 2.2.7 (test/setup.sh)`);
    if (!existsSync(join(REPO_ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    const named = fixtures.flatMap((f) => f.meta.interfaces ?? []);
    const l = Lab.create('diff', named);
    lab = l;
    await mapLimit(fixtures, CONCURRENCY, async (fx) => {
      const [ref, ours] = await Promise.all([l.keepalivedTestAsync(fx.path), l.keepalivedTsTestAsync(fx.path)]);
      results.set(fx.name, { ref, ours });
    });
  }, 300_000);

  afterAll(() => {
    lab?.destroy();
    lab = null;
  });

  it('has at least 60 fixtures', () => {
    expect(ownFixtures.length).toBeGreaterThanOrEqual(60);
  });

  for (const fx of fixtures) {
    it(`${fx.name}: same exit code`, () => {
      const r = results.get(fx.name);
      if (r === undefined) throw new Error('not run (lab setup failed)');
      const { ref, ours } = r;
      const report =
        `\n--- keepalived -t (exit ${ref.code})\n${ref.stderr}${ref.stdout}` +
        `\n--- keepalived-ts -t (exit ${ours.code})\n${ours.stderr}${ours.stdout}` +
        (fx.meta.why !== undefined ? `\n--- fixture: ${fx.meta.why}` : '');
      expect(ours.code, report).toBe(ref.code);
    });
  }
});
