// RFC 1071 arithmetic and the VRRP pseudo-headers.
import { describe, expect, it } from 'vitest';
import {
  checksumVerifies,
  internetChecksum,
  ipv4PseudoHeader,
  ipv6PseudoHeader,
  onesComplementSum,
  vrrpChecksum,
} from '../../../src/vrrp/packet/index.js';
import { rawAdvert, refChecksum, v4, v6 } from './helpers.js';

describe('Internet checksum', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    const data = Buffer.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(onesComplementSum(data)).toBe(0xddf2);
    expect(internetChecksum(data)).toBe(0x220d);
  });
  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Buffer.from([0x12, 0x34, 0x56]))).toBe(refChecksum(Buffer.from([0x12, 0x34, 0x56, 0])));
  });
  it('is the same over chunks as over their concatenation (even chunk boundaries)', () => {
    const a = Buffer.from('abcdef');
    const b = Buffer.from('0123456');
    expect(internetChecksum(a, b)).toBe(internetChecksum(Buffer.concat([a, b])));
  });
});

describe('pseudo-headers', () => {
  it('IPv4: src, dst, zero, 112, 16-bit length', () => {
    expect(Buffer.from(ipv4PseudoHeader(v4('192.0.2.1'), v4('224.0.0.18'), 0x0114)).toString('hex')).toBe('c0000201e000001200700114');
  });
  it('IPv6: src, dst, 32-bit length, 3 zeros, next header 112', () => {
    const ph = Buffer.from(ipv6PseudoHeader(v6('fe80::1'), v6('ff02::12'), 0x01020304));
    expect(ph.length).toBe(40);
    expect(ph.subarray(32).toString('hex')).toBe('0102030400000070');
    expect(ph.subarray(0, 16)).toEqual(v6('fe80::1'));
  });
  it('vrrpChecksum ignores whatever is in the checksum field and checksumVerifies accepts the result', () => {
    const msg = rawAdvert({ checksum: 0xbeef });
    const c = vrrpChecksum(msg);
    expect(c).toBe(rawAdvert({}).readUInt16BE(6));
    msg.writeUInt16BE(c, 6);
    expect(checksumVerifies(msg)).toBe(true);
    const ph = ipv4PseudoHeader(v4('192.0.2.1'), v4('224.0.0.18'), msg.length);
    expect(checksumVerifies(msg, ph)).toBe(false);
    msg.writeUInt16BE(vrrpChecksum(msg, ph), 6);
    expect(checksumVerifies(msg, ph)).toBe(true);
  });
});
