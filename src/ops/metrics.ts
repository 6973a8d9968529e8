/**
 * A tiny Prometheus metrics registry (no dependency): counters, gauges and histograms with labels,
 * rendered in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/).
 *
 * Owns only the data model and the text rendering; the HTTP endpoint is `metrics-server.ts` and the
 * keepalived-ts metric set (names, help texts, label names) is `vrrp-metrics.ts`.
 *
 * Rules enforced at registration: metric and label names match the Prometheus grammar, a name is
 * registered once, `le` is reserved for histograms. Samples are created lazily on first use of a
 * label combination; `remove()` deletes one (an instance removed by a reload).
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Label values keyed by label name; every declared label must be given. */
export type Labels<L extends string> = Readonly<Record<L, string | number>>;

export class MetricsError extends Error {
  constructor(
    readonly code: 'KTS_METRICS_NAME' | 'KTS_METRICS_DUPLICATE' | 'KTS_METRICS_LABELS' | 'KTS_METRICS_VALUE',
    message: string,
  ) {
    super(message);
    this.name = 'MetricsError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Default histogram buckets in seconds (Prometheus client defaults). */
export const DEFAULT_BUCKETS_S: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface MetricOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds, strictly increasing; `+Inf` is implicit. */
  readonly buckets?: readonly number[];
}

/** Number formatting per the exposition format (+Inf, -Inf, NaN, shortest round-trip decimal). */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: backslash and line feed. */
export function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

abstract class Metric<L extends string, S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  abstract readonly type: MetricType;
  protected readonly samples = new Map<string, { readonly labels: readonly string[]; sample: S }>();

  constructor(opts: MetricOptions<L>) {
    if (!METRIC_NAME.test(opts.name)) throw new MetricsError('KTS_METRICS_NAME', `invalid metric name "${opts.name}"`);
    const seen = new Set<string>();
    for (const l of opts.labelNames ?? []) {
      if (!LABEL_NAME.test(l) || l.startsWith('__')) throw new MetricsError('KTS_METRICS_NAME', `invalid label name "${l}" on ${opts.name}`);
      if (seen.has(l)) throw new MetricsError('KTS_METRICS_NAME', `duplicate label name "${l}" on ${opts.name}`);
      seen.add(l);
    }
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = opts.labelNames ?? [];
  }

  protected abstract initial(): S;

  protected key(labels: Labels<L> | undefined): { key: string; values: string[] } {
    const values: string[] = [];
    const given = (labels ?? {}) as Readonly<Record<string, string | number>>;
    for (const n of this.labelNames) {
      const v = given[n];
      if (v === undefined) throw new MetricsError('KTS_METRICS_LABELS', `${this.name}: missing label "${n}"`);
      values.push(String(v));
    }
    for (const n of Object.keys(given)) {
      if (!(this.labelNames as readonly string[]).includes(n)) {
        throw new MetricsError('KTS_METRICS_LABELS', `${this.name}: unknown label "${n}"`);
      }
    }
    return { key: JSON.stringify(values), values };
  }

  protected sample(labels: Labels<L> | undefined): S {
    const { key, values } = this.key(labels);
    let entry = this.samples.get(key);
    if (entry === undefined) {
      entry = { labels: values, sample: this.initial() };
      this.samples.set(key, entry);
    }
    return entry.sample;
  }

  /** Deletes the sample of one label combination; returns whether it existed. */
  remove(labels: Labels<L>): boolean {
    return this.samples.delete(this.key(labels).key);
  }

  /** Deletes every sample whose labels match all the given (partial) label values. */
  removeMatching(partial: Partial<Labels<L>>): number {
    let n = 0;
    const want = Object.entries(partial) as [L, string | number][];
    for (const [k, e] of this.samples) {
      if (want.every(([name, v]) => e.labels[this.labelNames.indexOf(name)] === String(v))) {
        this.samples.delete(k);
        n++;
      }
    }
    return n;
  }

  reset(): void {
    this.samples.clear();
  }

  protected labelText(values: readonly string[], extra?: readonly [string, string]): string {
    const parts = this.labelNames.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? '')}"`);
    if (extra) parts.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
    return parts.length === 0 ? '' : `{${parts.join(',')}}`;
  }

  protected abstract renderSamples(out: string[]): void;

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`);
    out.push(`# TYPE ${this.name} ${this.type}`);
    this.renderSamples(out);
  }
}

export class Counter<L extends string = never> extends Metric<L, { value: number }> {
  readonly type = 'counter' as const;

  protected initial(): { value: number } {
    return { value: 0 };
  }

  /** Adds `by` (default 1, must be ≥ 0 and finite). */
  inc(labels?: Labels<L>, by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) throw new MetricsError('KTS_METRICS_VALUE', `${this.name}: counter increment ${by}`);
    this.sample(labels).value += by;
  }

  /** Creates the sample with 0 so it is exported before the first event. */
  touch(labels?: Labels<L>): void {
    this.sample(labels);
  }

  get(labels?: Labels<L>): number {
    return this.samples.get(this.key(labels).key)?.sample.value ?? 0;
  }

  protected renderSamples(out: string[]): void {
    for (const e of this.samples.values()) out.push(`${this.name}${this.labelText(e.labels)} ${formatSampleValue(e.sample.value)}`);
  }
}

export class Gauge<L extends string = never> extends Metric<L, { value: number }> {
  readonly type = 'gauge' as const;

