import { describe, expect, it } from 'vitest';
import { createInstance, currentMasterDownIntervalUs, step } from '../../../src/vrrp/fsm/machine.js';
import { isAddressOwner, makeInstanceParams } from '../../../src/vrrp/params.js';
import * as fsm from '../../../src/vrrp/fsm/index.js';
import type { VrrpInstanceParams } from '../../../src/vrrp/params.js';
import { Driver, advert, of } from './driver.js';

function params(over: Partial<VrrpInstanceParams> = {}): VrrpInstanceParams {
  return makeInstanceParams({ name: 'VI_1', vrid: 51, primaryAddress: '10.0.0.1', interfaceName: 'eth0', vips: ['10.0.0.100'], ...over });
}

function started(over: Partial<VrrpInstanceParams> = {}): Driver {
  const d = new Driver(params(over));
  d.feed({ type: 'start' });
  return d;
}

function master(over: Partial<VrrpInstanceParams> = {}): Driver {
  const d = started(over);
  d.advanceBy(10_000_000);
  expect(d.state).toBe('MASTER');
  return d;
}

const logs = (fx: readonly { type: string }[]): string[] =>
  of(fx as never, 'log').map((l) => (l as { msg: string }).msg);

describe('startup', () => {
  it('address owner (255) goes MASTER at once: advert, VIPs, GARP burst, notify', () => {
    const d = new Driver(params({ basePriority: 255, initialState: 'MASTER' }));
    const fx = d.feed({ type: 'start' });
    expect(d.state).toBe('MASTER');
    expect(fx.map((e) => e.type)).toEqual([
      'log', 'removeVips', // leftover cleanup, as keepalived does at startup
      'transition', 'sendAdvert', 'log', 'log', 'addVips', 'sendGarpBurst', 'setTimer', 'notify', 'fifoLine', 'setTimer',
    ]);
    expect(of(fx, 'sendAdvert')[0]).toEqual({ type: 'sendAdvert', priority: 255, adverIntervalCs: 100 });
    expect(of(fx, 'sendGarpBurst')[0]).toEqual({ type: 'sendGarpBurst', count: 5, reason: 'becomeMaster' });
    expect(logs(fx)).toEqual(['(VI_1) removing VIPs.', '(VI_1) Entering MASTER STATE', '(VI_1) setting VIPs.']);
    expect(of(fx, 'fifoLine')[0]!.line).toBe('INSTANCE "VI_1" MASTER 255\n');
  });

  it('state MASTER with priority < 255 still starts BACKUP and waits Master_Down_Interval', () => {
    const d = new Driver(params({ basePriority: 150, initialState: 'MASTER' }));
    const fx = d.feed({ type: 'start' });
    expect(d.state).toBe('BACKUP');
    expect(logs(fx)).toEqual(['(VI_1) removing VIPs.', '(VI_1) Entering BACKUP STATE (init)']);
    const mdi = 3_000_000 + Math.floor((106 * 1_000_000) / 256);
    expect(of(fx, 'setTimer')[0]).toMatchObject({ kind: 'masterDown', atUs: mdi });
    d.advanceTo(mdi - 1);
    expect(d.state).toBe('BACKUP');
    const fx2 = d.advanceTo(mdi);
    expect(d.state).toBe('MASTER');
    expect(logs(fx2)).toEqual(['(VI_1) Receive advertisement timeout', '(VI_1) Entering MASTER STATE', '(VI_1) setting VIPs.']);
    expect(of(fx2, 'transition')[0]!.reason).toBe('master down timer expired');
  });

  it('start twice is a no-op; events before start do not transition', () => {
    const d = new Driver(params());
    expect(d.feed(advert(200, '10.0.0.2'))).toEqual([]);
    d.feed({ type: 'start' });
    expect(d.feed({ type: 'start' })).toEqual([]);
  });

  it('starting with a failed unweighted tracker enters FAULT (init)', () => {
    const d = new Driver(params());
    d.feed({ type: 'trackingChanged', weightSum: 0, faultReasons: ['track_script chk down'], cause: 'chk' });
    expect(d.state).toBe('INIT');
    const fx = d.feed({ type: 'start' });
    expect(d.state).toBe('FAULT');
    expect(logs(fx)).toEqual(['(VI_1) removing VIPs.', '(VI_1) Entering FAULT STATE (init)']);
    expect(of(fx, 'notify')[0]!.args).toEqual(['INSTANCE', 'VI_1', 'FAULT', '100']);
  });
});

