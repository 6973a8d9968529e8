/**
 * Benchmark statistics and printing: percentiles over samples and fixed-width text tables.
 * Pure functions only (unit-tested in stats.test.ts).
 */

/** Nearest-rank percentile (`p` in 0..100) of `xs`; NaN for an empty sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1] ?? Number.NaN;
}

/** Median (mean of the two middle values for an even count); NaN for an empty sample. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function maxOf(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => (b > a ? b : a), -Infinity);
}

/** `n` with `digits` decimals, or `-` when not a finite number. */
export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** Renders rows as a left-aligned text table with a header rule. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** Least-squares slope of `y` over `x` (units of y per unit of x); NaN with fewer than two distinct x. */
export function linearSlope(points: readonly { readonly x: number; readonly y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

export interface MemoryGrowth {
  /** Samples used (after warm-up). */
  readonly samples: number;
  /** Median of the last quarter minus median of the first quarter of the post-warm-up samples, kB. */
  readonly quarterMedianDeltaKb: number;
  /** Least-squares trend over the post-warm-up samples, kB per hour. */
  readonly slopeKbPerHour: number;
}

/**
 * RSS growth after warm-up from periodic samples. A garbage-collected heap oscillates, so the first and
 * last sample say little; comparing the medians of the first and last quarters (and the overall trend)
 * separates steady growth (a leak) from GC saw-teeth.
 */
export function memoryGrowth(samples: readonly { readonly atS: number; readonly kb: number }[], warmupS: number): MemoryGrowth {
  const s = samples.filter((p) => p.atS >= warmupS);
  const q = Math.max(1, Math.floor(s.length / 4));
  const first = s.slice(0, q).map((p) => p.kb);
  const last = s.slice(s.length - q).map((p) => p.kb);
  return {
    samples: s.length,
    quarterMedianDeltaKb: s.length < 2 ? Number.NaN : median(last) - median(first),
    slopeKbPerHour: linearSlope(s.map((p) => ({ x: p.atS / 3600, y: p.kb }))),
  };
}
