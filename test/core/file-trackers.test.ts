import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTrackers, parseTrackFileValue } from '../../src/core/file-trackers.js';
import { silentLogger } from '../../src/core/log.js';
import type { TrackFile } from '../../src/config/model.js';
import type { TrackerObservation } from '../../src/vrrp/tracking/priority.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-ft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trackFile = (name: string, file: string, initFile: TrackFile['initFile'] = null): TrackFile => ({
  name, file, weight: 1, weightReverse: false, initFile, legacyKeyword: false, pos: { file: 'k.conf', line: 1 },
});

describe('track_file', () => {
  it('parses the leading integer, anything else is 0', () => {
    expect(parseTrackFileValue(' 42\n')).toBe(42);
    expect(parseTrackFileValue('-7 extra')).toBe(-7);
    expect(parseTrackFileValue('abc')).toBe(0);
    expect(parseTrackFileValue('')).toBe(0);
    // keepalived reads the file with strtol(buf, NULL, 0): hex and octal too, like FILE_CHECK.
    expect(parseTrackFileValue('0x10')).toBe(16);
    expect(parseTrackFileValue('010')).toBe(8);
    expect(parseTrackFileValue('4294967296')).toBeUndefined();
  });

  it('a number outside int32 keeps the previous value; hex is read as hex', async () => {
    const path = join(dir, 'range');
    writeFileSync(path, '3\n');
    const seen: [string, TrackerObservation][] = [];
    const t = new FileTrackers([trackFile('tr', path)], silentLogger(), (n, o) => void seen.push([n, o]));
    expect(t.observation('tr')).toEqual({ kind: 'value', value: 3 });
    t.start();
    writeFileSync(path, '99999999999\n');
    writeFileSync(path, '0x20\n');
    await expect.poll(() => seen.at(-1), { timeout: 3000 }).toEqual(['tr', { kind: 'value', value: 32 }]);
    expect(seen.map(([, o]) => o)).not.toContainEqual({ kind: 'value', value: 99999999999 });
    t.stop();
  });

  it('init_file writes the initial value; changes are reported', async () => {
    const path = join(dir, 'weight');
    const seen: [string, TrackerObservation][] = [];
    const t = new FileTrackers([trackFile('tf', path, { value: 5, overwrite: false })], silentLogger(), (n, o) => void seen.push([n, o]));
    expect(readFileSync(path, 'utf8').trim()).toBe('5');
    expect(t.observation('tf')).toEqual({ kind: 'value', value: 5 });
    t.start();
    writeFileSync(path, '-20\n');
    await expect.poll(() => seen.at(-1), { timeout: 3000 }).toEqual(['tf', { kind: 'value', value: -20 }]);
    rmSync(path);
    await expect.poll(() => seen.at(-1), { timeout: 3000 }).toEqual(['tf', { kind: 'value', value: 0 }]);
    t.stop();
    expect(t.observation('missing')).toEqual({ kind: 'unknown' });
  });
});
