// Pure pieces of the advert transport: the IP_HDRINCL header against keepalived's capture, and the
// setsockopt struct layouts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildIpv4Header } from '../../../src/io/vrrp-socket/ipv4-header.js';
import { cInt, ifnameOption, ipMreqn, ipv6Mreq } from '../../../src/io/vrrp-socket/sockopt.js';

const captured = Buffer.from(
  readFileSync(new URL('../../fixtures/frames/keepalived-advert-v4.hex', import.meta.url), 'utf8').trim(), 'hex',
);

describe('buildIpv4Header', () => {
  it('equals the header keepalived sent (TOS 0xC0, id 1, no DF, TTL 255, proto 112, checksum)', () => {
    const h = buildIpv4Header({ source: '192.168.77.1', destination: '224.0.0.18', payloadLength: 20, identification: 1 });
    expect(h.toString('hex')).toBe(captured.subarray(14, 34).toString('hex'));
  });

  it('writes unicast_ttl and a checksum that verifies', () => {
    const h = buildIpv4Header({ source: '10.0.0.1', destination: '10.0.0.2', payloadLength: 28, identification: 0x1234, ttl: 64 });
    expect(h[8]).toBe(64);
    expect(h.readUInt16BE(2)).toBe(48);
    expect(h.readUInt16BE(4)).toBe(0x1234);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += h.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });
});

describe('setsockopt structs', () => {
  it('lays out ip_mreqn as group, address, host-order ifindex', () => {
    expect(ipMreqn('224.0.0.18', 7).toString('hex')).toBe('e0000012' + '00000000' + '07000000');
    expect(ipMreqn('224.0.0.18', 258, '10.0.0.1').toString('hex')).toBe('e0000012' + '0a000001' + '02010000');
  });

  it('lays out ipv6_mreq as group then ifindex', () => {
    expect(ipv6Mreq('ff02::12', 3).toString('hex')).toBe('ff020000000000000000000000000012' + '03000000');
  });

  it('encodes ints and interface names', () => {
    expect(cInt(255).toString('hex')).toBe('ff000000');
    expect(ifnameOption('eth0').toString('hex')).toBe('6574683000');
  });
});
