import { describe, expect, it } from 'vitest';
import { build, buildClean, vrrp } from './helpers.js';

const inst = (body: string) => build(vrrp(body)).config.vrrpInstances[0];

describe('vrrp_instance', () => {
  it('carries defaults, some copied from global_defs', () => {
    const c = buildClean('global_defs {\n  vrrp_garp_master_delay 2\n  vrrp_version 3\n  vrrp_strict\n}\n' + vrrp(''));
    expect(c.vrrpInstances[0]).toMatchObject({
      name: 'VI_1',
      state: 'BACKUP',
      stateConfigured: false,
      priority: 100,
      priorityConfigured: false,
      advertIntUs: 1_000_000,
      version: 3,
      versionConfigured: false,
      strictMode: true,
      nopreempt: false,
      preemptDelayUs: 0,
      garpMasterDelaySec: 2,
      garpMasterRepeat: 5,
      downTimerAdverts: 3,
      accept: null,
      authentication: null,
      unicastTtl: null,
      interface: { name: 'eth0', pos: { file: 'test.conf', line: 7 } },
      virtualRouterId: 51,
      pos: { file: 'test.conf', line: 6 },
    });
  });

  it('a MASTER without priority is the address owner (255)', () => {
    expect(inst('  state MASTER')?.priority).toBe(255);
    expect(inst('  state MASTER\n  priority 150')?.priority).toBe(150);
  });

  it('reads the Tier A keywords', () => {
    const v = buildClean(
      'vrrp_script chk {\n  script "/bin/true"\n  weight -10\n}\n' +
        vrrp(`  priority 150
  advert_int 0.5
  nopreempt
  preempt_delay 30
  unicast_src_ip 10.0.0.1
  unicast_peer {
    10.0.0.2
    10.0.0.3 min_ttl 250 max_ttl 255
  }
  authentication {
    auth_type PASS
    auth_pass secret
  }
  track_script {
    chk
  }
  notify_master "/etc/k/master.sh VI_1" root
  notify "/etc/k/notify.sh"
  version 3
  accept
  use_vmac vrrp51 02:00:00:00:00:01
  vmac_xmit_base
  garp_master_refresh 30
  virtual_ipaddress_excluded {
    fe80::51/64 dev eth0
  }`),
    ).vrrpInstances[0];
    expect(v?.priority).toBe(150);
    expect(v?.advertIntUs).toBe(500_000);
    expect(v?.nopreempt).toBe(true);
    expect(v?.preemptDelayUs).toBe(30_000_000);
    expect(v?.unicastSrcIp).toEqual({ address: '10.0.0.1', family: 'inet' });
    expect(v?.unicastPeers.map((p) => [p.address, p.minTtl, p.maxTtl])).toEqual([
      ['10.0.0.2', 0, 255],
      ['10.0.0.3', 250, 255],
    ]);
    expect(v?.authentication).toMatchObject({ type: 'PASS', pass: 'secret' });
    expect(v?.trackScripts).toEqual([{ name: 'chk', pos: { file: 'test.conf', line: 22 }, weight: -10, reverse: false }]);
    expect(v?.notify.master).toMatchObject({ argv: ['/etc/k/master.sh', 'VI_1'], user: 'root', group: null });
    expect(v?.notify.generic?.argv).toEqual(['/etc/k/notify.sh']);
    expect(v?.version).toBe(3);
    expect(v?.versionConfigured).toBe(true);
    expect(v?.accept).toBe(true);
    expect(v?.useVmac).toMatchObject({ ifname: 'vrrp51', mac: '02:00:00:00:00:01' });
    expect(v?.vmacXmitBase).toBe(true);
    expect(v?.garpMasterRefreshSec).toBe(30);
    expect(v?.virtualIpAddressesExcluded[0]).toMatchObject({ address: 'fe80::51', family: 'inet6', prefixLen: 64, dev: 'eth0' });
  });

  it.each([
    ['priority 0', 'priority', 100],
    ['priority 256', 'priority', 100],
    ['priority 1x', 'priority', 100],
    ['virtual_router_id 0', 'virtualRouterId', 51],
    ['virtual_router_id 256', 'virtualRouterId', 51],
    ['state FOO', 'state', 'BACKUP'],
    ['advert_int 0', 'advertIntUs', 1_000_000],
    ['advert_int 256', 'advertIntUs', 1_000_000],
    ['version 4', 'version', 2],
    ['preempt_delay 1001', 'preemptDelayUs', 0],
    ['strict_mode maybe', 'strictMode', false],
    ['down_timer_adverts 0', 'downTimerAdverts', 3],
    ['unicast_ttl 300', 'unicastTtl', null],
    ['debug 9', 'debugLevel', 0],
    ['mcast_src_ip 10.0.0.999', 'mcastSrcIp', null],
    ['mcast_dst_ip 10.0.0.9', 'mcastDstIp', null],
  ] as const)('%s is an error with keepalived fallback', (line, field, value) => {
    const b = build(vrrp(`  ${line}`));
    expect(b.problems[0]).toMatchObject({ severity: 'error', line: 4, keyword: line.split(' ')[0] });
    expect(b.config.vrrpInstances[0]?.[field]).toEqual(value);
  });

  it('truncates auth_pass longer than 8 characters with an error', () => {
    const b = build(vrrp('  authentication {\n    auth_type PASS\n    auth_pass 123456789\n  }'));
    expect(b.problems).toEqual([
      { code: 'KTS_TRUNCATED', severity: 'error', message: 'Truncating auth_pass to 8 characters', file: 'test.conf', line: 6, keyword: 'auth_pass' },
    ]);
    expect(b.config.vrrpInstances[0]?.authentication?.pass).toBe('12345678');
  });

  it('rejects an unknown auth_type', () => {
    const b = build(vrrp('  authentication {\n    auth_type FOO\n  }'));
    expect(b.codes).toEqual(['KTS_INVALID_VALUE']);
    expect(b.config.vrrpInstances[0]?.authentication?.type).toBeNull();
  });

  it('BACKUP after MASTER keeps MASTER with an error', () => {
    const b = build(vrrp('  state MASTER\n  state BACKUP'));
    expect(b.codes).toEqual(['KTS_INVALID_VALUE']);
    expect(b.config.vrrpInstances[0]?.state).toBe('MASTER');
  });

  it('a duplicated instance name is reported and the second dropped', () => {
    const b = build(vrrp('') + vrrp('  priority 10'));
    expect(b.codes).toEqual(['KTS_DUPLICATE']);
    expect(b.config.vrrpInstances.map((v) => v.priority)).toEqual([100]);
  });

  it('an instance without a name is reported', () => {
    expect(build('vrrp_instance {\n}\n').codes).toEqual(['KTS_MISSING_PARAMETER']);
  });

  it('unicast_ttl without peers is reset with an error', () => {
    const b = build(vrrp('  unicast_ttl 10'));
    expect(b.codes).toEqual(['KTS_INVALID_VALUE']);
    expect(b.config.vrrpInstances[0]?.unicastTtl).toBeNull();
  });

  it('BOOL keywords accept keepalived words and bare form', () => {
    expect(inst('  lower_prio_no_advert')?.lowerPrioNoAdvert).toBe(true);
    expect(inst('  lower_prio_no_advert off')?.lowerPrioNoAdvert).toBe(false);
    expect(inst('  strict_mode on')?.strictMode).toBe(true);
  });

  it('deprecated vmac_garp_intvl maps to garp_extra_if', () => {
    const b = build(vrrp('  vmac_garp_intvl 5'));
    expect(b.codes).toEqual(['KTS_DEPRECATED']);
    expect(b.config.vrrpInstances[0]?.garpExtraIf).toEqual({ delaySec: 5, all: false });
  });
});

