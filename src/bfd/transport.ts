/**
 * BFD sockets (RFC 5881): one listener per family for control packets to UDP port 3784, one UDP
 * sender per session bound to its source address and a random port in 49152-65535, sending with the
 * session's TTL / hop limit (255 / 64 by default, as keepalived).
 *
 * GTSM needs the received TTL, which Node's dgram does not expose. The listener therefore reads
 * through a raw IPPROTO_UDP socket of the kts_native addon (src/io/native, no new native code):
 *  - IPv4: a raw socket delivers the IP header, so TTL, addresses and the UDP ports are parsed here;
 *  - IPv6: IPV6_RECVHOPLIMIT / IPV6_RECVPKTINFO ancillary data carry the hop limit and destination,
 *    the payload starts at the UDP header.
 * A raw UDP socket sees every UDP datagram the host receives: a classic BPF filter (io/native/bpf.ts)
 * keeps only destination port 3784 in the kernel, and the parsers check again.
 * A plain dgram socket is also bound to port 3784 (per family) so the port is held (no ICMP port
 * unreachable, no second BFD daemon) — its own deliveries are discarded.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { loadNative, type KtsNative, type NativePollHandle } from '../io/native/index.js';
import { encodeBpf, udpDestinationPortFilter } from '../io/native/bpf.js';
import { cInt } from '../io/vrrp-socket/sockopt.js';
import { IPPROTO_IPV6, IPV6_RECVHOPLIMIT, IPV6_RECVPKTINFO } from '../io/vrrp-socket/constants.js';
import { BFD_CONTROL_PORT, BFD_SRC_PORT_MAX, BFD_SRC_PORT_MIN } from './packet.js';

const IPPROTO_UDP = 17;
const UDP_HEADER_LEN = 8;

/** One control packet as received, with what the IP layer knew. */
export interface BfdDatagram {
  readonly family: 4 | 6;
  readonly source: string;
  readonly destination: string | undefined;
  readonly sourcePort: number;
  /** Received TTL / hop limit; undefined when the kernel did not report it. */
  readonly ttl: number | undefined;
  /** The UDP payload (the BFD packet). */
  readonly payload: Uint8Array;
}

/**
 * Parses an IPv4 datagram as a raw IPPROTO_UDP socket delivers it; undefined unless it is UDP to
 * `port`. Never throws.
 */
export function parseIpv4Udp(buf: Uint8Array, port = BFD_CONTROL_PORT): BfdDatagram | undefined {
  if (buf.length < 20) return undefined;
  const b0 = buf[0]!;
  if (b0 >> 4 !== 4) return undefined;
  const ihl = (b0 & 0x0f) * 4;
  const totalLen = (buf[2]! << 8) | buf[3]!;
  if (ihl < 20 || buf[9] !== IPPROTO_UDP || totalLen > buf.length || totalLen < ihl + UDP_HEADER_LEN) return undefined;
  const fragOff = ((buf[6]! & 0x1f) << 8) | buf[7]!;
  if (fragOff !== 0 || (buf[6]! & 0x20) !== 0) return undefined; // fragments: not a BFD control packet
  const udp = ihl;
  const dstPort = (buf[udp + 2]! << 8) | buf[udp + 3]!;
  if (dstPort !== port) return undefined;
  const udpLen = (buf[udp + 4]! << 8) | buf[udp + 5]!;
  if (udpLen < UDP_HEADER_LEN || udp + udpLen > totalLen) return undefined;
  return {
    family: 4,
    ttl: buf[8]!,
    source: `${buf[12]}.${buf[13]}.${buf[14]}.${buf[15]}`,
    destination: `${buf[16]}.${buf[17]}.${buf[18]}.${buf[19]}`,
    sourcePort: (buf[udp]! << 8) | buf[udp + 1]!,
    payload: buf.subarray(udp + UDP_HEADER_LEN, udp + udpLen),
  };
}

/** Parses a UDP header + payload (IPv6 raw socket delivery); undefined unless to `port`. */
export function parseUdp(buf: Uint8Array, port = BFD_CONTROL_PORT): { sourcePort: number; payload: Uint8Array } | undefined {
  if (buf.length < UDP_HEADER_LEN) return undefined;
  if (((buf[2]! << 8) | buf[3]!) !== port) return undefined;
  const udpLen = (buf[4]! << 8) | buf[5]!;
  if (udpLen < UDP_HEADER_LEN || udpLen > buf.length) return undefined;
  return { sourcePort: (buf[0]! << 8) | buf[1]!, payload: buf.subarray(UDP_HEADER_LEN, udpLen) };
}

