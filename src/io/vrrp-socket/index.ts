/**
 * VRRP advert transport: raw IP protocol 112 sockets, IPv4 over raw-socket (IP_HDRINCL, like
 * keepalived) and IPv6 over the native addon (recvmsg ancillary data). Moves bytes only.
 */
import { Ipv4AdvertTransport } from './ipv4-transport.js';
import { Ipv6AdvertTransport } from './ipv6-transport.js';
import type { AdvertTransport, AdvertTransportOptions } from './types.js';

export * from './types.js';
export * from './constants.js';
export { Ipv4AdvertTransport } from './ipv4-transport.js';
export { defaultSourceAddress } from './source-address.js';
export { AdvertSocketPool, advertVrid } from './pool.js';
export type { SharedAdvertChannel } from './pool.js';
export { Ipv6AdvertTransport } from './ipv6-transport.js';

/** Open the transport for one (interface, family, mode). Throws TransportError on setup failure. */
export function openAdvertTransport(options: AdvertTransportOptions): AdvertTransport {
  return options.family === 4 ? new Ipv4AdvertTransport(options) : new Ipv6AdvertTransport(options);
}
