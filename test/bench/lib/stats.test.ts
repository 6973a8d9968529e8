import { describe, expect, it } from 'vitest';
import { fmt, formatTable, linearSlope, maxOf, median, memoryGrowth, percentile } from './stats.js';

describe('bench statistics', () => {
  it('nearest-rank percentiles over an unsorted sample', () => {
    const xs = [50, 10, 40, 20, 30, 100, 90, 80, 70, 60];
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(100);
    expect(percentile(xs, 10)).toBe(10);
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  it('median of odd and even counts; max; NaN on empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(maxOf([-5, -2, -9])).toBe(-2);
    expect(maxOf([])).toBeNaN();
  });

  it('formats numbers and aligns table columns', () => {
    expect(fmt(1.234, 1)).toBe('1.2');
    expect(fmt(Number.NaN)).toBe('-');
    const t = formatTable(['a', 'long header'], [['xyz', '1'], ['q', '22']]).split('\n');
    expect(t[0]).toBe('a    long header');
    expect(t[1]).toBe('---  -----------');
    expect(t[2]).toBe('xyz  1');
    expect(t[3]).toBe('q    22');
  });

  it('linear slope of a noisy line and of degenerate inputs', () => {
    expect(linearSlope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2, 10);
    expect(linearSlope([{ x: 1, y: 1 }])).toBeNaN();
    expect(linearSlope([{ x: 1, y: 1 }, { x: 1, y: 4 }])).toBeNaN();
  });

  it('memory growth ignores warm-up and separates saw-teeth from a leak', () => {
    // GC saw-tooth between 100 and 180 MB, flat on average: little growth.
    const saw = Array.from({ length: 60 }, (_, i) => ({ atS: i * 30, kb: (i % 2 === 0 ? 100 : 180) * 1024 }));
    const g = memoryGrowth([{ atS: 0, kb: 10 }, ...saw.slice(1)], 60);
    expect(g.samples).toBe(58);
    expect(Math.abs(g.quarterMedianDeltaKb)).toBeLessThan(1024);
    // Steady growth of 1 MB per 30 s sample: 120 MB per hour.
    const leak = Array.from({ length: 61 }, (_, i) => ({ atS: i * 30, kb: 100_000 + i * 1024 }));
    const l = memoryGrowth(leak, 300);
    expect(l.slopeKbPerHour).toBeCloseTo(120 * 1024, 0);
    expect(l.quarterMedianDeltaKb).toBeGreaterThan(20 * 1024);
  });
});
