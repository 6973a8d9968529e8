import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { createKtsMetrics } from '../../src/ops/kts-metrics.js';
import { SplitBrainMonitor } from '../../src/ops/split-brain-monitor.js';

const S = 1_000_000;

describe('SplitBrainMonitor', () => {
  it('fires the detector deadline on the clock, logs the peer and updates metrics', () => {
    const clock = new FakeClock(0);
    const logs: string[] = [];
    const metrics = createKtsMetrics('t');
    const mon = new SplitBrainMonitor(clock, { log: (level, msg) => logs.push(`${level} ${msg}`), metrics });
    mon.configure([{ instance: 'VI_1', vrid: 7, version: 3, adverIntervalCs: 100 }]);
    mon.stateChanged('VI_1', 'BACKUP');
    for (let k = 0; k < 5; k++) {
      mon.advertReceived('VI_1', 'BACKUP', 100, { srcAddr: '10.1.1.2', vrid: 7, priority: 200, adverIntervalCs: 100 });
      clock.advance(S);
    }
    expect(logs).toEqual([]);
    expect(clock.pendingCount).toBe(1);
    // last advert at 4 s; the partition is reported by 4 s + 2 intervals
    clock.advance(S);
    expect(logs).toEqual([expect.stringMatching(/^warning \(VI_1\) peer-silent with 10\.1\.1\.2: no advertisement from 10\.1\.1\.2/)]);
    expect(clock.nowUs()).toBeLessThanOrEqual(6 * S);
    expect(mon.findings('VI_1').map((f) => f.kind)).toEqual(['peer-silent']);
    expect(metrics.vrrpSplitBrainActive.get({ vrrp_instance: 'VI_1', kind: 'peer-silent' })).toBe(1);
    expect(clock.pendingCount).toBe(0);

    mon.advertReceived('VI_1', 'BACKUP', 100, { srcAddr: '10.1.1.2', vrid: 7, priority: 200, adverIntervalCs: 100 });
    expect(logs[1]).toBe('info (VI_1) peer-silent with 10.1.1.2 cleared: advertisements resumed');
    expect(metrics.vrrpSplitBrainActive.get({ vrrp_instance: 'VI_1', kind: 'peer-silent' })).toBe(0);
  });

  it('reload removes detectors (clearing findings) and stop cancels timers', () => {
    const clock = new FakeClock(0);
    const events: string[] = [];
    const mon = new SplitBrainMonitor(clock, { log: () => undefined, onEvent: (i, ev) => events.push(`${i} ${ev.type} ${ev.finding.kind}`) });
    mon.configure([
      { instance: 'A', vrid: 1, version: 3, adverIntervalCs: 100 },
      { instance: 'B', vrid: 2, version: 3, adverIntervalCs: 100 },
    ]);
    mon.advertReceived('A', 'BACKUP', 100, { srcAddr: '10.0.0.9', vrid: 1, priority: 100 });
    mon.advertReceived('B', 'BACKUP', 50, { srcAddr: '10.0.0.9', vrid: 2, priority: 60 });
    expect(events).toEqual(['A raised equal-priority']);
    expect(clock.pendingCount).toBe(2);
    mon.configure([{ instance: 'B', vrid: 2, version: 3, adverIntervalCs: 100 }]);
    expect(events).toEqual(['A raised equal-priority', 'A cleared equal-priority']);
    expect(mon.findings('A')).toEqual([]);
    expect(clock.pendingCount).toBe(1);
    mon.advertReceived('unknown', 'BACKUP', 1, { srcAddr: 'x', vrid: 2, priority: 1 });
    mon.stop();
    expect(clock.pendingCount).toBe(0);
  });
});
