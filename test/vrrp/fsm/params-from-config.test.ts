import { describe, expect, it } from 'vitest';
import { paramsFromConfText } from './conf.js';
import { restrictTrackers, withGroupTrackers } from '../../../src/vrrp/params-from-config.js';
import type { TrackerDef } from '../../../src/vrrp/params.js';

const CONF = `
global_defs {
  router_id lb1
  vrrp_garp_master_refresh 60
  vrrp_notify_priority_changes true
}
vrrp_script chk_haproxy {
  script "/usr/bin/killall -0 haproxy"
  interval 2
  weight -20
  rise 2
  fall 3
}
vrrp_script chk_fault {
  script "/bin/true"
  init_fail
}
track_file tf {
  file "/tmp/tf"
  weight 3
}
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 1
  nopreempt_not_a_keyword_here_is_ignored
  unicast_src_ip 10.0.0.1
  unicast_peer {
    10.0.0.2
  }
  virtual_ipaddress {
    10.0.0.100/24
    10.0.0.101
  }
  track_script {
    chk_haproxy
    chk_fault weight 10 reverse
    missing_script
  }
  track_interface {
    eth1
    eth2 weight -5
  }
  track_file {
    tf
  }
}
vrrp_instance VI_2 {
  state BACKUP
  interface eth0
  virtual_router_id 52
  priority 100
  nopreempt
  version 3
  advert_int 0.5
  garp_lower_prio_repeat 2
  virtual_ipaddress {
    10.0.1.100
  }
  track_script {
    chk_haproxy
  }
}
vrrp_instance VI_3 {
  interface eth0
  virtual_router_id 53
  dont_track_primary
  preempt_delay 4.5
  virtual_ipaddress {
    fe80::1
    2001:db8::1
  }
}
vrrp_sync_group G1 {
  group {
    VI_2
    VI_3
  }
  track_script {
    chk_haproxy weight 30
  }
}
`;

