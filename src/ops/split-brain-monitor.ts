/**
 * Runs one `SplitBrainDetector` per VRRP instance on the daemon's Clock: keeps one timer per
 * detector armed at its `nextDeadlineUs()`, and sends every event to the log (warning when raised,
 * info when cleared — the line names the peer) and to the metrics. The daemon feeds it state changes
 * and received-advert summaries; `findings(name)` is what the status document shows.
 */

import type { Clock, TimerHandle } from '../core/clock.js';
import { recordSplitBrain, type KtsMetrics } from './kts-metrics.js';
import {
  SplitBrainDetector,
  describeSplitBrainEvent,
  type AdvertSummary,
  type DetectorVrrpState,
  type SplitBrainConfig,
  type SplitBrainEvent,
  type SplitBrainFinding,
} from './split-brain.js';

export interface SplitBrainMonitorSinks {
  readonly log: (level: 'warning' | 'info', msg: string) => void;
  readonly metrics?: KtsMetrics;
  /** Every event, after log and metrics (tests, SNMP-like hooks). */
  readonly onEvent?: (instance: string, ev: SplitBrainEvent) => void;
}

interface Entry {
  readonly detector: SplitBrainDetector;
  timer: TimerHandle | undefined;
  armedForUs: number | undefined;
}

export class SplitBrainMonitor {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly sinks: SplitBrainMonitorSinks,
  ) {}

  /** Adds, reconfigures (same name) and removes (absent names) detectors: call at start and on reload. */
  configure(configs: readonly SplitBrainConfig[]): void {
    const wanted = new Set(configs.map((c) => c.instance));
    for (const [name, e] of this.entries) {
      if (wanted.has(name)) continue;
      this.emit(name, e.detector.reset(this.clock.nowUs(), 'instance removed'));
      this.clock.clearTimer(e.timer);
      this.entries.delete(name);
    }
    for (const c of configs) {
      const e = this.entries.get(c.instance);
      if (e) e.detector.reconfigure(c);
      else this.entries.set(c.instance, { detector: new SplitBrainDetector(c), timer: undefined, armedForUs: undefined });
      this.rearm(c.instance);
    }
  }

  stateChanged(instance: string, state: DetectorVrrpState): void {
    const e = this.entries.get(instance);
    if (!e) return;
    this.emit(instance, e.detector.stateChanged(this.clock.nowUs(), state));
    this.rearm(instance);
  }

  advertReceived(instance: string, ourState: DetectorVrrpState, ourPriority: number, advert: AdvertSummary): void {
    const e = this.entries.get(instance);
    if (!e) return;
    this.emit(instance, e.detector.advertReceived(this.clock.nowUs(), ourState, ourPriority, advert));
    this.rearm(instance);
  }

  findings(instance: string): readonly SplitBrainFinding[] {
    return this.entries.get(instance)?.detector.findings() ?? [];
  }

  /** Cancels every timer (daemon shutdown); findings stay readable. */
  stop(): void {
    for (const e of this.entries.values()) {
      this.clock.clearTimer(e.timer);
      e.timer = undefined;
      e.armedForUs = undefined;
    }
  }

  private emit(instance: string, events: readonly SplitBrainEvent[]): void {
    for (const ev of events) {
      const line = describeSplitBrainEvent(instance, ev);
      this.sinks.log(line.level, line.msg);
      if (this.sinks.metrics) recordSplitBrain(this.sinks.metrics, instance, [ev]);
      this.sinks.onEvent?.(instance, ev);
    }
  }

  private rearm(instance: string): void {
    const e = this.entries.get(instance);
    if (!e) return;
    const due = e.detector.nextDeadlineUs();
    if (due === e.armedForUs && e.timer !== undefined) return;
    this.clock.clearTimer(e.timer);
    e.timer = undefined;
    e.armedForUs = due;
    if (due === undefined) return;
    e.timer = this.clock.setTimer(due - this.clock.nowUs(), () => {
      e.timer = undefined;
      e.armedForUs = undefined;
      this.emit(instance, e.detector.tick(this.clock.nowUs()));
      this.rearm(instance);
    });
  }
}
