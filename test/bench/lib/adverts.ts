/**
 * VRRP advertisements seen on the wire: parsing of `tcpdump -tt --time-stamp-precision=micro` lines and
 * the lateness of each advert against the sender's schedule (previous advert of the same VRID + the
 * advertisement interval). Pure functions (unit-tested in adverts.test.ts); the capture itself is in
 * capture.ts.
 */
import { maxOf, percentile } from './stats.js';

export interface WireAdvert {
  /** Capture timestamp (kernel, µs since the epoch). */
  readonly tUs: number;
  readonly src: string;
  readonly version: number;
  readonly vrid: number;
  readonly priority: number;
}

const LINE_RE = /^(\d+)\.(\d{6}) IP (\S+) > \S+: VRRPv(\d), Advertisement, vrid (\d+), prio (\d+)/;

/** One tcpdump text line → advert, or undefined for anything else. */
export function parseTcpdumpLine(line: string): WireAdvert | undefined {
  const m = LINE_RE.exec(line);
  if (m === null) return undefined;
  return {
    tUs: Number(m[1]) * 1_000_000 + Number(m[2]),
    src: m[3] ?? '',
    version: Number(m[4]),
    vrid: Number(m[5]),
    priority: Number(m[6]),
  };
}

export interface LatenessSummary {
  readonly adverts: number;
  readonly vrids: number;
  /** Adverts per second over the capture window. */
  readonly ratePerS: number;
  /** Gap minus interval, µs (negative = early). */
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  /** Mean gap minus interval, µs: systematic drift of the schedule. */
  readonly meanUs: number;
}

/**
 * Lateness of every advert but the first of each VRID: `gap to the previous advert − advertIntervalUs`.
 * `windowUs` is the capture duration used for the rate.
 */
export function latenessOf(adverts: readonly WireAdvert[], advertIntervalUs: number, windowUs: number): LatenessSummary {
  const byVrid = new Map<number, number[]>();
  for (const a of adverts) {
    const list = byVrid.get(a.vrid) ?? [];
    list.push(a.tUs);
    byVrid.set(a.vrid, list);
  }
  const late: number[] = [];
  for (const times of byVrid.values()) {
    times.sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++) late.push((times[i] ?? 0) - (times[i - 1] ?? 0) - advertIntervalUs);
  }
  const mean = late.length === 0 ? Number.NaN : late.reduce((s, x) => s + x, 0) / late.length;
  return {
    adverts: adverts.length,
    vrids: byVrid.size,
    ratePerS: windowUs > 0 ? adverts.length / (windowUs / 1e6) : Number.NaN,
    p50Us: percentile(late, 50),
    p99Us: percentile(late, 99),
    maxUs: maxOf(late),
    meanUs: mean,
  };
}
