// IPv4 header parsing for raw-socket input and the IP_HDRINCL header builder.
import { describe, expect, it } from 'vitest';
import { buildIpv4Header, buildIpv4Packet, decodeIpv4Packet, parseIpv4Header, VrrpEncodeError } from '../../../src/vrrp/packet/index.js';
import { rawAdvert, rawIpv4, refChecksum } from './helpers.js';

describe('parseIpv4Header', () => {
  it('reads the fields and trims Ethernet padding by total length', () => {
    const vrrp = rawAdvert({});
    const padded = Buffer.concat([rawIpv4(vrrp, { ttl: 255, src: '10.0.0.1', dst: '224.0.0.18' }), Buffer.alloc(6)]);
    const r = parseIpv4Header(padded);
    if (!r.ok) return expect.fail(r.drop.detail);
    expect(r).toMatchObject({ tos: 0xc0, ttl: 255, protocol: 112, src: '10.0.0.1', dst: '224.0.0.18', headerLen: 20, totalLen: 20 + vrrp.length });
    expect(Buffer.from(r.payload)).toEqual(vrrp);
  });

  it('skips IP options (IHL > 5)', () => {
    const vrrp = rawAdvert({});
    const withOpts = rawIpv4(vrrp, { ihl: 6 });
    const r = parseIpv4Header(withOpts);
    expect(r.ok && r.headerLen).toBe(24);
    expect(r.ok && Buffer.from(r.payload)).toEqual(vrrp);
  });

  it.each([
    ['19 bytes', Buffer.alloc(19), 'ip-truncated'],
    ['IPv6 first nibble', Buffer.from([0x60, ...Buffer.alloc(39)]), 'ip-version'],
    ['IHL 4', rawIpv4(rawAdvert({}), { ihl: 4 }), 'ip-header-length'],
    ['IHL beyond the data', Buffer.from([0x4f, ...Buffer.alloc(30)]), 'ip-header-length'],
    ['total length beyond the data', rawIpv4(rawAdvert({}), { totalLen: 200 }), 'ip-total-length'],
    ['total length below the header', rawIpv4(rawAdvert({}), { totalLen: 10 }), 'ip-total-length'],
    ['protocol 51 (AH)', rawIpv4(rawAdvert({}), { proto: 51 }), 'ip-protocol'],
  ])('drops %s', (_what, bytes, code) => {
    expect(parseIpv4Header(bytes)).toMatchObject({ ok: false, drop: { code } });
  });
});

describe('decodeIpv4Packet', () => {
  it('feeds the header TTL into the ladder', () => {
    expect(decodeIpv4Packet(rawIpv4(rawAdvert({}), { ttl: 64 }))).toMatchObject({ ok: false, drop: { code: 'ttl' } });
    expect(decodeIpv4Packet(rawIpv4(rawAdvert({}), { ttl: 64 }), { ttlRange: { min: 1, max: 255 } }).ok).toBe(true);
    expect(decodeIpv4Packet(Buffer.alloc(3))).toMatchObject({ ok: false, drop: { code: 'ip-truncated' } });
  });
  it('returns the parsed IP header with the advert', () => {
    const r = decodeIpv4Packet(rawIpv4(rawAdvert({ vrid: 77 }), { src: '198.51.100.1' }));
    expect(r.ok && [r.ip.src, r.advert.vrid]).toEqual(['198.51.100.1', 77]);
  });
});

describe('buildIpv4Header', () => {
  it('writes keepalived’s defaults: TOS 0xc0, TTL 255, no DF, proto 112, valid checksum', () => {
    const h = buildIpv4Header({ src: '192.0.2.1', dst: '224.0.0.18', payloadLen: 20, id: 7 });
    expect(h.length).toBe(20);
    expect([h[0], h[1], h.readUInt16BE(2), h.readUInt16BE(4), h.readUInt16BE(6), h[8], h[9]]).toEqual([0x45, 0xc0, 40, 7, 0, 255, 112]);
    expect(refChecksum(h)).toBe(0);
  });
  it('honours ttl/tos overrides (unicast_ttl)', () => {
    const h = buildIpv4Header({ src: '192.0.2.1', dst: '192.0.2.2', payloadLen: 20, ttl: 64, tos: 0 });
    expect([h[1], h[8]]).toEqual([0, 64]);
  });
  it('round-trips through parseIpv4Header', () => {
    const vrrp = rawAdvert({});
    const pkt = buildIpv4Packet(vrrp, { src: '203.0.113.5', dst: '224.0.0.18' });
    expect(parseIpv4Header(pkt)).toMatchObject({ ok: true, src: '203.0.113.5', ttl: 255, totalLen: pkt.length });
  });
  it('throws a coded error on bad input (encode side only)', () => {
    expect(() => buildIpv4Header({ src: 'x', dst: '224.0.0.18', payloadLen: 1 })).toThrow(VrrpEncodeError);
    expect(() => buildIpv4Header({ src: '1.2.3.4', dst: '224.0.0.18', payloadLen: 70000 })).toThrow(/does not fit/);
  });
});
