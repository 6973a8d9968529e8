/**
 * IPv4 advert transport over the raw-socket package (IP protocol 112), matching what keepalived
 * 2.2.7 does on the wire: one raw socket with IP_HDRINCL — we write the IPv4 header ourselves
 * (the codec's buildIpv4Packet: TOS 0xC0, TTL 255 or unicast_ttl, no DF) with an identification
 * counter per transport starting at 1, as keepalived's captured adverts show — bound to
 * the interface (SO_BINDTODEVICE), multicast sent via IP_MULTICAST_IF (ip_mreqn with the ifindex),
 * IP_MULTICAST_LOOP 0, IP_MULTICAST_ALL 0 and a group join on that interface (IP_ADD_MEMBERSHIP).
 * Received datagrams include the IPv4 header, so TTL and destination are read from it; raw-socket
 * reuses its receive buffer, hence the copy. The ifindex comes from the native addon
 * (if_nametoindex); raw-socket has no equivalent.
 */
import raw from 'raw-socket';
import type { Socket } from 'raw-socket';
import { isIPv4 } from 'node:net';
import { loadNative } from '../native/index.js';
import {
  IPPROTO_IP, IPPROTO_VRRP, IP_ADD_MEMBERSHIP, IP_HDRINCL, IP_MULTICAST_ALL, IP_MULTICAST_IF,
  IP_MULTICAST_LOOP, IP_MULTICAST_TTL, SOL_SOCKET, SO_BINDTODEVICE, SO_RCVBUF, VRRP_MCAST_GROUP4, VRRP_TTL,
} from './constants.js';
import { buildIpv4Packet } from '../../vrrp/packet/index.js';
import { cInt, ifnameOption, ipMreqn } from './sockopt.js';
import { defaultSourceAddress } from './source-address.js';
import { sendToEach } from './send-each.js';
import { TransportError } from './types.js';
import type { AdvertTransport, AdvertTransportOptions, SendOutcome } from './types.js';

const RECEIVE_BUFFER_BYTES = 4096;

/** keepalived's IPv4 identification counter: starts at 1, wraps past 65535 to 1 (0 is skipped). */
export function nextIpId(previous: number): number {
  const next = (previous + 1) & 0xffff;
  return next === 0 ? 1 : next;
}
const IPV4_HEADER_LENGTH = 20;

export class Ipv4AdvertTransport implements AdvertTransport {
  readonly family = 4 as const;
  readonly mode: 'multicast' | 'unicast';
  readonly ifindex: number | undefined;
  readonly #socket: Socket;
  readonly #group: string;
  readonly #peers: readonly string[];
  readonly #ttl: number;
  #source: string;
  #identification = 0;
  #closed = false;

