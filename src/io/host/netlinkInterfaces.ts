/**
 * Live interface list for the HostView, read over rtnetlink (RTM_GETLINK + RTM_GETADDR dumps) — the
 * same source keepalived's `kernel_netlink_read_interfaces()` uses before validating a configuration.
 * The netlink work itself is src/io/netlink's `listInterfaces`; this module only narrows its records to
 * what the validator looks at.
 */
import { IFF_MULTICAST } from '../netlink/constants.js';
import { listInterfaces } from '../netlink/interfaces.js';
import type { HostInterface } from './types.js';

/** Dumps links and addresses of the current network namespace. */
export async function readInterfaces(): Promise<HostInterface[]> {
  const links = await listInterfaces();
  return links.map((l) => ({
    index: l.index,
    name: l.name,
    up: l.up,
    multicast: (l.flags & IFF_MULTICAST) !== 0,
    mtu: l.mtu,
    mac: l.mac === '' ? null : l.mac,
    addresses: l.addresses.map((a) => ({ family: a.family === 4 ? 'inet' : 'inet6', address: a.address, prefixLen: a.prefixLen })),
  }));
}
