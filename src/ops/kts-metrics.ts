/**
 * The keepalived-ts metric set: every metric name, help text and label set the daemon exports, in one
 * place, plus small helpers for the updates that touch several samples at once (one-hot state).
 *
 * Naming follows Prometheus conventions: `keepalived_ts_<subsystem>_<what>[_<unit>][_total]`.
 * The VRRP instance label is `vrrp_instance`, not `instance`: Prometheus attaches its own `instance`
 * target label at scrape time and would rename ours to `exported_instance`.
 * Label values are bounded: instance names and virtual/real server keys come from the configuration,
 * drop reasons from `DROP_CODES`, states from `VrrpState`. The transition `reason` label carries the
 * FSM's short reason text, which is a fixed vocabulary.
 */

import { CHECK_DURATION_BUCKETS_S } from '../check/check-stats.js';
import { DROP_CODES, type DropCode } from '../vrrp/packet/drop-reason.js';
import { MetricsRegistry, type Counter, type Gauge, type Histogram } from './metrics.js';
import { SPLIT_BRAIN_KINDS, type SplitBrainEvent } from './split-brain.js';

export const VRRP_STATES = ['INIT', 'BACKUP', 'MASTER', 'FAULT', 'STOP'] as const;
export type MetricVrrpState = (typeof VRRP_STATES)[number];

/** Numeric encoding of `keepalived_ts_vrrp_state` (documented in its HELP text). */
export const VRRP_STATE_VALUE: Readonly<Record<MetricVrrpState, number>> = { INIT: 0, BACKUP: 1, MASTER: 2, FAULT: 3, STOP: 4 };

export interface KtsMetrics {
  readonly registry: MetricsRegistry;
  readonly info: Gauge<'version'>;
  readonly vrrpState: Gauge<'vrrp_instance'>;
  readonly vrrpStateOneHot: Gauge<'vrrp_instance' | 'state'>;
  readonly vrrpPriority: Gauge<'vrrp_instance'>;
  readonly vrrpBasePriority: Gauge<'vrrp_instance'>;
  readonly vrrpTransitions: Counter<'vrrp_instance' | 'to' | 'reason'>;
  readonly vrrpAdvertsSent: Counter<'vrrp_instance'>;
  readonly vrrpAdvertsReceived: Counter<'vrrp_instance'>;
  /** `vrrp_instance` is "" for drops that happen before an advert is matched to an instance. */
  readonly vrrpAdvertsDropped: Counter<'vrrp_instance' | 'reason'>;
  readonly vrrpGarpSent: Counter<'vrrp_instance'>;
  readonly vrrpSplitBrainActive: Gauge<'vrrp_instance' | 'kind'>;
  readonly vrrpSplitBrainDetected: Counter<'vrrp_instance' | 'kind'>;
  readonly checkerResults: Counter<'virtual_server' | 'real_server' | 'checker' | 'result'>;
  readonly checkerDuration: Histogram<'checker'>;
  readonly realServerUp: Gauge<'virtual_server' | 'real_server'>;
  readonly realServerWeight: Gauge<'virtual_server' | 'real_server'>;
  readonly realServerTransitions: Counter<'virtual_server' | 'real_server' | 'to'>;
  readonly checkerWorkerRestarts: Counter;
  readonly ipvsReconcileErrors: Counter<'op'>;
}

