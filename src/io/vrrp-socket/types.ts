/**
 * The advert transport port: moves VRRP advert bytes between an instance and the wire, one
 * transport per (interface, family, multicast|unicast). It never parses VRRP; the codec
 * (src/vrrp/packet) encodes per destination (the v3 checksum covers the destination address) and
 * decodes what `onPacket` delivers.
 */

export type IpFamily = 4 | 6;

export interface AdvertTransportOptions {
  readonly family: IpFamily;
  /** Interface the instance runs on (SO_BINDTODEVICE, multicast interface, group join). May be
   *  omitted only in unicast mode. */
  readonly interfaceName?: string;
  /** Source address: mcast_src_ip / unicast_src_ip. Default: the interface's first IPv4 address
   *  (IPv4; it goes into the IP_HDRINCL header) or its link-local address (IPv6). */
  readonly sourceAddress?: string;
  /** Multicast group (vrrp_mcast_group4/6); default 224.0.0.18 / ff02::12. */
  readonly multicastGroup?: string;
  /** unicast_peer addresses; non-empty ⇒ unicast mode (one packet per peer, no group join). */
  readonly unicastPeers?: readonly string[];
  /**
   * TTL / hop limit of unicast adverts (unicast_ttl). Unset: IPv4 sends 255; IPv6 leaves the kernel's
   * unicast hop limit (the interface's hop_limit, normally 64), as keepalived 2.2.7 does (observed:
   * `hlim 64`). Multicast always uses 255.
   */
  readonly ttl?: number;
  /** If set, received packets with a smaller TTL / hop limit are dropped before delivery, read
   *  from the IPv4 header / the IPV6_HOPLIMIT cmsg (the kernel enforces IP_MINTTL and
   *  IPV6_MINHOPCOUNT only for TCP/UDP, not raw sockets). Leave unset to let the codec see and
   *  count TTL errors itself. */
  readonly minReceiveTtl?: number;
  /** SO_RCVBUF (keepalived kernel_rx_buf_size). */
  readonly receiveBufferBytes?: number;
  readonly onPacket: (packet: ReceivedAdvertPacket) => void;
  /** Socket errors after setup (send errors are reported by the send promise). */
  readonly onError?: (err: Error) => void;
}

export interface ReceivedAdvertPacket {
  readonly family: IpFamily;
  /** IPv4: the whole IP datagram incl. the IPv4 header (raw-socket delivers it).
   *  IPv6: the VRRP message only (raw IPv6 sockets never deliver the IPv6 header). A copy. */
  readonly bytes: Buffer;
  readonly source: string;
  /** IPv4: from the IP header; IPv6: from IPV6_PKTINFO. */
  readonly destination?: string;
  /** IPv4: TTL from the IP header; IPv6: hop limit from IPV6_HOPLIMIT. */
  readonly ttl?: number;
  /** Arrival interface: IPV6_PKTINFO on IPv6; the bound interface on IPv4. */
  readonly ifindex?: number;
}

export interface AdvertTransport {
  readonly family: IpFamily;
  readonly mode: 'multicast' | 'unicast';
  readonly ifindex: number | undefined;
  /** Where one advert goes: [group] or the unicast peers, in configuration order. */
  destinations(): readonly string[];
  /**
   * Send one VRRP message (no IP header) to one destination; resolves with the bytes sent. `ipId`: the
   * IPv4 identification to write (a shared socket's instances keep their own counters); the transport's
   * own counter when omitted; ignored on IPv6.
   */
  sendTo(payload: Uint8Array, destination: string, ipId?: number): Promise<number>;
  /** Encode per destination and send to all; never rejects: per-destination results. */
  sendToAll(encode: (destination: string) => Uint8Array): Promise<readonly SendOutcome[]>;
  /** Change the source address used from now on (primary address changed). */
  setSourceAddress(address: string): void;
  close(): void;
}

export type SendOutcome =
  | { readonly destination: string; readonly ok: true; readonly bytes: number }
  | { readonly destination: string; readonly ok: false; readonly error: Error };

export class TransportError extends Error {
  constructor(
    readonly code: 'KTS_VRRP_SOCKET_SETUP' | 'KTS_VRRP_SOCKET_SEND' | 'KTS_VRRP_SOCKET_CLOSED' | 'KTS_VRRP_SOCKET_CONFIG',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}
