/**
 * Shared advert sockets, like keepalived's socket pool: instances whose transports would be set up
 * alike (family, interface, multicast|unicast, multicast group, source address, unicast TTL, receive
 * options) share one raw socket, and a received advert is handed only to the instance(s) with its VRID.
 *
 * Why: a raw IPPROTO_VRRP socket receives every VRRP packet of its interface. With one socket per
 * instance every instance parsed every advert — 50 instances at 0.1 s adverts meant 25 000 deliveries
 * a second on a BACKUP instead of 500, enough CPU to starve timers under load.
 *
 * Packets too short to carry a VRID go to every instance of the socket (each counts its drop, as
 * before); packets whose VRID no instance of the socket runs are counted (`unknownVridPackets`) and
 * dropped. Each instance keeps keepalived's own IPv4 identification counter (from 1, 0 skipped) and its
 * own destinations (group or unicast peers). Socket errors reach every instance of the socket.
 */
import { Ipv4AdvertTransport, nextIpId } from './ipv4-transport.js';
import { Ipv6AdvertTransport } from './ipv6-transport.js';
import { sendToEach } from './send-each.js';
import type { AdvertTransport, AdvertTransportOptions, ReceivedAdvertPacket, SendOutcome } from './types.js';

/** One instance's handle on a shared socket. */
export interface SharedAdvertChannel {
  readonly vrid: number;
  destinations(): readonly string[];
  sendToAll(encode: (destination: string) => Uint8Array): Promise<readonly SendOutcome[]>;
  close(): void;
}

interface Member {
  readonly vrid: number;
  readonly onPacket: (packet: ReceivedAdvertPacket) => void;
  readonly onError: ((err: Error) => void) | undefined;
}

interface SharedSocket {
  readonly key: string;
  readonly transport: AdvertTransport;
  readonly members: Set<Member>;
  readonly byVrid: Map<number, Member[]>;
}

/** The VRID of a received advert, undefined when the packet is too short to carry one. */
export function advertVrid(packet: Pick<ReceivedAdvertPacket, 'family' | 'bytes'>): number | undefined {
  const b = packet.bytes;
  if (packet.family === 6) return b.length >= 2 ? b[1] : undefined;
  if (b.length < 1) return undefined;
  const ihl = ((b[0] ?? 0) & 0x0f) * 4;
  return ihl >= 20 && b.length >= ihl + 2 ? b[ihl + 1] : undefined;
}

/** What decides whether two instances can share a socket (everything but VRID, peers and callbacks). */
function shareKey(o: AdvertTransportOptions): string {
  const mode = (o.unicastPeers ?? []).length > 0 ? 'unicast' : 'multicast';
  return JSON.stringify([o.family, o.interfaceName ?? null, mode, mode === 'multicast' ? (o.multicastGroup ?? null) : null,
    o.sourceAddress ?? null, o.ttl ?? null, o.minReceiveTtl ?? null, o.receiveBufferBytes ?? null]);
}

export class AdvertSocketPool {
  readonly #sockets = new Map<string, SharedSocket>();
  #unknownVrid = 0;

  constructor(
    private readonly openTransport: (options: AdvertTransportOptions) => AdvertTransport = (o) =>
      o.family === 4 ? new Ipv4AdvertTransport(o) : new Ipv6AdvertTransport(o),
  ) {}

  /** Adverts received for a VRID no instance of their socket runs. */
  get unknownVridPackets(): number {
    return this.#unknownVrid;
  }

  /** Raw sockets currently open. */
  get socketCount(): number {
    return this.#sockets.size;
  }

  /** Joins (or opens) the socket `options` describe for instance `vrid`. Throws TransportError like openAdvertTransport. */
  open(options: AdvertTransportOptions, vrid: number): SharedAdvertChannel {
    const key = shareKey(options);
    let shared = this.#sockets.get(key);
    if (shared === undefined) shared = this.#openShared(key, options);
    const member: Member = { vrid, onPacket: options.onPacket, onError: options.onError };
    shared.members.add(member);
    shared.byVrid.set(vrid, [...(shared.byVrid.get(vrid) ?? []), member]);
    const transport = shared.transport;
    const destinations = transport.mode === 'unicast' ? [...(options.unicastPeers ?? [])] : transport.destinations();
    let ipId = 0;
    let closed = false;
    return {
      vrid,
      destinations: () => destinations,
      sendToAll: (encode) =>
        sendToEach(destinations, encode, (payload, destination) => {
          ipId = nextIpId(ipId);
          return transport.sendTo(payload, destination, ipId);
        }),
      close: () => {
        if (closed) return;
        closed = true;
        this.#leave(shared, member);
      },
    };
  }

  /** Closes every socket (daemon stop). */
  closeAll(): void {
    for (const s of this.#sockets.values()) s.transport.close();
    this.#sockets.clear();
  }

  #openShared(key: string, options: AdvertTransportOptions): SharedSocket {
    const members = new Set<Member>();
    const byVrid = new Map<number, Member[]>();
    const transport = this.openTransport({
      ...options,
      onPacket: (packet) => {
        const vrid = advertVrid(packet);
        if (vrid === undefined) {
          for (const m of members) m.onPacket(packet);
          return;
        }
        const targets = byVrid.get(vrid);
        if (targets === undefined) {
          this.#unknownVrid++;
          return;
        }
        for (const m of targets) m.onPacket(packet);
      },
      onError: (err) => {
        for (const m of members) m.onError?.(err);
      },
    });
    const shared: SharedSocket = { key, transport, members, byVrid };
    this.#sockets.set(key, shared);
    return shared;
  }

  #leave(shared: SharedSocket, member: Member): void {
    shared.members.delete(member);
    const rest = (shared.byVrid.get(member.vrid) ?? []).filter((m) => m !== member);
    if (rest.length > 0) shared.byVrid.set(member.vrid, rest);
    else shared.byVrid.delete(member.vrid);
    if (shared.members.size === 0 && this.#sockets.get(shared.key) === shared) {
      this.#sockets.delete(shared.key);
      shared.transport.close();
    }
  }
}