  constructor(options: AdvertTransportOptions) {
    const peers = options.unicastPeers ?? [];
    this.mode = peers.length > 0 ? 'unicast' : 'multicast';
    this.#peers = [...peers];
    this.#group = options.multicastGroup ?? VRRP_MCAST_GROUP4;
    this.#ttl = this.mode === 'unicast' ? (options.ttl ?? VRRP_TTL) : VRRP_TTL;
    const source = options.sourceAddress ??
      (options.interfaceName === undefined ? undefined : defaultSourceAddress(options.interfaceName, 4));
    if (source === undefined || !isIPv4(source)) {
      throw new TransportError('KTS_VRRP_SOCKET_CONFIG', 'IPv4 advert transport needs an IPv4 source address');
    }
    for (const a of [...this.#peers, this.#group]) {
      if (!isIPv4(a)) throw new TransportError('KTS_VRRP_SOCKET_CONFIG', `not an IPv4 address: ${a}`);
    }
    if (this.mode === 'multicast' && options.interfaceName === undefined) {
      throw new TransportError('KTS_VRRP_SOCKET_CONFIG', 'multicast adverts need an interface');
    }
    this.#source = source;
    const ifname = options.interfaceName;
    let ifindex: number | undefined;
    if (ifname !== undefined) {
      ifindex = loadNative().ifNameToIndex(ifname);
      if (ifindex === 0) throw new TransportError('KTS_VRRP_SOCKET_SETUP', `no such interface: ${ifname}`);
    }
    this.ifindex = ifindex;

    let socket: Socket;
    try {
      socket = raw.createSocket({ protocol: IPPROTO_VRRP, addressFamily: raw.AddressFamily.IPv4, bufferSize: RECEIVE_BUFFER_BYTES });
    } catch (err) {
      throw new TransportError('KTS_VRRP_SOCKET_SETUP', `cannot open raw IPv4 socket: ${String(err)}`, { cause: err });
    }
    this.#socket = socket;
    try {
      const opt = (level: number, option: number, value: Buffer): void => socket.setOption(level, option, value, value.length);
      opt(IPPROTO_IP, IP_HDRINCL, cInt(1));
      if (ifname !== undefined && ifindex !== undefined) {
        opt(SOL_SOCKET, SO_BINDTODEVICE, ifnameOption(ifname));
        opt(IPPROTO_IP, IP_MULTICAST_IF, ipMreqn('0.0.0.0', ifindex, this.#source));
      }
      opt(IPPROTO_IP, IP_MULTICAST_TTL, cInt(VRRP_TTL));
      opt(IPPROTO_IP, IP_MULTICAST_LOOP, cInt(0));
      opt(IPPROTO_IP, IP_MULTICAST_ALL, cInt(0));
      if (options.receiveBufferBytes !== undefined) opt(SOL_SOCKET, SO_RCVBUF, cInt(options.receiveBufferBytes));
      if (this.mode === 'multicast' && ifindex !== undefined) {
        opt(IPPROTO_IP, IP_ADD_MEMBERSHIP, ipMreqn(this.#group, ifindex));
      }
    } catch (err) {
      socket.close();
      throw new TransportError('KTS_VRRP_SOCKET_SETUP', `raw IPv4 socket setup failed: ${String(err)}`, { cause: err });
    }

    const minTtl = options.minReceiveTtl ?? 0;
    socket.on('message', (buffer: Buffer, source: string) => {
      const bytes = Buffer.from(buffer); // raw-socket reuses its receive buffer
      const ipHeaderOk = bytes.length >= IPV4_HEADER_LENGTH;
      // IP_MINTTL is only enforced by the kernel for TCP/UDP, not raw sockets: filter here.
      if (minTtl > 0 && (!ipHeaderOk || (bytes[8] ?? 0) < minTtl)) return;
      options.onPacket({
        family: 4,
        bytes,
        source,
        destination: ipHeaderOk ? [...bytes.subarray(16, 20)].join('.') : undefined,
        ttl: ipHeaderOk ? bytes[8] : undefined,
        ifindex,
      });
    });
    socket.on('error', (err: Error) => {
      // raw-socket closes the socket after emitting an error.
      this.#closed = true;
      options.onError?.(new TransportError('KTS_VRRP_SOCKET_SETUP', `raw IPv4 socket error: ${err.message}`, { cause: err }));
    });
  }

  destinations(): readonly string[] {
    return this.mode === 'unicast' ? this.#peers : [this.#group];
  }

  setSourceAddress(address: string): void {
    if (!isIPv4(address)) throw new TransportError('KTS_VRRP_SOCKET_CONFIG', `not an IPv4 address: ${address}`);
    this.#source = address;
  }

  sendTo(payload: Uint8Array, destination: string, ipId?: number): Promise<number> {
    if (this.#closed) return Promise.reject(new TransportError('KTS_VRRP_SOCKET_CLOSED', 'transport is closed'));
    if (!isIPv4(destination)) {
      return Promise.reject(new TransportError('KTS_VRRP_SOCKET_CONFIG', `not an IPv4 address: ${destination}`));
    }
    let id = ipId;
    if (id === undefined) {
      this.#identification = nextIpId(this.#identification);
      id = this.#identification;
    }
    let datagram: Buffer;
    try {
      datagram = buildIpv4Packet(payload, { src: this.#source, dst: destination, id, ttl: this.#ttl });
    } catch (err) {
      return Promise.reject(new TransportError('KTS_VRRP_SOCKET_SEND', `advert to ${destination}: ${String(err)}`, { cause: err }));
    }
    return new Promise((resolve, reject) => {
      this.#socket.send(datagram, 0, datagram.length, destination, (error, bytes) => {
        if (error) {
          reject(new TransportError('KTS_VRRP_SOCKET_SEND', `advert to ${destination}: ${error.message}`, { cause: error }));
        } else {
          resolve(bytes);
        }
      });
    });
  }

  sendToAll(encode: (destination: string) => Uint8Array): Promise<readonly SendOutcome[]> {
    return sendToEach(this.destinations(), encode, (payload, destination) => this.sendTo(payload, destination));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.close();
  }
}
