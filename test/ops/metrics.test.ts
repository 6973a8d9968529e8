import { describe, expect, it } from 'vitest';
import { MetricsError, MetricsRegistry, escapeLabelValue, formatSampleValue } from '../../src/ops/metrics.js';
import {
  countDrop,
  createKtsMetrics,
  forgetInstance,
  recordCheck,
  recordSplitBrain,
  setRealServer,
  setInstanceState,
  touchDropReasons,
  touchInstance,
} from '../../src/ops/kts-metrics.js';
import { SplitBrainDetector } from '../../src/ops/split-brain.js';
import { DROP_CODES } from '../../src/vrrp/packet/drop-reason.js';

/** Minimal parser of the 0.0.4 text format: sample lines → value by "name{labels}". */
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

describe('MetricsRegistry', () => {
  it('renders HELP/TYPE and labelled counter samples', () => {
    const r = new MetricsRegistry();
    const c = r.counter({ name: 'x_total', help: 'a\\b\nc', labelNames: ['a', 'b'] });
    c.inc({ a: 'one', b: 2 });
    c.inc({ a: 'one', b: 2 }, 3);
    c.inc({ b: 'q"\n\\', a: 'z' });
    const text = r.render();
    expect(text.split('\n').slice(0, 2)).toEqual(['# HELP x_total a\\\\b\\nc', '# TYPE x_total counter']);
    const s = samples(text);
    expect(s.get('x_total{a="one",b="2"}')).toBe(4);
    expect(s.get('x_total{a="z",b="q\\"\\n\\\\"}')).toBe(1);
    expect(text.endsWith('\n')).toBe(true);
    expect(c.get({ a: 'one', b: 2 })).toBe(4);
  });

  it('rejects bad names, duplicates, missing/unknown labels and negative increments', () => {
    const r = new MetricsRegistry();
    expect(() => r.gauge({ name: '1bad', help: '' })).toThrow(MetricsError);
    expect(() => r.gauge({ name: 'ok', help: '', labelNames: ['__x'] })).toThrow(/invalid label/);
    r.gauge({ name: 'ok', help: '' });
    expect(() => r.counter({ name: 'ok', help: '' })).toThrow(expect.objectContaining({ code: 'KTS_METRICS_DUPLICATE' }));
    const c = r.counter<'a'>({ name: 'c_total', help: '', labelNames: ['a'] });
    expect(() => c.inc({} as { a: string })).toThrow(/missing label "a"/);
    expect(() => c.inc({ a: '1', b: '2' } as { a: string })).toThrow(/unknown label "b"/);
    expect(() => c.inc({ a: '1' }, -1)).toThrow(expect.objectContaining({ code: 'KTS_METRICS_VALUE' }));
    expect(() => r.histogram({ name: 'h', help: '', labelNames: ['le'] })).toThrow(/reserved/);
    expect(() => r.histogram({ name: 'h2', help: '', buckets: [1, 1] })).toThrow(/increasing/);
  });

  it('renders histograms with cumulative buckets, +Inf, _sum and _count', () => {
    const r = new MetricsRegistry();
    const h = r.histogram<'k'>({ name: 'd_seconds', help: 'h', labelNames: ['k'], buckets: [0.1, 1] });
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe({ k: 'tcp' }, v);
    const s = samples(r.render());
    expect(s.get('d_seconds_bucket{k="tcp",le="0.1"}')).toBe(2);
    expect(s.get('d_seconds_bucket{k="tcp",le="1"}')).toBe(3);
    expect(s.get('d_seconds_bucket{k="tcp",le="+Inf"}')).toBe(4);
    expect(s.get('d_seconds_sum{k="tcp"}')).toBeCloseTo(3.65);
    expect(s.get('d_seconds_count{k="tcp"}')).toBe(4);
    expect(h.get({ k: 'tcp' })?.count).toBe(4);
  });

  it('gauges set/inc/dec, remove and removeMatching, collectors run before render', () => {
    const r = new MetricsRegistry();
    const g = r.gauge<'i' | 'j'>({ name: 'g', help: '', labelNames: ['i', 'j'] });
    g.set({ i: 'a', j: '1' }, 5);
    g.inc({ i: 'a', j: '1' });
    g.dec({ i: 'a', j: '1' }, 2);
    g.set({ i: 'b', j: '1' }, 1);
    g.set({ i: 'b', j: '2' }, 1);
    expect(g.get({ i: 'a', j: '1' })).toBe(4);
    expect(g.removeMatching({ i: 'b' })).toBe(2);
    expect(g.remove({ i: 'a', j: '1' })).toBe(true);
    expect(samples(r.render()).size).toBe(0);
    let calls = 0;
    const u = r.gauge({ name: 'u', help: '' });
    r.onCollect(() => u.set(undefined, ++calls));
    expect(samples(r.render()).get('u')).toBe(1);
    expect(samples(r.render()).get('u')).toBe(2);
  });

  it('formats special values and escapes label values', () => {
    expect(formatSampleValue(Infinity)).toBe('+Inf');
    expect(formatSampleValue(-Infinity)).toBe('-Inf');
    expect(formatSampleValue(NaN)).toBe('NaN');
    expect(formatSampleValue(1e-7)).toBe('1e-7');
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});

describe('keepalived-ts metric set', () => {
  it('follows Prometheus naming conventions', () => {
    const m = createKtsMetrics('0.1.0');
    for (const n of m.registry.names()) {
      expect(n).toMatch(/^keepalived_ts_[a-z_]+$/);
      const type = /# TYPE (\S+) (\S+)/.exec(m.registry.render().split('\n').find((l) => l.startsWith(`# TYPE ${n} `)) ?? '');
      if (type?.[2] === 'counter') expect(n.endsWith('_total')).toBe(true);
      else if (type !== null) expect(n.endsWith('_total')).toBe(false);
    }
    expect(samples(m.registry.render()).get('keepalived_ts_build_info{version="0.1.0"}')).toBe(1);
  });

  it('sets one-hot and numeric state, counts drops, forgets an instance', () => {
    const m = createKtsMetrics('t');
    setInstanceState(m, 'VI_1', 'BACKUP');
    setInstanceState(m, 'VI_1', 'MASTER');
    touchDropReasons(m, 'VI_1');
    countDrop(m, 'VI_1', 'auth-pass');
    countDrop(m, undefined, 'checksum');
    m.vrrpTransitions.inc({ vrrp_instance: 'VI_1', to: 'MASTER', reason: 'master down timer' });
    let s = samples(m.registry.render());
    expect(s.get('keepalived_ts_vrrp_state{vrrp_instance="VI_1"}')).toBe(2);
    expect(s.get('keepalived_ts_vrrp_instance_state{vrrp_instance="VI_1",state="MASTER"}')).toBe(1);
    expect(s.get('keepalived_ts_vrrp_instance_state{vrrp_instance="VI_1",state="BACKUP"}')).toBe(0);
    expect(s.get('keepalived_ts_vrrp_adverts_dropped_total{vrrp_instance="VI_1",reason="auth-pass"}')).toBe(1);
    expect(s.get('keepalived_ts_vrrp_adverts_dropped_total{vrrp_instance="VI_1",reason="ttl"}')).toBe(0);
    expect(s.get('keepalived_ts_vrrp_adverts_dropped_total{vrrp_instance="",reason="checksum"}')).toBe(1);
    expect([...s.keys()].filter((k) => k.startsWith('keepalived_ts_vrrp_adverts_dropped_total{vrrp_instance="VI_1"')).length).toBe(
      DROP_CODES.length + 1,
    );
    forgetInstance(m, 'VI_1');
    s = samples(m.registry.render());
    expect([...s.keys()].some((k) => k.includes('VI_1'))).toBe(false);
    expect(s.get('keepalived_ts_vrrp_adverts_dropped_total{vrrp_instance="",reason="checksum"}')).toBe(1);
  });

  it('turns split-brain detector events into active/detected samples', () => {
    const m = createKtsMetrics('t');
    touchInstance(m, 'VI_1');
    let s = samples(m.registry.render());
    expect(s.get('keepalived_ts_vrrp_split_brain_active{vrrp_instance="VI_1",kind="dual-master"}')).toBe(0);
    expect(s.get('keepalived_ts_vrrp_adverts_sent_total{vrrp_instance="VI_1"}')).toBe(0);
    const det = new SplitBrainDetector({ instance: 'VI_1', vrid: 1, version: 3, adverIntervalCs: 100, dualMasterAdverts: 1 });
    const peer = { srcAddr: '10.0.0.2', vrid: 1, priority: 50 };
    recordSplitBrain(m, 'VI_1', det.advertReceived(0, 'MASTER', 100, peer));
    recordSplitBrain(m, 'VI_1', det.advertReceived(0, 'MASTER', 100, { ...peer, srcAddr: '10.0.0.3' }));
    s = samples(m.registry.render());
    expect(s.get('keepalived_ts_vrrp_split_brain_active{vrrp_instance="VI_1",kind="dual-master"}')).toBe(2);
    recordSplitBrain(m, 'VI_1', det.stateChanged(1, 'BACKUP'));
    s = samples(m.registry.render());
    expect(s.get('keepalived_ts_vrrp_split_brain_active{vrrp_instance="VI_1",kind="dual-master"}')).toBe(0);
    expect(s.get('keepalived_ts_vrrp_split_brain_detected_total{vrrp_instance="VI_1",kind="dual-master"}')).toBe(2);
  });

  it('records checks and real server state', () => {
    const m = createKtsMetrics('t');
    recordCheck(m, '[10.0.0.1]:tcp:80', '[10.0.0.2]:tcp:80', 'TCP_CHECK', true, 0.002);
    recordCheck(m, '[10.0.0.1]:tcp:80', '[10.0.0.2]:tcp:80', 'TCP_CHECK', false, 3);
    setRealServer(m, '[10.0.0.1]:tcp:80', '[10.0.0.2]:tcp:80', false, 5);
    const s = samples(m.registry.render());
    const rs = 'virtual_server="[10.0.0.1]:tcp:80",real_server="[10.0.0.2]:tcp:80"';
    expect(s.get(`keepalived_ts_checker_results_total{${rs},checker="TCP_CHECK",result="failure"}`)).toBe(1);
    expect(s.get(`keepalived_ts_checker_results_total{${rs},checker="TCP_CHECK",result="success"}`)).toBe(1);
    expect(s.get('keepalived_ts_checker_duration_seconds_count{checker="TCP_CHECK"}')).toBe(2);
    expect(s.get('keepalived_ts_checker_duration_seconds_bucket{checker="TCP_CHECK",le="0.005"}')).toBe(1);
    expect(s.get(`keepalived_ts_real_server_up{${rs}}`)).toBe(0);
    expect(s.get(`keepalived_ts_real_server_weight{${rs}}`)).toBe(0);
  });
});
