/**
 * Differential test: every fixture configuration is checked by real keepalived 2.2.7 (`keepalived -t`)
 * and by `keepalived-ts -t` inside one network namespace that has the interfaces the fixtures name;
 * the exit codes must be equal. Needs root (CI runs as root) and a build (`npm run build`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEPALIVED, Lab, REPO_ROOT, isRoot, listFixtures } from './lab.js';

const fixtures = listFixtures();
let lab: Lab | null = null;

describe('keepalived -t vs keepalived-ts -t', () => {
  beforeAll(() => {
    if (!isRoot()) throw new Error('the differential test needs root (network namespaces); run it as root, as CI does');
    if (!existsSync(KEEPALIVED)) throw new Error(`${KEEPALIVED} not found: install Debian's keepalived 2.2.7 (test/setup.sh)`);
    if (!existsSync(join(REPO_ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    const named = fixtures.flatMap((f) => f.meta.interfaces ?? []);
    lab = Lab.create('diff', named);
  });

  afterAll(() => {
    lab?.destroy();
    lab = null;
  });

  it('has at least 60 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });

  for (const fx of fixtures) {
    it(`${fx.name}: same exit code`, () => {
      if (lab === null) throw new Error('lab not created');
      const ref = lab.keepalivedTest(fx.path);
      const ours = lab.keepalivedTsTest(fx.path);
      const report =
        `\n--- keepalived -t (exit ${ref.code})\n${ref.stderr}${ref.stdout}` +
        `\n--- keepalived-ts -t (exit ${ours.code})\n${ours.stderr}${ours.stdout}` +
        (fx.meta.why !== undefined ? `\n--- fixture: ${fx.meta.why}` : '');
      expect(ours.code, report).toBe(ref.code);
    });
  }
});
