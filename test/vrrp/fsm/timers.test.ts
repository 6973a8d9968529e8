import { describe, expect, it } from 'vitest';
import { adverIntervalUs, masterDownIntervalUs, skewUs, wireAdverIntervalCs } from '../../../src/vrrp/fsm/timers.js';

// Worked values from vrrp.md §3.5 (RFC 9568 §6.1 formulas, µs precision).
describe('VRRP timer formulas (µs)', () => {
  it('v3 priority 100 @ 100 cs: skew 609.375 ms, MDI 3.609375 s', () => {
    expect(skewUs(100, 1_000_000)).toBe(609_375);
    expect(masterDownIntervalUs(100, 1_000_000)).toBe(3_609_375);
  });
  it('v3 priority 200 @ 100 cs: skew 218.75 ms, MDI 3.21875 s', () => {
    expect(skewUs(200, 1_000_000)).toBe(218_750);
    expect(masterDownIntervalUs(200, 1_000_000)).toBe(3_218_750);
  });
  it('v3 priority 254 @ 1 cs: skew 78 µs, MDI ≈ 30.08 ms', () => {
    expect(skewUs(254, 10_000)).toBe(78);
    expect(masterDownIntervalUs(254, 10_000)).toBe(30_078);
  });
  it('v3 priority 1 @ 1 cs: skew ≈ 9.96 ms, MDI ≈ 39.96 ms', () => {
    expect(skewUs(1, 10_000)).toBe(9_960);
    expect(masterDownIntervalUs(1, 10_000)).toBe(39_960);
  });
  it('v2 priority 100 @ 1 s: the classic 3.6 s', () => {
    const interval = adverIntervalUs({ version: 2, adverIntervalCs: 100 });
    expect(interval).toBe(1_000_000);
    expect(skewUs(100, interval)).toBe(609_375);
    expect(masterDownIntervalUs(100, interval)).toBe(3_609_375);
  });
  it('down_timer_adverts replaces the factor 3', () => {
    expect(masterDownIntervalUs(100, 100_000, 30)).toBe(30 * 100_000 + 60_937);
  });
  it('owner priority 255 uses 255 in the skew', () => {
    expect(skewUs(255, 1_000_000)).toBe(3_906);
  });
  it('v2 intervals are whole seconds on the wire (min 1, max 255); v3 centiseconds (1..4095)', () => {
    expect(wireAdverIntervalCs(2, 150)).toBe(200);
    expect(wireAdverIntervalCs(2, 10)).toBe(100);
    expect(wireAdverIntervalCs(2, 100_000)).toBe(25_500);
    expect(wireAdverIntervalCs(3, 150)).toBe(150);
    expect(wireAdverIntervalCs(3, 0)).toBe(1);
    expect(wireAdverIntervalCs(3, 5000)).toBe(4095);
    expect(adverIntervalUs({ version: 3, adverIntervalCs: 10 })).toBe(100_000);
  });
});
