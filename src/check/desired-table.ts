/**
 * The desired IPVS table, pure: configuration (virtual servers, virtual_server_group expansion,
 * schedulers, methods, persistence) + pool state (`LvsPool.snapshot()`) → services and dests.
 *
 * Dest rules (keepalived ipwrapper): an alive real server is in its service with its effective
 * weight unless the sorry server is in use; a real server that is not in the pool stays at weight 0
 * when `inhibit_on_failure` is set, else it is absent. The sorry server is in at weight 1 while it
 * is in use, and at weight 0 otherwise when `sorry_server_inhibit` is set.
 */
import type { AddressFamily, LvsForwarding, RealServer, VirtualServer, VirtualServerGroup, VirtualServerGroupEntry } from '../config/model.js';
import { isIPv4, isIPv6 } from 'node:net';
import type { IpvsDest, IpvsService, IpvsServiceEntry } from '../io/netlink/ipvs-types.js';
import { destKey, serviceKey } from '../io/netlink/ipvs-types.js';
import { realWeight, type PoolSnapshot } from './pool.js';

export const IP_VS_SVC_F_PERSISTENT = 0x0001;
export const IP_VS_SVC_F_HASHED = 0x0002;
export const IP_VS_SVC_F_ONEPACKET = 0x0004;
export const IP_VS_SVC_F_SCHED1 = 0x0008;
export const IP_VS_SVC_F_SCHED2 = 0x0010;
export const IP_VS_SVC_F_SCHED3 = 0x0020;

const SCHED_FLAG_BITS: Readonly<Record<string, number>> = {
  hashed: IP_VS_SVC_F_HASHED,
  ops: IP_VS_SVC_F_ONEPACKET,
  'flag-1': IP_VS_SVC_F_SCHED1,
  'sh-fallback': IP_VS_SVC_F_SCHED1,
  'mh-fallback': IP_VS_SVC_F_SCHED1,
  'flag-2': IP_VS_SVC_F_SCHED2,
  'sh-port': IP_VS_SVC_F_SCHED2,
  'mh-port': IP_VS_SVC_F_SCHED2,
  'flag-3': IP_VS_SVC_F_SCHED3,
};

/** Most addresses one virtual_server_group entry may expand to (a /8 is refused, not expanded). */
export const MAX_GROUP_EXPANSION = 65536;

export interface DesiredEntry extends IpvsServiceEntry {
  /** Index of the virtual server in the configuration. */
  readonly vsIndex: number;
  readonly key: string;
  /** destKey of every configured real server / sorry server of this service, in the pool or not:
   *  the dests that are ours to remove (keepalived only touches what it configured). */
  readonly managedDestKeys: readonly string[];
}

export interface DesiredTable {
  readonly entries: readonly DesiredEntry[];
  /** Configuration problems found while expanding (unknown group, oversized range). */
  readonly problems: readonly string[];
}

