/**
 * `use_vmac`, the pure half: what VMAC (macvlan) an instance wants, which name it gets when the wanted
 * one is taken, how an instance is rebound onto its VMAC once the link exists, and which sysctls
 * keepalived 2.2.7 writes for VMACs (observed in a namespace: `ip -d link`, /proc/sys/net/ipv{4,6}/conf).
 *
 * keepalived 2.2.7, as observed:
 * - the macvlan is `use_vmac NAME` or `<vmac_prefix>.<VRID>`, mode private, MAC 00:00:5e:00:01:<VRID>
 *   (IPv6 instances …:02:<VRID>; a configured 5-octet MAC gets the VRID as 6th octet), on top of the
 *   instance interface, and stays up in BACKUP (it just holds no address);
 * - an existing link of that name that is a macvlan on the same parent with the same MAC is reused
 *   ("Found matching interface") and deleted at exit like one it created; any other link of that name
 *   makes it log "already exists and is not a private macvlan" and use `<vmac_prefix><N>.<VRID>`;
 * - VIPs of the instance's family on the instance interface (no `dev` or `dev <base>`) go on the VMAC;
 *   gratuitous ARPs leave the VMAC with the virtual MAC; adverts too unless `vmac_xmit_base`;
 * - sysctls: on the VMAC arp_ignore=1, accept_local=1, rp_filter=0, promote_secondaries=1 and for IPv4
 *   instances IPv6 disabled (addr_gen_mode 1, disable_ipv6 1); on the base interface arp_ignore=1 and
 *   arp_filter=1 (only raised from 0); when net.ipv4.conf.all.rp_filter is set (IPv4 instances), every
 *   interface and `default` get max(own, all) and all becomes 0 (man keepalived.conf: restored on exit).
 * - deliberately more than keepalived: arp_announce=2 on the base interface. Replies from a VIP leave
 *   through the base interface (its connected route comes first), and with arp_announce 0 the base's
 *   ARP request for the client says "tell <VIP>" with the base MAC, so the client's neighbour entry for
 *   the VIP flips from the virtual MAC to the base MAC (keepalived 2.2.7 does this, observed) and the
 *   VMAC no longer spares clients an ARP change at failover. arp_announce 2 makes such requests use
 *   the base interface's own address.
 * - IGMP from the VMAC: keepalived drops it with nftables; we set net.ipv4.igmp_link_local_mcast_reports
 *   to 0 while a VMAC carries adverts (vmac-channel.ts explains why).
 */
import type { GlobalDefs, UseVmac } from '../config/model.js';
import type { HostInterface } from '../io/netlink/index.js';
import type { ResolvedInstance } from './instance-config.js';

/** The VMAC an instance runs on. `ifindex` is 0 until the daemon has made (or adopted) the link. */
export interface ResolvedVmac {
  /** Wanted name: `use_vmac NAME` or `<vmac_prefix>.<VRID>`; the link may get another (see `ifname`). */
  readonly wantedName: string;
  /** Name of the link actually in use ('' before it exists). */
  readonly ifname: string;
  readonly ifindex: number;
  /** Virtual MAC, `aa:bb:cc:dd:ee:ff` lower case. */
  readonly mac: string;
  readonly baseIfname: string;
  readonly baseIfindex: number;
  readonly baseMac: string;
  /** `vmac_xmit_base`: adverts sent and received on the base interface. */
  readonly xmitBase: boolean;
  /** `vmac_prefix`, for generated alternative names. */
  readonly prefix: string;
  readonly family: 4 | 6;
}

const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');

/**
 * The virtual MAC: RFC 5798 §7.3 00:00:5e:00:01:<VRID> (IPv6 …:02:…), or the configured one; a
 * configured MAC of 5 octets takes the VRID as its last octet (man keepalived.conf).
 */
export function vmacAddress(configured: string | null, vrid: number, family: 4 | 6): string {
  if (configured !== null) {
    const octets = configured.split(':').filter((o) => o !== '');
    if (octets.length === 5) octets.push(hex2(vrid));
    return octets.map((o) => o.padStart(2, '0').toLowerCase()).join(':');
  }
  return ['00', '00', '5e', '00', family === 4 ? '01' : '02', hex2(vrid)].join(':');
}

