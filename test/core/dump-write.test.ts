import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDump } from '../../src/core/dumps.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-dump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeDump', () => {
  it('replaces a symlink planted at the dump path instead of writing through it', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    const path = join(dir, 'keepalived.stats');
    symlinkSync(victim, path);
    expect(writeDump(path, 'VRRP Instance: VI_1\n')).toBeUndefined();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('VRRP Instance: VI_1\n');
    expect(lstatSync(path).mode & 0o777).toBe(0o644);
  });

  it('returns the error and leaves no temporary file when the directory is missing', () => {
    const err = writeDump(join(dir, 'missing', 'keepalived.data'), 'x');
    expect(err).toMatch(/ENOENT/);
  });
});
