// Receive side of unicast_peer min_ttl / max_ttl in the instance driver: an advert from a peer whose
// TTL (IPv4 header) or hop limit (IPv6 ancillary data) is outside its window is dropped and counted as
// `ttl`, only while check_unicast_src is on (keepalived 2.2.7 checks the window there).
import { describe, expect, it } from 'vitest';
import { authDataFromPassword, buildIpv4Packet, encodeAdvert } from '../../src/vrrp/packet/index.js';
import type { ReceivedAdvertPacket } from '../../src/core/ports.js';
import type { ResolvedInstance } from '../../src/core/instance-config.js';
import { makeInstanceParams } from '../../src/vrrp/params.js';
import { harness, PEER, resolved, SELF } from './instance-harness.js';

function v2Unicast(ttl: number, src = PEER): ReceivedAdvertPacket {
  const payload = encodeAdvert(
    { version: 2, type: 1, vrid: 51, priority: 200, addrCount: 1, checksum: 0, addresses: ['10.0.0.100'], authType: 1, adverIntS: 1, authData: authDataFromPassword('secret') },
    { family: 4, srcAddr: src, dstAddr: SELF },
  );
  return { family: 4, bytes: buildIpv4Packet(payload, { src, dst: SELF, ttl }), source: src };
}

function unicast4(minTtl: number, maxTtl: number, checkUnicastSrc = true): ResolvedInstance {
  return {
    ...resolved(100), unicastPeers: [PEER], unicastPeerTtl: [{ address: PEER, minTtl, maxTtl }], checkUnicastSrc, key: '51/inet/eth0/unicast',
  };
}

const V6_SELF = 'fd00::1';
const V6_PEER = 'fd00::2';

function unicast6(minTtl: number, maxTtl: number): ResolvedInstance {
  const base = resolved(100, []);
  return {
    ...base,
    params: makeInstanceParams({ name: 'VI_6', vrid: 51, version: 3, basePriority: 100, primaryAddress: V6_SELF, interfaceName: 'eth0', vips: ['fd00::100'] }),
    family: 6, version: 3, sourceAddress: V6_SELF, multicastGroup: 'ff02::12', authType: 0, authPass: '',
    unicastPeers: [V6_PEER], unicastPeerTtl: [{ address: V6_PEER, minTtl, maxTtl }], unicastTtl: null, checkUnicastSrc: true,
    vips: [{ address: 'fd00::100', family: 6, ifname: 'eth0', spec: { address: 'fd00::100', prefixLen: 64, ifindex: 2 }, excluded: false }],
    key: '51/inet6/eth0/unicast',
  };
}

function v3Unicast6(hopLimit: number | undefined): ReceivedAdvertPacket {
  const bytes = encodeAdvert(
    { version: 3, type: 1, vrid: 51, priority: 200, addrCount: 1, checksum: 0, addresses: ['fd00::100'], maxAdverIntCs: 100 },
    { family: 6, srcAddr: V6_PEER, dstAddr: V6_SELF },
  );
  return { family: 6, bytes: Buffer.from(bytes), source: V6_PEER, destination: V6_SELF, ...(hopLimit !== undefined ? { ttl: hopLimit } : {}) };
}

describe('unicast_peer min_ttl / max_ttl on receive', () => {
  it('IPv4: a TTL above max_ttl is dropped and counted as ttl, within the window it is accepted', async () => {
    const h = harness(unicast4(0, 10));
    h.driver.start(true);
    h.driver.handlePacket(v2Unicast(255));
    h.driver.handlePacket(v2Unicast(64));
    await h.driver.idle();
    expect(h.driver.stats.drops).toEqual({ ttl: 2 });
    expect(h.driver.stats.advertsReceived).toBe(0);
    const log = h.logs.find((l) => l['code'] === 'KTS_VRRP_RX_TTL');
    expect(log?.['msg']).toContain('TTL/HL 255 not in range 0 - 10');
    h.driver.handlePacket(v2Unicast(10));
    await h.driver.idle();
    expect(h.driver.stats.advertsReceived).toBe(1);
  });

  it('IPv4: a TTL below min_ttl is dropped', async () => {
    const h = harness(unicast4(250, 255));
    h.driver.start(true);
    h.driver.handlePacket(v2Unicast(249));
    h.driver.handlePacket(v2Unicast(250));
    await h.driver.idle();
    expect(h.driver.stats.drops).toEqual({ ttl: 1 });
    expect(h.driver.stats.advertsReceived).toBe(1);
  });

  it('the window is not applied without check_unicast_src (keepalived sets it whenever min/max_ttl is given)', async () => {
    const h = harness(unicast4(0, 10, false));
    h.driver.start(true);
    h.driver.handlePacket(v2Unicast(255));
    await h.driver.idle();
    expect(h.driver.stats.drops).toEqual({});
    expect(h.driver.stats.advertsReceived).toBe(1);
  });

  it('a source that is not a peer is still unicast-src, not ttl', async () => {
    const h = harness(unicast4(0, 10));
    h.driver.start(true);
    h.driver.handlePacket(v2Unicast(255, '10.0.0.9'));
    await h.driver.idle();
    expect(h.driver.stats.drops).toEqual({ 'unicast-src': 1 });
  });

  it('IPv6: the hop limit from IPV6_HOPLIMIT is checked; keepalived\'s default 64 passes 0-255', async () => {
    const strict = harness(unicast6(255, 255));
    strict.driver.start(true);
    strict.driver.handlePacket(v3Unicast6(64));
    await strict.driver.idle();
    expect(strict.driver.stats.drops).toEqual({ ttl: 1 });
    const open = harness(unicast6(0, 255));
    open.driver.start(true);
    open.driver.handlePacket(v3Unicast6(64));
    open.driver.handlePacket(v3Unicast6(undefined));
    await open.driver.idle();
    expect(open.driver.stats.drops).toEqual({});
    expect(open.driver.stats.advertsReceived).toBe(2);
  });
});
