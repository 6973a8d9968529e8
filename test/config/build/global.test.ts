import { describe, expect, it } from 'vitest';
import { build, buildClean } from './helpers.js';

describe('global_defs', () => {
  it('carries keepalived defaults when absent', () => {
    const g = buildClean('').globalDefs;
    expect(g).toMatchObject({
      routerId: null,
      vrrpMcastGroup4: '224.0.0.18',
      vrrpMcastGroup6: 'ff02::12',
      vrrpVersion: 2,
      vrrpGarpMasterDelaySec: 5,
      vrrpGarpMasterRepeat: 5,
      vrrpGarpMasterRefreshSec: 0,
      vrrpGarpMasterRefreshRepeat: 1,
      vrrpDownTimerAdverts: 3,
      smtpConnectTimeoutUs: 30_000_000,
      vmacPrefix: 'vrrp',
      enableScriptSecurity: false,
      maxAutoPriority: null,
      startupScriptTimeoutSec: 10,
      pos: null,
    });
  });

  it('reads identity, mail and VRRP defaults', () => {
    const g = buildClean(`global_defs {
  router_id LB1
  notification_email {
    ops@example.com
    noc@example.com
  }
  notification_email_from kd@example.com
  smtp_server 192.0.2.25 2525
  smtp_connect_timeout 7
  smtp_alert
  vrrp_mcast_group4 224.0.0.99
  vrrp_version 3
  vrrp_garp_master_delay 1
  vrrp_garp_master_refresh 60
  vrrp_garp_interval 0.001
  vrrp_gna_interval 0.5
  vrrp_garp_extra_if all 30
  vrrp_down_timer_adverts 5
  vrrp_strict
  vrrp_skip_check_adv_addr
  vrrp_lower_prio_no_advert false
  vrrp_higher_prio_send_advert
  script_user nobody nogroup
  enable_script_security
  notify_fifo /run/k.fifo root
  vrrp_notify_fifo_script "/usr/bin/fifo.sh arg"
  max_auto_priority
  dynamic_interfaces allow_if_changes
  vmac_prefix vr
}`).globalDefs;
    expect(g.routerId).toBe('LB1');
    expect(g.notificationEmails).toEqual(['ops@example.com', 'noc@example.com']);
    expect(g.notificationEmailFrom).toBe('kd@example.com');
    expect(g.smtpServer).toMatchObject({ address: '192.0.2.25', port: 2525, family: 'inet' });
    expect(g.smtpConnectTimeoutUs).toBe(7_000_000);
    expect(g.smtpAlert).toBe(true);
    expect(g.vrrpMcastGroup4).toBe('224.0.0.99');
    expect(g.vrrpVersion).toBe(3);
    expect(g.vrrpGarpMasterDelaySec).toBe(1);
    expect(g.vrrpGarpMasterRefreshSec).toBe(60);
    expect(g.vrrpGarpIntervalUs).toBe(1000);
    expect(g.vrrpGnaIntervalUs).toBe(500_000);
    expect(g.vrrpGarpExtraIf).toEqual({ delaySec: 30, all: true });
    expect(g.vrrpDownTimerAdverts).toBe(5);
    expect(g.vrrpStrict && g.vrrpSkipCheckAdvAddr && g.vrrpHigherPrioSendAdvert).toBe(true);
    expect(g.vrrpLowerPrioNoAdvert).toBe(false);
    expect(g.scriptUser).toMatchObject({ user: 'nobody', group: 'nogroup' });
    expect(g.enableScriptSecurity).toBe(true);
    expect(g.notifyFifo).toMatchObject({ path: '/run/k.fifo', user: 'root', group: null });
    expect(g.vrrpNotifyFifoScript?.argv).toEqual(['/usr/bin/fifo.sh', 'arg']);
    expect(g.maxAutoPriority).toBe(99);
    expect(g.dynamicInterfaces && g.dynamicInterfacesAllowIfChanges).toBe(true);
    expect(g.vmacPrefix).toBe('vr');
    expect(g.pos).toEqual({ file: 'test.conf', line: 1 });
  });

  it('vrrp_min_garp drops repeats that were left at their defaults', () => {
    const g = buildClean('global_defs {\n  vrrp_garp_master_delay 2\n  vrrp_min_garp\n}').globalDefs;
    expect(g.vrrpMinGarp).toBe(true);
    expect(g.vrrpGarpMasterRepeat).toBe(1);
    expect(g.vrrpGarpMasterDelaySec).toBe(2);
  });

  it.each([
    ['vrrp_version 4', 'vrrpVersion', 2],
    ['vrrp_mcast_group4 10.1.1.1', 'vrrpMcastGroup4', '224.0.0.18'],
    ['vrrp_mcast_group4 ff02::1', 'vrrpMcastGroup4', '224.0.0.18'],
    ['vrrp_mcast_group6 fe80::1', 'vrrpMcastGroup6', 'ff02::12'],
    ['vrrp_down_timer_adverts 101', 'vrrpDownTimerAdverts', 3],
    ['smtp_alert maybe', 'smtpAlert', null],
    ['max_auto_priority 100', 'maxAutoPriority', null],
    ['vrrp_garp_interval x', 'vrrpGarpIntervalUs', 0],
    ['dynamic_interfaces nope', 'dynamicInterfacesAllowIfChanges', false],
  ] as const)('%s is an error and keeps the default', (line, field, value) => {
    const b = build(`global_defs {\n  ${line}\n}`);
    expect(b.problems.length).toBeGreaterThan(0);
    expect(b.problems[0]).toMatchObject({ severity: 'error', line: 2, file: 'test.conf' });
    expect(b.config.globalDefs[field]).toEqual(value);
  });

  it('vrrp_garp_master_repeat 0 is raised to 1 with an error', () => {
    const b = build('global_defs {\n  vrrp_garp_master_repeat 0\n}');
    expect(b.codes).toEqual(['KTS_INVALID_NUMBER']);
    expect(b.config.globalDefs.vrrpGarpMasterRepeat).toBe(1);
  });

  it('deprecated vrrp_vmac_garp_intvl maps to vrrp_garp_extra_if with a deprecation report', () => {
    const b = build('global_defs {\n  vrrp_vmac_garp_intvl 10\n}');
    expect(b.codes).toEqual(['KTS_DEPRECATED']);
    expect(b.config.globalDefs.vrrpGarpExtraIf).toEqual({ delaySec: 10, all: false });
  });

  it('a second notify_fifo is reported and ignored', () => {
    const b = build('global_defs {\n  notify_fifo /a\n  notify_fifo /b\n}');
    expect(b.codes).toEqual(['KTS_DUPLICATE']);
    expect(b.config.globalDefs.notifyFifo?.path).toBe('/a');
  });

  it('v3_checksum_as_v2 is unknown to keepalived 2.2.7', () => {
    expect(build('global_defs {\n  v3_checksum_as_v2\n}').codes).toEqual(['KTS_UNKNOWN_KEYWORD']);
  });

  it('an empty notification_email block is reported', () => {
    expect(build('global_defs {\n  notification_email {\n  }\n}').codes).toEqual(['KTS_INVALID_VALUE']);
  });
});

