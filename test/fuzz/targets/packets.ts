/**
 * Fuzz targets for the VRRP packet layer (src/vrrp/packet): decodeAdvert for VRRPv2, v3/IPv4 and
 * v3/IPv6, parseIpv4Header and decodeIpv4Packet. Inputs are the captured keepalived 2.2.7 adverts in
 * test/fixtures/packets, mutated byte-wise (with the checksum and address count optionally repaired so
 * deeper rungs are reached), plus pure random bytes and random contexts. Invariant: never throws, and
 * returns either a well-formed advert or a drop with a known code and a detail text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import {
  DROP_CODES,
  checkAdvertForInstance,
  decodeAdvert,
  decodeIpv4Packet,
  ipv4PseudoHeader,
  ipv6PseudoHeader,
  parseIp,
  parseIpv4Header,
  vrrpChecksum,
  type DecodeContext,
  type Decoded,
  type Dropped,
  type TtlRange,
} from '../../../src/vrrp/packet/index.js';
import { applyByteOps, byteOpsArb, type ByteOp } from '../support/bytes.js';
import { fixturePath } from '../support/repo.js';
import { expectThat, hex, mustNotThrow, runnable, type FuzzTarget, type RunnableTarget } from '../support/target.js';

interface PacketFixture {
  readonly name: string;
  readonly family: 4 | 6;
  /** The whole captured IP packet. */
  readonly packet: Uint8Array;
  /** The VRRP message (after the IP header). */
  readonly vrrp: Uint8Array;
  readonly src: string;
  readonly dst: string;
}

let fixtures: PacketFixture[] | undefined;

export function packetFixtures(): readonly PacketFixture[] {
  if (fixtures !== undefined) return fixtures;
  const dir = fixturePath('packets');
  fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      const packet = Uint8Array.from(Buffer.from(readFileSync(join(dir, f), 'utf8').replace(/\s+/g, ''), 'hex'));
      const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { family: 4 | 6; ip: { src: string; dst: string } };
      const headerLen = meta.family === 4 ? (packet[0]! & 0x0f) * 4 : 40;
      return { name, family: meta.family, packet, vrrp: packet.slice(headerLen), src: meta.ip.src, dst: meta.ip.dst };
    });
  if (fixtures.length === 0) throw new Error(`fuzz: no packet fixtures in ${dir}`);
  return fixtures;
}

const ALL_DROP_CODES: ReadonlySet<string> = new Set(DROP_CODES);

/** Shared invariant of every decoder result. */
export function checkDecodeResult(res: Decoded | Dropped, family: 4 | 6, length: number): void {
  expectThat(typeof res === 'object' && res !== null, 'decoder returned a non-object');
  if (!res.ok) {
    expectThat(ALL_DROP_CODES.has(res.drop.code), `unknown drop code ${String(res.drop.code)}`);
    expectThat(typeof res.drop.detail === 'string' && res.drop.detail.length > 0, `drop ${res.drop.code} without detail`);
    return;
  }
  const a = res.advert;
  expectThat(a.version === 2 || a.version === 3, `decoded version ${String(a.version)}`);
  expectThat(a.type === 1, `decoded type ${a.type}`);
  expectThat(a.addrCount >= 1 && a.addrCount === a.addresses.length, `addrCount ${a.addrCount} vs ${a.addresses.length} addresses`);
  for (const x of [a.vrid, a.priority, a.addrCount]) expectThat(Number.isInteger(x) && x >= 0 && x <= 255, `u8 field out of range: ${x}`);
  expectThat(Number.isInteger(a.checksum) && a.checksum >= 0 && a.checksum <= 0xffff, `checksum field ${a.checksum}`);
  for (const addr of a.addresses) expectThat(parseIp(addr, family) !== undefined, `decoded address '${addr}' does not parse back as IPv${family}`);
  const addrLen = family === 4 ? 4 : 16;
  expectThat(length === 8 + a.addrCount * addrLen + (a.version === 2 ? 8 : 0), `accepted ${length} bytes for ${a.addrCount} addresses`);
  if (a.version === 3) expectThat(a.maxAdverIntCs >= 1 && a.maxAdverIntCs <= 4095, `maxAdverIntCs ${a.maxAdverIntCs}`);
  else expectThat(a.authData === undefined || a.authData.length === 8, 'v2 auth data is not 8 bytes');
  // Whatever decoded must go through the instance ladder without throwing either.
  const inst = mustNotThrow('checkAdvertForInstance', () =>
    checkAdvertForInstance(a, { vrid: a.vrid, version: a.version, authType: 1, authPass: 'secret', adverIntS: 1, adverIntCs: 100, addresses: ['192.0.2.1'] }),
  );
  expectThat(inst.ok || ALL_DROP_CODES.has(inst.drop.code), 'instance check gave an unknown drop code');
}

// ---- VRRP message mutations (decodeAdvert) -------------------------------------------------------