describe('track references', () => {
  const scripts = 'global_defs {\n  enable_script_security\n}\nvrrp_script chk {\n  script /bin/true\n  weight 5 reverse\n}\n';

  it('a track_script declared later is reported and ignored', () => {
    const b = build(vrrp('  track_script {\n    later\n  }') + 'vrrp_script later {\n  script /bin/true\n}\n');
    expect(b.problems).toEqual([
      expect.objectContaining({ code: 'KTS_UNKNOWN_REFERENCE', message: '(VI_1) track script later not found, ignoring...', line: 5, keyword: 'later' }),
    ]);
    expect(b.config.vrrpInstances[0]?.trackScripts).toEqual([]);
    expect(b.config.vrrpScripts.map((s) => s.name)).toEqual(['later']);
  });

  it('a reference inherits the tracked object weight unless it has its own', () => {
    const v = buildClean(scripts + vrrp('  track_script {\n    chk\n  }')).vrrpInstances[0];
    expect(v?.trackScripts[0]).toMatchObject({ weight: 5, reverse: true });
    const w = buildClean(scripts + vrrp('  track_script {\n    chk weight -20 noreverse\n  }')).vrrpInstances[0];
    expect(w?.trackScripts[0]).toMatchObject({ weight: -20, reverse: false });
  });

  it.each([
    ['chk weight 300', ['KTS_INVALID_NUMBER'], 5],
    ['chk weight 254', ['KTS_INVALID_NUMBER'], 253],
    ['chk weight', ['KTS_MISSING_PARAMETER'], null],
    ['chk heavy 3', ['KTS_INVALID_VALUE'], null],
  ] as const)('%s', (line, codes, weight) => {
    const b = build(scripts + vrrp(`  track_script {\n    ${line}\n  }`));
    expect(b.codes).toEqual(codes);
    const refs = b.config.vrrpInstances[0]?.trackScripts ?? [];
    expect(weight === null ? refs.length : refs[0]?.weight).toBe(weight === null ? 0 : weight);
  });

  it('a duplicate reference is reported', () => {
    expect(build(scripts + vrrp('  track_script {\n    chk\n    chk\n  }')).codes).toEqual(['KTS_DUPLICATE']);
  });

  it('track_interface is unweighted unless given a weight', () => {
    const v = buildClean(vrrp('  track_interface {\n    eth1\n    eth2 weight -30 reverse\n  }')).vrrpInstances[0];
    expect(v?.trackInterfaces.map((r) => [r.name, r.weight, r.reverse])).toEqual([
      ['eth1', null, false],
      ['eth2', -30, true],
    ]);
  });

  it('track_file and track_process references need declared objects', () => {
    const text = 'track_file tf {\n  file /tmp/x\n  weight 2\n}\nvrrp_track_process tp {\n  process nginx\n}\n' + vrrp('  track_file {\n    tf\n    nope\n  }\n  track_process {\n    tp weight 7\n  }');
    const b = build(text);
    expect(b.codes).toEqual(['KTS_UNKNOWN_REFERENCE']);
    expect(b.config.vrrpInstances[0]?.trackFiles).toMatchObject([{ name: 'tf', weight: 2 }]);
    expect(b.config.vrrpInstances[0]?.trackProcesses).toMatchObject([{ name: 'tp', weight: 7 }]);
  });
});

