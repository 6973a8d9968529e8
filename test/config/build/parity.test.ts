/**
 * keepalived -t parity: our parse-time diagnostics must grade each recorded configuration with the
 * exit code real keepalived 2.2.7 gave it. With KTS_PARITY=1 (root, ip netns, /usr/sbin/keepalived)
 * the cases are also re-run through keepalived itself in a throw-away network namespace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/core/diagnostics.js';
import { build } from './helpers.js';
import { parityCases } from './parity-cases.js';

describe('keepalived -t exit code parity (recorded)', () => {
  it.each(parityCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const b = build(c.text);
    expect({ exit: exitCodeFor(b.diags), problems: b.problems.map((d) => d.message) }).toMatchObject({ exit: c.keepalivedExit });
  });
});

const live = process.env['KTS_PARITY'] === '1';

describe.runIf(live)('keepalived -t exit code parity (live keepalived)', () => {
  const ns = `kts-parity-${process.pid}`;
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kts-parity-'));
    writeFileSync(join(dir, 'track'), '0\n');
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0p']);
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'eth0', 'up']);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', ns]);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  it.each(parityCases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const file = join(dir, `${name}.conf`);
    writeFileSync(file, c.text.replaceAll('@TRACKFILE@', join(dir, 'track')));
    const r = spawnSync('ip', ['netns', 'exec', ns, '/usr/sbin/keepalived', '-t', '-l', '-f', file], { encoding: 'utf8', timeout: 20_000 });
    expect({ exit: r.status, stderr: r.stderr }).toMatchObject({ exit: c.keepalivedExit });
  });
});