/** The VMAC plan of an instance on `base` (before the link exists). */
export function resolveVmac(
  useVmac: UseVmac,
  opts: { readonly vrid: number; readonly family: 4 | 6; readonly xmitBase: boolean; readonly strict: boolean },
  g: Pick<GlobalDefs, 'vmacPrefix'>,
  base: HostInterface,
): ResolvedVmac {
  return {
    wantedName: useVmac.ifname ?? `${g.vmacPrefix}.${opts.vrid}`,
    ifname: '',
    ifindex: 0,
    // vrrp_strict clears a configured MAC (validate: KTS_STRICT_VMAC_MAC).
    mac: vmacAddress(opts.strict ? null : useVmac.mac, opts.vrid, opts.family),
    baseIfname: base.name,
    baseIfindex: base.index,
    baseMac: base.mac,
    // vrrp_strict resets vmac_xmit_base (validate: KTS_STRICT_XMIT_BASE).
    xmitBase: opts.xmitBase && !opts.strict,
    prefix: g.vmacPrefix,
    family: opts.family,
  };
}

/** Whether `iface` is the VMAC `v` wants: a macvlan on the same parent with the same MAC. */
export function matchesVmac(iface: HostInterface, v: ResolvedVmac): boolean {
  return iface.kind === 'macvlan' && iface.linkIndex === v.baseIfindex && iface.mac.toLowerCase() === v.mac;
}

export type VmacNameChoice =
  | { readonly kind: 'create'; readonly name: string; readonly conflict: string | null }
  | { readonly kind: 'adopt'; readonly iface: HostInterface };

/**
 * Which link to use: the wanted name when free (create) or already our VMAC (adopt); otherwise
 * `<prefix><N>.<VRID>` for the first N ≥ 1 that is free or matching. `taken` are names other
 * instances of this daemon already use. `conflict` names the link that forced another name.
 */
export function chooseVmacName(v: ResolvedVmac, vrid: number, ifaces: readonly HostInterface[], taken: ReadonlySet<string> = new Set()): VmacNameChoice {
  const byName = new Map(ifaces.map((i) => [i.name, i] as const));
  const tryName = (name: string): VmacNameChoice | undefined => {
    if (taken.has(name)) return undefined;
    const existing = byName.get(name);
    if (existing === undefined) return { kind: 'create', name, conflict: null };
    return matchesVmac(existing, v) ? { kind: 'adopt', iface: existing } : undefined;
  };
  const first = tryName(v.wantedName);
  if (first !== undefined) return first;
  for (let n = 1; n < 1000; n++) {
    const name = `${v.prefix}${n}.${vrid}`;
    if (new TextEncoder().encode(name).length > 15) break;
    const c = tryName(name);
    if (c !== undefined) return c.kind === 'create' ? { ...c, conflict: v.wantedName } : c;
  }
  return { kind: 'create', name: v.wantedName, conflict: v.wantedName };
}

/**
 * The instance rebound onto its VMAC link: it runs on the VMAC (ifname/ifindex/MAC: GARPs, link
 * state, `Interface =` in dumps), and its VIPs of the instance family on the base interface move onto
 * the VMAC. The reload key and the advert source address stay those of the base interface.
 */
export function withVmac(inst: ResolvedInstance, link: { readonly ifindex: number; readonly name: string }): ResolvedInstance {
  const v = inst.vmac;
  if (v === undefined) return inst;
  const onBase = (ifindex: number, family: 4 | 6): boolean => (ifindex === v.baseIfindex || ifindex === v.ifindex) && family === inst.family;
  return {
    ...inst,
    ifname: link.name,
    ifindex: link.ifindex,
    mac: v.mac,
    // The VMAC's link state drives FAULT (the kernel carries the base's carrier over to it).
    params: { ...inst.params, interfaceName: link.name },
    vmac: { ...v, ifname: link.name, ifindex: link.ifindex },
    vips: inst.vips.map((vip) => (onBase(vip.spec.ifindex, vip.family) ? { ...vip, ifname: link.name, spec: { ...vip.spec, ifindex: link.ifindex } } : vip)),
  };
}