describe('MASTER advert timer and stale timers', () => {
  it('sends an advert every Advertisement_Interval', () => {
    const d = master();
    const t0 = d.nowUs;
    const fx = d.advanceTo(t0 + 3_000_000);
    expect(of(fx, 'sendAdvert').map((a) => a.priority)).toEqual([100, 100, 100]);
  });

  it('ignores a timer fire whose generation is stale', () => {
    const d = started();
    const old = d.armed.get('masterDown')!;
    d.feed(advert(150, '10.0.0.2')); // re-arms masterDown with a new generation
    const r = step(d.inst, { type: 'timerFired', kind: 'masterDown', generation: old.generation }, old.atUs);
    expect(r.effects).toEqual([]);
    expect(r.state).toBe(d.inst);
  });

  it('v3 sub-second adverts use centiseconds', () => {
    const d = master({ version: 3, adverIntervalCs: 10 });
    const t0 = d.nowUs;
    const fx = d.advanceTo(t0 + 1_000_000);
    expect(of(fx, 'sendAdvert')).toHaveLength(10);
    expect(of(fx, 'sendAdvert')[0]!.adverIntervalCs).toBe(10);
  });
});

describe('BACKUP receiving adverts', () => {
  it('higher-priority advert resets the master down timer', () => {
    const d = started();
    d.advanceTo(3_000_000);
    d.feed(advert(150, '10.0.0.2'));
    expect(d.armed.get('masterDown')!.atUs).toBe(3_000_000 + currentMasterDownIntervalUs(d.inst));
    d.advanceTo(5_000_000);
    expect(d.state).toBe('BACKUP');
    expect(d.inst.masterAddr).toBe('10.0.0.2');
  });

  it('ignores lower priority with preempt: timer keeps running, logs discarding', () => {
    const d = started();
    const due = d.armed.get('masterDown')!.atUs;
    const fx = d.feed(advert(50, '10.0.0.2'));
    expect(logs(fx)).toEqual(['(VI_1) received lower priority (50) advert from 10.0.0.2 - discarding']);
    expect(d.armed.get('masterDown')!.atUs).toBe(due);
    d.advanceTo(due);
    expect(d.state).toBe('MASTER');
  });

  it('nopreempt: lower priority adverts keep us BACKUP', () => {
    const d = started({ preempt: false, basePriority: 200 });
    for (let t = 1; t <= 10; t++) {
      d.advanceTo(t * 1_000_000);
      d.feed(advert(100, '10.0.0.2'));
    }
    expect(d.state).toBe('BACKUP');
  });

  it('priority-0 advert: takeover after Skew_Time only', () => {
    const d = started({ basePriority: 100 });
    d.advanceTo(1_000_000);
    d.feed(advert(150, '10.0.0.2'));
    d.advanceTo(1_500_000);
    d.feed(advert(0, '10.0.0.2'));
    expect(d.armed.get('masterDown')!.atUs).toBe(1_500_000 + 609_375);
    d.advanceTo(1_500_000 + 609_374);
    expect(d.state).toBe('BACKUP');
    d.advanceTo(1_500_000 + 609_375);
    expect(d.state).toBe('MASTER');
  });

  it('v3 learns Master_Adver_Interval from the master, v2 does not', () => {
    const v3 = started({ version: 3, adverIntervalCs: 100 });
    v3.feed(advert(150, '10.0.0.2', 50, 3));
    expect(v3.inst.masterAdverIntervalCs).toBe(50);
    expect(v3.armed.get('masterDown')!.atUs).toBe(3 * 500_000 + Math.floor((156 * 500_000) / 256));
    const v2 = started({ version: 2 });
    v2.feed(advert(150, '10.0.0.2', 200, 2));
    expect(v2.inst.masterAdverIntervalCs).toBe(100);
  });

  it('preempt_delay: lower adverts are accepted until the delay expires, then preempt', () => {
    const d = started({ basePriority: 200, preemptDelayUs: 5_000_000 });
    let t = 0;
    while (d.state === 'BACKUP' && t < 30) {
      t += 1;
      d.advanceTo(t * 1_000_000);
      if (d.state === 'BACKUP') d.feed(advert(100, '10.0.0.2'));
    }
    // first lower advert at 1 s starts the delay; accepted until 6 s; MDI (3.22 s) later → MASTER
    expect(d.state).toBe('MASTER');
    const becameAt = d.log.find((r) => r.effect.type === 'transition' && r.effect.to === 'MASTER')!.atUs;
    expect(becameAt).toBe(5_000_000 + 3_218_750);
  });

  it('preempt_delay stops when a higher/equal advert arrives', () => {
    const d = started({ basePriority: 200, preemptDelayUs: 5_000_000 });
    d.feed(advert(100, '10.0.0.2'));
    expect(d.inst.preemptUntilUs).toBe(5_000_000);
    d.feed(advert(250, '10.0.0.3'));
    expect(d.inst.preemptUntilUs).toBeNull();
  });
});