  protected initial(): { value: number } {
    return { value: 0 };
  }

  set(labels: Labels<L> | undefined, value: number): void {
    this.sample(labels).value = value;
  }

  inc(labels?: Labels<L>, by = 1): void {
    this.sample(labels).value += by;
  }

  dec(labels?: Labels<L>, by = 1): void {
    this.sample(labels).value -= by;
  }

  get(labels?: Labels<L>): number | undefined {
    return this.samples.get(this.key(labels).key)?.sample.value;
  }

  protected renderSamples(out: string[]): void {
    for (const e of this.samples.values()) out.push(`${this.name}${this.labelText(e.labels)} ${formatSampleValue(e.sample.value)}`);
  }
}

interface HistogramSample {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram<L extends string = never> extends Metric<L, HistogramSample> {
  readonly type = 'histogram' as const;
  readonly buckets: readonly number[];

  constructor(opts: HistogramOptions<L>) {
    super(opts);
    if ((opts.labelNames ?? []).some((l) => l === 'le')) throw new MetricsError('KTS_METRICS_NAME', `${opts.name}: "le" is reserved`);
    const b = [...(opts.buckets ?? DEFAULT_BUCKETS_S)].filter((x) => x !== Infinity);
    for (let i = 0; i < b.length; i++) {
      const cur = b[i] as number;
      if (!Number.isFinite(cur) || (i > 0 && cur <= (b[i - 1] as number))) {
        throw new MetricsError('KTS_METRICS_VALUE', `${opts.name}: buckets must be finite and strictly increasing`);
      }
    }
    this.buckets = b;
  }

  protected initial(): HistogramSample {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(labels: Labels<L> | undefined, value: number): void {
    if (Number.isNaN(value)) throw new MetricsError('KTS_METRICS_VALUE', `${this.name}: NaN observation`);
    const s = this.sample(labels);
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] as number)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    s.sum += value;
    s.count += 1;
  }

  /**
   * Adds observations aggregated elsewhere (another thread): `bucketCounts[i]` observations fell in
   * bucket i (non-cumulative; one more entry than `buckets`, the last being +Inf), summing to `sum`.
   */
  observeAggregate(labels: Labels<L> | undefined, bucketCounts: readonly number[], sum: number): void {
    if (bucketCounts.length !== this.buckets.length + 1 || bucketCounts.some((c) => !(c >= 0) || !Number.isInteger(c)) || Number.isNaN(sum)) {
      throw new MetricsError('KTS_METRICS_VALUE', `${this.name}: aggregate needs ${this.buckets.length + 1} non-negative integer bucket counts`);
    }
    const s = this.sample(labels);
    let running = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      running += bucketCounts[i] ?? 0;
      s.counts[i] = (s.counts[i] ?? 0) + running;
    }
    s.sum += sum;
    s.count += running + (bucketCounts[this.buckets.length] ?? 0);
  }

  /** Count and sum of one label combination (undefined when never observed). */
  get(labels?: Labels<L>): { readonly count: number; readonly sum: number } | undefined {
    const s = this.samples.get(this.key(labels).key)?.sample;
    return s === undefined ? undefined : { count: s.count, sum: s.sum };
  }

  protected renderSamples(out: string[]): void {
    for (const e of this.samples.values()) {
      // Bucket counts are stored cumulatively (an observation is counted in every bucket ≥ it).
      this.buckets.forEach((le, i) => {
        out.push(`${this.name}_bucket${this.labelText(e.labels, ['le', formatSampleValue(le)])} ${e.sample.counts[i] ?? 0}`);
      });
      out.push(`${this.name}_bucket${this.labelText(e.labels, ['le', '+Inf'])} ${e.sample.count}`);
      out.push(`${this.name}_sum${this.labelText(e.labels)} ${formatSampleValue(e.sample.sum)}`);
      out.push(`${this.name}_count${this.labelText(e.labels)} ${e.sample.count}`);
    }
  }
}

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** Content type of the 0.0.4 text format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class MetricsRegistry {
  private readonly metrics = new Map<string, AnyMetric>();
  /** Called before each render (to refresh gauges computed on demand, e.g. uptime). */
  private readonly collectors: (() => void)[] = [];

  private add<M extends AnyMetric>(m: M): M {
    if (this.metrics.has(m.name)) throw new MetricsError('KTS_METRICS_DUPLICATE', `metric ${m.name} registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }

  counter<L extends string = never>(opts: MetricOptions<L>): Counter<L> {
    return this.add(new Counter<L>(opts) as unknown as Counter<string>) as unknown as Counter<L>;
  }

  gauge<L extends string = never>(opts: MetricOptions<L>): Gauge<L> {
    return this.add(new Gauge<L>(opts) as unknown as Gauge<string>) as unknown as Gauge<L>;
  }

  histogram<L extends string = never>(opts: HistogramOptions<L>): Histogram<L> {
    return this.add(new Histogram<L>(opts) as unknown as Histogram<string>) as unknown as Histogram<L>;
  }

  onCollect(fn: () => void): void {
    this.collectors.push(fn);
  }

  names(): readonly string[] {
    return [...this.metrics.keys()];
  }

  /** The whole registry in the text exposition format (ends with a line feed). */
  render(): string {
    for (const c of this.collectors) c();
    const out: string[] = [];
    for (const m of this.metrics.values()) m.render(out);
    return out.length === 0 ? '' : out.join('\n') + '\n';
  }
}
