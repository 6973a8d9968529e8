/**
 * IPv4 header parse/build for VRRP raw sockets. An IPv4 raw socket delivers the whole IP packet, so the
 * receive path starts here (TTL, addresses, total length); a sender using IP_HDRINCL builds the header the
 * way keepalived 2.2.7 does on the wire (observed in test/fixtures/packets): TOS 0xC0, TTL 255, no DF,
 * fragment offset 0, protocol 112, and an identification that counts up per packet (starts at 1).
 */

import { IPV4_MIN_HEADER_LEN, VRRP_IP_PROTOCOL, VRRP_TOS, VRRP_TTL } from './constants.js';
import { internetChecksum } from './checksum.js';
import { dropped, type Dropped } from './drop-reason.js';
import { formatIpv4, parseIpv4 } from './ip-address.js';
import { VrrpEncodeError } from './advert-encode.js';

export interface Ipv4Parsed {
  readonly ok: true;
  readonly tos: number;
  readonly id: number;
  /** Flags (3 bits) as in the header: 0b010 = DF, 0b001 = MF. */
  readonly flags: number;
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  /** Header length in bytes (IHL × 4; options are skipped). */
  readonly headerLen: number;
  /** IP total length; bytes beyond it (Ethernet padding) are not part of `payload`. */
  readonly totalLen: number;
  /** The VRRP message: bytes[headerLen, totalLen). A view, not a copy. */
  readonly payload: Uint8Array;
}

export function parseIpv4Header(bytes: Uint8Array): Ipv4Parsed | Dropped {
  if (bytes.length < IPV4_MIN_HEADER_LEN) {
    return dropped('ip-truncated', `${bytes.length} bytes, an IPv4 header needs ${IPV4_MIN_HEADER_LEN}`);
  }
  const version = bytes[0]! >> 4;
  if (version !== 4) return dropped('ip-version', `IP version ${version}`);
  const headerLen = (bytes[0]! & 0x0f) * 4;
  if (headerLen < IPV4_MIN_HEADER_LEN || headerLen > bytes.length) {
    return dropped('ip-header-length', `IHL ${headerLen / 4} (${headerLen} bytes) with ${bytes.length} bytes read`);
  }
  const totalLen = (bytes[2]! << 8) | bytes[3]!;
  if (totalLen < headerLen || totalLen > bytes.length) {
    return dropped('ip-total-length', `total length ${totalLen}, header ${headerLen}, ${bytes.length} bytes read`);
  }
  const protocol = bytes[9]!;
  if (protocol !== VRRP_IP_PROTOCOL) return dropped('ip-protocol', `IP protocol ${protocol}`);
  const flagsFrag = (bytes[6]! << 8) | bytes[7]!;
  return {
    ok: true,
    tos: bytes[1]!,
    id: (bytes[4]! << 8) | bytes[5]!,
    flags: flagsFrag >> 13,
    fragmentOffset: flagsFrag & 0x1fff,
    ttl: bytes[8]!,
    protocol,
    src: formatIpv4(bytes, 12),
    dst: formatIpv4(bytes, 16),
    headerLen,
    totalLen,
    payload: bytes.subarray(headerLen, totalLen),
  };
}

export interface Ipv4HeaderFields {
  readonly src: string;
  readonly dst: string;
  /** Length of what follows the header (the VRRP message). */
  readonly payloadLen: number;
  /** Default 255; keepalived `unicast_ttl` may lower it for unicast. */
  readonly ttl?: number;
  /** Default 0xC0. */
  readonly tos?: number;
  /** Identification; keepalived counts up per packet. Default 0 (the kernel then picks one). */
  readonly id?: number;
  readonly protocol?: number;
}

/** A 20-byte IPv4 header (no options, no DF) with its header checksum filled in. */
export function buildIpv4Header(f: Ipv4HeaderFields): Buffer {
  const src = parseIpv4(f.src);
  const dst = parseIpv4(f.dst);
  if (src === undefined || dst === undefined) throw new VrrpEncodeError(`bad IPv4 addresses ${f.src} → ${f.dst}`);
  const totalLen = IPV4_MIN_HEADER_LEN + f.payloadLen;
  if (!Number.isInteger(f.payloadLen) || f.payloadLen < 0 || totalLen > 0xffff) {
    throw new VrrpEncodeError(`payload length ${f.payloadLen} does not fit an IPv4 packet`);
  }
  const h = Buffer.alloc(IPV4_MIN_HEADER_LEN);
  h[0] = 0x45;
  h[1] = (f.tos ?? VRRP_TOS) & 0xff;
  h.writeUInt16BE(totalLen, 2);
  h.writeUInt16BE((f.id ?? 0) & 0xffff, 4);
  // bytes 6-7: flags 0 (DF clear), fragment offset 0
  h[8] = (f.ttl ?? VRRP_TTL) & 0xff;
  h[9] = (f.protocol ?? VRRP_IP_PROTOCOL) & 0xff;
  h.set(src, 12);
  h.set(dst, 16);
  h.writeUInt16BE(internetChecksum(h), 10);
  return h;
}

/** Header + payload in one buffer, for IP_HDRINCL sends. */
export function buildIpv4Packet(payload: Uint8Array, f: Omit<Ipv4HeaderFields, 'payloadLen'>): Buffer {
  return Buffer.concat([buildIpv4Header({ ...f, payloadLen: payload.length }), payload]);
}