export interface AdvertCase {
  readonly fixture: number;
  readonly ops: readonly ByteOp[];
  /** Set Count IPvX Addr so the length rung passes when the mutated length allows it. */
  readonly fixCount: boolean;
  /** Recompute the checksum after mutation (v2: message only; v3: pseudo-header or message only). */
  readonly fixChecksum: 'no' | 'proper' | 'message-only';
  readonly ttl: number | undefined;
  readonly ttlRange: TtlRange | undefined;
  readonly multicastGroup: string | undefined;
}

const ttlRangeArb: fc.Arbitrary<TtlRange | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.record({ min: fc.integer({ min: -1, max: 256 }), max: fc.integer({ min: -1, max: 256 }) }), weight: 1 },
);
const ttlArb: fc.Arbitrary<number | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.constant(255), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 },
);

function advertCaseArb(family: 4 | 6): fc.Arbitrary<AdvertCase> {
  const ids = packetFixtures()
    .map((f, i) => (f.family === family ? i : -1))
    .filter((i) => i >= 0);
  return fc.record({
    fixture: fc.constantFrom(...ids),
    ops: byteOpsArb,
    fixCount: fc.boolean(),
    fixChecksum: fc.constantFrom('no' as const, 'proper' as const, 'proper' as const, 'message-only' as const),
    ttl: ttlArb,
    ttlRange: ttlRangeArb,
    multicastGroup: fc.option(fc.constantFrom('224.0.0.18', '224.0.0.19', 'not-an-address', '', '::1'), { nil: undefined }),
  });
}

function repairAdvert(bytes: Uint8Array, c: AdvertCase, f: PacketFixture): Uint8Array {
  if (bytes.length < 8) return bytes;
  const version = bytes[0]! >> 4;
  if (c.fixCount) {
    const addrLen = f.family === 4 ? 4 : 16;
    const rest = bytes.length - 8 - (version === 2 ? 8 : 0);
    if (rest > 0 && rest % addrLen === 0 && rest / addrLen <= 255) bytes[3] = rest / addrLen;
  }
  if (c.fixChecksum !== 'no') {
    let pseudo: Uint8Array | undefined;
    if (version === 3 && c.fixChecksum === 'proper') {
      const src = parseIp(f.src, f.family)!;
      const dst = parseIp(f.dst, f.family)!;
      pseudo = f.family === 4 ? ipv4PseudoHeader(src, dst, bytes.length) : ipv6PseudoHeader(src, dst, bytes.length);
    }
    const sum = vrrpChecksum(bytes, pseudo);
    bytes[6] = sum >> 8;
    bytes[7] = sum & 0xff;
  }
  return bytes;
}

function materializeAdvert(c: AdvertCase): { bytes: Uint8Array; ctx: DecodeContext; fixture: PacketFixture } {
  const f = packetFixtures()[c.fixture]!;
  const bytes = repairAdvert(applyByteOps(f.vrrp, c.ops), c, f);
  const ctx: DecodeContext = {
    family: f.family,
    srcAddr: f.src,
    dstAddr: f.dst,
    ...(c.ttl !== undefined ? (f.family === 4 ? { ttl: c.ttl } : { hopLimit: c.ttl }) : {}),
    ...(c.ttlRange !== undefined ? { ttlRange: c.ttlRange } : {}),
    ...(c.multicastGroup !== undefined ? { multicastGroup: c.multicastGroup } : {}),
  };
  return { bytes, ctx, fixture: f };
}

/** Rebuilds the bytes of one case (for reports and replays). */
export function describeAdvertCase(c: AdvertCase): string {
  const { bytes, ctx, fixture } = materializeAdvert(c);
  return `${fixture.name} ctx=${JSON.stringify(ctx)} bytes=${hex(bytes)}`;
}

function advertTarget(name: string, family: 4 | 6): FuzzTarget<AdvertCase> {
  return {
    name,
    arbitrary: advertCaseArb(family),
    describe: describeAdvertCase,
    check: (c) => {
      const { bytes, ctx } = materializeAdvert(c);
      const res = mustNotThrow('decodeAdvert', () => decodeAdvert(bytes, ctx));
      checkDecodeResult(res, family, bytes.length);
    },
  };
}

// ---- random bytes and random contexts ------------------------------------------------------------

export interface RandomAdvertCase {
  readonly bytes: Uint8Array;
  readonly family: 4 | 6;
  readonly src: string;
  readonly dst: string;
  readonly ttl: number | undefined;
}

const addrText = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('', '0.0.0.0', '255.255.255.255', '::', '::ffff:1.2.3.4', 'fe80::1%eth0', '1.2.3', '1.2.3.4.5', ':::', '999.1.1.1'),
  fc.string({ maxLength: 40 }),
);

const randomAdvertArb: fc.Arbitrary<RandomAdvertCase> = fc.record({
  // A valid-looking first byte half of the time, so random bodies reach past the version rung.
  bytes: fc
    .tuple(fc.constantFrom(0x21, 0x31, -1), fc.uint8Array({ maxLength: 120 }))
    .map(([first, b]) => (first >= 0 && b.length > 0 ? Uint8Array.from([first, ...b.subarray(1)]) : b)),
  family: fc.constantFrom(4 as const, 6 as const),
  src: addrText,
  dst: addrText,
  ttl: fc.option(fc.integer({ min: -5, max: 300 }), { nil: undefined }),
});

