/**
 * IPv4 header for adverts sent with IP_HDRINCL, laid out as keepalived 2.2.7 puts it on the wire
 * (test/fixtures/frames/keepalived-advert-v4.hex): version 4, IHL 5, TOS 0xC0, total length,
 * identification from a per-sender counter starting at 1, no DF / fragment offset 0, TTL 255 (or
 * unicast_ttl), protocol 112, header checksum, source, destination. The kernel would fill total
 * length and checksum anyway; writing them keeps the bytes predictable in tests. Pure.
 */
import { ipv4ToBytes } from '../arp/addresses.js';
import { onesComplementSum } from '../arp/checksum.js';
import { IPPROTO_VRRP, VRRP_TOS, VRRP_TTL } from './constants.js';

export const IPV4_HEADER_LENGTH = 20;

export interface Ipv4HeaderFields {
  readonly source: string;
  readonly destination: string;
  readonly payloadLength: number;
  readonly identification: number;
  readonly ttl?: number;
  readonly tos?: number;
  readonly protocol?: number;
}

export function buildIpv4Header(f: Ipv4HeaderFields): Buffer {
  const h = Buffer.alloc(IPV4_HEADER_LENGTH);
  h[0] = 0x45;
  h[1] = f.tos ?? VRRP_TOS;
  h.writeUInt16BE(IPV4_HEADER_LENGTH + f.payloadLength, 2);
  h.writeUInt16BE(f.identification & 0xffff, 4);
  h.writeUInt16BE(0, 6); // flags + fragment offset: no DF, as keepalived
  h[8] = f.ttl ?? VRRP_TTL;
  h[9] = f.protocol ?? IPPROTO_VRRP;
  h.set(ipv4ToBytes(f.source), 12);
  h.set(ipv4ToBytes(f.destination), 16);
  h.writeUInt16BE(~onesComplementSum(h) & 0xffff, 10);
  return h;
}
