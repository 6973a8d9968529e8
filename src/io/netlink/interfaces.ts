/**
 * `listInterfaces()`: the host's links and their IPv4/IPv6 addresses from one RTM_GETLINK dump
 * (statistics skipped) and one RTM_GETADDR dump. Used by the `-t` validator (interface existence)
 * and at daemon start. The join of the two dumps is the pure `joinInterfaces`.
 */

import { AF_UNSPEC, IFF_RUNNING, IFF_UP, RTM_NEWADDR, RTM_NEWLINK } from './constants.js';
import type { IpFamily } from './inet.js';
import { formatMac } from './inet.js';
import { parseAddrMsg, buildGetAddrDump, type AddrMessage } from './rtnl-addr-codec.js';
import { buildGetLinkDump, parseLinkMsg, type LinkMessage } from './rtnl-link-codec.js';
import { NetlinkChannel } from './socket.js';

export interface HostAddress {
  readonly family: IpFamily;
  readonly address: string;
  readonly prefixLen: number;
  /** RT_SCOPE_* (0 global, 253 link, 254 host). */
  readonly scope: number;
  /** IPv4 label (`eth0:1`); IPv6 addresses have none. */
  readonly label?: string;
  /** IFA_F_* */
  readonly flags: number;
  readonly peer?: string;
  readonly broadcast?: string;
  /** IFA_PROTO, when the kernel reports one. */
  readonly proto?: number;
}

export interface HostInterface {
  readonly index: number;
  readonly name: string;
  /** IFF_UP: administratively up. */
  readonly up: boolean;
  /** IFF_RUNNING: operationally up (carrier and not dormant). */
  readonly running: boolean;
  /** IF_OPER_* (6 = up), when reported. */
  readonly operState?: number;
  readonly mtu: number;
  /** `aa:bb:cc:dd:ee:ff`; empty for links without a link-layer address (tun, wireguard). */
  readonly mac: string;
  /** Link kind from IFLA_INFO_KIND (`veth`, `macvlan`, `bridge`…); absent for physical NICs and lo. */
  readonly kind?: string;
  /** IFF_* */
  readonly flags: number;
  /** Lower device index (IFLA_LINK), e.g. a macvlan's parent. */
  readonly linkIndex?: number;
  readonly addresses: readonly HostAddress[];
}

/** Joins link and address messages into interfaces, ordered by index. Links without a name are skipped. */
export function joinInterfaces(links: readonly LinkMessage[], addrs: readonly AddrMessage[]): HostInterface[] {
  const byIndex = new Map<number, HostAddress[]>();
  for (const a of addrs) {
    const list = byIndex.get(a.ifindex) ?? [];
    list.push({
      family: a.family,
      address: a.address,
      prefixLen: a.prefixLen,
      scope: a.scope,
      flags: a.flags,
      ...(a.label !== undefined ? { label: a.label } : {}),
      ...(a.peer !== undefined ? { peer: a.peer } : {}),
      ...(a.broadcast !== undefined ? { broadcast: a.broadcast } : {}),
      ...(a.proto !== undefined ? { proto: a.proto } : {}),
    });
    byIndex.set(a.ifindex, list);
  }
  const out: HostInterface[] = [];
  for (const l of links) {
    if (l.name === undefined) continue;
    out.push(toHostInterface({ ...l, name: l.name }, byIndex.get(l.index) ?? []));
  }
  return out.sort((a, b) => a.index - b.index);
}

export function toHostInterface(l: LinkMessage & { readonly name: string }, addresses: readonly HostAddress[] = []): HostInterface {
  return {
    index: l.index,
    name: l.name,
    up: (l.flags & IFF_UP) !== 0,
    running: (l.flags & IFF_RUNNING) !== 0,
    ...(l.operState !== undefined ? { operState: l.operState } : {}),
    mtu: l.mtu ?? 0,
    mac: l.mac !== undefined ? formatMac(l.mac) : '',
    ...(l.kind !== undefined ? { kind: l.kind } : {}),
    flags: l.flags,
    ...(l.linkIndex !== undefined ? { linkIndex: l.linkIndex } : {}),
    addresses,
  };
}

export interface ListOptions {
  /** Reuse an open channel; otherwise one is opened and closed around the two dumps. */
  readonly channel?: NetlinkChannel;
}

/** Every interface with its addresses. Undecodable messages are skipped (the dump is best-effort). */
export async function listInterfaces(opts: ListOptions = {}): Promise<HostInterface[]> {
  const channel = opts.channel ?? NetlinkChannel.open({ recvBufferSize: 1 << 18 });
  try {
    const linkMsgs = await channel.execute(buildGetLinkDump());
    const addrMsgs = await channel.execute(buildGetAddrDump(AF_UNSPEC));
    return joinInterfaces(decodeLinks(linkMsgs), decodeAddrs(addrMsgs));
  } finally {
    if (opts.channel === undefined) channel.close();
  }
}

function decodeLinks(msgs: readonly { header: { type: number }; payload: Uint8Array }[]): LinkMessage[] {
  const out: LinkMessage[] = [];
  for (const m of msgs) {
    if (m.header.type !== RTM_NEWLINK) continue;
    const r = parseLinkMsg(m.payload);
    if (r.ok) out.push(r.value);
  }
  return out;
}

function decodeAddrs(msgs: readonly { header: { type: number }; payload: Uint8Array }[]): AddrMessage[] {
  const out: AddrMessage[] = [];
  for (const m of msgs) {
    if (m.header.type !== RTM_NEWADDR) continue;
    const r = parseAddrMsg(m.payload);
    if (r.ok && r.value !== null) out.push(r.value);
  }
  return out;
}
