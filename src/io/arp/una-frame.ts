/**
 * Unsolicited Neighbour Advertisement frame builder (RFC 4861 §7.2.6, RFC 5798 §8.2.2), laid out as
 * keepalived 2.2.7 sends it (test/fixtures/frames/keepalived-una-v6*.hex):
 *
 *   Ethernet: dst 33:33:00:00:00:01 | src MAC | type 0x86dd
 *   IPv6:     version 6, traffic class 0, flow label 0 | payload length 32 | next header 58 |
 *             hop limit 255 | src = the announced address (keepalived's choice) | dst ff02::1
 *   ICMPv6:   type 136, code 0, checksum (over the IPv6 pseudo-header) |
 *             flags R (if the node forwards) S=0 O=1 | target address |
 *             option 2 (target link-layer address), length 1 (8 bytes), MAC
 *
 * 86 bytes in total. Pure.
 */
import { ipv6MulticastMac, ipv6ToBytes, macToBytes } from './addresses.js';
import { onesComplementSum } from './checksum.js';

export const ETHERTYPE_IPV6 = 0x86dd;
export const ICMPV6_NEIGHBOR_ADVERT = 136;
export const NA_FLAG_ROUTER = 0x80;
export const NA_FLAG_SOLICITED = 0x40;
export const NA_FLAG_OVERRIDE = 0x20;
export const ND_OPT_TARGET_LINKADDR = 2;
export const UNA_FRAME_LENGTH = 86;
export const ALL_NODES_ADDRESS = 'ff02::1';

export interface UnsolicitedNaParams {
  /** Source MAC of the frame and the target link-layer address option: interface MAC or VMAC. */
  readonly sourceMac: string | Uint8Array;
  /** The virtual IPv6 address being announced (NA target). */
  readonly address: string | Uint8Array;
  /** Set the Router flag (keepalived does when IPv6 forwarding is on for the interface). */
  readonly router: boolean;
  /** IPv6 source; defaults to `address`, as keepalived does. */
  readonly sourceAddress?: string | Uint8Array;
}

const toIpv6 = (a: string | Uint8Array): Uint8Array => (typeof a === 'string' ? ipv6ToBytes(a) : a);

/** ICMPv6 checksum (RFC 4443 §2.3): pseudo-header (src, dst, upper-layer length, next header 58). */
export function icmpv6Checksum(src: Uint8Array, dst: Uint8Array, icmp: Uint8Array): number {
  const pseudo = new Uint8Array(40);
  pseudo.set(src.subarray(0, 16), 0);
  pseudo.set(dst.subarray(0, 16), 16);
  new DataView(pseudo.buffer).setUint32(32, icmp.length);
  pseudo[39] = 58;
  const sum = onesComplementSum(icmp, onesComplementSum(pseudo));
  return ~sum & 0xffff;
}

export function buildUnsolicitedNa(params: UnsolicitedNaParams): Buffer {
  const mac = typeof params.sourceMac === 'string' ? macToBytes(params.sourceMac) : params.sourceMac;
  const target = toIpv6(params.address);
  const src = params.sourceAddress === undefined ? target : toIpv6(params.sourceAddress);
  const dst = ipv6ToBytes(ALL_NODES_ADDRESS);
  const frame = Buffer.alloc(UNA_FRAME_LENGTH);
  // Ethernet
  frame.set(ipv6MulticastMac(dst), 0);
  frame.set(mac.subarray(0, 6), 6);
  frame.writeUInt16BE(ETHERTYPE_IPV6, 12);
  // IPv6 header
  frame.writeUInt32BE(0x60000000, 14);
  frame.writeUInt16BE(32, 18); // payload length: 24 (NA) + 8 (option)
  frame[20] = 58; // next header: ICMPv6
  frame[21] = 255; // hop limit (RFC 4861 §7.1.2 requires 255)
  frame.set(src.subarray(0, 16), 22);
  frame.set(dst, 38);
  // ICMPv6 Neighbor Advertisement
  const icmp = frame.subarray(54);
  icmp[0] = ICMPV6_NEIGHBOR_ADVERT;
  icmp[1] = 0;
  icmp[4] = NA_FLAG_OVERRIDE | (params.router ? NA_FLAG_ROUTER : 0);
  icmp.set(target.subarray(0, 16), 8);
  icmp[24] = ND_OPT_TARGET_LINKADDR;
  icmp[25] = 1; // option length in units of 8 bytes
  icmp.set(mac.subarray(0, 6), 26);
  icmp.writeUInt16BE(icmpv6Checksum(src, dst, icmp), 2);
  return frame;
}
