/**
 * IPv6 advert transport on a raw IPv6 socket (IP protocol 112) owned by the native addon.
 * Why not raw-socket: a raw IPv6 socket never delivers the IPv6 header, so the hop limit
 * (RFC 5798 §7.1 requires 255), the destination (multicast vs unicast) and the arrival interface
 * are only available as recvmsg() ancillary data (IPV6_HOPLIMIT, IPV6_PKTINFO), which raw-socket's
 * recvfrom() discards; raw-socket also cannot bind() a link-local source.
 *
 * Setup mirrors keepalived 2.2.7: IPV6_CHECKSUM at offset 6 (the kernel fills and verifies the
 * checksum over the pseudo-header), traffic class 0xC0, hop limit 255 (multicast); unicast: unicast_ttl
 * if configured, else the kernel default (keepalived sets a hop limit on unicast only for unicast_ttl),
 * no multicast loop, IPV6_MULTICAST_ALL 0, SO_BINDTODEVICE, source bound to the link-local (or
 * unicast_src_ip) address, group ff02::12 joined on the interface via IPV6_ADD_MEMBERSHIP.
 */
import { isIPv6 } from 'node:net';
import { ipv6ToBytes } from '../arp/addresses.js';
import { loadNative } from '../native/index.js';
import type { KtsNative, NativePollHandle } from '../native/index.js';
import {
  IPPROTO_IPV6, IPPROTO_VRRP, IPV6_ADD_MEMBERSHIP, IPV6_CHECKSUM, IPV6_MULTICAST_ALL,
  IPV6_MULTICAST_HOPS, IPV6_MULTICAST_IF, IPV6_MULTICAST_LOOP, IPV6_RECVHOPLIMIT, IPV6_RECVPKTINFO, IPV6_TCLASS,
  IPV6_UNICAST_HOPS, SOL_SOCKET, SO_BINDTODEVICE, SO_RCVBUF, VRRP_CHECKSUM_OFFSET, VRRP_MCAST_GROUP6, VRRP_TOS,
  VRRP_TTL,
} from './constants.js';
import { cInt, ifnameOption, ipv6Mreq } from './sockopt.js';
import { defaultSourceAddress } from './source-address.js';
import { sendToEach } from './send-each.js';
import { TransportError } from './types.js';
import type { AdvertTransport, AdvertTransportOptions, SendOutcome } from './types.js';

const RECEIVE_BUFFER_BYTES = 8192;

/** Link-local unicast or link/interface-local multicast: needs the ifindex as scope id. */
function needsScope(bytes: Uint8Array): boolean {
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  return (b0 === 0xfe && (b1 & 0xc0) === 0x80) || (b0 === 0xff && ((b1 & 0x0f) === 1 || (b1 & 0x0f) === 2));
}

export class Ipv6AdvertTransport implements AdvertTransport {
  readonly family = 6 as const;
  readonly mode: 'multicast' | 'unicast';
  readonly ifindex: number | undefined;
  readonly #native: KtsNative;
  readonly #fd: number;
  readonly #poll: NativePollHandle;
  readonly #group: string;
  readonly #peers: readonly string[];
  readonly #buffer = Buffer.alloc(RECEIVE_BUFFER_BYTES);
  readonly #source: string | undefined;
  readonly #minHopLimit: number;
  #closed = false;

