// unicast_peer options as keepalived 2.2.7's alloc_vrrp_unicast_peer reads them, and unicast_ttl's
// "not configured" state (null: IPv6 then sends the kernel's hop limit, as keepalived does).
import { describe, expect, it } from 'vitest';
import { build, vrrp } from './helpers.js';

const peersOf = (body: string) => {
  const b = build(vrrp(`  unicast_peer {\n${body}\n  }`));
  const v = b.config.vrrpInstances[0];
  return { codes: b.codes, peers: v?.unicastPeers.map((p) => [p.address, p.minTtl, p.maxTtl]), check: v?.checkUnicastSrc };
};

describe('unicast_peer min_ttl / max_ttl', () => {
  it('plain peers keep 0-255 and leave check_unicast_src off', () => {
    expect(peersOf('    10.0.0.2\n    10.0.0.3')).toEqual({ codes: [], peers: [['10.0.0.2', 0, 255], ['10.0.0.3', 0, 255]], check: false });
  });

  it('min_ttl or max_ttl on any peer turns check_unicast_src on', () => {
    expect(peersOf('    10.0.0.2\n    10.0.0.3 max_ttl 10')).toEqual({ codes: [], peers: [['10.0.0.2', 0, 255], ['10.0.0.3', 0, 10]], check: true });
    expect(peersOf('    10.0.0.3 min_ttl 0').check).toBe(true);
  });

  it('min_ttl > max_ttl is reported and the peer kept (keepalived: all its packets are discarded)', () => {
    expect(peersOf('    10.0.0.3 min_ttl 200 max_ttl 100')).toEqual({ codes: ['KTS_INVALID_VALUE'], peers: [['10.0.0.3', 200, 100]], check: true });
  });

  it('a bad value is reported and skipped, the rest of the line still read', () => {
    expect(peersOf('    10.0.0.3 min_ttl 300 max_ttl 20')).toEqual({ codes: ['KTS_INVALID_NUMBER'], peers: [['10.0.0.3', 0, 20]], check: true });
  });

  it('an unknown option or a missing value ends the line with an error; the peer stays', () => {
    expect(peersOf('    10.0.0.3 max_ttl 20 foo 1 min_ttl 5')).toEqual({ codes: ['KTS_INVALID_VALUE'], peers: [['10.0.0.3', 0, 20]], check: true });
    expect(peersOf('    10.0.0.3 min_ttl')).toEqual({ codes: ['KTS_INVALID_VALUE'], peers: [['10.0.0.3', 0, 255]], check: false });
  });
});

describe('unicast_ttl', () => {
  it('is null unless configured, and the configured value otherwise', () => {
    const peer = '  unicast_peer {\n    10.0.0.2\n  }';
    expect(build(vrrp(peer)).config.vrrpInstances[0]?.unicastTtl).toBeNull();
    expect(build(vrrp(`${peer}\n  unicast_ttl 10`)).config.vrrpInstances[0]?.unicastTtl).toBe(10);
  });
});
