/** Netlink framing (<linux/netlink.h>): nlmsghdr, nlattr, nlmsgerr, against hand-written bytes. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attrNested,
  attrString,
  attrU16,
  attrU32,
  attrU8,
  decodeAttrs,
  decodeNlError,
  decodeNlMsgs,
  encodeNlMsg,
} from '../../../src/io/netlink/nl-codec.js';
import { attr, cstr, hex, nlmsg, toHex, u32le } from './helpers/bytes.js';

describe('nlmsghdr', () => {
  it('encodes header fields in host order and pads the payload to 4 bytes', () => {
    const b = encodeNlMsg({ type: 0x14, flags: 0x605, seq: 0xdeadbeef, pid: 0x1234 }, Uint8Array.of(1, 2, 3, 4, 5));
    expect(toHex(b)).toBe(toHex(hex('15000000 1400 0506 efbeadde 34120000 | 0102030405 000000')));
  });

  it('splits a datagram holding several messages', () => {
    const d = Uint8Array.from([...nlmsg(16, 2, 9, 0, [1, 2, 3]), ...nlmsg(3, 2, 9, 0, u32le(0))]);
    const r = decodeNlMsgs(d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((m) => [m.header.type, m.header.flags, m.header.seq, m.header.length])).toEqual([
      [16, 2, 9, 19],
      [3, 2, 9, 20],
    ]);
    expect(Array.from(r.value[0]!.payload)).toEqual([1, 2, 3]);
  });

  it('rejects short headers, nlmsg_len < 16 and nlmsg_len past the end', () => {
    expect(decodeNlMsgs(hex('10000000 0300')).ok).toBe(false);
    const small = decodeNlMsgs(hex('08000000 0300 0000 00000000 00000000'));
    expect(!small.ok && small.error.reason).toBe('bad-length');
    const long = decodeNlMsgs(hex('40000000 0300 0000 00000000 00000000'));
    expect(!long.ok && long.error.reason).toBe('truncated');
  });

  it('never throws on random datagrams', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void decodeNlMsgs(b)));
  });
});

describe('nlattr', () => {
  it('encodes scalar, string and nested attributes', () => {
    expect(toHex(attrU8(11, 18))).toBe('05000b0012000000');
    expect(toHex(attrU16(2, 0x1234))).toBe('0600020034120000');
    expect(toHex(attrU32(4, 1500))).toBe('08000400dc050000');
    expect(toHex(attrString(3, 'lo'))).toBe('070003006c6f0000');
    expect(toHex(attrNested(18, [attrU32(1, 1)]))).toBe('0c00120008000100' + '01000000');
    expect(toHex(attrNested(18, [attrU32(1, 1)], true))).toBe('0c00128008000100' + '01000000');
  });

  it('decodes attributes, stripping NLA_F_NESTED into a flag', () => {
    const r = decodeAttrs(Uint8Array.from([...attr(3, cstr('eth0')), 0x08, 0x00, 0x12, 0x80, 1, 2, 3, 4]));
    expect(r.ok && r.value.map((a) => [a.type, a.nested, a.value.length])).toEqual([
      [3, false, 5],
      [18, true, 4],
    ]);
  });
});

describe('nlmsgerr', () => {
  const reqHdr = [...u32le(40), 0x14, 0x00, 0x05, 0x06, ...u32le(77), ...u32le(4242)];

  it('decodes an ACK', () => {
    const r = decodeNlError(Uint8Array.from([...u32le(0), ...reqHdr]), 0x100);
    expect(r).toEqual({ ok: true, value: { error: 0, request: { length: 40, type: 0x14, flags: 0x605, seq: 77, pid: 4242 } } });
  });

  it('decodes an error with extended-ACK text after a capped echo', () => {
    const p = Uint8Array.from([...u32le(-17), ...reqHdr, ...attr(1, cstr('Address already assigned')), ...attr(2, u32le(24))]);
    const r = decodeNlError(p, 0x300);
    expect(r.ok && r.value).toMatchObject({ error: -17, extackMessage: 'Address already assigned', extackOffset: 24 });
  });

  it('skips a full (uncapped) echo of the request before the TLVs', () => {
    const echoed = [...reqHdr, ...new Array<number>(24).fill(0xaa)]; // 40-byte request echoed whole
    const p = Uint8Array.from([...u32le(-22), ...echoed, ...attr(1, cstr('ipv4: Invalid scope value'))]);
    const r = decodeNlError(p, 0x200);
    expect(r.ok && r.value.extackMessage).toBe('ipv4: Invalid scope value');
  });

  it('fails on a short payload', () => {
    expect(decodeNlError(Uint8Array.from(u32le(0)), 0).ok).toBe(false);
  });
});
