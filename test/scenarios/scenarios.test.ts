/**
 * Runs every `test/scenarios/<case>/` (params.json + input.jsonl → expected.jsonl).
 * Set KTS_UPDATE_SCENARIOS=1 to (re)write expected.jsonl for review.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from './run-scenario.js';
import type { InputLine, ScenarioParams } from './run-scenario.js';
import { paramsFromConfText } from '../vrrp/fsm/conf.js';
import type { VrrpInstanceParams } from '../../src/vrrp/params.js';

type ConfScenario = Omit<ScenarioParams, 'instances'> & { readonly overrides?: Record<string, Partial<VrrpInstanceParams>> };

/** params.json alone, or keepalived.conf mapped through the real config pipeline + overrides (host facts). */
function loadParams(dir: string): ScenarioParams {
  const raw = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8')) as ConfScenario & Partial<ScenarioParams>;
  const confPath = join(dir, 'keepalived.conf');
  if (!existsSync(confPath)) return raw as ScenarioParams;
  const { runtime, diagnostics } = paramsFromConfText(readFileSync(confPath, 'utf8'));
  const errors = diagnostics.filter((d) => d.severity !== 'info' && d.severity !== 'security');
  if (errors.length > 0) throw new Error(`${dir}/keepalived.conf: ${errors.map((d) => d.message).join('; ')}`);
  return {
    description: raw.description,
    instances: runtime.instances.map((i) => ({ ...i, ...(raw.overrides?.[i.name] ?? {}) })),
    syncGroups: runtime.syncGroups.map((g) => g.params),
    scripts: runtime.scripts,
    ...(raw.record !== undefined ? { record: raw.record } : {}),
  };
}

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
    const params = loadParams(dir);
    it(`${c}: ${params.description}`, () => {
      const out = runScenario(params, jsonl(join(dir, 'input.jsonl')) as InputLine[]);
      if (process.env['KTS_UPDATE_SCENARIOS'] === '1') {
        writeFileSync(join(dir, 'expected.jsonl'), out.map((o) => JSON.stringify(o)).join('\n') + '\n');
      }
      expect(out).toEqual(jsonl(join(dir, 'expected.jsonl')));
    });
  }
});
