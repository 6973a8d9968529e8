/**
 * Main-thread side of the checker worker's `stats` messages (src/check/check-stats.ts): applies
 * them to the Prometheus metric set (check results by real server and checker type, duration
 * histograms by checker type, real server up/weight gauges and up/down transitions, IPVS reconcile
 * errors by operation, worker restarts) and keeps each checker's last run time and duration for the
 * status document (`CheckTiming`, by CheckerStatus id `vs/rs/checker`).
 *
 * Label values come from the configuration (FMT_VS / FMT_RS text, checker keywords) and fixed
 * vocabularies (result, to, op), so cardinality is bounded by the configuration; series of real
 * servers that a reload removed are deleted when the worker next sends its real server table.
 */

import { IPVS_OPS, type CheckerStats } from '../check/check-stats.js';
import { setRealServer, type KtsMetrics } from './kts-metrics.js';
import type { CheckTiming, TimeMapping } from './status-build.js';

const rsKey = (vs: string, rs: string): string => `${vs}\u0000${rs}`;

export class CheckerStatsSink {
  private readonly timingById = new Map<string, CheckTiming>();
  /** Real servers of the last table received (to drop the series of removed ones). */
  private knownRs = new Map<string, { readonly virtualServer: string; readonly realServer: string }>();

  /** `metrics` undefined: only the status timings are kept (daemon without --metrics). */
  constructor(private readonly metrics: KtsMetrics | undefined) {
    if (metrics !== undefined) {
      for (const op of IPVS_OPS) metrics.ipvsReconcileErrors.touch({ op });
      metrics.checkerWorkerRestarts.touch();
    }
  }

  /** One `stats` message; `time` is a reading of the daemon's clocks taken on receipt. */
  apply(s: CheckerStats, time: TimeMapping): void {
    for (const c of s.checks) {
      // The worker stamps wall time; status wants the daemon's monotonic time.
      const atUs = time.nowUs - Math.max(0, time.nowWallMs - c.lastAtWallMs) * 1000;
      // 0.1 ms resolution: enough for a check, readable in `status`.
      this.timingById.set(c.id, { lastCheckedAtUs: atUs, lastDurationMs: Math.round(c.lastDurationUs / 100) / 10 });
    }
    const m = this.metrics;
    if (m === undefined) return;
    for (const c of s.checks) {
      const labels = { virtual_server: c.virtualServer, real_server: c.realServer, checker: c.kind };
      m.checkerResults.inc({ ...labels, result: 'success' }, c.successes);
      m.checkerResults.inc({ ...labels, result: 'failure' }, c.failures);
    }
    for (const d of s.durations) m.checkerDuration.observeAggregate({ checker: d.kind }, d.bucketCounts, d.sumS);
    for (const e of s.ipvsErrors) m.ipvsReconcileErrors.inc({ op: e.op }, e.count);
    for (const t of s.rsTransitions) {
      m.realServerTransitions.inc({ virtual_server: t.virtualServer, real_server: t.realServer, to: 'up' }, t.up);
      m.realServerTransitions.inc({ virtual_server: t.virtualServer, real_server: t.realServer, to: 'down' }, t.down);
    }
    if (s.realServers !== null) {
      const now = new Map(s.realServers.map((r) => [rsKey(r.virtualServer, r.realServer), r]));
      for (const [k, r] of this.knownRs) {
        if (now.has(k)) continue;
        const sel = { virtual_server: r.virtualServer, real_server: r.realServer };
        for (const metric of [m.realServerUp, m.realServerWeight, m.realServerTransitions, m.checkerResults]) metric.removeMatching(sel);
      }
      this.knownRs = new Map([...now].map(([k, r]) => [k, { virtualServer: r.virtualServer, realServer: r.realServer }]));
      for (const r of s.realServers) {
        setRealServer(m, r.virtualServer, r.realServer, r.alive, r.weight);
        for (const to of ['up', 'down']) m.realServerTransitions.touch({ virtual_server: r.virtualServer, real_server: r.realServer, to });
      }
    }
  }

  /** The checker worker died and will be restarted. */
  workerExited(): void {
    this.metrics?.checkerWorkerRestarts.inc();
  }

  /** A reload renumbers checkers: forget timings until the new ones report. */
  configurationChanged(): void {
    this.timingById.clear();
  }

  /** Last run time and duration by CheckerStatus id (`status-build.ts` `virtualServerStatus`). */
  timings(): ReadonlyMap<string, CheckTiming> {
    return this.timingById;
  }
}