/** Registers the whole set on a fresh (or given) registry. */
export function createKtsMetrics(version: string, registry = new MetricsRegistry()): KtsMetrics {
  const m: KtsMetrics = {
    registry,
    info: registry.gauge({ name: 'keepalived_ts_build_info', help: 'Always 1; the version label carries the keepalived-ts version.', labelNames: ['version'] }),
    vrrpState: registry.gauge({
      name: 'keepalived_ts_vrrp_state',
      help: 'VRRP instance state: 0=INIT 1=BACKUP 2=MASTER 3=FAULT 4=STOP.',
      labelNames: ['vrrp_instance'],
    }),
    vrrpStateOneHot: registry.gauge({
      name: 'keepalived_ts_vrrp_instance_state',
      help: '1 for the current state of the VRRP instance, 0 for the others.',
      labelNames: ['vrrp_instance', 'state'],
    }),
    vrrpPriority: registry.gauge({ name: 'keepalived_ts_vrrp_priority', help: 'Effective priority (sent in adverts).', labelNames: ['vrrp_instance'] }),
    vrrpBasePriority: registry.gauge({ name: 'keepalived_ts_vrrp_base_priority', help: 'Configured priority.', labelNames: ['vrrp_instance'] }),
    vrrpTransitions: registry.counter({
      name: 'keepalived_ts_vrrp_transitions_total',
      help: 'VRRP state transitions by target state and reason.',
      labelNames: ['vrrp_instance', 'to', 'reason'],
    }),
    vrrpAdvertsSent: registry.counter({ name: 'keepalived_ts_vrrp_adverts_sent_total', help: 'VRRP advertisements sent.', labelNames: ['vrrp_instance'] }),
    vrrpAdvertsReceived: registry.counter({
      name: 'keepalived_ts_vrrp_adverts_received_total',
      help: 'VRRP advertisements received and accepted.',
      labelNames: ['vrrp_instance'],
    }),
    vrrpAdvertsDropped: registry.counter({
      name: 'keepalived_ts_vrrp_adverts_dropped_total',
      help: 'VRRP packets discarded, by receive-ladder reason (vrrp_instance is empty before instance matching).',
      labelNames: ['vrrp_instance', 'reason'],
    }),
    vrrpGarpSent: registry.counter({
      name: 'keepalived_ts_vrrp_garp_sent_total',
      help: 'Gratuitous ARPs and unsolicited neighbour advertisements sent.',
      labelNames: ['vrrp_instance'],
    }),
    vrrpSplitBrainActive: registry.gauge({
      name: 'keepalived_ts_vrrp_split_brain_active',
      help: 'Number of active split-brain / misconfiguration findings by kind.',
      labelNames: ['vrrp_instance', 'kind'],
    }),
    vrrpSplitBrainDetected: registry.counter({
      name: 'keepalived_ts_vrrp_split_brain_detected_total',
      help: 'Split-brain / misconfiguration findings raised, by kind.',
      labelNames: ['vrrp_instance', 'kind'],
    }),
    checkerResults: registry.counter({
      name: 'keepalived_ts_checker_results_total',
      help: 'Health-check results by real server, checker type and result (success|failure).',
      labelNames: ['virtual_server', 'real_server', 'checker', 'result'],
    }),
    checkerDuration: registry.histogram({
      name: 'keepalived_ts_checker_duration_seconds',
      help: 'Health-check duration by checker type.',
      labelNames: ['checker'],
      buckets: CHECK_DURATION_BUCKETS_S,
    }),
    realServerUp: registry.gauge({
      name: 'keepalived_ts_real_server_up',
      help: '1 when the real server is alive (in the IPVS table with its weight), 0 when down.',
      labelNames: ['virtual_server', 'real_server'],
    }),
    realServerWeight: registry.gauge({
      name: 'keepalived_ts_real_server_weight',
      help: 'Current IPVS weight of the real server.',
      labelNames: ['virtual_server', 'real_server'],
    }),
    realServerTransitions: registry.counter({
      name: 'keepalived_ts_real_server_transitions_total',
      help: 'Real server state changes decided by the health checkers, by new state (up|down).',
      labelNames: ['virtual_server', 'real_server', 'to'],
    }),
    checkerWorkerRestarts: registry.counter({
      name: 'keepalived_ts_checker_worker_restarts_total',
      help: 'Times the health-checker worker thread exited unexpectedly and was restarted.',
    }),
    ipvsReconcileErrors: registry.counter({
      name: 'keepalived_ts_ipvs_reconcile_errors_total',
      help: 'IPVS netlink operations that failed while reconciling the table, by operation.',
      labelNames: ['op'],
    }),
  };
  m.info.set({ version }, 1);
  return m;
}

