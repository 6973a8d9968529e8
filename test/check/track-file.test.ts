import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRealClock } from '../../src/core/clock.js';
import { CheckerEngine } from '../../src/check/engine.js';
import type { DesiredTable } from '../../src/check/desired-table.js';
import { LvsPool } from '../../src/check/pool.js';
import { fileStatus, parseTrackFileValue } from '../../src/check/track-file.js';
import { model } from './helpers.js';
import { waitFor } from './servers.js';

describe('track file values', () => {
  it('parses like strtol base 0', () => {
    expect(parseTrackFileValue('42\n')).toBe(42);
    expect(parseTrackFileValue('  -7 trailing')).toBe(-7);
    expect(parseTrackFileValue('0x1f')).toBe(31);
    expect(parseTrackFileValue('010')).toBe(8);
    expect(parseTrackFileValue('junk')).toBe(0);
    expect(parseTrackFileValue('')).toBe(0);
    expect(parseTrackFileValue('99999999999')).toBeUndefined();
  });

  it('weight 0: non-zero is a fault (reverse: zero is); weight W: value × W', () => {
    expect(fileStatus(0, { weight: 0, reverse: false })).toBe(0);
    expect(fileStatus(3, { weight: 0, reverse: false })).toBe('fault');
    expect(fileStatus(0, { weight: 0, reverse: true })).toBe('fault');
    expect(fileStatus(3, { weight: 2, reverse: false })).toBe(6);
    expect(fileStatus(3, { weight: 2, reverse: true })).toBe(-6);
    expect(fileStatus(-2147483648, { weight: 1, reverse: false })).toBe('fault');
  });
});

describe('FILE_CHECK in the pool', () => {
  const conf = `track_file TF { file /nonexistent/x
  weight 0 }
virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.168.0.2 80 { weight 10
    FILE_CHECK { track_file TF } }
}`;
  it('a fault takes the server down, a weight adjusts it, leaving the fault restores it', () => {
    const c = model(conf);
    const pool = new LvsPool(c.virtualServers);
    pool.fileStatus('0/0', 0, 'fault'); // initial state before start
    pool.start();
    const rs = () => pool.snapshot().virtualServers[0]?.realServers[0];
    expect(rs()?.alive).toBe(false);
    pool.fileStatus('0/0', 0, 5);
    expect([rs()?.alive, rs()?.effectiveWeight]).toEqual([true, 15]);
    pool.fileStatus('0/0', 0, -3);
    expect(rs()?.effectiveWeight).toBe(7);
    pool.fileStatus('0/0', 0, 'fault');
    expect([rs()?.alive, rs()?.effectiveWeight]).toEqual([false, 10]);
  });
});

describe('FILE_CHECK in the engine (inotify on the real file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-h8-tf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('follows writes to the tracked file', async () => {
    const file = join(dir, 'weight');
    writeFileSync(file, '0\n');
    const c = model(`track_file TF { file ${file}
  weight 2 }
virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.168.0.2 80 { weight 1
    FILE_CHECK { track_file TF } }
}`);
    let table: DesiredTable | undefined;
    const engine = new CheckerEngine({ config: c, clock: createRealClock(), onTable: (t) => (table = t), onEffects: () => {} });
    engine.start();
    const w = () => table?.entries[0]?.dests[0]?.weight;
    try {
      expect(w()).toBe(1);
      writeFileSync(file, '4\n');
      await waitFor(() => w() === 9, 'weight 1 + 4×2');
      writeFileSync(file, '-2147483648\n');
      await waitFor(() => w() === undefined, 'fault removes the server');
    } finally {
      engine.stop();
    }
  });
});