  constructor(options: AdvertTransportOptions) {
    const native = loadNative();
    this.#native = native;
    const peers = options.unicastPeers ?? [];
    this.mode = peers.length > 0 ? 'unicast' : 'multicast';
    this.#peers = [...peers];
    this.#group = options.multicastGroup ?? VRRP_MCAST_GROUP6;
    const source = options.sourceAddress ??
      (options.interfaceName === undefined ? undefined : defaultSourceAddress(options.interfaceName, 6));
    for (const a of [...this.#peers, this.#group, ...(source === undefined ? [] : [source])]) {
      if (!isIPv6(a)) throw new TransportError('KTS_VRRP_SOCKET_CONFIG', `not an IPv6 address: ${a}`);
    }
    if (this.mode === 'multicast' && options.interfaceName === undefined) {
      throw new TransportError('KTS_VRRP_SOCKET_CONFIG', 'multicast adverts need an interface');
    }
    const ifname = options.interfaceName;
    let ifindex: number | undefined;
    if (ifname !== undefined) {
      ifindex = native.ifNameToIndex(ifname);
      if (ifindex === 0) throw new TransportError('KTS_VRRP_SOCKET_SETUP', `no such interface: ${ifname}`);
    }
    this.ifindex = ifindex;
    this.#source = source;
    this.#minHopLimit = options.minReceiveTtl ?? 0;

    let fd: number;
    try {
      fd = native.rawOpen(6, IPPROTO_VRRP);
    } catch (err) {
      throw new TransportError('KTS_VRRP_SOCKET_SETUP', `cannot open raw IPv6 socket: ${String(err)}`, { cause: err });
    }
    this.#fd = fd;
    try {
      const opt = (level: number, option: number, value: Buffer): void => native.setSockOpt(fd, level, option, value);
      opt(IPPROTO_IPV6, IPV6_CHECKSUM, cInt(VRRP_CHECKSUM_OFFSET));
      opt(IPPROTO_IPV6, IPV6_TCLASS, cInt(VRRP_TOS));
      opt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, cInt(VRRP_TTL));
      // -1: the kernel's default (route / interface hop_limit), what keepalived sends without unicast_ttl.
      opt(IPPROTO_IPV6, IPV6_UNICAST_HOPS, cInt(this.mode === 'unicast' ? (options.ttl ?? -1) : VRRP_TTL));
      opt(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, cInt(0));
      opt(IPPROTO_IPV6, IPV6_MULTICAST_ALL, cInt(0));
      opt(IPPROTO_IPV6, IPV6_RECVPKTINFO, cInt(1));
      opt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, cInt(1));
      if (options.receiveBufferBytes !== undefined) opt(SOL_SOCKET, SO_RCVBUF, cInt(options.receiveBufferBytes));
      if (ifname !== undefined && ifindex !== undefined) {
        opt(SOL_SOCKET, SO_BINDTODEVICE, ifnameOption(ifname));
        opt(IPPROTO_IPV6, IPV6_MULTICAST_IF, cInt(ifindex));
      }
      if (source !== undefined) {
        const src = ipv6ToBytes(source);
        native.bindAddress(fd, src, needsScope(src) ? (ifindex ?? 0) : 0);
      }
      if (this.mode === 'multicast' && ifindex !== undefined) {
        opt(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, ipv6Mreq(this.#group, ifindex));
      }
    } catch (err) {
      native.closeFd(fd);
      throw new TransportError('KTS_VRRP_SOCKET_SETUP', `raw IPv6 socket setup failed: ${String(err)}`, { cause: err });
    }

    this.#poll = native.pollStart(fd, (status) => {
      if (status < 0) {
        options.onError?.(new TransportError('KTS_VRRP_SOCKET_SETUP', `poll error ${status} on raw IPv6 socket`));
        return;
      }
      this.#drain(options);
    });
  }

  #drain(options: AdvertTransportOptions): void {
    for (let i = 0; i < 64 && !this.#closed; i++) {
      let info;
      try {
        info = this.#native.recvMsg(this.#fd, this.#buffer);
      } catch (err) {
        options.onError?.(new TransportError('KTS_VRRP_SOCKET_SETUP', `recvmsg failed: ${String(err)}`, { cause: err }));
        return;
      }
      if (info === undefined) return;
      // IPV6_MINHOPCOUNT is only enforced by the kernel for TCP/UDP, not raw sockets: filter here.
      if (this.#minHopLimit > 0 && (info.hopLimit ?? 0) < this.#minHopLimit) continue;
      options.onPacket({
        family: 6,
        bytes: Buffer.from(this.#buffer.subarray(0, Math.min(info.length, this.#buffer.length))),
        source: info.source ?? '::',
        destination: info.destination,
        ttl: info.hopLimit,
        ifindex: info.ifindex,
      });
    }
  }

  destinations(): readonly string[] {
    return this.mode === 'unicast' ? this.#peers : [this.#group];
  }

  setSourceAddress(address: string): void {
    if (!isIPv6(address)) throw new TransportError('KTS_VRRP_SOCKET_CONFIG', `not an IPv6 address: ${address}`);
    // A raw socket cannot be re-bound; the instance re-creates its transport when its link-local
    // address changes. Accept the current one silently, refuse a different one loudly.
    if (this.#source !== undefined && Buffer.from(ipv6ToBytes(address)).equals(ipv6ToBytes(this.#source))) return;
    throw new TransportError('KTS_VRRP_SOCKET_CONFIG', 'IPv6 transport source is fixed at creation; re-create the transport');
  }

  sendTo(payload: Uint8Array, destination: string): Promise<number> {
    if (this.#closed) return Promise.reject(new TransportError('KTS_VRRP_SOCKET_CLOSED', 'transport is closed'));
    if (!isIPv6(destination)) {
      return Promise.reject(new TransportError('KTS_VRRP_SOCKET_CONFIG', `not an IPv6 address: ${destination}`));
    }
    try {
      const dst = ipv6ToBytes(destination);
      return Promise.resolve(this.#native.sendTo(this.#fd, payload, dst, needsScope(dst) ? (this.ifindex ?? 0) : 0));
    } catch (err) {
      return Promise.reject(
        new TransportError('KTS_VRRP_SOCKET_SEND', `advert to ${destination}: ${String(err)}`, { cause: err }),
      );
    }
  }

  sendToAll(encode: (destination: string) => Uint8Array): Promise<readonly SendOutcome[]> {
    return sendToEach(this.destinations(), encode, (payload, destination) => this.sendTo(payload, destination));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#native.pollStop(this.#poll);
    this.#native.closeFd(this.#fd);
  }
}