/** Sets both state encodings (numeric and one-hot) for an instance. */
export function setInstanceState(m: KtsMetrics, instance: string, state: MetricVrrpState): void {
  m.vrrpState.set({ vrrp_instance: instance }, VRRP_STATE_VALUE[state]);
  for (const s of VRRP_STATES) m.vrrpStateOneHot.set({ vrrp_instance: instance, state: s }, s === state ? 1 : 0);
}

/** Exports a zero for every drop reason of an instance, so rate() works from the first drop. */
export function touchDropReasons(m: KtsMetrics, instance: string): void {
  for (const reason of [...DROP_CODES, 'unicast-src']) m.vrrpAdvertsDropped.touch({ vrrp_instance: instance, reason });
}

/** Exports zeros for an instance's counters and split-brain gauges (call when it is created). */
export function touchInstance(m: KtsMetrics, instance: string): void {
  touchDropReasons(m, instance);
  for (const c of [m.vrrpAdvertsSent, m.vrrpAdvertsReceived, m.vrrpGarpSent]) c.touch({ vrrp_instance: instance });
  for (const kind of SPLIT_BRAIN_KINDS) {
    m.vrrpSplitBrainDetected.touch({ vrrp_instance: instance, kind });
    if (m.vrrpSplitBrainActive.get({ vrrp_instance: instance, kind }) === undefined) m.vrrpSplitBrainActive.set({ vrrp_instance: instance, kind }, 0);
  }
}

/** Applies split-brain detector events: raised → detected_total +1 and active +1; cleared → active −1. */
export function recordSplitBrain(m: KtsMetrics, instance: string, events: readonly SplitBrainEvent[]): void {
  for (const ev of events) {
    const labels = { vrrp_instance: instance, kind: ev.finding.kind };
    if (ev.type === 'raised') {
      m.vrrpSplitBrainDetected.inc(labels);
      m.vrrpSplitBrainActive.inc(labels);
    } else {
      m.vrrpSplitBrainActive.set(labels, Math.max(0, (m.vrrpSplitBrainActive.get(labels) ?? 0) - 1));
    }
  }
}

/** One finished health check: result counter and duration histogram. */
export function recordCheck(
  m: KtsMetrics,
  virtualServer: string,
  realServer: string,
  checker: string,
  ok: boolean,
  durationS: number,
): void {
  m.checkerResults.inc({ virtual_server: virtualServer, real_server: realServer, checker, result: ok ? 'success' : 'failure' });
  m.checkerDuration.observe({ checker }, durationS);
}

/** Real server state as the pool sees it (alive flag and current weight, 0 when down). */
export function setRealServer(m: KtsMetrics, virtualServer: string, realServer: string, alive: boolean, weight: number): void {
  m.realServerUp.set({ virtual_server: virtualServer, real_server: realServer }, alive ? 1 : 0);
  m.realServerWeight.set({ virtual_server: virtualServer, real_server: realServer }, alive ? weight : 0);
}

/** `unicast-src` is the daemon's own rung (check_unicast_src), after the codec's. */
export function countDrop(m: KtsMetrics, instance: string | undefined, reason: DropCode | 'unicast-src'): void {
  m.vrrpAdvertsDropped.inc({ vrrp_instance: instance ?? '', reason });
}

/** Removes every sample of an instance (deleted by a reload). */
export function forgetInstance(m: KtsMetrics, instance: string): void {
  for (const g of [m.vrrpState, m.vrrpPriority, m.vrrpBasePriority, m.vrrpAdvertsSent, m.vrrpAdvertsReceived, m.vrrpGarpSent]) {
    g.removeMatching({ vrrp_instance: instance });
  }
  m.vrrpStateOneHot.removeMatching({ vrrp_instance: instance });
  m.vrrpTransitions.removeMatching({ vrrp_instance: instance });
  m.vrrpAdvertsDropped.removeMatching({ vrrp_instance: instance });
  m.vrrpSplitBrainActive.removeMatching({ vrrp_instance: instance });
  m.vrrpSplitBrainDetected.removeMatching({ vrrp_instance: instance });
}
