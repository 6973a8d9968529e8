/**
 * Builders for the C structs passed to setsockopt() as raw bytes (pure): int, ip_mreqn,
 * ipv6_mreq and a NUL-terminated interface name. Host byte order for C ints (little-endian on
 * every platform keepalived-ts targets; checked via os.endianness()).
 */
import { endianness } from 'node:os';
import { ipv4ToBytes, ipv6ToBytes } from '../arp/addresses.js';

const LE = endianness() === 'LE';

function writeCInt(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeInt32LE(value, offset);
  else buf.writeInt32BE(value, offset);
}

/** `int` option value. */
export function cInt(value: number): Buffer {
  const b = Buffer.alloc(4);
  writeCInt(b, value, 0);
  return b;
}

/** struct ip_mreqn { in_addr imr_multiaddr; in_addr imr_address; int imr_ifindex; } — 12 bytes. */
export function ipMreqn(group: string, ifindex: number, address = '0.0.0.0'): Buffer {
  const b = Buffer.alloc(12);
  b.set(ipv4ToBytes(group), 0);
  b.set(ipv4ToBytes(address), 4);
  writeCInt(b, ifindex, 8);
  return b;
}

/** struct ipv6_mreq { in6_addr ipv6mr_multiaddr; int ipv6mr_interface; } — 20 bytes. */
export function ipv6Mreq(group: string, ifindex: number): Buffer {
  const b = Buffer.alloc(20);
  b.set(ipv6ToBytes(group), 0);
  writeCInt(b, ifindex, 16);
  return b;
}

/** SO_BINDTODEVICE value: the interface name, NUL-terminated. */
export function ifnameOption(name: string): Buffer {
  return Buffer.from(`${name}\0`, 'latin1');
}
