import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBool, parseDecimal, parseInt10, parseIpPrefix, parseTimerUs, parseUnsigned, splitCommandLine } from '../../../src/config/build/values.js';

describe('value parsers', () => {
  it('parses integers like strtol in -t mode', () => {
    expect(parseInt10('42', 0, 100)).toEqual({ ok: true, value: 42 });
    expect(parseInt10('-5', -10, 10)).toEqual({ ok: true, value: -5 });
    expect(parseInt10('10x', 0, 100)).toEqual({ ok: false, reason: "invalid number '10x'" });
    expect(parseInt10('101', 0, 100)).toEqual({ ok: false, reason: "number '101' outside range [0, 100]" });
    expect(parseInt10('0x10', 0, 100).ok).toBe(false);
  });

  it('rejects negative unsigned numbers', () => {
    expect(parseUnsigned('-1', 0, 10)).toEqual({ ok: false, reason: "negative number '-1'" });
  });

  it('round-trips any in-range integer', () => {
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
      const r = parseInt10(String(n), -1000, 1000);
      return r.ok && r.value === n;
    }));
  });

  it('parses fixed-point decimals and rounds excess places with a warning', () => {
    expect(parseTimerUs('1', 0, 10e6)).toEqual({ ok: true, value: 1_000_000 });
    expect(parseTimerUs('0.25', 0, 10e6)).toEqual({ ok: true, value: 250_000 });
    expect(parseTimerUs('.5', 0, 10e6)).toEqual({ ok: true, value: 500_000 });
    expect(parseDecimal('1.2345678', 6, 0, 10e6)).toEqual({ ok: true, value: 1_234_568, warning: "number '1.2345678' has too many decimal places" });
    expect(parseTimerUs('-1', 0, 10e6).ok).toBe(false);
    expect(parseTimerUs('1s', 0, 10e6).ok).toBe(false);
    expect(parseTimerUs('256', 10_000, 255e6)).toEqual({ ok: false, reason: "number '256' outside range [0.010000, 255.000000]" });
  });

  it('knows keepalived BOOL words', () => {
    expect(['on', 'true', 'yes'].map(parseBool)).toEqual([true, true, true]);
    expect(['off', 'false', 'no'].map(parseBool)).toEqual([false, false, false]);
    expect(parseBool('1')).toBeNull();
  });

  it('parses addresses with optional prefix', () => {
    expect(parseIpPrefix('10.0.0.1')).toEqual({ address: '10.0.0.1', family: 'inet', prefixLen: 32, prefixGiven: false });
    expect(parseIpPrefix('fe80::1/64')).toEqual({ address: 'fe80::1', family: 'inet6', prefixLen: 64, prefixGiven: true });
    expect(parseIpPrefix('10.0.0.1/33')).toBeNull();
    expect(parseIpPrefix('10.0.0.256')).toBeNull();
  });

  it('splits command lines on unquoted whitespace', () => {
    expect(splitCommandLine('/bin/echo a  "b c" \'d e\' f\\ g')).toEqual(['/bin/echo', 'a', 'b c', 'd e', 'f g']);
    expect(splitCommandLine('   ')).toEqual([]);
  });
});
