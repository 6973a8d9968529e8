import { describe, expect, it } from 'vitest';
import { applyIncludeCheck, IncludeCheck, parseIncludeDirective } from '../../../src/config/source/include-directives.js';

const { READ, MATCH, WILDCARD, BRACE, ALL } = IncludeCheck;

describe('parseIncludeDirective', () => {
  it('recognises include and its variants', () => {
    expect(parseIncludeDirective('include  a b.conf')).toEqual({ type: 0, pattern: 'a b.conf' });
    expect(parseIncludeDirective('includer x')).toEqual({ type: READ, pattern: 'x' });
    expect(parseIncludeDirective('includem x')).toEqual({ type: READ | MATCH, pattern: 'x' });
    expect(parseIncludeDirective('includew x')).toEqual({ type: READ | MATCH | WILDCARD, pattern: 'x' });
    expect(parseIncludeDirective('includeb x')).toEqual({ type: READ | BRACE, pattern: 'x' });
    expect(parseIncludeDirective('includea\tx')).toEqual({ type: ALL, pattern: 'x' });
  });
  it('rejects other words', () => {
    expect(parseIncludeDirective('includex y')).toBeNull();
    expect(parseIncludeDirective('include_check read')).toBeNull();
    expect(parseIncludeDirective('include')).toBeNull();
    expect(parseIncludeDirective('includerr x')).toBeNull();
  });
});

describe('applyIncludeCheck', () => {
  const run = (words: string[], current = 0) => {
    const problems: string[] = [];
    const check = applyIncludeCheck(words, current, (m) => problems.push(m));
    return { check, problems };
  };
  it('sets, adds and removes checks', () => {
    expect(run([]).check).toBe(ALL);
    expect(run(['match']).check).toBe(READ | MATCH);
    expect(run(['match', '+brace_match']).check).toBe(READ | MATCH | BRACE);
    expect(run(['-read'], ALL).check).toBe(MATCH | WILDCARD | BRACE);
  });
  it('reports unknown and duplicate names', () => {
    expect(run(['match', 'read']).problems).toEqual(["Duplicate include_check 'read' specified - ignoring"]);
    expect(run(['bogus']).problems).toEqual(["Unknown include_check type 'bogus' - ignoring"]);
    expect(run(['+toString']).problems).toEqual(["Unknown include_check type 'toString' - ignoring"]);
  });
});
