import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIpv4Udp, parseUdp } from '../../src/bfd/transport.js';

/** A full IPv4 datagram sent by keepalived 2.2.7's BFD (tcpdump capture, TTL 255, port 50172 → 3784). */
const IP = '450000342f344000ff1137bc0a6300010a630002c3fc0ec8002014fa' + '204003180e6160a700000000000f4240000186a000000000';
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

describe('raw UDP receive parsing', () => {
  it('reads TTL, addresses, ports and the BFD payload of an IPv4 datagram', () => {
    const d = parseIpv4Udp(bytes(IP));
    expect(d).toMatchObject({ family: 4, ttl: 255, source: '10.99.0.1', destination: '10.99.0.2', sourcePort: 50172 });
    expect(Buffer.from(d!.payload).toString('hex')).toBe(IP.slice(56));
  });

  it('ignores other ports, other protocols and truncated datagrams', () => {
    const other = bytes(IP);
    other[23] = 0xc9; // dst port 3785
    expect(parseIpv4Udp(other)).toBeUndefined();
    const tcp = bytes(IP);
    tcp[9] = 6;
    expect(parseIpv4Udp(tcp)).toBeUndefined();
    expect(parseIpv4Udp(bytes(IP).subarray(0, 40))).toBeUndefined();
  });

  it('reads an IPv6 raw delivery (UDP header first)', () => {
    const u = parseUdp(bytes(IP.slice(40)));
    expect(u?.sourcePort).toBe(50172);
    expect(u?.payload.length).toBe(24);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        parseIpv4Udp(b);
        parseUdp(b);
      }),
    );
  });
});
