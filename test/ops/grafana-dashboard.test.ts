import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKtsMetrics } from '../../src/ops/kts-metrics.js';

interface Target {
  readonly expr: string;
}
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: readonly Target[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly annotations: { readonly list: readonly Target[] };
}

const dash = JSON.parse(readFileSync(fileURLToPath(new URL('../../conf/grafana-dashboard.json', import.meta.url)), 'utf8')) as Dashboard;

describe('sample Grafana dashboard', () => {
  const m = createKtsMetrics('t');
  const known = new Map<string, readonly string[]>();
  for (const metric of [
    m.info, m.vrrpState, m.vrrpStateOneHot, m.vrrpPriority, m.vrrpBasePriority, m.vrrpTransitions, m.vrrpAdvertsSent,
    m.vrrpAdvertsReceived, m.vrrpAdvertsDropped, m.vrrpGarpSent, m.vrrpSplitBrainActive, m.vrrpSplitBrainDetected,
    m.checkerResults, m.checkerDuration, m.realServerUp, m.realServerWeight, m.realServerTransitions, m.checkerWorkerRestarts,
    m.ipvsReconcileErrors,
  ]) {
    const labels = [...metric.labelNames, 'job', 'instance'];
    known.set(metric.name, labels);
    if (metric.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) known.set(metric.name + s, s === '_bucket' ? [...labels, 'le'] : labels);
  }
  expect(known.size).toBe(m.registry.names().length + 3);
  const exprs = [...dash.panels.flatMap((p) => p.targets ?? []), ...dash.annotations.list].map((t) => t.expr);

  it('has panels with queries', () => {
    expect(dash.uid).toBe('keepalived-ts');
    expect(exprs.length).toBeGreaterThan(10);
  });

  it.each(exprs)('%s uses only exported metrics and their labels', (expr) => {
    const names = expr.match(/keepalived_ts_[a-z_]+/g) ?? [];
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(known.has(n), n).toBe(true);
    const labels = new Set(names.flatMap((n) => known.get(n) ?? []));
    for (const sel of expr.match(/\{[^}]*\}/g) ?? []) {
      for (const [, label] of sel.matchAll(/([a-z_]+)\s*=~?/g)) expect(labels.has(label!), `${label} in ${expr}`).toBe(true);
    }
    for (const [, by] of expr.matchAll(/by \(([^)]*)\)/g)) {
      for (const label of by!.split(',').map((s) => s.trim())) expect(labels.has(label), `${label} in ${expr}`).toBe(true);
    }
  });
});