export interface BfdListener {
  close(): void;
}

/** Opens the port holders and raw readers for the given families. Throws when nothing could open. */
export async function openBfdListener(
  families: ReadonlySet<4 | 6>,
  onPacket: (d: BfdDatagram) => void,
  onError: (err: Error) => void,
): Promise<BfdListener> {
  const native = loadNative();
  const holders: Socket[] = [];
  const readers: { fd: number; poll: NativePollHandle }[] = [];
  const closeAll = (): void => {
    for (const r of readers) {
      native.pollStop(r.poll);
      native.closeFd(r.fd);
    }
    readers.length = 0;
    for (const h of holders) h.close();
    holders.length = 0;
  };
  try {
    for (const family of families) {
      const holder = createSocket({ type: family === 4 ? 'udp4' : 'udp6', ipv6Only: family === 6 });
      holder.on('error', onError);
      holder.on('message', () => undefined);
      await new Promise<void>((resolve, reject) => {
        holder.once('error', reject);
        holder.bind(BFD_CONTROL_PORT, family === 4 ? '0.0.0.0' : '::', () => {
          holder.off('error', reject);
          resolve();
        });
      });
      holders.push(holder);
      readers.push(openRawReader(native, family, onPacket, onError));
    }
  } catch (err) {
    closeAll();
    throw err;
  }
  return { close: closeAll };
}

function openRawReader(native: KtsNative, family: 4 | 6, onPacket: (d: BfdDatagram) => void, onError: (err: Error) => void): { fd: number; poll: NativePollHandle } {
  const fd = native.rawOpen(family, IPPROTO_UDP);
  try {
    // The kernel drops every other UDP datagram before it is copied to us.
    native.attachFilter(fd, encodeBpf(udpDestinationPortFilter(family, [BFD_CONTROL_PORT])));
  } catch (err) {
    onError(new Error(`BFD socket filter not attached (datagrams are filtered here instead): ${err instanceof Error ? err.message : String(err)}`));
  }
  if (family === 6) {
    native.setSockOpt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, cInt(1));
    native.setSockOpt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, cInt(1));
  }
  const buffer = new Uint8Array(2048);
  const poll = native.pollStart(fd, (status) => {
    if (status < 0) {
      onError(new Error(`poll error ${status} on the raw BFD socket`));
      return;
    }
    for (let i = 0; i < 64; i++) {
      let info;
      try {
        info = native.recvMsg(fd, buffer);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (info === undefined) return;
      const bytes = Uint8Array.from(buffer.subarray(0, Math.min(info.length, buffer.length)));
      if (family === 4) {
        const d = parseIpv4Udp(bytes);
        if (d !== undefined) onPacket(d);
      } else {
        const u = parseUdp(bytes);
        if (u !== undefined) {
          onPacket({ family: 6, source: info.source ?? '::', destination: info.destination, sourcePort: u.sourcePort, ttl: info.hopLimit, payload: u.payload });
        }
      }
    }
  });
  return { fd, poll };
}

export interface BfdSender {
  send(payload: Uint8Array): void;
  close(): void;
  readonly localPort: number;
}

/**
 * A session's sending socket: bound to `sourceIp` (or any address) and a random free port in
 * 49152-65535 (keepalived clamps the kernel's local port range into that), TTL / hop limit `ttl`.
 */
export async function openBfdSender(
  neighborIp: string,
  sourceIp: string | null,
  ttl: number,
  onError: (err: Error) => void,
  random: () => number = Math.random,
): Promise<BfdSender> {
  const family = isIPv4(neighborIp) ? 4 : 6;
  const span = BFD_SRC_PORT_MAX - BFD_SRC_PORT_MIN + 1;
  const first = Math.floor(random() * span);
  let lastErr: unknown;
  for (let i = 0; i < 64; i++) {
    const port = BFD_SRC_PORT_MIN + ((first + i) % span);
    const sock = createSocket({ type: family === 4 ? 'udp4' : 'udp6' });
    try {
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind({ port, address: sourceIp ?? (family === 4 ? '0.0.0.0' : '::'), exclusive: true }, () => {
          sock.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      lastErr = err;
      sock.close();
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      throw err;
    }
    sock.setTTL(ttl);
    sock.on('error', onError);
    sock.on('message', () => undefined);
    return {
      localPort: port,
      send: (payload) => sock.send(payload, BFD_CONTROL_PORT, neighborIp, (err) => {
        if (err !== null) onError(err);
      }),
      close: () => sock.close(),
    };
  }
  throw lastErr instanceof Error ? lastErr : new Error('no free BFD source port');
}