describe('vrrp_sync_group', () => {
  it('reads members, trackers and notify scripts', () => {
    const g = buildClean(vrrp('') + vrrp('', 'VI_2') + 'vrrp_sync_group G1 {\n  group {\n    VI_1 VI_2\n  }\n  notify_master "/bin/m.sh x"\n  smtp_alert\n  sync_group_tracking_weight\n}\n').syncGroups[0];
    expect(g?.members.map((m) => m.name)).toEqual(['VI_1', 'VI_2']);
    expect(g?.notify.master?.argv).toEqual(['/bin/m.sh', 'x']);
    expect(g?.smtpAlert).toBe(true);
    expect(g?.syncGroupTrackingWeight).toBe(true);
  });

  it('duplicate group names and global_tracking are reported', () => {
    const b = build('vrrp_sync_group G {\n  group {\n    A\n  }\n}\nvrrp_sync_group G {\n  global_tracking\n}\n');
    expect(b.codes).toEqual(['KTS_DUPLICATE']);
    const c = build('vrrp_sync_group G {\n  global_tracking\n}\n');
    expect(c.codes).toEqual(['KTS_DEPRECATED']);
    expect(c.config.syncGroups[0]?.globalTracking).toBe(true);
  });
});

describe('when global_defs comes after the instance', () => {
  it('copies GARP timing at block start but resolves strict/version/advert flags from the final global_defs', () => {
    const c = build(vrrp('') + 'global_defs {\n  vrrp_garp_master_delay 1\n  vrrp_strict\n  vrrp_version 3\n  vrrp_lower_prio_no_advert\n}\n').config;
    expect(c.vrrpInstances[0]).toMatchObject({ garpMasterDelaySec: 5, strictMode: true, version: 3, lowerPrioNoAdvert: true });
    const d = build(vrrp('  strict_mode off\n  version 2') + 'global_defs {\n  vrrp_strict\n  vrrp_version 3\n}\n').config;
    expect(d.vrrpInstances[0]).toMatchObject({ strictMode: false, version: 2 });
  });
});

describe('notify_deleted', () => {
  it('bare or with a script sets the flag; a second one is a duplicate like keepalived', () => {
    expect(buildClean(vrrp('  virtual_ipaddress {\n    10.0.0.1\n  }')).vrrpInstances[0]?.notifyDeleted).toBe(false);
    const bare = buildClean(vrrp('  notify_deleted\n  virtual_ipaddress {\n    10.0.0.1\n  }')).vrrpInstances[0];
    expect(bare?.notifyDeleted).toBe(true);
    expect(bare?.notify.deleted).toBeNull();
    const withScript = buildClean(vrrp('  notify_deleted /bin/true\n  virtual_ipaddress {\n    10.0.0.1\n  }')).vrrpInstances[0];
    expect(withScript?.notifyDeleted).toBe(true);
    expect(withScript?.notify.deleted?.argv).toEqual(['/bin/true']);
    expect(build(vrrp('  notify_deleted\n  notify_deleted /bin/true\n  virtual_ipaddress {\n    10.0.0.1\n  }')).codes).toEqual(['KTS_DUPLICATE']);
  });
});
