// The packet-level receive ladder: one negative test per rung (built with the independent byte builder),
// rung ordering, and the accepted forms of valid packets.
import { describe, expect, it } from 'vitest';
import { decodeAdvert, DROP_CODES, ktsCodeOf, type DecodeContext, type DropCode } from '../../../src/vrrp/packet/index.js';
import { rawAdvert, v4, v6 } from './helpers.js';

const SRC = '192.0.2.1';
const GROUP = '224.0.0.18';
const ctx4: DecodeContext = { family: 4, srcAddr: SRC, dstAddr: GROUP, ttl: 255 };
const ctx6: DecodeContext = { family: 6, srcAddr: 'fe80::1', dstAddr: 'ff02::12', hopLimit: 255 };
const pseudo4 = { family: 4 as const, src: v4(SRC), dst: v4(GROUP) };
const pseudo6 = { family: 6 as const, src: v6('fe80::1'), dst: v6('ff02::12') };

function dropOf(bytes: Uint8Array, ctx: DecodeContext): DropCode | 'accepted' {
  const r = decodeAdvert(bytes, ctx);
  return r.ok ? 'accepted' : r.drop.code;
}

describe('decodeAdvert accepts', () => {
  it('a v2 advert with PASS auth data and returns every field', () => {
    const auth = Buffer.from('pw\0\0\0\0\0\0', 'latin1');
    const r = decodeAdvert(rawAdvert({ vrid: 9, priority: 254, b4: 1, b5: 3, addrs: [v4('10.1.2.3'), v4('10.1.2.4')], auth }), ctx4);
    if (!r.ok) return expect.fail(r.drop.detail);
    expect(r.checksumForm).toBe('v2');
    expect(r.advert).toMatchObject({ version: 2, type: 1, vrid: 9, priority: 254, addrCount: 2, authType: 1, adverIntS: 3, addresses: ['10.1.2.3', '10.1.2.4'] });
    expect(r.advert.version === 2 && Buffer.from(r.advert.authData!)).toEqual(auth);
  });

  it('v3/IPv4 with the pseudo-header, message-only and legacy-unicast checksums, naming each', () => {
    const base = { version: 3, b4: 0x01, b5: 0x2c } as const; // 300 cs
    expect(decodeAdvert(rawAdvert({ ...base, checksum: pseudo4 }), ctx4)).toMatchObject({ ok: true, checksumForm: 'pseudo' });
    expect(decodeAdvert(rawAdvert({ ...base, checksum: 'message' }), ctx4)).toMatchObject({ ok: true, checksumForm: 'v2-style' });
    const uni: DecodeContext = { ...ctx4, dstAddr: '192.0.2.2' };
    expect(decodeAdvert(rawAdvert({ ...base, checksum: pseudo4 }), uni)).toMatchObject({ ok: true, checksumForm: 'legacy-unicast' });
    const ok = decodeAdvert(rawAdvert({ ...base, checksum: { ...pseudo4, dst: v4('192.0.2.2') } }), uni);
    expect(ok).toMatchObject({ ok: true, checksumForm: 'pseudo', advert: { maxAdverIntCs: 300 } });
  });

  it('v3 ignores the 4 reserved bits but keeps the 12-bit interval', () => {
    const r = decodeAdvert(rawAdvert({ version: 3, b4: 0xf0 | 0x0f, b5: 0xff, checksum: pseudo4 }), ctx4);
    expect(r.ok && r.advert.version === 3 && r.advert.maxAdverIntCs).toBe(4095);
  });

  it('v3/IPv6 with RFC 5952 address text', () => {
    const r = decodeAdvert(rawAdvert({ version: 3, b5: 100, addrs: [v6('fe80::1:2'), v6('2001:db8:0:0:1:0:0:1')], checksum: pseudo6 }), ctx6);
    if (!r.ok) return expect.fail(r.drop.detail);
    expect(r.advert.addresses).toEqual(['fe80::1:2', '2001:db8::1:0:0:1']);
    expect(r.checksumForm).toBe('pseudo');
  });

  it('a checksum field of 0xffff where 0x0000 is computed (both encodings of zero)', () => {
    // choose the address word so that the message sums to 0xffff, i.e. the computed checksum is 0
    const c = rawAdvert({ addrs: [v4('0.0.0.0')] }).readUInt16BE(6);
    const zero = rawAdvert({ addrs: [Buffer.from([c >> 8, c & 0xff, 0, 0])] });
    expect(zero.readUInt16BE(6)).toBe(0);
    expect(dropOf(zero, ctx4)).toBe('accepted');
    zero.writeUInt16BE(0xffff, 6);
    expect(dropOf(zero, ctx4)).toBe('accepted');
    zero.writeUInt16BE(0xfffe, 6);
    expect(dropOf(zero, ctx4)).toBe('checksum');
  });

  it('without a TTL in the context the TTL rung is skipped', () => {
    expect(dropOf(rawAdvert({}), { family: 4, srcAddr: SRC, dstAddr: GROUP })).toBe('accepted');
  });
});

