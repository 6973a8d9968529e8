import { describe, expect, it } from 'vitest';
import { createInstance, step } from '../../src/vrrp/fsm/machine.js';
import type { Effect, InstanceState, VrrpEvent } from '../../src/vrrp/fsm/types.js';
import { makeInstanceParams } from '../../src/vrrp/params.js';
import { createKtsMetrics } from '../../src/ops/kts-metrics.js';
import { recordVrrpStep, transitionReasonLabel } from '../../src/ops/fsm-metrics.js';

describe('transitionReasonLabel', () => {
  it.each([
    ['MASTER', 'master down timer expired', 'master_down_timer'],
    ['MASTER', 'startup as address owner (priority 255)', 'address_owner'],
    ['BACKUP', 'higher priority 150 from 10.0.0.2', 'higher_priority_advert'],
    ['BACKUP', 'equal priority 100 from higher address 10.0.0.9', 'equal_priority_higher_address'],
    ['FAULT', 'startup: interface eth0 down', 'fault'],
    ['FAULT', 'track_script chk: chk failed', 'fault'],
    ['BACKUP', 'interface eth0: fault cleared', 'fault_cleared'],
    ['MASTER', 'sync group G: member VI_2 became MASTER', 'sync_group'],
    ['STOP', 'shutdown', 'shutdown'],
    ['BACKUP', 'startup (address owner held by sync group)', 'startup'],
    ['BACKUP', 'something new', 'other'],
  ] as const)('%s %j → %s', (to, reason, label) => {
    expect(transitionReasonLabel(to, reason)).toBe(label);
  });
});

describe('recordVrrpStep', () => {
  it('counts transitions and adverts from real FSM steps, sets state and priority gauges', () => {
    const m = createKtsMetrics('t');
    let s: InstanceState = createInstance(makeInstanceParams({ name: 'VI_1', vrid: 1, basePriority: 120, interfaceName: 'eth0' }));
    const run = (ev: VrrpEvent, nowUs: number): readonly Effect[] => {
      const r = step(s, ev, nowUs);
      s = r.state;
      recordVrrpStep(m, s, r.effects);
      return r.effects;
    };
    run({ type: 'start' }, 0);
    expect(m.vrrpState.get({ vrrp_instance: 'VI_1' })).toBe(1);
    expect(m.vrrpBasePriority.get({ vrrp_instance: 'VI_1' })).toBe(120);
    // no master heard: the Master_Down_Timer fires
    const md = s.timers.masterDown!;
    const eff = run({ type: 'timerFired', kind: 'masterDown', generation: md.generation }, md.atUs);
    expect(s.state).toBe('MASTER');
    const sent = eff.filter((e) => e.type === 'sendAdvert').length;
    expect(sent).toBeGreaterThan(0);
    expect(m.vrrpAdvertsSent.get({ vrrp_instance: 'VI_1' })).toBe(sent);
    expect(m.vrrpTransitions.get({ vrrp_instance: 'VI_1', to: 'MASTER', reason: 'master_down_timer' })).toBe(1);
    expect(m.vrrpTransitions.get({ vrrp_instance: 'VI_1', to: 'BACKUP', reason: 'startup' })).toBe(1);
    run({ type: 'advertReceived', priority: 200, adverIntervalCs: 100, srcAddr: '10.0.0.2', version: 2 }, md.atUs + 1000);
    expect(s.state).toBe('BACKUP');
    expect(m.vrrpTransitions.get({ vrrp_instance: 'VI_1', to: 'BACKUP', reason: 'higher_priority_advert' })).toBe(1);
    expect(m.vrrpStateOneHot.get({ vrrp_instance: 'VI_1', state: 'BACKUP' })).toBe(1);
    expect(m.vrrpStateOneHot.get({ vrrp_instance: 'VI_1', state: 'MASTER' })).toBe(0);
  });
});
