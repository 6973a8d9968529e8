/**
 * Default advert source address when the configuration gives none (no mcast_src_ip /
 * unicast_src_ip): the interface's primary IPv4 address, or its IPv6 link-local address
 * (RFC 5798 §5.1.2.1), read with os.networkInterfaces() in the calling thread's namespace.
 */
import { networkInterfaces } from 'node:os';

export function defaultSourceAddress(interfaceName: string, family: 4 | 6): string | undefined {
  const addrs = networkInterfaces()[interfaceName] ?? [];
  if (family === 4) return addrs.find((a) => a.family === 'IPv4')?.address;
  return addrs.find((a) => a.family === 'IPv6' && /^fe[89ab][0-9a-f]:/i.test(a.address))?.address;
}