describe('decodeAdvert drops, one rung at a time', () => {
  const cases: [string, Uint8Array, DecodeContext, DropCode][] = [
    ['unparseable context address', rawAdvert({}), { ...ctx4, srcAddr: 'nope' }, 'bad-context'],
    ['IPv6 context with IPv4 text', rawAdvert({}), { ...ctx6, dstAddr: GROUP }, 'bad-context'],
    ['TTL 254', rawAdvert({}), { ...ctx4, ttl: 254 }, 'ttl'],
    ['IPv6 hop limit given as ttl', rawAdvert({ version: 3, addrs: [v6('fe80::9')], checksum: pseudo6 }), { family: 6, srcAddr: 'fe80::1', dstAddr: 'ff02::12', ttl: 64 }, 'ttl'],
    ['hop limit 1', rawAdvert({ version: 3, addrs: [v6('fe80::9')], checksum: pseudo6 }), { ...ctx6, hopLimit: 1 }, 'ttl'],
    ['TTL outside a unicast window', rawAdvert({}), { ...ctx4, ttl: 10, ttlRange: { min: 64, max: 255 } }, 'ttl'],
    ['7 bytes', rawAdvert({}).subarray(0, 7), ctx4, 'too-short'],
    ['empty', new Uint8Array(0), ctx4, 'too-short'],
    ['version 1', rawAdvert({ version: 1 }), ctx4, 'version'],
    ['version 4', rawAdvert({ version: 4 }), ctx4, 'version'],
    ['v2 over IPv6', rawAdvert({ addrs: [v6('fe80::1')] }), ctx6, 'version'],
    ['type 2', rawAdvert({ type: 2 }), ctx4, 'type'],
    ['type 0', rawAdvert({ version: 3, type: 0, checksum: pseudo4 }), ctx4, 'type'],
    ['v2 without auth data', rawAdvert({}).subarray(0, 12), ctx4, 'length'],
    ['count larger than the addresses', rawAdvert({ count: 2 }), ctx4, 'length'],
    ['count smaller than the addresses', rawAdvert({ count: 1, addrs: [v4('1.1.1.1'), v4('2.2.2.2')] }), ctx4, 'length'],
    ['trailing bytes', Buffer.concat([rawAdvert({}), Buffer.alloc(4)]), ctx4, 'length'],
    ['v3/IPv4 with IPv6-sized addresses', rawAdvert({ version: 3, addrs: [v6('fe80::1')], checksum: pseudo4 }), ctx4, 'length'],
    ['v2 bad checksum', rawAdvert({ checksum: 0x1234 }), ctx4, 'checksum'],
    ['v3/IPv4 pseudo-header with the wrong source', rawAdvert({ version: 3, checksum: { ...pseudo4, src: v4('192.0.2.9') } }), ctx4, 'checksum'],
    ['v3/IPv6 message-only checksum', rawAdvert({ version: 3, addrs: [v6('fe80::9')], checksum: 'message' }), ctx6, 'checksum'],
    ['v2 count 0', rawAdvert({ addrs: [] }), ctx4, 'addr-count-zero'],
    ['v3 count 0', rawAdvert({ version: 3, addrs: [], b5: 100, checksum: pseudo4 }), ctx4, 'addr-count-zero'],
    ['v3 interval 0', rawAdvert({ version: 3, b4: 0xf0, b5: 0, checksum: pseudo4 }), ctx4, 'interval-zero'],
  ];
  it.each(cases)('%s', (_what, bytes, ctx, code) => {
    const r = decodeAdvert(bytes, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.drop.code).toBe(code);
    expect(r.drop.detail.length).toBeGreaterThan(0);
  });

  it('CARP advertisements on proto 112 are recognised and dropped as carp', () => {
    // CARP: version 2, type 1, vhid, advskew, authlen 7, demote, advbase, cksum, counter[8], sha1 hmac[20]
    const carp = Buffer.alloc(36);
    carp.set([0x21, 7, 0, 7, 0, 1], 0);
    for (let i = 8; i < 36; i++) carp[i] = (i * 37) & 0xff;
    const r = decodeAdvert(carp, ctx4);
    expect(r).toMatchObject({ ok: false, drop: { code: 'carp' } });
    expect(!r.ok && r.drop.detail).toContain('vhid 7');
  });

  it('applies rungs in order: TTL before length before checksum', () => {
    const bad = rawAdvert({ count: 3, checksum: 0 });
    expect(dropOf(bad, { ...ctx4, ttl: 1 })).toBe('ttl');
    expect(dropOf(bad, ctx4)).toBe('length');
    expect(dropOf(rawAdvert({ type: 3, checksum: 0 }), ctx4)).toBe('type');
    expect(dropOf(rawAdvert({ addrs: [], checksum: 0 }), ctx4)).toBe('checksum');
  });

  it('mentions missing auth data in the v2 length detail', () => {
    const r = decodeAdvert(rawAdvert({}).subarray(0, 12), ctx4);
    expect(!r.ok && r.drop.detail).toContain('authentication data missing');
  });

  it('describes both v3/IPv4 checksum forms it tried', () => {
    const r = decodeAdvert(rawAdvert({ version: 3, checksum: 1 }), ctx4);
    expect(!r.ok && r.drop.detail).toMatch(/\(pseudo\) or 0x[0-9a-f]{4} \(v2-style\)/);
  });
});

describe('drop codes', () => {
  it('are unique and map to stable KTS ids', () => {
    expect(new Set(DROP_CODES).size).toBe(DROP_CODES.length);
    expect(ktsCodeOf('addr-count-zero')).toBe('KTS_VRRP_RX_ADDR_COUNT_ZERO');
    expect(ktsCodeOf('interval-mismatch')).toBe('KTS_VRRP_RX_INTERVAL_MISMATCH');
  });
});
