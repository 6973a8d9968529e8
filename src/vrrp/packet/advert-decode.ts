/**
 * Advertisement decoder and the packet-level receive ladder. Input is the VRRP message as delivered
 * after the IP header (IPv4: `parseIpv4Header(...).payload`, trimmed to the IP total length so Ethernet
 * padding is gone; IPv6: the raw socket payload) plus what the IP layer knew (addresses, TTL/hop limit).
 *
 * Rungs, in order — the first failing one is reported, nothing ever throws:
 *   bad-context → ttl → too-short → carp → version → type → length → checksum → addr-count-zero →
 *   interval-zero (v3)
 * v3/IPv4 checksums are accepted in every form keepalived-compatible peers send (pseudo-header, RFC 9568
 * message-only, keepalived ≤ 1.3.6 unicast) and the matching form is reported so callers can count it
 * per peer (ChecksumFormTally). Instance checks (VRID, auth, interval) live in instance-check.ts.
 */

import {
  CARP_AUTHLEN_WORDS,
  CARP_PACKET_LEN,
  VRRP_HEADER_LEN,
  VRRP_IPV4_GROUP,
  VRRP_TTL,
  VRRP_TYPE_ADVERTISEMENT,
} from './constants.js';
import { checksumVerifies, ipv4PseudoHeader, ipv6PseudoHeader, vrrpChecksum } from './checksum.js';
import { dropped, type Dropped } from './drop-reason.js';
import { advertLength } from './advert-encode.js';
import { formatIpv4, formatIpv6, parseIp } from './ip-address.js';
import type { ChecksumForm, DecodeContext, Decoded, VrrpAdvert } from './types.js';

const hex16 = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`;

export function decodeAdvert(bytes: Uint8Array, ctx: DecodeContext): Decoded | Dropped {
  const { family } = ctx;
  const src = parseIp(ctx.srcAddr, family);
  const dst = parseIp(ctx.dstAddr, family);
  if (src === undefined || dst === undefined) {
    return dropped('bad-context', `IPv${family} context addresses ${ctx.srcAddr} → ${ctx.dstAddr} do not parse`);
  }

  const hops = family === 4 ? ctx.ttl : (ctx.hopLimit ?? ctx.ttl);
  if (hops !== undefined) {
    const range = ctx.ttlRange ?? { min: VRRP_TTL, max: VRRP_TTL };
    if (hops < range.min || hops > range.max) {
      const what = family === 4 ? 'TTL' : 'hop limit';
      const want = range.min === range.max ? `${range.min}` : `${range.min}–${range.max}`;
      return dropped('ttl', `${what} ${hops}, expected ${want}`);
    }
  }

  if (bytes.length < VRRP_HEADER_LEN) {
    return dropped('too-short', `${bytes.length} bytes, a VRRP header needs ${VRRP_HEADER_LEN}`);
  }

  const version = bytes[0]! >> 4;
  const type = bytes[0]! & 0x0f;
  const count = bytes[3]!;
  if (version === 2 && type === 1 && count === CARP_AUTHLEN_WORDS && bytes.length === CARP_PACKET_LEN) {
    return dropped('carp', `CARP advertisement (vhid ${bytes[1]}, advskew ${bytes[2]}, advbase ${bytes[5]})`);
  }
  if (version !== 2 && version !== 3) return dropped('version', `version ${version}`);
  if (version === 2 && family === 6) return dropped('version', 'VRRPv2 advert over IPv6');
  if (type !== VRRP_TYPE_ADVERTISEMENT) return dropped('type', `type ${type}`);

  const expectedLen = advertLength(version, family, count);
  if (bytes.length !== expectedLen) {
    const authNote =
      version === 2 && bytes.length === expectedLen - 8 ? ' (authentication data missing)' : '';
    return dropped(
      'length',
      `v${version} advert with ${count} IPv${family} address(es) must be ${expectedLen} bytes, got ${bytes.length}${authNote}`,
    );
  }

  const received = (bytes[6]! << 8) | bytes[7]!;
  const form = matchChecksum(bytes, version, ctx, src, dst);
  if (form === undefined) {
    const expected =
      version === 2
        ? hex16(vrrpChecksum(bytes))
        : family === 4
          ? `${hex16(vrrpChecksum(bytes, ipv4PseudoHeader(src, dst, bytes.length)))} (pseudo) or ${hex16(vrrpChecksum(bytes))} (v2-style)`
          : hex16(vrrpChecksum(bytes, ipv6PseudoHeader(src, dst, bytes.length)));
    return dropped('checksum', `checksum ${hex16(received)}, expected ${expected}`);
  }

  if (count === 0) return dropped('addr-count-zero', 'advert carries no addresses');

  const addrLen = family === 4 ? 4 : 16;
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = VRRP_HEADER_LEN + i * addrLen;
    addresses.push(family === 4 ? formatIpv4(bytes, at) : formatIpv6(bytes, at));
  }

  const common = {
    type: VRRP_TYPE_ADVERTISEMENT,
    vrid: bytes[1]!,
    priority: bytes[2]!,
    addrCount: count,
    checksum: received,
    addresses,
  } as const;
  let advert: VrrpAdvert;
  if (version === 2) {
    const authAt = VRRP_HEADER_LEN + count * addrLen;
    advert = {
      ...common,
      version: 2,
      authType: bytes[4]!,
      adverIntS: bytes[5]!,
      authData: Buffer.from(bytes.subarray(authAt, authAt + 8)),
    };
  } else {
    const maxAdverIntCs = ((bytes[4]! & 0x0f) << 8) | bytes[5]!;
    if (maxAdverIntCs === 0) return dropped('interval-zero', 'v3 Max Adver Int is 0');
    advert = { ...common, version: 3, maxAdverIntCs };
  }
  return { ok: true, advert, checksumForm: form };
}

function matchChecksum(
  bytes: Uint8Array,
  version: 2 | 3,
  ctx: DecodeContext,
  src: Uint8Array,
  dst: Uint8Array,
): ChecksumForm | undefined {
  if (version === 2) return checksumVerifies(bytes) ? 'v2' : undefined;
  if (ctx.family === 6) {
    return checksumVerifies(bytes, ipv6PseudoHeader(src, dst, bytes.length)) ? 'pseudo' : undefined;
  }
  if (checksumVerifies(bytes, ipv4PseudoHeader(src, dst, bytes.length))) return 'pseudo';
  if (checksumVerifies(bytes)) return 'v2-style';
  const group = parseIp(ctx.multicastGroup ?? VRRP_IPV4_GROUP, 4);
  if (group !== undefined && !sameBytes(group, dst)) {
    if (checksumVerifies(bytes, ipv4PseudoHeader(src, group, bytes.length))) return 'legacy-unicast';
  }
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