/** Whether two configurations want a different VMAC (reload: such an instance is restarted). */
export function vmacChanged(a: ResolvedVmac | undefined, b: ResolvedVmac | undefined): boolean {
  if (a === undefined || b === undefined) return a !== b;
  return a.wantedName !== b.wantedName || a.mac !== b.mac || a.baseIfindex !== b.baseIfindex || a.xmitBase !== b.xmitBase;
}

// --- sysctls -----------------------------------------------------------------------------------

/** One `/proc/sys/net/…` value: path relative to /proc/sys/net, e.g. `ipv4/conf/eth0/arp_ignore`. */
export interface SysctlWrite {
  readonly key: string;
  readonly value: number;
}

export const ipv4Conf = (ifname: string, name: string): string => `ipv4/conf/${ifname}/${name}`;
export const ipv6Conf = (ifname: string, name: string): string => `ipv6/conf/${ifname}/${name}`;

/** Sysctls of a new VMAC (written before it is set up, so an IPv4 VMAC never sends IPv6 packets). */
export function vmacLinkSysctls(ifname: string, family: 4 | 6): readonly SysctlWrite[] {
  return [
    { key: ipv4Conf(ifname, 'arp_ignore'), value: 1 },
    { key: ipv4Conf(ifname, 'accept_local'), value: 1 },
    { key: ipv4Conf(ifname, 'rp_filter'), value: 0 },
    { key: ipv4Conf(ifname, 'promote_secondaries'), value: 1 },
    { key: ipv6Conf(ifname, 'addr_gen_mode'), value: 1 },
    ...(family === 4 ? [{ key: ipv6Conf(ifname, 'disable_ipv6'), value: 1 }] : []),
  ];
}

/**
 * Base interface: it must not answer ARP for VIPs that live on its VMACs with its own MAC
 * (arp_ignore 1: only for addresses of the receiving interface; arp_filter 1), nor announce a VIP
 * with its own MAC in its ARP requests (arp_announce 2, see the header). Values already at least
 * as strict are kept. `read` gives the current value (undefined: unknown).
 */
export function baseLinkSysctls(ifname: string, read: (key: string) => number | undefined): readonly SysctlWrite[] {
  const out: SysctlWrite[] = [];
  for (const [name, value] of [['arp_ignore', 1], ['arp_filter', 1], ['arp_announce', 2]] as const) {
    const key = ipv4Conf(ifname, name);
    const now = read(key);
    if (name === 'arp_announce' ? now !== undefined && now < value : now === 0) out.push({ key, value });
  }
  return out;
}

/**
 * net.ipv4.conf.all.rp_filter overrides a VMAC's rp_filter 0 (the kernel uses max(all, iface)): when
 * it is set, `default` and each listed interface get max(own, all) and all becomes 0, so every other
 * interface keeps its effective setting. Empty when all.rp_filter is 0 or unknown.
 */
export function rpFilterSysctls(ifnames: readonly string[], read: (key: string) => number | undefined): readonly SysctlWrite[] {
  const all = read(ipv4Conf('all', 'rp_filter'));
  if (all === undefined || all === 0) return [];
  const out: SysctlWrite[] = [];
  for (const name of ['default', ...ifnames]) {
    const key = ipv4Conf(name, 'rp_filter');
    const own = read(key);
    if (own !== undefined && own < all) out.push({ key, value: all });
  }
  out.push({ key: ipv4Conf('all', 'rp_filter'), value: 0 });
  return out;
}

export const IGMP_LLM_REPORTS = 'ipv4/igmp_link_local_mcast_reports';

/** No IGMP reports for 224.0.0.x groups (the VRRP group joined on a VMAC); empty when already off. */
export function igmpSysctls(read: (key: string) => number | undefined): readonly SysctlWrite[] {
  return read(IGMP_LLM_REPORTS) === 0 ? [] : [{ key: IGMP_LLM_REPORTS, value: 0 }];
}

/** Whether `group` is in 224.0.0.0/24, the only groups igmp_link_local_mcast_reports covers. */
export function isLinkLocalGroup4(group: string): boolean {
  return group.startsWith('224.0.0.');
}
