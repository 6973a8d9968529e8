/**
 * IPv4 receive convenience: one call from "bytes the raw socket returned" to a decoded advert or a drop,
 * wiring parseIpv4Header's TTL and addresses into decodeAdvert. IPv6 raw sockets deliver only the VRRP
 * message (hop limit and addresses come from ancillary data), so IPv6 callers use decodeAdvert directly.
 */

import { decodeAdvert } from './advert-decode.js';
import type { Dropped } from './drop-reason.js';
import { parseIpv4Header, type Ipv4Parsed } from './ipv4-header.js';
import type { DecodeContext, Decoded } from './types.js';

export type Ipv4Decoded = Decoded & { readonly ip: Ipv4Parsed };

export function decodeIpv4Packet(
  bytes: Uint8Array,
  opts: Pick<DecodeContext, 'ttlRange' | 'multicastGroup'> = {},
): Ipv4Decoded | Dropped {
  const ip = parseIpv4Header(bytes);
  if (!ip.ok) return ip;
  const res = decodeAdvert(ip.payload, { ...opts, family: 4, srcAddr: ip.src, dstAddr: ip.dst, ttl: ip.ttl });
  return res.ok ? { ...res, ip } : res;
}
