/**
 * Gratuitous ARP frame builder (RFC 5798 §8.1.2 / RFC 5227 §3 "ARP Announcement" in the request form
 * keepalived 2.2.7 uses): a broadcast ARP *request* whose sender and target protocol addresses are
 * both the virtual IPv4 address, sender hardware address = the interface MAC (or the VMAC),
 * target hardware address = broadcast. 42 bytes, no padding — byte-identical to keepalived's frame
 * (test/fixtures/frames/keepalived-garp-v4.hex). Pure.
 *
 *   Ethernet: dst ff:ff:ff:ff:ff:ff | src MAC | type 0x0806
 *   ARP:      htype 1 | ptype 0x0800 | hlen 6 | plen 4 | oper 1 (request)
 *             sha MAC | spa VIP | tha ff:ff:ff:ff:ff:ff | tpa VIP
 */
import { BROADCAST_MAC, ipv4ToBytes, macToBytes } from './addresses.js';

export const ETHERTYPE_ARP = 0x0806;
export const ARP_OP_REQUEST = 1;
export const GARP_FRAME_LENGTH = 42;

export interface GratuitousArpParams {
  /** Source MAC of the frame and ARP sender hardware address: the interface MAC or the VMAC. */
  readonly sourceMac: string | Uint8Array;
  /** The virtual IPv4 address being announced. */
  readonly address: string | Uint8Array;
}

export function buildGratuitousArp(params: GratuitousArpParams): Buffer {
  const mac = typeof params.sourceMac === 'string' ? macToBytes(params.sourceMac) : params.sourceMac;
  const ip = typeof params.address === 'string' ? ipv4ToBytes(params.address) : params.address;
  const frame = Buffer.alloc(GARP_FRAME_LENGTH);
  frame.set(BROADCAST_MAC, 0);
  frame.set(mac.subarray(0, 6), 6);
  frame.writeUInt16BE(ETHERTYPE_ARP, 12);
  frame.writeUInt16BE(1, 14); // hardware type: Ethernet
  frame.writeUInt16BE(0x0800, 16); // protocol type: IPv4
  frame[18] = 6; // hardware address length
  frame[19] = 4; // protocol address length
  frame.writeUInt16BE(ARP_OP_REQUEST, 20);
  frame.set(mac.subarray(0, 6), 22); // sender hardware address
  frame.set(ip.subarray(0, 4), 28); // sender protocol address
  frame.set(BROADCAST_MAC, 32); // target hardware address
  frame.set(ip.subarray(0, 4), 38); // target protocol address
  return frame;
}