describe('MASTER receiving adverts', () => {
  it('higher priority → BACKUP, VIPs removed, no priority-0 advert', () => {
    const d = master();
    const fx = d.feed(advert(150, '10.0.0.2'));
    expect(d.state).toBe('BACKUP');
    expect(of(fx, 'sendAdvert')).toEqual([]);
    expect(of(fx, 'removeVips')).toHaveLength(1);
    expect(logs(fx)).toEqual([
      '(VI_1) Master received advert from 10.0.0.2 with higher priority 150, ours 100',
      '(VI_1) Entering BACKUP STATE',
      '(VI_1) removing VIPs.',
    ]);
    expect(of(fx, 'cancelTimer').map((c) => c.kind)).toContain('adver');
    expect(of(fx, 'fifoLine')[0]!.line).toBe('INSTANCE "VI_1" BACKUP 100\n');
  });

  it('equal priority from a higher address (v4, numeric) → BACKUP', () => {
    const d = master({ primaryAddress: '10.0.0.9' });
    const fx = d.feed(advert(100, '10.0.0.10'));
    expect(d.state).toBe('BACKUP');
    expect(logs(fx)[0]).toBe('(VI_1) Master received advert from 10.0.0.10 with same priority 100 but higher IP address than ours');
  });

  it('equal priority from a lower address → stays MASTER and forces a new election', () => {
    const d = master({ primaryAddress: '10.0.0.10' });
    const fx = d.feed(advert(100, '10.0.0.9'));
    expect(d.state).toBe('MASTER');
    expect(of(fx, 'sendAdvert')).toEqual([{ type: 'sendAdvert', priority: 100, adverIntervalCs: 100 }]);
  });

  it('equal priority tie-break on IPv6 link-locals', () => {
    const hi = master({ family: 'inet6', version: 3, primaryAddress: 'fe80::20' });
    hi.feed(advert(100, 'fe80::3', 100, 3));
    expect(hi.state).toBe('MASTER');
    const lo = master({ family: 'inet6', version: 3, primaryAddress: 'fe80::3' });
    lo.feed(advert(100, 'fe80::20', 100, 3));
    expect(lo.state).toBe('BACKUP');
  });

  it('equal priority from our own address logs a warning and stays', () => {
    const d = master();
    const fx = d.feed(advert(100, '10.0.0.1'));
    expect(d.state).toBe('MASTER');
    expect(of(fx, 'log')[0]).toMatchObject({ level: 'warning' });
  });

  it('lower priority → immediate advert, lower-prio GARPs, MASTER_RX_LOWER_PRI', () => {
    const d = master();
    const fx = d.feed(advert(50, '10.0.0.2'));
    expect(d.state).toBe('MASTER');
    expect(logs(fx)[0]).toBe('(VI_1) Received advert from 10.0.0.2 with lower priority 50, ours 100, forcing new election');
    expect(fx.map((e) => e.type)).toEqual(['log', 'sendAdvert', 'setTimer', 'sendGarpBurst', 'setTimer', 'notifyEvent', 'fifoLine']);
    // the immediate advert restarts the Adver_Timer (keepalived 2.2.7, tcpdump)
    expect(of(fx, 'setTimer')[0]).toMatchObject({ kind: 'adver', atUs: d.nowUs + 1_000_000 });
    expect(of(fx, 'sendGarpBurst')[0]).toEqual({ type: 'sendGarpBurst', count: 5, reason: 'lowerPrio' });
    expect(of(fx, 'fifoLine')[0]!.line).toBe('INSTANCE "VI_1" MASTER_RX_LOWER_PRI 100\n');
    const later = d.advanceBy(5_000_000);
    expect(of(later, 'sendGarpBurst')).toContainEqual({ type: 'sendGarpBurst', count: 5, reason: 'lowerPrioDelay' });
  });

  it('each lower-priority advert schedules its own delayed GARP burst (keepalived 2.2.7)', () => {
    const d = master();
    const t0 = d.nowUs;
    d.feed(advert(50, '10.0.0.2'));
    d.advanceTo(t0 + 2_000_000);
    d.feed(advert(50, '10.0.0.2'));
    d.advanceTo(t0 + 8_000_000);
    const delayed = d.log.filter((r) => r.effect.type === 'sendGarpBurst' && r.effect.reason === 'lowerPrioDelay').map((r) => r.atUs - t0);
    expect(delayed).toEqual([5_000_000, 7_000_000]);
    // leaving MASTER drops pending bursts
    d.feed(advert(50, '10.0.0.2'));
    d.feed(advert(200, '10.0.0.3'));
    expect(d.inst.lowerPrioGarpsDueUs).toEqual([]);
  });

  it('lower_prio_no_advert suppresses the advert; garp_lower_prio_repeat 0 the GARPs', () => {
    const d = master({ lowerPrioNoAdvert: true, garp: { ...params().garp, lowerPrioRepeat: 0 } });
    const fx = d.feed(advert(50, '10.0.0.2'));
    expect(of(fx, 'sendAdvert')).toEqual([]);
    expect(of(fx, 'sendGarpBurst')).toEqual([]);
    expect(logs(fx)[0]).toBe('(VI_1) Received advert from 10.0.0.2 with lower priority 50, ours 100');
  });

  it('priority 0 → advert at once (timer restarted), stays MASTER', () => {
    const d = master();
    d.advanceBy(300_000);
    const fx = d.feed(advert(0, '10.0.0.2'));
    expect(d.state).toBe('MASTER');
    expect(of(fx, 'sendAdvert')).toEqual([{ type: 'sendAdvert', priority: 100, adverIntervalCs: 100 }]);
    expect(d.armed.get('adver')!.atUs).toBe(d.nowUs + 1_000_000);
  });

  it('higher_prio_send_advert sends one advert before yielding', () => {
    const d = master({ higherPrioSendAdvert: true });
    const fx = d.feed(advert(200, '10.0.0.2'));
    expect(fx[0]).toEqual({ type: 'sendAdvert', priority: 100, adverIntervalCs: 100 });
    expect(d.state).toBe('BACKUP');
  });

  it('v3: the new master’s interval is adopted when yielding', () => {
    const d = master({ version: 3 });
    d.feed(advert(200, '10.0.0.2', 25, 3));
    expect(d.inst.masterAdverIntervalCs).toBe(25);
  });

  it('two address owners: the local one backs off to 254 and yields to the higher address', () => {
    const d = new Driver(params({ basePriority: 255 }));
    d.feed({ type: 'start' });
    const fx = d.feed(advert(255, '10.0.0.2'));
    expect(of(fx, 'log')[0]).toMatchObject({ level: 'error' });
    expect(d.inst.effectivePriority).toBe(254);
    expect(d.state).toBe('BACKUP');
  });
});