export function computeDesiredTable(
  virtualServers: readonly VirtualServer[],
  groups: readonly VirtualServerGroup[],
  pool: PoolSnapshot,
): DesiredTable {
  const entries: DesiredEntry[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  virtualServers.forEach((vs, vsIndex) => {
    const state = pool.virtualServers[vsIndex];
    const services = expandServices(vs, groups, problems);
    for (const service of services) {
      const key = serviceKey(service);
      if (seen.has(key)) continue; // first virtual server wins, as the kernel would refuse a duplicate
      seen.add(key);
      entries.push({ vsIndex, key, service, dests: state === undefined ? [] : desiredDests(vs, service, state), managedDestKeys: managedDests(vs, service) });
    }
  });
  return { entries, problems };
}

function desiredDests(vs: VirtualServer, service: IpvsService, state: PoolSnapshot['virtualServers'][number]): IpvsDest[] {
  const dests: IpvsDest[] = [];
  vs.realServers.forEach((rs, j) => {
    const r = state.realServers[j];
    if (r === undefined) return;
    if (service.fwmark === 0 && familyOf(rs.address) !== service.family) return; // keepalived refuses mixed families without fwmark
    const inPool = r.alive && !state.sorryAlive;
    if (inPool) dests.push(dest(rs, rs.forwarding, realWeight(r.effectiveWeight), rs.uthreshold, rs.lthreshold));
    else if (rs.inhibitOnFailure) dests.push(dest(rs, rs.forwarding, 0, rs.uthreshold, rs.lthreshold));
  });
  const ss = vs.sorryServer;
  if (ss !== null && (state.sorryAlive || vs.sorryServerInhibit)) {
    const fwd = vs.sorryServerForwarding ?? vs.forwarding;
    dests.push(dest({ address: ss.address, family: ss.family, port: ss.port }, fwd, state.sorryAlive ? 1 : 0, null, null));
  }
  return dests;
}

function managedDests(vs: VirtualServer, service: IpvsService): string[] {
  const out = vs.realServers.filter((rs) => service.fwmark !== 0 || familyOf(rs.address) === service.family).map((rs) => destKey(rs));
  if (vs.sorryServer !== null) out.push(destKey(vs.sorryServer));
  return out;
}

function dest(
  rs: Pick<RealServer, 'address' | 'family' | 'port'>,
  fwd: LvsForwarding,
  weight: number,
  upper: number | null,
  lower: number | null,
): IpvsDest {
  return {
    family: rs.family,
    address: rs.address,
    port: rs.port,
    forwarding: fwd.method,
    weight,
    upperThreshold: upper ?? 0,
    lowerThreshold: lower ?? 0,
    tunnelType: fwd.method === 'TUN' ? (fwd.tunnelType ?? 'ipip') : null,
    tunnelPort: fwd.method === 'TUN' ? fwd.tunnelPort : null,
    tunnelCsum: fwd.method === 'TUN' ? fwd.tunnelChecksum : null,
  };
}

function familyOf(address: string): AddressFamily {
  return isIPv6(address) ? 'inet6' : 'inet';
}

/** The service(s) one virtual server stands for (several for a virtual_server_group). */
export function expandServices(vs: VirtualServer, groups: readonly VirtualServerGroup[], problems: string[] = []): IpvsService[] {
  const t = vs.target;
  switch (t.kind) {
    case 'ip':
      return [serviceFor(vs, t.family, t.address, t.port, 0)];
    case 'fwmark':
      return [serviceFor(vs, t.family ?? vs.ipFamily ?? rsFamily(vs), null, 0, t.fwmark)];
    case 'group': {
      const g = groups.find((x) => x.name === t.group.name);
      if (g === undefined) {
        problems.push(`virtual_server_group ${t.group.name} does not exist`);
        return [];
      }
      const out: IpvsService[] = [];
      for (const e of g.entries) {
        if (e.kind === 'fwmark') {
          out.push(serviceFor(vs, e.family ?? vs.ipFamily ?? rsFamily(vs), null, 0, e.fwmark ?? 0));
          continue;
        }
        const addrs = expandGroupEntry(e);
        if (addrs === null) {
          problems.push(`virtual_server_group ${g.name}: entry ${e.address ?? '?'} expands to more than ${MAX_GROUP_EXPANSION} addresses`);
          continue;
        }
        for (const a of addrs) out.push(serviceFor(vs, familyOf(a), a, e.port, 0));
      }
      return out;
    }
  }
}

function rsFamily(vs: VirtualServer): AddressFamily {
  return vs.realServers[0]?.family ?? 'inet';
}

function serviceFor(vs: VirtualServer, family: AddressFamily, address: string | null, port: number, fwmark: number): IpvsService {
  let flags = 0;
  for (const f of vs.schedFlags) flags |= SCHED_FLAG_BITS[f] ?? 0;
  const persistent = vs.persistenceTimeoutSec !== null;
  if (persistent) flags |= IP_VS_SVC_F_PERSISTENT;
  return {
    family,
    protocol: fwmark !== 0 ? null : vs.protocol,
    address,
    port: fwmark !== 0 ? 0 : port,
    fwmark,
    scheduler: vs.lvsSched,
    flags,
    timeoutSec: vs.persistenceTimeoutSec ?? 0,
    netmask: granularity(vs.persistenceGranularity, family),
    peName: vs.persistenceEngine,
  };
}

/** `persistence_granularity`: IPv4 dotted mask or prefix length → 32-bit mask; IPv6 → prefix length. */
export function granularity(text: string | null, family: AddressFamily): number {
  if (family === 'inet6') {
    const n = text !== null && /^\d+$/.test(text) ? Number(text) : 128;
    return n >= 1 && n <= 128 ? n : 128;
  }
  if (text === null) return 0xffffffff;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < 1 || n > 32) return 0xffffffff;
    return n === 32 ? 0xffffffff : (0xffffffff << (32 - n)) >>> 0;
  }
  return isIPv4(text) ? ipv4ToInt(text) : 0xffffffff;
}

export function ipv4ToInt(a: string): number {
  return a.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** Addresses of one `ip` group entry: single, `a.b.c.d-e` range (last octet / last IPv6 group), or CIDR. */
export function expandGroupEntry(e: VirtualServerGroupEntry): string[] | null {
  if (e.address === null) return [];
  if (e.family !== 'inet6') {
    const base = ipv4ToInt(e.address);
    if (e.rangeEnd !== null) {
      const start = base & 0xff;
      const end = Number(e.rangeEnd);
      const out: string[] = [];
      for (let o = start; o <= end; o++) out.push(intToIpv4(((base & 0xffffff00) | o) >>> 0));
      return out;
    }
    if (e.prefixLen !== null && e.prefixLen < 32) {
      const count = 2 ** (32 - e.prefixLen);
      if (count > MAX_GROUP_EXPANSION) return null;
      const net = e.prefixLen === 0 ? 0 : (base & ((0xffffffff << (32 - e.prefixLen)) >>> 0)) >>> 0;
      return Array.from({ length: count }, (_, i) => intToIpv4((net + i) >>> 0));
    }
    return [e.address];
  }
  if (e.rangeEnd !== null) {
    const groups = expandV6(e.address);
    const start = groups[7] ?? 0;
    const end = parseInt(e.rangeEnd, 16);
    const out: string[] = [];
    for (let g = start; g <= end; g++) out.push(compressV6([...groups.slice(0, 7), g]));
    return out;
  }
  if (e.prefixLen !== null && e.prefixLen < 128) {
    if (128 - e.prefixLen > 16) return null;
    const groups = expandV6(e.address);
    const hostBits = 128 - e.prefixLen;
    const last = (groups[7] ?? 0) & ~((1 << hostBits) - 1) & 0xffff;
    return Array.from({ length: 2 ** hostBits }, (_, i) => compressV6([...groups.slice(0, 7), last + i]));
  }
  return [e.address];
}

function expandV6(a: string): number[] {
  const [head = '', tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16));
}

/** RFC 5952 text of 8 groups. */
export function compressV6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
