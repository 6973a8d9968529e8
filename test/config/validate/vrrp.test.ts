import { describe, expect, it } from 'vitest';
import { DiagnosticSink, exitCodeFor } from '../../../src/core/diagnostics.js';
import { ValidateCode, instanceKeywords, validateConfig, validateInstance } from '../../../src/config/validate/index.js';
import { config, instance, syncGroup, vip, at } from './model-helpers.js';

function check(vi: Parameters<typeof instance>[0]) {
  const sink = new DiagnosticSink();
  const eff = validateInstance(instance(vi), sink);
  return { eff, codes: sink.items.map((d) => d.code), sink };
}

describe('VRRP instance completion checks', () => {
  it('accepts a plain instance without diagnostics', () => {
    const { eff, codes } = check({});
    expect(codes).toEqual([]);
    expect(eff?.family).toBe('inet');
    expect(eff?.adverIntervalCs).toBe(100);
  });

  it('requires a virtual_router_id', () => {
    const { eff, codes } = check({ virtualRouterId: null });
    expect(eff).toBeNull();
    expect(codes).toEqual([ValidateCode.VRID_MISSING]);
  });

  it('rounds a fractional VRRPv2 advert_int and reports it', () => {
    const { eff, codes, sink } = check({ advertIntUs: 1_400_000 });
    expect(codes).toEqual([ValidateCode.ADVERT_INT_V2_NOT_INTEGER]);
    expect(sink.items[0]?.message).toBe('(VI_1) VRRPv2 advertisement interval 1.400000s must be an integer. rounding');
    expect(eff?.adverIntervalCs).toBe(100);
  });

  it('accepts centisecond advert_int with VRRPv3 but caps it at 40.95 s', () => {
    expect(check({ version: 3, advertIntUs: 250_000 }).codes).toEqual([]);
    const { eff, codes } = check({ version: 3, advertIntUs: 50_000_000 });
    expect(codes).toEqual([ValidateCode.ADVERT_INT_V3_RANGE]);
    expect(eff?.adverIntervalCs).toBe(4095);
  });

  it('resets nopreempt for the address owner and for initial state MASTER', () => {
    const owner = check({ priority: 255, nopreempt: true });
    expect(owner.codes).toEqual([ValidateCode.NOPREEMPT_OWNER]);
    expect(owner.eff?.nopreempt).toBe(false);
    expect(check({ state: 'MASTER', priority: 100, nopreempt: true }).codes).toEqual([ValidateCode.NOPREEMPT_MASTER]);
    expect(check({ nopreempt: true }).codes).toEqual([]);
  });

  it('clears preempt_delay with nopreempt or state MASTER', () => {
    expect(check({ nopreempt: true, preemptDelayUs: 10_000_000 }).codes).toEqual([ValidateCode.PREEMPT_DELAY_NOPREEMPT]);
    expect(check({ state: 'MASTER', preemptDelayUs: 10_000_000 }).codes).toEqual([ValidateCode.PREEMPT_DELAY_MASTER]);
    expect(check({ priority: 255, stateConfigured: false, preemptDelayUs: 10_000_000 }).codes).toEqual([ValidateCode.PREEMPT_DELAY_MASTER]);
    expect(check({ priority: 255, stateConfigured: true, preemptDelayUs: 10_000_000 }).codes).toEqual([]);
    expect(check({ preemptDelayUs: 10_000_000 }).eff?.preemptDelayUs).toBe(10_000_000);
  });

  it('drops VIPs of the other family, the first address fixing the instance family', () => {
    const { eff, codes } = check({ virtualIpAddresses: [vip('2001:db8::1', 10), vip('10.0.0.1', 11)] });
    expect(codes).toEqual([ValidateCode.FAMILY_MISMATCH]);
    expect(eff?.family).toBe('inet6');
    expect(eff?.vipCount).toBe(1);
  });

  it('lets a unicast peer fix the family before the VIPs', () => {
    const { codes } = check({
      unicastPeers: [{ address: '2001:db8::2', family: 'inet6', minTtl: 0, maxTtl: 255, pos: at(5) }],
      virtualIpAddresses: [vip('10.0.0.1', 10)],
    });
    expect(codes).toEqual([ValidateCode.FAMILY_MISMATCH, ValidateCode.NO_VIP]);
  });

  it('lets mcast_src_ip fix the family too', () => {
    const { codes } = check({ mcastSrcIp: { address: '2001:db8::1', family: 'inet6' } });
    expect(codes).toEqual([ValidateCode.FAMILY_MISMATCH, ValidateCode.NO_VIP]);
  });

  it('switches IPv6 instances to VRRPv3, reporting it only in strict mode', () => {
    const plain = check({ virtualIpAddresses: [vip('2001:db8::1')] });
    expect(plain.codes).toEqual([]);
    expect(plain.eff?.version).toBe(3);
    const strict = check({ strictMode: true, virtualIpAddresses: [vip('fe80::1'), vip('2001:db8::1', 11)] });
    expect(strict.codes).toEqual([ValidateCode.STRICT_IPV6_V2]);
    expect(check({ strictMode: true, version: 3, virtualIpAddresses: [vip('2001:db8::1')] }).codes).toEqual([ValidateCode.STRICT_IPV6_LINK_LOCAL]);
  });

  it('reports unicast settings without peers', () => {
    expect(check({ unicastSrcIp: { address: '10.0.0.5', family: 'inet' } }).codes).toEqual([ValidateCode.UNICAST_WITHOUT_PEERS]);
    expect(check({ checkUnicastSrc: true }).codes).toEqual([ValidateCode.UNICAST_WITHOUT_PEERS]);
    expect(check({ unicastTtl: 5 }).codes).toEqual([ValidateCode.UNICAST_WITHOUT_PEERS]);
    expect(check({ unicastFaultNoPeer: true }).codes).toEqual([]);
  });

  it('reports an instance without VIPs', () => {
    expect(check({ virtualIpAddresses: [] }).codes).toEqual([ValidateCode.NO_VIP]);
  });

  it('ignores authentication with VRRPv3 and in strict mode', () => {
    const auth = { type: 'PASS' as const, pass: '1111', pos: at(6) };
    expect(check({ version: 3, authentication: auth }).codes).toEqual([ValidateCode.AUTH_V3]);
    expect(check({ strictMode: true, state: 'MASTER', priority: 255, authentication: auth }).codes).toEqual([ValidateCode.STRICT_AUTH]);
    expect(check({ authentication: auth }).codes).toEqual([]);
    const ah = { type: 'AH' as const, pass: '1111', pos: at(6) };
    expect(check({ state: 'MASTER', priority: 100, authentication: ah }).codes).toEqual([ValidateCode.AH_MASTER]);
    expect(check({ authentication: ah }).codes).toEqual([]);
    expect(check({ authentication: { ...auth, pass: '' } }).codes).toEqual([ValidateCode.AUTH_NO_PASSWORD]);
  });

  it('applies the strict-mode resets', () => {
    expect(check({ strictMode: true, state: 'MASTER', priority: 100 }).codes).toEqual([ValidateCode.STRICT_MASTER_OWNER]);
    expect(check({ strictMode: true, state: 'BACKUP', priority: 255 }).codes).toEqual([ValidateCode.STRICT_MASTER_OWNER]);
    expect(check({ strictMode: true, stateConfigured: false, priority: 255 }).codes).toEqual([]);
    expect(check({ strictMode: true, preemptDelayUs: 5_000_000 }).codes).toEqual([ValidateCode.STRICT_PREEMPT_DELAY]);
    expect(check({ strictMode: true, accept: true }).codes).toEqual([ValidateCode.STRICT_V2_ACCEPT]);
    const vmac0 = { ifname: null, mac: null, netlinkNotifyMsg: false, pos: at(4) };
    expect(check({ strictMode: true, vmacXmitBase: true, useVmac: vmac0 }).codes).toEqual([ValidateCode.STRICT_XMIT_BASE]);
    expect(check({ strictMode: true, vmacXmitBase: true }).codes).toEqual([ValidateCode.XMIT_BASE_WITHOUT_VMAC]);
    expect(check({ vmacXmitBase: true }).codes).toEqual([ValidateCode.XMIT_BASE_WITHOUT_VMAC]);
    expect(check({ strictMode: true, state: 'MASTER', priority: 255 }).codes).toEqual([]);
    expect(check({ strictMode: true, higherPrioSendAdvert: true }).codes).toEqual([ValidateCode.STRICT_HIGHER_PRIO_SEND_ADVERT]);
    expect(check({ strictMode: true, downTimerAdverts: 5 }).codes).toEqual([ValidateCode.STRICT_DOWN_TIMER_ADVERTS]);
    const vmac = { ifname: null, mac: '02:00:00:00:00:01', netlinkNotifyMsg: false, pos: at(4) };
    expect(check({ strictMode: true, useVmac: vmac }).codes).toEqual([ValidateCode.STRICT_VMAC_MAC]);
  });

  it('judges strict GARP / advert settings only when the instance block sets them', () => {
    const tree = [
      {
        keyword: 'vrrp_instance',
        args: ['VI_1'],
        tokens: [],
        pos: at(1),
        children: [
          { keyword: 'garp_lower_prio_repeat', args: ['2'], tokens: [], pos: at(3) },
          { keyword: 'lower_prio_no_advert', args: ['off'], tokens: [], pos: at(4) },
        ],
      },
    ];
    const sink = new DiagnosticSink();
    validateInstance(instance({ strictMode: true, garpLowerPrioRepeat: 2 }), sink, instanceKeywords(tree));
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.STRICT_GARP_REPEAT, ValidateCode.STRICT_LOWER_PRIO_ADVERT]);
    // The same value inherited from global_defs is accepted.
    expect(check({ strictMode: true, garpLowerPrioRepeat: 2 }).codes).toEqual([]);
  });
});

