import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEchoReply,
  encodeEchoRequest,
  ICMP_ECHO_HEADER_LEN,
  internetChecksum,
  keepalivedEchoPayload,
} from '../../../src/check/probes/icmp-echo.js';

/** What the peer sends back: the request with the type turned into a reply (checksum not re-done: decode ignores it). */
function asReply(request: Uint8Array, family: 4 | 6): Uint8Array {
  const r = Uint8Array.from(request);
  r[0] = family === 4 ? 0 : 129;
  return r;
}

/** A minimal IPv4 header (IHL 5, protocol 1) in front of an ICMP message, as a raw IPv4 socket receives it. */
function withIpv4Header(icmp: Uint8Array, protocol = 1, ihlWords = 5): Uint8Array {
  const h = new Uint8Array(ihlWords * 4);
  h[0] = 0x40 | ihlWords;
  h[9] = protocol;
  return Uint8Array.from([...h, ...icmp]);
}

describe('ICMP echo codec', () => {
  it('builds keepalived 2.2.7 requests: 8-byte header + 128 bytes of "keepalived check - "', () => {
    const req = encodeEchoRequest(4, 0, 0x0102);
    expect(req.length).toBe(136);
    expect(req[0]).toBe(8);
    expect(req[1]).toBe(0);
    // host-order sequence (keepalived does not htons it): little-endian on the wire
    expect([req[6], req[7]]).toEqual([0x02, 0x01]);
    expect(Buffer.from(req.subarray(8, 27)).toString('latin1')).toBe('keepalived check - ');
    expect(Buffer.from(req.subarray(8 + 19 * 6, 136)).toString('latin1')).toBe('keepalived check - '.slice(0, 128 - 19 * 6));
    // a correct checksum sums (with itself) to zero
    expect(internetChecksum(req)).toBe(0);
  });

  it('leaves the ICMPv6 checksum to the kernel and uses type 128', () => {
    const req = encodeEchoRequest(6, 0x1234, 7);
    expect(req[0]).toBe(128);
    expect([req[2], req[3]]).toEqual([0, 0]);
    expect([req[4], req[5]]).toEqual([0x12, 0x34]);
  });

  it('checksum of a known ICMP echo request (ping from iputils, id 0x1234 seq 1, no data)', () => {
    const bytes = Uint8Array.from([8, 0, 0, 0, 0x12, 0x34, 0, 1]);
    expect(internetChecksum(bytes)).toBe(0xe5ca);
    expect(internetChecksum(Uint8Array.of(0xff))).toBe(0x00ff); // odd length: padded with zero
  });

  it('payload follows the pattern for any length', () => {
    expect(Buffer.from(keepalivedEchoPayload(5)).toString('latin1')).toBe('keepa');
    expect(keepalivedEchoPayload(0).length).toBe(0);
  });

  it('decodes replies with and without the IPv4 header, rejects requests and foreign protocols', () => {
    const reply = asReply(encodeEchoRequest(4, 0xbeef, 513), 4);
    expect(decodeEchoReply(4, reply, false)).toEqual({ id: 0xbeef, seq: 513, payloadLength: 128 });
    expect(decodeEchoReply(4, withIpv4Header(reply), true)).toEqual({ id: 0xbeef, seq: 513, payloadLength: 128 });
    expect(decodeEchoReply(4, withIpv4Header(reply, 1, 6), true)?.seq).toBe(513);
    expect(decodeEchoReply(4, withIpv4Header(reply, 17), true)).toBeNull();
    expect(decodeEchoReply(4, encodeEchoRequest(4, 1, 1), false)).toBeNull();
    expect(decodeEchoReply(6, asReply(encodeEchoRequest(6, 9, 65535), 6), false)).toEqual({ id: 9, seq: 65535, payloadLength: 128 });
    expect(decodeEchoReply(6, reply, false)).toBeNull(); // an ICMPv4 reply type on an ICMPv6 socket
    expect(decodeEchoReply(4, reply.subarray(0, ICMP_ECHO_HEADER_LEN - 1), false)).toBeNull();
  });

  it('property: decode never throws and round-trips id/seq of any request', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom<4 | 6>(4, 6), fc.boolean(), (bytes, family, hdr) => {
        const r = decodeEchoReply(family, bytes, hdr);
        expect(r === null || (r.id >= 0 && r.id <= 0xffff && r.seq >= 0 && r.seq <= 0xffff)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom<4 | 6>(4, 6), (id, seq, family) => {
        const req = encodeEchoRequest(family, id, seq, keepalivedEchoPayload(16));
        if (family === 4) expect(internetChecksum(req)).toBe(0);
        expect(decodeEchoReply(family, asReply(req, family), false)).toEqual({ id, seq, payloadLength: 16 });
      }),
    );
  });
});