describe('GARP timing on becoming MASTER', () => {
  it('burst now, second burst after garp_master_delay, refresh when configured', () => {
    const d = started({ garp: { ...params().garp, masterRefreshUs: 60_000_000, masterRefreshRepeat: 2 } });
    const t0 = d.armed.get('masterDown')!.atUs;
    d.advanceTo(t0);
    expect(d.effectsOf('sendGarpBurst', t0)).toEqual([{ type: 'sendGarpBurst', count: 5, reason: 'becomeMaster' }]);
    d.advanceTo(t0 + 5_000_000);
    expect(d.effectsOf('sendGarpBurst', t0 + 1)).toEqual([{ type: 'sendGarpBurst', count: 5, reason: 'masterDelay' }]);
    d.advanceTo(t0 + 125_000_000);
    expect(d.effectsOf('sendGarpBurst', t0 + 5_000_001)).toEqual([
      { type: 'sendGarpBurst', count: 2, reason: 'refresh' },
      { type: 'sendGarpBurst', count: 2, reason: 'refresh' },
    ]);
  });

  it('no delayed burst when garp_master_delay is 0; no GARP without VIPs', () => {
    const d = master({ garp: { ...params().garp, masterDelayUs: 0 } });
    expect(d.effectsOf('sendGarpBurst').map((g) => g.reason)).toEqual(['becomeMaster']);
    const n = master({ vips: [] });
    expect(n.effectsOf('sendGarpBurst')).toEqual([]);
  });
});

