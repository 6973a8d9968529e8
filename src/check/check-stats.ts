/**
 * Per-check statistics gathered in the checker worker and shipped to the main thread in one
 * aggregated `stats` message per flush (protocol.ts), so a thousand checks a second cost one
 * message, not a thousand: result counts and the last result/duration per checker, duration
 * histograms per checker kind (bucket counts, non-cumulative, on `CHECK_DURATION_BUCKETS_S`),
 * IPVS operations that failed by operation, and real server up/down transitions. The current real
 * server table (alive, weight) is sent whole, only when it changed since the last flush.
 *
 * Pure (no I/O, no timers): the worker runtime decides when to `flush()`.
 */
import type { VirtualServer } from '../config/model.js';
import { fmtRs, fmtVs } from './format.js';
import type { PoolSnapshot } from './pool.js';

/** Upper bounds (seconds) of the check duration histogram; `+Inf` is implicit (last count). */
export const CHECK_DURATION_BUCKETS_S: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** IPVS operations a reconcile error can be counted under (bounded label set). */
export const IPVS_OPS = ['add-service', 'edit-service', 'del-service', 'add-dest', 'edit-dest', 'del-dest', 'dump'] as const;
export type IpvsOpName = (typeof IPVS_OPS)[number];

/** One finished check attempt, as the engine reports it. */
export interface CheckObservation {
  /** CheckerStatus id: `<vs index>/<rs index>/<checker index>`. */
  readonly id: string;
  /** Checker keyword (HTTP_GET, TCP_CHECK, …). */
  readonly kind: string;
  /** FMT_VS / FMT_RS of the checked server. */
  readonly virtualServer: string;
  readonly realServer: string;
  readonly ok: boolean;
  readonly durationUs: number;
  /** Wall clock (ms since the epoch) when the attempt finished. */
  readonly atWallMs: number;
}

/** Counts of one checker since the previous flush, plus its last attempt. */
export interface CheckStatsEntry {
  readonly id: string;
  readonly kind: string;
  readonly virtualServer: string;
  readonly realServer: string;
  readonly successes: number;
  readonly failures: number;
  readonly lastOk: boolean;
  readonly lastDurationUs: number;
  readonly lastAtWallMs: number;
}

/** Duration histogram delta of one checker kind: `bucketCounts[i]` = attempts in (bound[i-1], bound[i]]; the last is +Inf. */
export interface DurationStats {
  readonly kind: string;
  readonly bucketCounts: readonly number[];
  readonly sumS: number;
  readonly count: number;
}

export interface IpvsErrorStats {
  readonly op: IpvsOpName;
  readonly count: number;
}

/** Up/down transitions of one real server since the previous flush. */
export interface RsTransitionStats {
  readonly virtualServer: string;
  readonly realServer: string;
  readonly up: number;
  readonly down: number;
}

export interface RsState {
  readonly virtualServer: string;
  readonly realServer: string;
  readonly alive: boolean;
  /** Current weight (0 when down). */
  readonly weight: number;
}

/** The payload of one `stats` message. */
export interface CheckerStats {
  readonly checks: readonly CheckStatsEntry[];
  readonly durations: readonly DurationStats[];
  readonly ipvsErrors: readonly IpvsErrorStats[];
  readonly rsTransitions: readonly RsTransitionStats[];
  /** The whole real server table when it changed since the last flush; null = unchanged. */
  readonly realServers: readonly RsState[] | null;
}

/** Index of the bucket a duration falls in (the last index is +Inf). */
export function durationBucket(seconds: number): number {
  const i = CHECK_DURATION_BUCKETS_S.findIndex((b) => seconds <= b);
  return i < 0 ? CHECK_DURATION_BUCKETS_S.length : i;
}

/** The real server table of a pool snapshot, named the way metrics label it (FMT_VS, FMT_RS). */
export function realServerTable(virtualServers: readonly VirtualServer[], pool: PoolSnapshot): RsState[] {
  const out: RsState[] = [];
  virtualServers.forEach((vs, i) => {
    const vsSnap = pool.virtualServers[i];
    vs.realServers.forEach((rs, j) => {
      const r = vsSnap?.realServers[j];
      const alive = r?.alive === true;
      out.push({ virtualServer: fmtVs(vs), realServer: fmtRs(rs, vs), alive, weight: alive ? (r?.effectiveWeight ?? 0) : 0 });
    });
  });
  return out;
}