describe('lvs_sync_daemon', () => {
  it('reads the modern form', () => {
    const g = buildClean('global_defs {\n  lvs_sync_daemon eth1 inst VI_1 id 5 maxlen 1400 port 8849 ttl 2 group 224.0.0.82\n}').globalDefs;
    expect(g.lvsSyncDaemon).toMatchObject({ interface: 'eth1', vrrpInstance: 'VI_1', syncId: 5, maxLen: 1400, port: 8849, ttl: 2, group: '224.0.0.82' });
  });

  it('accepts the legacy positional instance, reports a positional sync id', () => {
    const b = build('global_defs {\n  lvs_sync_daemon eth1 VI_1 7\n}');
    expect(b.codes).toEqual(['KTS_DEPRECATED']);
    expect(b.config.globalDefs.lvsSyncDaemon).toMatchObject({ vrrpInstance: 'VI_1', syncId: 7 });
  });

  it('defaults to null and rejects bad options', () => {
    expect(buildClean('').globalDefs.lvsSyncDaemon).toBeNull();
    expect(build('global_defs {\n  lvs_sync_daemon eth1 inst VI_1 group 10.0.0.1 frob\n}').codes).toEqual(['KTS_INVALID_ADDRESS', 'KTS_INVALID_VALUE']);
  });
});
