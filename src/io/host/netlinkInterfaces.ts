/**
 * Live interface list over rtnetlink (RTM_GETLINK + RTM_GETADDR dumps), the same source keepalived's
 * `kernel_netlink_read_interfaces()` uses before validating a configuration.
 */
import { createRtNetlink } from 'netlink';
import type { AddressFamily } from '../../config/model.js';
import type { HostAddress, HostInterface } from './types.js';

const AF_INET = 2;
const AF_INET6 = 10;

function formatMac(buf: Uint8Array | undefined): string | null {
  if (buf === undefined || buf.length === 0) return null;
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Textual form of a raw IPv4/IPv6 address; null for anything else. */
export function formatIp(buf: Uint8Array | undefined): string | null {
  if (buf === undefined) return null;
  if (buf.length === 4) return Array.from(buf).join('.');
  if (buf.length !== 16) return null;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((buf[i] ?? 0) << 8) | (buf[i + 1] ?? 0));
  // Longest run of zero words (length ≥ 2) becomes '::' (RFC 5952).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Dumps links and addresses of the current network namespace. */
export async function readInterfaces(): Promise<HostInterface[]> {
  const socket = createRtNetlink();
  try {
    const links = await socket.getLinks();
    const addrs = await socket.getAddresses();
    const byIndex = new Map<number, HostAddress[]>();
    for (const a of addrs) {
      const family: AddressFamily | null = a.data.family === AF_INET ? 'inet' : a.data.family === AF_INET6 ? 'inet6' : null;
      const text = formatIp(a.attrs.local ?? a.attrs.address);
      const index = a.data.index;
      if (family === null || text === null || index === undefined) continue;
      const list = byIndex.get(index) ?? [];
      list.push({ family, address: text, prefixLen: a.data.prefixlen ?? 0 });
      byIndex.set(index, list);
    }
    const out: HostInterface[] = [];
    for (const l of links) {
      const name = l.attrs.ifname;
      const index = l.data.index;
      if (name === undefined || index === undefined) continue;
      out.push({
        index,
        name,
        up: l.data.flags?.up === true,
        multicast: l.data.flags?.multicast === true,
        mtu: l.attrs.mtu ?? null,
        mac: formatMac(l.attrs.address),
        addresses: byIndex.get(index) ?? [],
      });
    }
    return out;
  } finally {
    socket.socket.close();
  }
}
