/**
 * The Internet checksum (RFC 1071) and the pseudo-headers VRRP puts in front of it:
 *   v2          message only (incl. the 8 auth bytes)                         — RFC 3768 §5.3.8
 *   v3 / IPv6   RFC 8200 §8.1 pseudo-header: src, dst, 32-bit length, 3 × 0, next header 112
 *   v3 / IPv4   keepalived default: IPv4 pseudo-header src, dst, 0, 112, 16-bit length;
 *               RFC 9568 / `v3_checksum_as_v2`: message only ("v2-style");
 *               keepalived ≤ 1.3.6 unicast: pseudo-header with dst 224.0.0.18 ("legacy-unicast").
 * All sums are over 16-bit big-endian words; every chunk but the last must have even length.
 */

import { VRRP_IP_PROTOCOL } from './constants.js';

/** One's complement sum (not yet complemented) of `bytes`, folded to 16 bits, continuing from `initial`. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const evenLen = bytes.length & ~1;
  for (let i = 0; i < evenLen; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (evenLen !== bytes.length) sum += bytes[evenLen]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** RFC 1071 checksum of the concatenation of `chunks` (the value to put in a zeroed checksum field). */
export function internetChecksum(...chunks: readonly Uint8Array[]): number {
  let sum = 0;
  for (const c of chunks) sum = onesComplementSum(c, sum);
  return ~sum & 0xffff;
}

/** IPv4 pseudo-header: src(4) dst(4) zero(1) protocol(1) length(2). */
export function ipv4PseudoHeader(src: Uint8Array, dst: Uint8Array, upperLen: number): Uint8Array {
  const ph = new Uint8Array(12);
  ph.set(src.subarray(0, 4), 0);
  ph.set(dst.subarray(0, 4), 4);
  ph[9] = VRRP_IP_PROTOCOL;
  ph[10] = (upperLen >> 8) & 0xff;
  ph[11] = upperLen & 0xff;
  return ph;
}

/** IPv6 pseudo-header: src(16) dst(16) upper-layer length(4) zero(3) next header(1). */
export function ipv6PseudoHeader(src: Uint8Array, dst: Uint8Array, upperLen: number): Uint8Array {
  const ph = new Uint8Array(40);
  ph.set(src.subarray(0, 16), 0);
  ph.set(dst.subarray(0, 16), 16);
  ph[32] = (upperLen >>> 24) & 0xff;
  ph[33] = (upperLen >>> 16) & 0xff;
  ph[34] = (upperLen >>> 8) & 0xff;
  ph[35] = upperLen & 0xff;
  ph[39] = VRRP_IP_PROTOCOL;
  return ph;
}

/**
 * Checksum of a VRRP message whose checksum field (bytes 6–7) is treated as zero, optionally preceded by a
 * pseudo-header. Works on received bytes without copying them.
 */
export function vrrpChecksum(message: Uint8Array, pseudoHeader?: Uint8Array): number {
  let sum = pseudoHeader === undefined ? 0 : onesComplementSum(pseudoHeader);
  sum = onesComplementSum(message.subarray(0, 6), sum);
  sum = onesComplementSum(message.subarray(8), sum);
  return ~sum & 0xffff;
}

/**
 * RFC 1071 receiver check: the one's complement sum over pseudo-header and the whole message, checksum
 * field included, is 0xffff. Accepts both encodings of zero (0x0000 / 0xffff) in the checksum field.
 */
export function checksumVerifies(message: Uint8Array, pseudoHeader?: Uint8Array): boolean {
  const sum = onesComplementSum(message, pseudoHeader === undefined ? 0 : onesComplementSum(pseudoHeader));
  return sum === 0xffff;
}
