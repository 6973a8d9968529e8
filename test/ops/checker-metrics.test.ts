import { describe, expect, it } from 'vitest';
import { CHECK_DURATION_BUCKETS_S, CheckStatsAggregator, type RsState } from '../../src/check/check-stats.js';
import { CheckerStatsSink } from '../../src/ops/checker-metrics.js';
import { createKtsMetrics } from '../../src/ops/kts-metrics.js';
import { MetricsError, MetricsRegistry } from '../../src/ops/metrics.js';

/** Sample lines → value by "name{labels}". */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    const v = line.slice(sp + 1);
    out.set(line.slice(0, sp), v === '+Inf' ? Infinity : Number(v));
  }
  return out;
}

const VS = '[10.0.0.1]:tcp:80';
const RS1 = '[10.0.0.2]:tcp:80';
const RS2 = '[10.0.0.3]:tcp:80';
const rs = (real: string, alive: boolean, weight = 1): RsState => ({ virtualServer: VS, realServer: real, alive, weight: alive ? weight : 0 });
const time = { nowUs: 50_000_000, nowWallMs: 1_700_000_010_000 };

describe('Histogram.observeAggregate', () => {
  it('adds non-cumulative bucket counts cumulatively and matches observe() one by one', () => {
    const r = new MetricsRegistry();
    const a = r.histogram({ name: 'a_seconds', help: 'a', buckets: [0.1, 1] });
    const b = r.histogram({ name: 'b_seconds', help: 'b', buckets: [0.1, 1] });
    for (const v of [0.05, 0.5, 0.7, 3]) a.observe(undefined, v);
    b.observeAggregate(undefined, [1, 2, 1], 0.05 + 0.5 + 0.7 + 3);
    const s = samples(r.render());
    for (const suffix of ['_bucket{le="0.1"}', '_bucket{le="1"}', '_bucket{le="+Inf"}', '_count']) {
      expect(s.get(`b_seconds${suffix}`), suffix).toBe(s.get(`a_seconds${suffix}`));
    }
    expect(s.get('b_seconds_bucket{le="1"}')).toBe(3);
    expect(s.get('b_seconds_sum')).toBeCloseTo(4.25, 9);
  });

  it('refuses a bucket vector of the wrong length or with bad counts', () => {
    const h = new MetricsRegistry().histogram({ name: 'h_seconds', help: 'h', buckets: [1] });
    expect(() => h.observeAggregate(undefined, [1], 1)).toThrow(MetricsError);
    expect(() => h.observeAggregate(undefined, [1, -1], 1)).toThrow(MetricsError);
    expect(() => h.observeAggregate(undefined, [0.5, 0], 1)).toThrow(MetricsError);
  });
});

