import { describe, expect, it } from 'vitest';
import { build, buildClean, vrrp } from './helpers.js';

const vips = (lines: string) => build(vrrp(`  virtual_ipaddress {\n${lines}\n  }`));

describe('virtual_ipaddress lines', () => {
  it('defaults to a host prefix, global scope, forever lifetime', () => {
    const v = vips('    10.0.0.1').config.vrrpInstances[0]?.virtualIpAddresses[0];
    expect(v).toMatchObject({ address: '10.0.0.1', family: 'inet', prefixLen: 32, scope: 'global', dev: null, broadcast: null, label: null, noTrack: false, preferredLftSec: null, pos: { line: 5 } });
  });

  it('reads every option', () => {
    const b = vips('    192.168.1.10/24 brd + dev eth1 scope link label eth1:vip no_track preferred_lft 0 home -nodad noprefixroute autojoin mngtmpaddr use_vmac');
    expect(b.problems).toEqual([]);
    expect(b.config.vrrpInstances[0]?.virtualIpAddresses[0]).toMatchObject({
      prefixLen: 24,
      broadcast: '192.168.1.255',
      dev: 'eth1',
      scope: 'link',
      label: 'eth1:vip',
      noTrack: true,
      preferredLftSec: 0,
      home: true,
      noDad: true,
      noprefixroute: true,
      autojoin: true,
      mngtmpaddr: true,
      useVmac: true,
    });
  });

  it('computes brd - and takes explicit broadcast and peer', () => {
    const b = vips('    10.1.2.3/16 brd -\n    10.0.0.5 peer 10.0.0.6/32\n    10.0.0.7/24 brd 10.0.0.127');
    expect(b.problems).toEqual([]);
    const a = b.config.vrrpInstances[0]?.virtualIpAddresses ?? [];
    expect(a.map((x) => x.broadcast)).toEqual(['10.1.0.0', null, '10.0.0.127']);
    expect(a[1]).toMatchObject({ peer: '10.0.0.6', peerPrefixLen: 32 });
  });

  it('IPv6 /128 defaults to preferred_lft 0 (keepalived legacy), other prefixes to forever', () => {
    const a = vips('    2001:db8::1\n    2001:db8::2/64').config.vrrpInstances[0]?.virtualIpAddresses ?? [];
    expect(a.map((x) => [x.family, x.prefixLen, x.preferredLftSec])).toEqual([
      ['inet6', 128, 0],
      ['inet6', 64, null],
    ]);
  });

  it.each([
    ['    10.0.0.300', 'KTS_INVALID_ADDRESS', 0],
    ['    10.0.0.1 frob', 'KTS_INVALID_VALUE', 1],
    ['    10.0.0.1/33', 'KTS_INVALID_ADDRESS', 1],
    ['    10.0.0.1 dev', 'KTS_MISSING_PARAMETER', 0],
    ['    10.0.0.1 scope galaxy', 'KTS_INVALID_VALUE', 1],
    ['    10.0.0.1 brd 1.2.3', 'KTS_INVALID_ADDRESS', 0],
    ['    2001:db8::1 brd 1.2.3.4', 'KTS_INVALID_ADDRESS', 0],
    ['    2001:db8::1 label x', 'KTS_INVALID_VALUE', 1],
    ['    10.0.0.1 label abcdefghijklmnopq', 'KTS_INVALID_VALUE', 0],
    ['    10.0.0.1 preferred_lft soon', 'KTS_INVALID_VALUE', 1],
  ] as const)('%s → %s, %d kept', (line, code, kept) => {
    const b = vips(line);
    expect(b.codes).toEqual([code]);
    expect(b.config.vrrpInstances[0]?.virtualIpAddresses).toHaveLength(kept);
  });
});

describe('routes and rules', () => {
  it('parses virtual_routes in ip-route syntax', () => {
    const v = buildClean(vrrp('  virtual_routes {\n    10.7.0.0/16 via 10.0.0.254 dev eth0 metric 5 table 100 no_track\n    blackhole 10.6.0.0/16\n    src 10.0.0.1 default via 10.0.0.254 onlink\n    2001:db8::/32 via inet6 fe80::1 dev eth0 mtu 1400\n  }')).vrrpInstances[0];
    expect(v?.virtualRoutes.map((r) => [r.type, r.to, r.prefixLen, r.via, r.src, r.dev, r.metric, r.table, r.noTrack, r.onlink, r.otherOptions])).toEqual([
      ['unicast', '10.7.0.0', 16, '10.0.0.254', null, 'eth0', 5, '100', true, false, []],
      ['blackhole', '10.6.0.0', 16, null, null, null, null, null, false, false, []],
      ['unicast', '0.0.0.0', 0, '10.0.0.254', '10.0.0.1', null, null, null, false, true, []],
      ['unicast', '2001:db8::', 32, 'fe80::1', null, 'eth0', null, null, false, false, ['mtu', '1400']],
    ]);
  });

  it('reports a bad destination or gateway', () => {
    const b = build(vrrp('  virtual_routes {\n    10.7.0.0/40 via 10.0.0.254\n    10.8.0.0/16 via nowhere\n  }'));
    expect(b.codes).toEqual(['KTS_INVALID_ADDRESS', 'KTS_INVALID_ADDRESS']);
    expect(b.config.vrrpInstances[0]?.virtualRoutes.map((r) => r.via)).toEqual([null]);
  });

  it('keeps rules as tokens with their family', () => {
    const v = buildClean(vrrp('  virtual_rules {\n    from 10.0.0.0/24 table 100 no_track\n    to 2001:db8::/32 lookup 200\n  }')).vrrpInstances[0];
    expect(v?.virtualRules.map((r) => [r.tokens, r.family, r.noTrack])).toEqual([
      [['from', '10.0.0.0/24', 'table', '100'], 'inet', true],
      [['to', '2001:db8::/32', 'lookup', '200'], 'inet6', false],
    ]);
  });

  it('static_ipaddress / static_routes / static_rules go to the top level', () => {
    const c = buildClean('static_ipaddress {\n  10.9.9.9/32 dev eth0\n}\nstatic_routes {\n  10.8.0.0/16 via 10.0.0.254 dev eth0\n}\nstatic_rules {\n  from 10.9.9.9 table 5\n}\n');
    expect(c.staticIpAddresses.map((a) => a.address)).toEqual(['10.9.9.9']);
    expect(c.staticRoutes.map((r) => r.to)).toEqual(['10.8.0.0']);
    expect(c.staticRules).toHaveLength(1);
  });

  it('use_vmac is not an option of static addresses', () => {
    expect(build('static_ipaddress {\n  10.9.9.9 dev eth0 use_vmac\n}\n').codes).toEqual(['KTS_INVALID_VALUE']);
  });
});