describe('FAULT', () => {
  it('MASTER → FAULT on tracker failure: priority-0 advert, VIPs removed; recovery → BACKUP', () => {
    const d = master();
    const fx = d.feed({ type: 'trackingChanged', weightSum: 0, faultReasons: ['track_script chk down'], cause: 'track_script chk' });
    expect(d.state).toBe('FAULT');
    expect(fx.map((e) => e.type)).toEqual([
      'cancelTimer', 'transition', 'log', 'sendAdvert', 'sendAdvert', 'log', 'log', 'removeVips', 'notify', 'fifoLine',
    ]);
    // keepalived 2.2.7 sends two priority-0 adverts here (seen with tcpdump)
    expect(of(fx, 'sendAdvert').map((a) => a.priority)).toEqual([0, 0]);
    expect(of(fx, 'log')[0]!.reason).toBe('track_script chk down');
    // adverts are ignored in FAULT
    expect(d.feed(advert(50, '10.0.0.2'))).toEqual([]);
    const rec = d.feed({ type: 'trackingChanged', weightSum: 0, faultReasons: [], cause: 'track_script chk' });
    expect(d.state).toBe('BACKUP');
    expect(logs(rec)).toEqual(['(VI_1) Entering BACKUP STATE']);
    expect(of(rec, 'setTimer')[0]!.kind).toBe('masterDown');
  });

  it('interface down/up → FAULT/BACKUP; dont_track_primary ignores it', () => {
    const d = started();
    d.feed({ type: 'interfaceChanged', ifname: 'eth0', up: false });
    expect(d.state).toBe('FAULT');
    expect(d.feed({ type: 'interfaceChanged', ifname: 'eth0', up: false })).toEqual([]);
    d.feed({ type: 'interfaceChanged', ifname: 'eth0', up: true });
    expect(d.state).toBe('BACKUP');
    const n = started({ trackPrimaryInterface: false });
    n.feed({ type: 'interfaceChanged', ifname: 'eth0', up: false });
    expect(n.state).toBe('BACKUP');
  });

  it('owner recovering from FAULT goes straight to MASTER', () => {
    const d = new Driver(params({ basePriority: 255 }));
    d.feed({ type: 'start' });
    d.feed({ type: 'interfaceChanged', ifname: 'eth0', up: false });
    expect(d.state).toBe('FAULT');
    d.feed({ type: 'interfaceChanged', ifname: 'eth0', up: true });
    expect(d.state).toBe('MASTER');
  });
});

describe('priority changes', () => {
  it('weighted trackers change the advertised priority and log it', () => {
    const d = master({ notifyPriorityChanges: true });
    const fx = d.feed({ type: 'trackingChanged', weightSum: -30, faultReasons: [], cause: 'track_script chk' });
    expect(logs(fx)).toEqual(['(VI_1) Changing effective priority from 100 to 70']);
    expect(of(fx, 'fifoLine')[0]!.line).toBe('INSTANCE "VI_1" MASTER_PRIORITY 70\n');
    const adv = d.advanceBy(1_000_000);
    expect(of(adv, 'sendAdvert')[0]!.priority).toBe(70);
  });

  it('BACKUP_PRIORITY line, clamping to 1..254, no line without notify_priority_changes', () => {
    const d = started({ notifyPriorityChanges: true });
    const fx = d.feed({ type: 'trackingChanged', weightSum: 500, faultReasons: [], cause: 'x' });
    expect(of(fx, 'fifoLine')[0]!.line).toBe('INSTANCE "VI_1" BACKUP_PRIORITY 254\n');
    const q = started();
    expect(of(q.feed({ type: 'trackingChanged', weightSum: -500, faultReasons: [], cause: 'x' }), 'fifoLine')).toEqual([]);
    expect(q.inst.effectivePriority).toBe(1);
    expect(q.feed({ type: 'trackingChanged', weightSum: -600, faultReasons: [], cause: 'x' })).toEqual([]);
  });

  it('reload changes the base priority', () => {
    const d = started();
    d.feed({ type: 'reloadPriority', basePriority: 120 });
    expect(d.inst.effectivePriority).toBe(120);
  });
});

