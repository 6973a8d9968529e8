/**
 * src/ops/status-schema.json is the published copy of `statusJsonSchema` (for docs and consumers
 * without TypeScript). Regenerate with: KTS_WRITE_STATUS_SCHEMA=1 npx vitest run test/ops/status-schema-file.test.ts
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { statusJsonSchema } from '../../src/ops/status-schema.js';
import { SAMPLE_STATUS } from './status-sample.js';

const havePyJsonschema = spawnSync('python3', ['-c', 'import jsonschema'], { stdio: 'ignore' }).status === 0;

/** Validates `doc` with Python's reference jsonschema implementation; returns the error paths. */
function pyValidate(doc: unknown): string[] {
  const code = `
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
for e in v.iter_errors(json.loads(sys.stdin.read())):
    print("/" + "/".join(str(p) for p in e.absolute_path))
`;
  const out = execFileSync('python3', ['-c', code, file], { input: JSON.stringify(doc), encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

const file = fileURLToPath(new URL('../../src/ops/status-schema.json', import.meta.url));
const expected = JSON.stringify(statusJsonSchema, null, 2) + '\n';

describe('published status schema file', () => {
  it('matches statusJsonSchema', () => {
    if (process.env['KTS_WRITE_STATUS_SCHEMA'] === '1') writeFileSync(file, expected);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it.runIf(havePyJsonschema)('is a valid draft 2020-12 schema for an independent validator', () => {
    expect(pyValidate(SAMPLE_STATUS)).toEqual([]);
    const bad = JSON.parse(JSON.stringify(SAMPLE_STATUS)) as { vrrp: { instances: { state: string; lastTransition: unknown }[] } };
    bad.vrrp.instances[0]!.state = 'LEADER';
    bad.vrrp.instances[1]!.lastTransition = { from: 'INIT' };
    expect(pyValidate(bad).sort()).toEqual(['/vrrp/instances/0/state', '/vrrp/instances/1/lastTransition']);
  });
});