describe('cross-instance checks', () => {
  it('reports two instances sharing VRID, family and interface', () => {
    const sink = new DiagnosticSink();
    validateConfig(config({ vrrpInstances: [instance(), instance({ name: 'VI_2', virtualIpAddresses: [vip('10.0.0.2')] })] }), null, sink);
    expect(sink.items.map((d) => d.message)).toEqual(['VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0']);
    expect(exitCodeFor(sink.items)).toBe(5);
  });

  it('allows the same VRID for IPv4 and IPv6 or on another interface', () => {
    const sink = new DiagnosticSink();
    const v6 = instance({ name: 'VI_6', virtualIpAddresses: [vip('2001:db8::1')] });
    const other = instance({ name: 'VI_O', interface: { name: 'eth1', pos: at(2) } });
    validateConfig(config({ vrrpInstances: [instance(), v6, other] }), null, sink);
    expect(sink.items).toEqual([]);
  });

  it('checks sync group members', () => {
    const sink = new DiagnosticSink();
    validateConfig(config({ vrrpInstances: [instance()], syncGroups: [syncGroup('G', ['VI_1', 'VI_GHOST'])] }), null, sink);
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.SYNC_GROUP_UNKNOWN_MEMBER, ValidateCode.SYNC_GROUP_TOO_SMALL]);
    expect(sink.items[1]?.message).toBe("Sync group G has only 1 virtual router(s) - this probably isn't what you want");
  });

  it('reports instances listed in two sync groups and removes the emptied group', () => {
    const sink = new DiagnosticSink();
    const vi2 = instance({ name: 'VI_2', virtualRouterId: 52 });
    validateConfig(config({ vrrpInstances: [instance(), vi2], syncGroups: [syncGroup('A', ['VI_1', 'VI_2']), syncGroup('B', ['VI_1', 'VI_2'], 20)] }), null, sink);
    expect(sink.items.map((d) => d.message)).toEqual([
      'Virtual router VI_1 cannot exist in more than one sync group; ignoring B',
      'Virtual router VI_2 cannot exist in more than one sync group; ignoring B',
      'Sync group B, no matching virtual router found in group declaration - removing',
    ]);
  });

  it('reports an instance without interface', () => {
    const sink = new DiagnosticSink();
    validateConfig(config({ vrrpInstances: [instance({ interface: null })] }), null, sink);
    expect(sink.items.map((d) => d.message)).toEqual(['(VI_1) Unknown interface!']);
  });

  it('accepts a two-member sync group', () => {
    const sink = new DiagnosticSink();
    const vi2 = instance({ name: 'VI_2', virtualRouterId: 52 });
    validateConfig(config({ vrrpInstances: [instance(), vi2], syncGroups: [syncGroup('G', ['VI_1', 'VI_2'])] }), null, sink);
    expect(sink.items).toEqual([]);
  });
});