const rsKey = (vs: string, rs: string): string => `${vs}\u0000${rs}`;

export class CheckStatsAggregator {
  private checks = new Map<string, { -readonly [K in keyof CheckStatsEntry]: CheckStatsEntry[K] }>();
  private durations = new Map<string, { bucketCounts: number[]; sumS: number; count: number }>();
  private ipvsErrors = new Map<IpvsOpName, number>();
  private transitions = new Map<string, { virtualServer: string; realServer: string; up: number; down: number }>();
  /** Last alive flag per real server, to find transitions; survives flushes. */
  private readonly alive = new Map<string, boolean>();
  private table: readonly RsState[] | null = null;
  private tableJson = '';

  recordCheck(o: CheckObservation): void {
    let e = this.checks.get(o.id);
    if (e === undefined) {
      e = { id: o.id, kind: o.kind, virtualServer: o.virtualServer, realServer: o.realServer, successes: 0, failures: 0, lastOk: o.ok, lastDurationUs: 0, lastAtWallMs: 0 };
      this.checks.set(o.id, e);
    }
    if (o.ok) e.successes++;
    else e.failures++;
    e.lastOk = o.ok;
    e.lastDurationUs = Math.max(0, o.durationUs);
    e.lastAtWallMs = o.atWallMs;
    let d = this.durations.get(o.kind);
    if (d === undefined) {
      d = { bucketCounts: new Array<number>(CHECK_DURATION_BUCKETS_S.length + 1).fill(0), sumS: 0, count: 0 };
      this.durations.set(o.kind, d);
    }
    const s = Math.max(0, o.durationUs) / 1e6;
    const b = durationBucket(s);
    d.bucketCounts[b] = (d.bucketCounts[b] ?? 0) + 1;
    d.sumS += s;
    d.count++;
  }

  recordIpvsError(op: IpvsOpName): void {
    this.ipvsErrors.set(op, (this.ipvsErrors.get(op) ?? 0) + 1);
  }

  /**
   * The current real server table (call after every pool change). Transitions are counted against
   * the previous table; a real server seen for the first time is not a transition.
   */
  setRealServers(table: readonly RsState[]): void {
    for (const r of table) {
      const k = rsKey(r.virtualServer, r.realServer);
      const was = this.alive.get(k);
      this.alive.set(k, r.alive);
      if (was === undefined || was === r.alive) continue;
      let t = this.transitions.get(k);
      if (t === undefined) {
        t = { virtualServer: r.virtualServer, realServer: r.realServer, up: 0, down: 0 };
        this.transitions.set(k, t);
      }
      if (r.alive) t.up++;
      else t.down++;
    }
    const json = JSON.stringify(table);
    if (json !== this.tableJson) {
      this.tableJson = json;
      this.table = table;
    }
  }

  /** Forgets servers no longer configured (reload), so a server re-added later starts fresh. */
  retainOnly(table: readonly RsState[]): void {
    const keep = new Set(table.map((r) => rsKey(r.virtualServer, r.realServer)));
    for (const k of [...this.alive.keys()]) if (!keep.has(k)) this.alive.delete(k);
  }

  /** Everything gathered since the previous flush; null when there is nothing to say. */
  flush(): CheckerStats | null {
    if (this.checks.size === 0 && this.ipvsErrors.size === 0 && this.transitions.size === 0 && this.table === null) return null;
    const out: CheckerStats = {
      checks: [...this.checks.values()],
      durations: [...this.durations].map(([kind, d]) => ({ kind, bucketCounts: d.bucketCounts, sumS: d.sumS, count: d.count })),
      ipvsErrors: [...this.ipvsErrors].map(([op, count]) => ({ op, count })),
      rsTransitions: [...this.transitions.values()],
      realServers: this.table,
    };
    this.checks = new Map();
    this.durations = new Map();
    this.ipvsErrors = new Map();
    this.transitions = new Map();
    this.table = null;
    return out;
  }
}