describe('shutdown', () => {
  it('MASTER: priority-0 advert, VIPs removed, STOP notify; further events ignored', () => {
    const d = master();
    const fx = d.feed({ type: 'shutdown' });
    expect(d.state).toBe('STOP');
    expect(of(fx, 'sendAdvert')).toEqual([{ type: 'sendAdvert', priority: 0, adverIntervalCs: 100 }]);
    expect(of(fx, 'removeVips')).toHaveLength(1);
    expect(of(fx, 'notify')[0]!.args).toEqual(['INSTANCE', 'VI_1', 'STOP', '100']);
    expect(d.feed(advert(50, '10.0.0.2'))).toEqual([]);
    expect(d.armed.size).toBe(0);
  });

  it('BACKUP: no advert, STOP notify; INIT: silent', () => {
    const d = started();
    const fx = d.feed({ type: 'shutdown' });
    expect(of(fx, 'sendAdvert')).toEqual([]);
    expect(of(fx, 'fifoLine')[0]!.line).toBe('INSTANCE "VI_1" STOP 100\n');
    const i = new Driver(params());
    expect(of(i.feed({ type: 'shutdown' }), 'notify')).toEqual([]);
    expect(i.state).toBe('STOP');
  });
});

describe('deleted at reload (keepalived clear_diff_vrrp)', () => {
  it('MASTER: priority-0 advert and VIPs removed, then FAULT notifies (not STOP) by default', () => {
    const d = master();
    const fx = d.feed({ type: 'shutdown', deletedAtReload: true });
    expect(d.state).toBe('STOP');
    expect(of(fx, 'sendAdvert')).toEqual([{ type: 'sendAdvert', priority: 0, adverIntervalCs: 100 }]);
    expect(of(fx, 'removeVips')).toHaveLength(1);
    expect(of(fx, 'notify').map((n) => n.args)).toEqual([['INSTANCE', 'VI_1', 'FAULT', '100']]);
    expect(of(fx, 'fifoLine').map((f) => f.line)).toEqual(['INSTANCE "VI_1" FAULT 100\n']);
    expect(d.armed.size).toBe(0);
  });

  it('notify_deleted: DELETED instead of FAULT, also from FAULT; without it an instance in FAULT stays silent', () => {
    const b = started({ notifyDeleted: true });
    const fx = b.feed({ type: 'shutdown', deletedAtReload: true });
    expect(of(fx, 'sendAdvert')).toEqual([]);
    expect(of(fx, 'fifoLine').map((f) => f.line)).toEqual(['INSTANCE "VI_1" DELETED 100\n']);

    const faulted = (notifyDeleted: boolean): Driver => {
      const d = started({ notifyDeleted });
      d.feed({ type: 'interfaceChanged', ifname: 'eth0', up: false });
      expect(d.state).toBe('FAULT');
      return d;
    };
    expect(of(faulted(false).feed({ type: 'shutdown', deletedAtReload: true }), 'notify')).toEqual([]);
    expect(of(faulted(true).feed({ type: 'shutdown', deletedAtReload: true }), 'notify').map((n) => n.state)).toEqual(['DELETED']);
    const init = new Driver(params());
    expect(init.feed({ type: 'shutdown', deletedAtReload: true }).filter((e) => e.type === 'notify')).toEqual([]);
  });
});

describe('params and public surface', () => {
  it('defaults follow keepalived (v2 for IPv4, v3 for IPv6, owner detection)', () => {
    expect(params().version).toBe(2);
    expect(makeInstanceParams({ name: 'x', vrid: 1, family: 'inet6' }).version).toBe(3);
    expect(isAddressOwner({ basePriority: 255 })).toBe(true);
    expect(isAddressOwner({ basePriority: 254 })).toBe(false);
  });
  it('index re-exports the machine and the timer kinds', () => {
    expect(fsm.step).toBe(step);
    expect(fsm.TIMER_KINDS).toContain('masterDown');
    expect(fsm.currentSkewUs(fsm.createInstance(params()))).toBe(609_375);
  });
  it('equal priority with an unknown primary address cannot break the tie', () => {
    const d = master({ primaryAddress: null });
    const fx = d.feed(advert(100, '10.0.0.2'));
    expect(d.state).toBe('MASTER');
    expect(of(fx, 'log')[0]!.msg).toContain('cannot break the tie');
  });
});

describe('purity and serialisability', () => {
  it('does not mutate the input state and produces JSON-round-trippable effects', () => {
    const s0 = createInstance(params());
    const frozen = JSON.stringify(s0);
    const r = step(s0, { type: 'start' }, 0);
    expect(JSON.stringify(s0)).toBe(frozen);
    expect(JSON.parse(JSON.stringify(r.effects))).toEqual(r.effects);
    expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
  });
});
