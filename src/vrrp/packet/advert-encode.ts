/**
 * Advertisement encoder: VrrpAdvert + where it is going → the VRRP message bytes (no IP header; see
 * ipv4-header.ts for IP_HDRINCL senders). The checksum is always computed here:
 *   v2 → message only · v3/IPv6 → IPv6 pseudo-header · v3/IPv4 → per `checksumMode` (default `pseudo`).
 * Encode inputs come from our own configuration, so inconsistent adverts are programming errors and
 * throw VrrpEncodeError (KTS_VRRP_ENCODE_INVALID); nothing on the receive path throws.
 */

import {
  VRRP_HEADER_LEN,
  VRRP_IPV4_GROUP,
  VRRP_TYPE_ADVERTISEMENT,
  VRRP_V2_AUTH_DATA_LEN,
  VRRP_V3_MAX_ADVER_INT_CS,
} from './constants.js';
import { ipv4PseudoHeader, ipv6PseudoHeader, vrrpChecksum } from './checksum.js';
import { parseIp } from './ip-address.js';
import type { ChecksumForm, EncodeContext, IpFamily, VrrpAdvert } from './types.js';

export class VrrpEncodeError extends Error {
  readonly code = 'KTS_VRRP_ENCODE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'VrrpEncodeError';
  }
}

/** Byte length of an advert with `addrCount` addresses. */
export function advertLength(version: 2 | 3, family: IpFamily, addrCount: number): number {
  const addrLen = family === 4 ? 4 : 16;
  return VRRP_HEADER_LEN + addrCount * addrLen + (version === 2 ? VRRP_V2_AUTH_DATA_LEN : 0);
}

/** The checksum form `encodeAdvert` uses for this advert and context. */
export function checksumFormFor(version: 2 | 3, ctx: Pick<EncodeContext, 'family' | 'checksumMode'>): ChecksumForm {
  if (version === 2) return 'v2';
  if (ctx.family === 6) return 'pseudo';
  return ctx.checksumMode ?? 'pseudo';
}

function u8(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new VrrpEncodeError(`${name} ${v} outside ${min}–${max}`);
  return v;
}

export function encodeAdvert(advert: VrrpAdvert, ctx: EncodeContext): Buffer {
  const { family } = ctx;
  if (advert.version === 2 && family !== 4) throw new VrrpEncodeError('VRRPv2 is IPv4 only');
  if (advert.addrCount !== advert.addresses.length) {
    throw new VrrpEncodeError(`addrCount ${advert.addrCount} ≠ ${advert.addresses.length} addresses`);
  }
  const count = u8('address count', advert.addresses.length, 0, 255);
  const addrLen = family === 4 ? 4 : 16;
  const buf = Buffer.alloc(advertLength(advert.version, family, count));
  buf[0] = (advert.version << 4) | VRRP_TYPE_ADVERTISEMENT;
  buf[1] = u8('vrid', advert.vrid, 0, 255);
  buf[2] = u8('priority', advert.priority, 0, 255);
  buf[3] = count;
  if (advert.version === 2) {
    buf[4] = u8('auth type', advert.authType, 0, 255);
    buf[5] = u8('advert interval (s)', advert.adverIntS, 0, 255);
  } else {
    buf.writeUInt16BE(u8('max advert interval (cs)', advert.maxAdverIntCs, 0, VRRP_V3_MAX_ADVER_INT_CS), 4);
  }
  advert.addresses.forEach((text, i) => {
    const bytes = parseIp(text, family);
    if (bytes === undefined) throw new VrrpEncodeError(`not an IPv${family} address: ${text}`);
    buf.set(bytes, VRRP_HEADER_LEN + i * addrLen);
  });
  if (advert.version === 2 && advert.authData !== undefined) {
    buf.set(advert.authData.subarray(0, VRRP_V2_AUTH_DATA_LEN), VRRP_HEADER_LEN + count * addrLen);
  }
  buf.writeUInt16BE(checksumFor(buf, checksumFormFor(advert.version, ctx), ctx), 6);
  return buf;
}

function checksumFor(message: Buffer, form: ChecksumForm, ctx: EncodeContext): number {
  if (form === 'v2' || form === 'v2-style') return vrrpChecksum(message);
  const src = parseIp(ctx.srcAddr, ctx.family);
  const dst = parseIp(form === 'legacy-unicast' ? VRRP_IPV4_GROUP : ctx.dstAddr, ctx.family);
  if (src === undefined || dst === undefined) {
    throw new VrrpEncodeError(`bad pseudo-header addresses ${ctx.srcAddr} → ${ctx.dstAddr}`);
  }
  const ph = ctx.family === 4 ? ipv4PseudoHeader(src, dst, message.length) : ipv6PseudoHeader(src, dst, message.length);
  return vrrpChecksum(message, ph);
}
