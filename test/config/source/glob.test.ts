import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandBraces, globFiles, hasBrace, hasWildcard, matchSegment } from '../../../src/config/source/glob.js';
import { tempTree } from './helpers.js';

describe('expandBraces', () => {
  it('expands csh braces, nested, left to right', () => {
    expect(expandBraces('a{b,c}d')).toEqual(['abd', 'acd']);
    expect(expandBraces('{foo/{,cat,dog},bar}')).toEqual(['foo/', 'foo/cat', 'foo/dog', 'bar']);
    expect(expandBraces('{a,b}{1,2}')).toEqual(['a1', 'a2', 'b1', 'b2']);
  });
  it('leaves unmatched or escaped braces alone', () => {
    expect(expandBraces('a{b')).toEqual(['a{b']);
    expect(expandBraces('a\\{b,c}')).toEqual(['a\\{b,c}']);
    expect(hasBrace('a\\{b')).toBe(false);
    expect(hasBrace('a{b')).toBe(true);
  });
});

describe('matchSegment', () => {
  it('handles * ? and classes', () => {
    expect(matchSegment('*.conf', 'a.conf')).toBe(true);
    expect(matchSegment('*.conf', 'a.conf.bak')).toBe(false);
    expect(matchSegment('?.conf', 'ab.conf')).toBe(false);
    expect(matchSegment('[a-c]*', 'beta')).toBe(true);
    expect(matchSegment('[!a-c]*', 'beta')).toBe(false);
    expect(matchSegment('[^a-c]*', 'delta')).toBe(true);
    expect(matchSegment('a*b*c', 'axxbyyc')).toBe(true);
    expect(matchSegment('a*b*c', 'axxbyy')).toBe(false);
    expect(matchSegment('\\*', '*')).toBe(true);
    expect(matchSegment('\\*', 'x')).toBe(false);
    expect(hasWildcard('a\\*')).toBe(false);
  });
});

describe('globFiles', () => {
  it('matches files sorted, skips hidden ones, marks directories', () => {
    const dir = tempTree({ 'conf.d/b.conf': '', 'conf.d/a.conf': '', 'conf.d/.hidden.conf': '', 'conf.d/c.txt': '' });
    mkdirSync(join(dir, 'conf.d/sub.conf'));
    const r = globFiles('conf.d/*.conf', dir);
    expect(r.matches).toEqual(['conf.d/a.conf', 'conf.d/b.conf', 'conf.d/sub.conf/']);
    expect(r.haveWildcards).toBe(true);
  });

  it('counts missing literal files and missing directories', () => {
    const dir = tempTree({ 'a.conf': '' });
    expect(globFiles('b.conf', dir)).toMatchObject({ matches: [], missingFiles: 1 });
    expect(globFiles('nodir/*.conf', dir)).toMatchObject({ matches: [], missingDirs: 1 });
    const braces = globFiles('{a,b}.conf', dir);
    expect(braces.matches).toEqual(['a.conf']);
    expect(braces.missingFiles).toBe(1);
    expect(braces.haveWildcards).toBe(false);
  });

  it('keeps absolute patterns absolute', () => {
    const dir = tempTree({ 'x/1.conf': '' });
    expect(globFiles(`${dir}/x/*.conf`, '/').matches).toEqual([`${dir}/x/1.conf`]);
  });

  it('walks wildcard directories', () => {
    const dir = tempTree({ 'd1/k.conf': '', 'd2/k.conf': '', 'f/k.conf': '' });
    expect(globFiles('d*/k.conf', dir).matches).toEqual(['d1/k.conf', 'd2/k.conf']);
  });
});
