import { describe, expect, it } from 'vitest';
import { effectivePriority, trackerContribution } from '../../../src/vrrp/tracking/priority.js';
import type { TrackerDef } from '../../../src/vrrp/params.js';
import { createTrackingSet, observe, summarize } from '../../../src/vrrp/tracking/tracking-set.js';

const def = (kind: TrackerDef['kind'], weight: number, reverse = false, name = 'x'): TrackerDef => ({ kind, name, weight, reverse });

describe('effective priority', () => {
  it('adds weights and clamps to 1..254', () => {
    expect(effectivePriority(100, 20)).toBe(120);
    expect(effectivePriority(100, -150)).toBe(1);
    expect(effectivePriority(200, 100)).toBe(254);
  });
  it('never adjusts the owner', () => {
    expect(effectivePriority(255, -100)).toBe(255);
  });
});

describe('boolean trackers', () => {
  it('positive weight counts while up, negative while down', () => {
    expect(trackerContribution(def('script', 10), { kind: 'up' }).weight).toBe(10);
    expect(trackerContribution(def('script', 10), { kind: 'down' }).weight).toBe(0);
    expect(trackerContribution(def('script', -10), { kind: 'down' }).weight).toBe(-10);
    expect(trackerContribution(def('script', -10), { kind: 'up' }).weight).toBe(0);
  });
  it('reverse flips the direction', () => {
    expect(trackerContribution(def('interface', 10, true), { kind: 'up' }).weight).toBe(-10);
    expect(trackerContribution(def('interface', -10, true), { kind: 'down' }).weight).toBe(10);
  });
  it('unweighted: down is a FAULT; with reverse, up is', () => {
    expect(trackerContribution(def('interface', 0, false, 'eth1'), { kind: 'down' }).fault).toBe('track_interface eth1 down');
    expect(trackerContribution(def('interface', 0), { kind: 'up' }).fault).toBeNull();
    expect(trackerContribution(def('bfd', 0, true), { kind: 'up' }).fault).not.toBeNull();
  });
  it('unknown unweighted is pending, unknown weighted contributes nothing', () => {
    expect(trackerContribution(def('script', 0), { kind: 'unknown' })).toEqual({ weight: 0, fault: null, pending: true });
    expect(trackerContribution(def('script', 5), { kind: 'unknown' })).toEqual({ weight: 0, fault: null, pending: false });
  });
});

describe('track_file', () => {
  it('value × weight, reverse negates', () => {
    expect(trackerContribution(def('file', 2), { kind: 'value', value: 15 }).weight).toBe(30);
    expect(trackerContribution(def('file', 2, true), { kind: 'value', value: 15 }).weight).toBe(-30);
  });
  it('weight 0: non-zero value is a FAULT', () => {
    expect(trackerContribution(def('file', 0), { kind: 'value', value: 0 }).fault).toBeNull();
    expect(trackerContribution(def('file', 0, false, 'f'), { kind: 'value', value: 3 }).fault).toBe('track_file f value 3');
    expect(trackerContribution(def('file', 0, true), { kind: 'value', value: 0 }).fault).not.toBeNull();
  });
  it('contribution below -253 is a FAULT', () => {
    expect(trackerContribution(def('file', 1), { kind: 'value', value: -253 }).fault).toBeNull();
    expect(trackerContribution(def('file', 1), { kind: 'value', value: -254 }).fault).not.toBeNull();
  });
  it('unknown contributes nothing', () => {
    expect(trackerContribution(def('file', 1), { kind: 'unknown' }).weight).toBe(0);
  });
});

describe('tracking set', () => {
  it('sums weights and collects sorted fault reasons', () => {
    let set = createTrackingSet([def('script', 10, false, 'a'), def('interface', 0, false, 'eth1'), def('file', 1, false, 'f')]);
    expect(summarize(set).pending).toBe(true); // eth1 (unweighted) not reported yet
    set = observe(set, 'script', 'a', { kind: 'up' });
    set = observe(set, 'file', 'f', { kind: 'value', value: -4 });
    set = observe(set, 'interface', 'eth1', { kind: 'down' });
    set = observe(set, 'script', 'not-tracked', { kind: 'down' });
    expect(summarize(set)).toEqual({ weightSum: 6, faultReasons: ['track_interface eth1 down'], pending: false });
  });
  it('reports pending while an unweighted script has not run', () => {
    const set = createTrackingSet([def('script', 0, false, 'chk')]);
    expect(summarize(set).pending).toBe(true);
    expect(summarize(observe(set, 'script', 'chk', { kind: 'up' })).pending).toBe(false);
  });
});
