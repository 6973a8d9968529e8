/**
 * ICMP / ICMPv6 echo codec for PING_CHECK (RFC 792, RFC 4443 §4.1–4.2), pure: builds the echo
 * request keepalived 2.2.7 sends and decodes what an echo socket receives. Decoding never throws:
 * anything that is not a well-formed echo reply is `null`.
 *
 * Wire compatibility with keepalived's check_ping.c: 8-byte header + 128 bytes of payload
 * ("keepalived check - " repeated), echo id 0 on a datagram ping socket (the kernel writes its own),
 * and the sequence number stored in host byte order (keepalived assigns `seq_no++` without htons;
 * on little-endian hosts the field is byte-swapped on the wire) — `seqOf()` reads it back the same way.
 */

export const ICMP_ECHO_REQUEST = 8;
export const ICMP_ECHO_REPLY = 0;
export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;
export const ICMP_ECHO_HEADER_LEN = 8;
/** keepalived's ICMP_BUFSIZE: payload bytes after the echo header. */
export const ICMP_ECHO_PAYLOAD_LEN = 128;

export type EchoFamily = 4 | 6;

/** keepalived's set_buf(): "keepalived check - " repeated over the buffer. */
export function keepalivedEchoPayload(length = ICMP_ECHO_PAYLOAD_LEN): Uint8Array {
  const pattern = Buffer.from('keepalived check - ', 'latin1');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = pattern[i % pattern.length] ?? 0;
  return out;
}

/** RFC 1071 Internet checksum over `bytes` (odd length padded with a zero byte). */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The sequence field as keepalived writes it: host order, which is little-endian on every Linux target we run on. */
function writeSeq(out: Uint8Array, seq: number): void {
  out[6] = seq & 0xff;
  out[7] = (seq >>> 8) & 0xff;
}

function seqOf(bytes: Uint8Array, at: number): number {
  return (bytes[at + 6] ?? 0) | ((bytes[at + 7] ?? 0) << 8);
}

/**
 * An echo request. IPv4 carries its checksum (a raw socket sends it as is; a ping socket
 * recomputes it); IPv6 leaves it 0 because the kernel always computes the ICMPv6 checksum (it
 * covers the pseudo-header with the source address the kernel picks).
 */
export function encodeEchoRequest(family: EchoFamily, id: number, seq: number, payload: Uint8Array = keepalivedEchoPayload()): Uint8Array {
  const out = new Uint8Array(ICMP_ECHO_HEADER_LEN + payload.length);
  out[0] = family === 4 ? ICMP_ECHO_REQUEST : ICMP6_ECHO_REQUEST;
  out[4] = (id >>> 8) & 0xff;
  out[5] = id & 0xff;
  writeSeq(out, seq);
  out.set(payload, ICMP_ECHO_HEADER_LEN);
  if (family === 4) {
    const sum = internetChecksum(out);
    out[2] = sum >>> 8;
    out[3] = sum & 0xff;
  }
  return out;
}

export interface EchoReply {
  readonly id: number;
  readonly seq: number;
  /** Bytes after the echo header. */
  readonly payloadLength: number;
}

/**
 * Decodes a received datagram as an echo reply; null for anything else (other ICMP types, short or
 * truncated packets, an IPv4 header that is not ICMP). `withIpHeader`: a raw IPv4 socket delivers
 * the IP header first (IHL words); ping sockets and IPv6 sockets never do.
 */
export function decodeEchoReply(family: EchoFamily, bytes: Uint8Array, withIpHeader: boolean): EchoReply | null {
  let at = 0;
  if (withIpHeader && family === 4) {
    const first = bytes[0];
    if (first === undefined || first >> 4 !== 4) return null;
    at = (first & 0x0f) * 4;
    if (at < 20 || bytes[9] !== 1) return null;
  }
  if (bytes.length < at + ICMP_ECHO_HEADER_LEN) return null;
  if (bytes[at] !== (family === 4 ? ICMP_ECHO_REPLY : ICMP6_ECHO_REPLY) || bytes[at + 1] !== 0) return null;
  return { id: ((bytes[at + 4] ?? 0) << 8) | (bytes[at + 5] ?? 0), seq: seqOf(bytes, at), payloadLength: bytes.length - at - ICMP_ECHO_HEADER_LEN };
}
