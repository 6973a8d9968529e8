import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PidFileError, readPidFile, removePidFile, writePidFile } from '../../src/core/pidfile.js';

describe('pidfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-pid-'));
  afterEach(() => rmSync(join(dir, 'p.pid'), { force: true }));

  it('writes, reads and removes our own pid', () => {
    const p = join(dir, 'p.pid');
    writePidFile(p, process.pid);
    expect(readFileSync(p, 'utf8')).toBe(`${process.pid}\n`);
    expect(readPidFile(p)).toBe(process.pid);
    expect(removePidFile(p, process.pid + 1)).toBe(false);
    expect(removePidFile(p, process.pid)).toBe(true);
    expect(existsSync(p)).toBe(false);
  });

  it('refuses a pid file owned by a live process and replaces a stale one', () => {
    const p = join(dir, 'p.pid');
    writeFileSync(p, `${process.pid}\n`);
    expect(() => writePidFile(p, 1234567)).toThrow(PidFileError);
    writeFileSync(p, '2147483646\n');
    writePidFile(p, 1234567);
    expect(readPidFile(p)).toBe(1234567);
  });
});