describe('CheckerStatsSink', () => {
  it('exports results, durations, IPVS errors, transitions and real server gauges from stats messages', () => {
    const m = createKtsMetrics('t');
    const sink = new CheckerStatsSink(m);
    const agg = new CheckStatsAggregator();
    agg.setRealServers([rs(RS1, false)]);
    for (const ok of [true, true, false]) {
      agg.recordCheck({ id: '0/0/0', kind: 'HTTP_GET', virtualServer: VS, realServer: RS1, ok, durationUs: 20_000, atWallMs: time.nowWallMs - 2000 });
    }
    agg.setRealServers([rs(RS1, true, 7)]);
    agg.recordIpvsError('add-dest');
    sink.apply(agg.flush()!, time);
    let s = samples(m.registry.render());
    const l = `virtual_server="${VS}",real_server="${RS1}"`;
    expect(s.get(`keepalived_ts_checker_results_total{${l},checker="HTTP_GET",result="success"}`)).toBe(2);
    expect(s.get(`keepalived_ts_checker_results_total{${l},checker="HTTP_GET",result="failure"}`)).toBe(1);
    expect(s.get('keepalived_ts_checker_duration_seconds_count{checker="HTTP_GET"}')).toBe(3);
    expect(s.get('keepalived_ts_checker_duration_seconds_bucket{checker="HTTP_GET",le="0.01"}')).toBe(0);
    expect(s.get('keepalived_ts_checker_duration_seconds_bucket{checker="HTTP_GET",le="0.025"}')).toBe(3);
    expect(s.get('keepalived_ts_checker_duration_seconds_sum{checker="HTTP_GET"}')).toBeCloseTo(0.06, 9);
    expect(s.get('keepalived_ts_ipvs_reconcile_errors_total{op="add-dest"}')).toBe(1);
    expect(s.get('keepalived_ts_ipvs_reconcile_errors_total{op="del-service"}')).toBe(0);
    expect(s.get(`keepalived_ts_real_server_transitions_total{${l},to="up"}`)).toBe(1);
    expect(s.get(`keepalived_ts_real_server_transitions_total{${l},to="down"}`)).toBe(0);
    expect(s.get(`keepalived_ts_real_server_up{${l}}`)).toBe(1);
    expect(s.get(`keepalived_ts_real_server_weight{${l}}`)).toBe(7);

    agg.recordCheck({ id: '0/0/0', kind: 'HTTP_GET', virtualServer: VS, realServer: RS1, ok: false, durationUs: 2_000_000, atWallMs: time.nowWallMs });
    agg.setRealServers([rs(RS1, false)]);
    sink.apply(agg.flush()!, time);
    s = samples(m.registry.render());
    expect(s.get(`keepalived_ts_checker_results_total{${l},checker="HTTP_GET",result="failure"}`)).toBe(2);
    expect(s.get(`keepalived_ts_real_server_transitions_total{${l},to="down"}`)).toBe(1);
    expect(s.get(`keepalived_ts_real_server_up{${l}}`)).toBe(0);
    expect(s.get(`keepalived_ts_real_server_weight{${l}}`)).toBe(0);
    expect(s.get('keepalived_ts_checker_duration_seconds_bucket{checker="HTTP_GET",le="+Inf"}')).toBe(4);
    expect(s.get('keepalived_ts_checker_duration_seconds_bucket{checker="HTTP_GET",le="' + String(CHECK_DURATION_BUCKETS_S[8]) + '"}')).toBe(3);
  });

  it('drops the series of a real server that left the configuration', () => {
    const m = createKtsMetrics('t');
    const sink = new CheckerStatsSink(m);
    const agg = new CheckStatsAggregator();
    agg.recordCheck({ id: '0/1/0', kind: 'TCP_CHECK', virtualServer: VS, realServer: RS2, ok: true, durationUs: 1, atWallMs: time.nowWallMs });
    agg.setRealServers([rs(RS1, true), rs(RS2, true)]);
    sink.apply(agg.flush()!, time);
    expect(m.registry.render()).toContain(RS2);
    agg.setRealServers([rs(RS1, true)]);
    sink.apply(agg.flush()!, time);
    const text = m.registry.render();
    expect(text).not.toContain(RS2);
    expect(text).toContain(`keepalived_ts_real_server_up{virtual_server="${VS}",real_server="${RS1}"} 1`);
  });

  it('counts worker restarts', () => {
    const m = createKtsMetrics('t');
    const sink = new CheckerStatsSink(m);
    expect(samples(m.registry.render()).get('keepalived_ts_checker_worker_restarts_total')).toBe(0);
    sink.workerExited();
    sink.workerExited();
    expect(samples(m.registry.render()).get('keepalived_ts_checker_worker_restarts_total')).toBe(2);
  });

  it('keeps the last check time (mapped to the daemon clock) and duration for status, also without metrics', () => {
    const sink = new CheckerStatsSink(undefined);
    const agg = new CheckStatsAggregator();
    agg.recordCheck({ id: '0/0/0', kind: 'HTTP_GET', virtualServer: VS, realServer: RS1, ok: true, durationUs: 12_537, atWallMs: time.nowWallMs - 1500 });
    sink.apply(agg.flush()!, time);
    expect(sink.timings().get('0/0/0')).toEqual({ lastCheckedAtUs: time.nowUs - 1_500_000, lastDurationMs: 12.5 });
    sink.configurationChanged();
    expect(sink.timings().size).toBe(0);
  });
});