export const randomAdvertTarget: FuzzTarget<RandomAdvertCase> = {
  name: 'vrrp.decodeAdvert.random',
  arbitrary: randomAdvertArb,
  check: (c) => {
    const ctx: DecodeContext = { family: c.family, srcAddr: c.src, dstAddr: c.dst, ...(c.ttl !== undefined ? { ttl: c.ttl } : {}) };
    const res = mustNotThrow('decodeAdvert', () => decodeAdvert(c.bytes, ctx));
    checkDecodeResult(res, c.family, c.bytes.length);
  },
};

// ---- whole IPv4 packets (parseIpv4Header, decodeIpv4Packet) ---------------------------------------

export interface Ipv4PacketCase {
  readonly fixture: number;
  readonly ops: readonly ByteOp[];
  /** Rewrite the IP total length to the mutated size (so the IP rungs pass and the VRRP ladder runs). */
  readonly fixTotalLength: boolean;
  readonly inner: AdvertCase;
  readonly random: Uint8Array | undefined;
}

function ipv4PacketArb(): fc.Arbitrary<Ipv4PacketCase> {
  const ids = packetFixtures()
    .map((f, i) => (f.family === 4 ? i : -1))
    .filter((i) => i >= 0);
  return fc.record({
    fixture: fc.constantFrom(...ids),
    ops: byteOpsArb,
    fixTotalLength: fc.boolean(),
    inner: advertCaseArb(4),
    random: fc.option(
      fc.uint8Array({ maxLength: 100 }).map((raw) => {
        // IPv4 with protocol VRRP, so random headers get past the first rungs.
        const b = Uint8Array.from(raw);
        if (b.length > 0) b[0] = 0x40 | (b[0]! & 0x0f);
        if (b.length > 9) b[9] = 112;
        return b;
      }),
      { freq: 5, nil: undefined },
    ),
  });
}

function materializeIpv4(c: Ipv4PacketCase): Uint8Array {
  if (c.random !== undefined) return c.random;
  const f = packetFixtures()[c.fixture]!;
  const headerLen = (f.packet[0]! & 0x0f) * 4;
  // Mutate the VRRP part like decodeAdvert's cases, then the whole packet byte-wise.
  const vrrp = repairAdvert(applyByteOps(f.vrrp, c.inner.ops), c.inner, f);
  const whole = Uint8Array.from([...f.packet.subarray(0, headerLen), ...vrrp]);
  const out = applyByteOps(whole, c.ops);
  if (c.fixTotalLength && out.length >= 4 && out.length <= 0xffff) {
    out[2] = out.length >> 8;
    out[3] = out.length & 0xff;
  }
  return out;
}

export function describeIpv4Case(c: Ipv4PacketCase): string {
  return hex(materializeIpv4(c));
}

export const ipv4HeaderTarget: FuzzTarget<Ipv4PacketCase> = {
  name: 'vrrp.parseIpv4Header',
  arbitrary: ipv4PacketArb(),
  describe: describeIpv4Case,
  check: (c) => {
    const bytes = materializeIpv4(c);
    const ip = mustNotThrow('parseIpv4Header', () => parseIpv4Header(bytes));
    if (!ip.ok) {
      expectThat(ALL_DROP_CODES.has(ip.drop.code) && ip.drop.detail.length > 0, `bad drop ${JSON.stringify(ip.drop)}`);
      return;
    }
    expectThat(ip.headerLen >= 20 && ip.headerLen <= ip.totalLen && ip.totalLen <= bytes.length, `lengths ${ip.headerLen}/${ip.totalLen}/${bytes.length}`);
    expectThat(ip.payload.length === ip.totalLen - ip.headerLen, 'payload length does not match the header');
    expectThat(parseIp(ip.src, 4) !== undefined && parseIp(ip.dst, 4) !== undefined, `addresses ${ip.src} ${ip.dst}`);
  },
};

export const ipv4PacketTarget: FuzzTarget<Ipv4PacketCase> = {
  name: 'vrrp.decodeIpv4Packet',
  arbitrary: ipv4PacketArb(),
  describe: describeIpv4Case,
  check: (c) => {
    const bytes = materializeIpv4(c);
    const res = mustNotThrow('decodeIpv4Packet', () => decodeIpv4Packet(bytes, { ...(c.inner.ttlRange !== undefined ? { ttlRange: c.inner.ttlRange } : {}) }));
    if (res.ok) {
      expectThat(res.ip.ok, 'decoded without an IP header');
      checkDecodeResult(res, 4, res.ip.payload.length);
    } else {
      checkDecodeResult(res, 4, bytes.length);
    }
  },
};

export const advertV4Target = advertTarget('vrrp.decodeAdvert.v4', 4);
export const advertV6Target = advertTarget('vrrp.decodeAdvert.v6', 6);

export const packetTargets: readonly RunnableTarget[] = [
  runnable(advertV4Target),
  runnable(advertV6Target),
  runnable(randomAdvertTarget),
  runnable(ipv4HeaderTarget),
  runnable(ipv4PacketTarget),
];
