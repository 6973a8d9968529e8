import { describe, expect, it } from 'vitest';
import { fmt, formatTable, maxOf, median, percentile } from './stats.js';

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
});
