// encodeAdvert against the independent byte builder, checksum modes, and encode-side errors.
import { describe, expect, it } from 'vitest';
import {
  advertLength,
  authDataFromPassword,
  checksumFormFor,
  encodeAdvert,
  VrrpEncodeError,
  type VrrpAdvertV2,
  type VrrpAdvertV3,
} from '../../../src/vrrp/packet/index.js';
import { rawAdvert, v4, v6 } from './helpers.js';

const ctx4 = { family: 4 as const, srcAddr: '192.0.2.1', dstAddr: '224.0.0.18' };
const ctx6 = { family: 6 as const, srcAddr: 'fe80::1', dstAddr: 'ff02::12' };
const v2: VrrpAdvertV2 = { version: 2, type: 1, vrid: 51, priority: 100, addrCount: 1, checksum: 0, addresses: ['192.0.2.100'], authType: 0, adverIntS: 1 };
const v3: VrrpAdvertV3 = { version: 3, type: 1, vrid: 51, priority: 100, addrCount: 1, checksum: 0, addresses: ['192.0.2.100'], maxAdverIntCs: 100 };

describe('encodeAdvert', () => {
  it('v2 without auth data writes 8 zero bytes and a message-only checksum', () => {
    expect(encodeAdvert(v2, ctx4)).toEqual(rawAdvert({}));
  });

  it('v2 PASS: password NUL padded, truncated to 8 bytes', () => {
    const out = encodeAdvert({ ...v2, authType: 1, authData: authDataFromPassword('abc') }, ctx4);
    expect(out.subarray(12).toString('latin1')).toBe('abc\0\0\0\0\0');
    expect(authDataFromPassword('0123456789').toString()).toBe('01234567');
    expect(out).toEqual(rawAdvert({ b4: 1, auth: Buffer.from('abc\0\0\0\0\0', 'latin1') }));
  });

  it('v3/IPv4 checksum modes: pseudo (default), v2-style, legacy-unicast', () => {
    const base = { version: 3, b4: 0, b5: 100 } as const;
    expect(encodeAdvert(v3, ctx4)).toEqual(rawAdvert({ ...base, checksum: { family: 4, src: v4('192.0.2.1'), dst: v4('224.0.0.18') } }));
    expect(encodeAdvert(v3, { ...ctx4, checksumMode: 'v2-style' })).toEqual(rawAdvert({ ...base, checksum: 'message' }));
    const uni = { ...ctx4, dstAddr: '192.0.2.2' };
    expect(encodeAdvert(v3, { ...uni, checksumMode: 'legacy-unicast' })).toEqual(
      rawAdvert({ ...base, checksum: { family: 4, src: v4('192.0.2.1'), dst: v4('224.0.0.18') } }),
    );
    expect(encodeAdvert(v3, uni)).toEqual(rawAdvert({ ...base, checksum: { family: 4, src: v4('192.0.2.1'), dst: v4('192.0.2.2') } }));
  });

  it('v3/IPv6 always uses the IPv6 pseudo-header', () => {
    const adv = { ...v3, addresses: ['fe80::1:1'], maxAdverIntCs: 0xfff };
    const want = rawAdvert({ version: 3, b4: 0x0f, b5: 0xff, addrs: [v6('fe80::1:1')], checksum: { family: 6, src: v6('fe80::1'), dst: v6('ff02::12') } });
    expect(encodeAdvert(adv, ctx6)).toEqual(want);
    expect(encodeAdvert(adv, { ...ctx6, checksumMode: 'v2-style' })).toEqual(want);
  });

  it('reports the form it will use', () => {
    expect(checksumFormFor(2, { family: 4, checksumMode: 'v2-style' })).toBe('v2');
    expect(checksumFormFor(3, { family: 6, checksumMode: 'v2-style' })).toBe('pseudo');
    expect(checksumFormFor(3, { family: 4 })).toBe('pseudo');
    expect(checksumFormFor(3, { family: 4, checksumMode: 'v2-style' })).toBe('v2-style');
  });

  it('computes lengths per version and family', () => {
    expect([advertLength(2, 4, 1), advertLength(3, 4, 1), advertLength(3, 6, 2)]).toEqual([20, 12, 40]);
  });

  it.each([
    ['v2 over IPv6', () => encodeAdvert(v2, ctx6)],
    ['addrCount disagreeing with addresses', () => encodeAdvert({ ...v2, addrCount: 2 }, ctx4)],
    ['VRID 256', () => encodeAdvert({ ...v2, vrid: 256 }, ctx4)],
    ['fractional priority', () => encodeAdvert({ ...v2, priority: 1.5 }, ctx4)],
    ['v3 interval 4096 cs', () => encodeAdvert({ ...v3, maxAdverIntCs: 4096 }, ctx4)],
    ['an IPv6 address in an IPv4 advert', () => encodeAdvert({ ...v3, addresses: ['::1'] }, ctx4)],
    ['a bad pseudo-header source', () => encodeAdvert(v3, { ...ctx4, srcAddr: 'eth0' })],
  ])('throws VrrpEncodeError for %s', (_what, fn) => {
    expect(fn).toThrow(VrrpEncodeError);
    try {
      fn();
    } catch (e) {
      expect((e as VrrpEncodeError).code).toBe('KTS_VRRP_ENCODE_INVALID');
    }
  });
});