describe('vrrpParamsFromConfig', () => {
  const { runtime } = paramsFromConfText(CONF);
  const vi = (n: string) => runtime.instances.find((i) => i.name === n)!;

  it('maps core instance fields with keepalived defaults', () => {
    expect(vi('VI_1')).toMatchObject({
      vrid: 51, family: 'inet', version: 2, basePriority: 150, adverIntervalCs: 100, initialState: 'MASTER',
      preempt: true, primaryAddress: '10.0.0.1', interfaceName: 'eth0', vips: ['10.0.0.100', '10.0.0.101'],
      notifyPriorityChanges: true, syncGroup: null, trackPrimaryInterface: true,
    });
    expect(vi('VI_1').garp).toEqual({
      masterDelayUs: 5_000_000, masterRepeat: 5, masterRefreshUs: 60_000_000, masterRefreshRepeat: 1, lowerPrioDelayUs: 5_000_000, lowerPrioRepeat: 5,
    });
  });

  it('lower-priority GARPs default to the global garp_master delay/repeat, not the instance one; strict mode zeroes them', () => {
    const conf = (globals: string, body: string): string =>
      `global_defs {\n${globals}\n}\nvrrp_instance V {\n  interface eth0\n  virtual_router_id 7\n  priority 100\n${body}\n  virtual_ipaddress {\n    10.0.0.7\n  }\n}\n`;
    const garp = (text: string) => paramsFromConfText(text).runtime.instances[0]!.garp;
    expect(garp(conf('  vrrp_garp_master_delay 3\n  vrrp_garp_master_repeat 4', '  garp_master_delay 2\n  garp_master_repeat 9'))).toMatchObject({
      masterDelayUs: 2_000_000, masterRepeat: 9, lowerPrioDelayUs: 3_000_000, lowerPrioRepeat: 4,
    });
    expect(garp(conf('  vrrp_garp_lower_prio_delay 7', '  garp_master_delay 2'))).toMatchObject({ lowerPrioDelayUs: 7_000_000, lowerPrioRepeat: 5 });
    expect(garp(conf('  vrrp_strict', '  garp_lower_prio_repeat 3'))).toMatchObject({ lowerPrioDelayUs: 0, lowerPrioRepeat: 0 });
  });

  it('resolves tracker weights: reference overrides the object, undeclared dropped, interfaces unweighted by default', () => {
    expect(vi('VI_1').trackers).toEqual([
      { kind: 'interface', name: 'eth1', weight: 0, reverse: false },
      { kind: 'interface', name: 'eth2', weight: -5, reverse: false },
      { kind: 'script', name: 'chk_haproxy', weight: -20, reverse: false },
      { kind: 'script', name: 'chk_fault', weight: 10, reverse: true },
      { kind: 'file', name: 'tf', weight: 3, reverse: false },
    ]);
  });

  it('v3 intervals, nopreempt, lower-prio GARP override; a sync group member tracks the group\'s script with the group\'s weight', () => {
    expect(vi('VI_2')).toMatchObject({ version: 3, adverIntervalCs: 50, preempt: false, syncGroup: 'G1' });
    expect(vi('VI_2').garp.lowerPrioRepeat).toBe(2);
    // keepalived 2.2.7: vrrp_complete_instance drops VI_2's own weighted chk_haproxy ("ignoring tracked script
    // chk_haproxy with weights due to SYNC group"), then sync_group_tracking_init adds G1's (weight 30) to
    // every member.
    const groupScript = { kind: 'script', name: 'chk_haproxy', weight: 30, reverse: false };
    expect(vi('VI_2').trackers).toEqual([groupScript]);
    expect(vi('VI_3').trackers).toEqual([groupScript]);
  });

  it('withGroupTrackers: group trackers join each member; a member\'s weighted duplicate takes the group weight', () => {
    const own: TrackerDef[] = [
      { kind: 'script', name: 'a', weight: 5, reverse: false },
      { kind: 'interface', name: 'eth1', weight: 0, reverse: false },
    ];
    const group: TrackerDef[] = [
      { kind: 'script', name: 'a', weight: -7, reverse: true },
      { kind: 'interface', name: 'eth1', weight: 10, reverse: false },
      { kind: 'file', name: 'f', weight: 2, reverse: false },
    ];
    expect(withGroupTrackers(own, group)).toEqual([
      { kind: 'script', name: 'a', weight: -7, reverse: true },
      { kind: 'interface', name: 'eth1', weight: 0, reverse: false },
      { kind: 'file', name: 'f', weight: 2, reverse: false },
    ]);
    expect(withGroupTrackers(own, [])).toEqual(own);
  });

  it('a sync group with an address owner member clears the weights of its trackers', () => {
    const { runtime: r } = paramsFromConfText(`
vrrp_script s1 {
  script /bin/true
  weight 20
}
vrrp_instance A {
  interface eth0
  virtual_router_id 1
  priority 255
  virtual_ipaddress {
    10.0.0.1
  }
}
vrrp_instance B {
  interface eth0
  virtual_router_id 2
  priority 100
  virtual_ipaddress {
    10.0.0.2
  }
}
vrrp_sync_group G {
  group {
    A
    B
  }
  track_script {
    s1
  }
}
`);
    for (const n of ['A', 'B']) expect(r.instances.find((i) => i.name === n)?.trackers).toEqual([{ kind: 'script', name: 's1', weight: 0, reverse: false }]);
  });

  it('restrictTrackers: keepalived 2.2.7 rewrites weighted trackers of sync group members and address owners', () => {
    const defs: TrackerDef[] = [
      { kind: 'interface', name: 'eth1', weight: -10, reverse: false },
      { kind: 'interface', name: 'eth2', weight: 0, reverse: false },
      { kind: 'script', name: 's_w', weight: 5, reverse: false },
      { kind: 'script', name: 's_0', weight: 0, reverse: false },
      { kind: 'file', name: 'f_default', weight: 1, reverse: false },
      { kind: 'file', name: 'f_w', weight: 7, reverse: true },
      { kind: 'bfd', name: 'b_w', weight: 3, reverse: false },
      { kind: 'process', name: 'p_w', weight: -40, reverse: false },
    ];
    expect(restrictTrackers(defs, null)).toEqual(defs);
    expect(restrictTrackers(defs, 'sync-group')).toEqual([
      { kind: 'interface', name: 'eth1', weight: 0, reverse: false },
      { kind: 'interface', name: 'eth2', weight: 0, reverse: false },
      { kind: 'script', name: 's_0', weight: 0, reverse: false },
      { kind: 'file', name: 'f_default', weight: 0, reverse: false },
      { kind: 'process', name: 'p_w', weight: -40, reverse: false },
    ]);
    expect(restrictTrackers(defs, 'address-owner').map((d) => d.name)).toEqual(['eth2', 's_0', 'f_default', 'p_w']);
  });

  it('IPv6 instance: family, version 3, preempt_delay, dont_track_primary', () => {
    expect(vi('VI_3')).toMatchObject({ family: 'inet6', version: 3, preemptDelayUs: 4_500_000, trackPrimaryInterface: false, basePriority: 100 });
    expect(vi('VI_3').vips).toEqual(['fe80::1', '2001:db8::1']);
  });

  it('sync groups and scripts', () => {
    expect(runtime.syncGroups).toEqual([
      { params: { name: 'G1', members: ['VI_2', 'VI_3'] }, trackers: [{ kind: 'script', name: 'chk_haproxy', weight: 0, reverse: false }] },
    ]);
    expect(runtime.scripts.find((s) => s.name === 'chk_haproxy')).toMatchObject({ rise: 2, fall: 3, intervalUs: 2_000_000, initFail: false });
    expect(runtime.scripts.find((s) => s.name === 'chk_fault')).toMatchObject({ rise: 1, fall: 1, initFail: true });
  });

  it('vrrp_strict forces lower_prio_no_advert', () => {
    const { runtime: r } = paramsFromConfText(`
global_defs {
  vrrp_strict
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  priority 100
  virtual_ipaddress {
    10.1.1.1
  }
}
`);
    expect(r.instances[0]!.lowerPrioNoAdvert).toBe(true);
  });
});
