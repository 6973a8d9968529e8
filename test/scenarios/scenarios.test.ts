/**
 * Runs every `test/scenarios/<case>/` (params.json + input.jsonl → expected.jsonl).
 * Set KTS_UPDATE_SCENARIOS=1 to (re)write expected.jsonl for review.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from './run-scenario.js';
import type { InputLine, ScenarioParams } from './run-scenario.js';

const root = dirname(fileURLToPath(import.meta.url));
const cases = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).sort();

const jsonl = (path: string): unknown[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('//'))
    .map((l) => JSON.parse(l) as unknown);

describe('FSM scenarios', () => {
  it('has scenarios', () => {
    expect(cases.length).toBeGreaterThan(10);
  });
  for (const c of cases) {
    const dir = join(root, c);
    const params = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8')) as ScenarioParams;
    it(`${c}: ${params.description}`, () => {
      const out = runScenario(params, jsonl(join(dir, 'input.jsonl')) as InputLine[]);
      if (process.env['KTS_UPDATE_SCENARIOS'] === '1') {
        writeFileSync(join(dir, 'expected.jsonl'), out.map((o) => JSON.stringify(o)).join('\n') + '\n');
      }
      expect(out).toEqual(jsonl(join(dir, 'expected.jsonl')));
    });
  }
});
