// Property tests: the receive path never throws and always answers with an advert or a known drop code;
// encode → decode round-trips for random valid v2, v3/IPv4 and v3/IPv6 adverts in every checksum mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAdvertForInstance,
  decodeAdvert,
  decodeIpv4Packet,
  DROP_CODES,
  encodeAdvert,
  formatIpv4,
  formatIpv6,
  parseIpv4Header,
  parseIpv6,
  type ChecksumMode,
  type DecodeContext,
  type VrrpAdvert,
} from '../../../src/vrrp/packet/index.js';
import { loadFixtures } from './helpers.js';

const knownCodes = new Set<string>(DROP_CODES);
const ipv4Text = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => formatIpv4(b));
const ipv6Text = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6(b));
const ctxArb: fc.Arbitrary<DecodeContext> = fc.oneof(
  fc.record({ family: fc.constant(4 as const), srcAddr: ipv4Text, dstAddr: ipv4Text, ttl: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ family: fc.constant(6 as const), srcAddr: ipv6Text, dstAddr: ipv6Text, hopLimit: fc.integer({ min: 0, max: 255 }) }),
);

function assertTotal(run: () => { ok: boolean; drop?: { code: string } }): void {
  const r = run();
  if (!r.ok) expect(knownCodes.has(r.drop!.code)).toBe(true);
}

const fixturePackets = loadFixtures().map((f) => f.bytes);

describe('decode never throws', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), ctxArb, (bytes, ctx) => {
        assertTotal(() => decodeAdvert(bytes, ctx));
        assertTotal(() => parseIpv4Header(bytes));
        assertTotal(() => decodeIpv4Packet(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('on random bytes that start like a VRRP header', () => {
    const header = fc.tuple(fc.constantFrom(0x21, 0x31, 0x22, 0x11), fc.uint8Array({ minLength: 3, maxLength: 80 }));
    fc.assert(
      fc.property(header, ctxArb, ([b0, rest], ctx) => {
        assertTotal(() => decodeAdvert(Uint8Array.from([b0, ...rest]), ctx));
      }),
      { numRuns: 2000 },
    );
  });

  it('on mutated and truncated captured keepalived packets', () => {
    const mutation = fc.record({
      which: fc.integer({ min: 0, max: fixturePackets.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      cut: fc.nat(),
    });
    fc.assert(
      fc.property(mutation, ({ which, flips, cut }) => {
        const pkt = Buffer.from(fixturePackets[which]!);
        for (const [at, v] of flips) pkt[at % pkt.length] = v;
        const truncated = pkt.subarray(0, pkt.length - (cut % (pkt.length + 1)));
        assertTotal(() => decodeIpv4Packet(truncated));
        assertTotal(() => decodeAdvert(truncated.subarray(Math.min(40, truncated.length)), { family: 6, srcAddr: 'fe80::1', dstAddr: 'ff02::12', hopLimit: 255 }));
        assertTotal(() => decodeAdvert(truncated.subarray(Math.min(20, truncated.length)), { family: 4, srcAddr: '192.0.2.1', dstAddr: '224.0.0.18', ttl: 255 }));
      }),
      { numRuns: 3000 },
    );
  });

  it('flipping any single bit of a valid v2 advert is detected (checksum or an earlier rung)', () => {
    const good = fixturePackets[0]!;
    fc.assert(
      fc.property(fc.integer({ min: 20 * 8, max: good.length * 8 - 1 }), (bit) => {
        const pkt = Buffer.from(good);
        pkt[bit >> 3]! ^= 1 << (bit & 7);
        const r = decodeIpv4Packet(pkt);
        expect(r.ok).toBe(false);
      }),
    );
  });
});

const vrid = fc.integer({ min: 1, max: 255 });
const priority = fc.integer({ min: 0, max: 255 });
const v2Advert = fc
  .record({
    vrid,
    priority,
    addresses: fc.array(ipv4Text, { minLength: 1, maxLength: 20 }),
    authType: fc.integer({ min: 0, max: 2 }),
    adverIntS: fc.integer({ min: 0, max: 255 }),
    authData: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  })
  .map((r): VrrpAdvert => ({ ...r, version: 2, type: 1, addrCount: r.addresses.length, checksum: 0, authData: Buffer.from(r.authData) }));
const v3Advert = (addr: fc.Arbitrary<string>): fc.Arbitrary<VrrpAdvert> =>
  fc
    .record({ vrid, priority, addresses: fc.array(addr, { minLength: 1, maxLength: 15 }), maxAdverIntCs: fc.integer({ min: 1, max: 4095 }) })
    .map((r) => ({ ...r, version: 3, type: 1, addrCount: r.addresses.length, checksum: 0 }));
const mode = fc.constantFrom<ChecksumMode>('pseudo', 'v2-style', 'legacy-unicast');

describe('encode → decode round-trips', () => {
  function roundTrip(advert: VrrpAdvert, ctx: DecodeContext, checksumMode: ChecksumMode): void {
    const bytes = encodeAdvert(advert, { ...ctx, checksumMode });
    const r = decodeAdvert(bytes, ctx);
    if (!r.ok) expect.fail(`${r.drop.code}: ${r.drop.detail}`);
    expect({ ...r.advert, checksum: 0 }).toEqual(advert);
    expect(r.advert.checksum).toBe(bytes.readUInt16BE(6));
    const expectedForm = advert.version === 2 ? 'v2' : ctx.family === 6 ? 'pseudo' : checksumMode;
    // legacy-unicast toward the group itself is the ordinary pseudo form
    expect(r.checksumForm).toBe(expectedForm === 'legacy-unicast' && ctx.dstAddr === '224.0.0.18' ? 'pseudo' : expectedForm);
    expect(encodeAdvert(r.advert, { ...ctx, checksumMode })).toEqual(bytes);
    expect(checkAdvertForInstance(r.advert, { vrid: advert.vrid, version: advert.version, authType: advert.version === 2 ? advert.authType : 0, authPass: advert.version === 2 ? advert.authData : undefined }).ok).toBe(true);
  }
  const dst4 = fc.oneof(fc.constant('224.0.0.18'), ipv4Text);

  it('v2', () => {
    fc.assert(fc.property(v2Advert, ipv4Text, dst4, mode, (a, src, dst, m) => roundTrip(a, { family: 4, srcAddr: src, dstAddr: dst, ttl: 255 }, m)));
  });
  it('v3 / IPv4', () => {
    fc.assert(fc.property(v3Advert(ipv4Text), ipv4Text, dst4, mode, (a, src, dst, m) => roundTrip(a, { family: 4, srcAddr: src, dstAddr: dst, ttl: 255 }, m)));
  });
  it('v3 / IPv6', () => {
    fc.assert(fc.property(v3Advert(ipv6Text), ipv6Text, ipv6Text, mode, (a, src, dst, m) => roundTrip(a, { family: 6, srcAddr: src, dstAddr: dst, hopLimit: 255 }, m)));
  });
  it('IPv6 text formatting is canonical and reversible', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const text = formatIpv6(b);
        expect(Buffer.from(parseIpv6(text)!)).toEqual(Buffer.from(b));
        expect(formatIpv6(parseIpv6(text.toUpperCase())!)).toBe(text);
      }),
    );
  });
});
