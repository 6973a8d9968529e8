/**
 * Resolves one validated `vrrp_instance` against the live host: everything the instance driver needs at
 * run time that the pure FSM parameters do not carry — interface index and MAC, the advert source address,
 * VIPs as netlink specs, authentication, unicast peers, notify scripts — plus the FSM's
 * `VrrpInstanceParams`.
 *
 * Also defines the reload identity of an instance: keepalived matches old↔new instances by
 * (VRID, family, interface, unicast/multicast), not by name (`instanceKey`).
 */
import type { EffectiveInstance } from '../config/validate/index.js';
import type { GlobalDefs, KeepalivedConfig, NotifyScripts, ScriptSpec, VirtualIpAddress } from '../config/model.js';
import type { HostInterface } from '../io/netlink/index.js';
import { parseRtScope } from '../io/netlink/scope.js';
import type { VipSpec } from '../io/netlink/index.js';
import type { VrrpInstanceParams } from '../vrrp/params.js';
import { vrrpParamsFromConfig } from '../vrrp/params-from-config.js';
import { VRRP_IPV4_GROUP, VRRP_IPV6_GROUP } from '../vrrp/packet/index.js';
import { resolveVmac } from './vmac-plan.js';
import type { ResolvedVmac } from './vmac-plan.js';


/** A VIP as configured plus the netlink spec used to add/remove it. */
export interface ResolvedVip {
  readonly address: string;
  readonly family: 4 | 6;
  readonly ifname: string;
  readonly spec: VipSpec;
  /** virtual_ipaddress_excluded: installed but not advertised. */
  readonly excluded: boolean;
}

export interface ResolvedInstance {
  readonly name: string;
  readonly params: VrrpInstanceParams;
  readonly family: 4 | 6;
  readonly version: 2 | 3;
  readonly vrid: number;
  readonly ifname: string;
  readonly ifindex: number;
  readonly mac: string;
  /** Source address of our adverts (unicast_src_ip / mcast_src_ip / interface primary address). */
  readonly sourceAddress: string | null;
  /** True when the source comes from unicast_src_ip / mcast_src_ip (never replaced at run time). */
  readonly sourceConfigured: boolean;
  readonly multicastGroup: string;
  readonly unicastPeers: readonly string[];
  /**
   * unicast_peer `min_ttl`/`max_ttl` per peer address (absent: 0–255). keepalived 2.2.7 checks the
   * received TTL / hop limit against the sending peer's window only when check_unicast_src is on
   * (which naming min_ttl/max_ttl turns on).
   */
  readonly unicastPeerTtl?: readonly UnicastPeerTtl[];
  /** unicast_ttl; null = not configured: IPv4 sends 255, IPv6 the kernel's unicast hop limit (64). */
  readonly unicastTtl: number | null;
  /** check_unicast_src / vrrp_check_unicast_src: unicast adverts must come from a configured peer. */
  readonly checkUnicastSrc: boolean;
  /**
   * skip_check_adv_addr / vrrp_skip_check_adv_addr: a BACKUP does not compare the VIP list of adverts from
   * the master it already knows (keepalived's vrrp_state_backup); all other adverts are checked.
   */
  readonly skipCheckAdvAddr: boolean;
  /** v2 auth: 0 none, 1 PASS. */
  readonly authType: 0 | 1;
  readonly authPass: string;
  /** Wire advert interval (v2: whole seconds × 100; v3: centiseconds). */
  readonly adverIntervalCs: number;
  readonly vips: readonly ResolvedVip[];
  readonly notify: NotifyScripts & { readonly masterRxLowerPri: ScriptSpec | null; readonly deleted?: ScriptSpec | null };
  /** Reload identity. */
  readonly key: string;
  /**
   * use_vmac: the macvlan the instance runs on (vmac-plan.ts). Until the daemon has made the link
   * (`withVmac`), ifname/ifindex/mac and the VIPs are those of the base interface.
   */
  readonly vmac?: ResolvedVmac;
}

/** Accepted TTL / hop-limit window of adverts from one unicast peer. */
export interface UnicastPeerTtl {
  readonly address: string;
  readonly minTtl: number;
  readonly maxTtl: number;
}

export class InstanceResolveError extends Error {
  constructor(
    readonly code: 'KTS_INSTANCE_NO_INTERFACE' | 'KTS_INSTANCE_NO_VRID' | 'KTS_INSTANCE_NO_SOURCE',
    message: string,
  ) {
    super(message);
    this.name = 'InstanceResolveError';
  }
}

/** keepalived's reload identity: (VRID, family, interface, unicast|multicast). */
export function instanceKey(vrid: number, family: 4 | 6, ifname: string, unicast: boolean): string {
  return `${vrid}/${family === 4 ? 'inet' : 'inet6'}/${ifname}/${unicast ? 'unicast' : 'multicast'}`;
}

function familyNum(f: 'inet' | 'inet6'): 4 | 6 {
  return f === 'inet' ? 4 : 6;
}

function resolveVip(v: VirtualIpAddress, defaultIf: string, byName: ReadonlyMap<string, HostInterface>, excluded: boolean): ResolvedVip | undefined {
  const ifname = v.dev ?? defaultIf;
  const iface = byName.get(ifname);
  if (iface === undefined) return undefined;
  const spec: VipSpec = {
    address: v.address,
    prefixLen: v.prefixLen,
    ifindex: iface.index,
    ...(v.broadcast !== null && v.broadcast !== '-' && v.broadcast !== '+' ? { brd: v.broadcast } : {}),
    ...(parseRtScope(v.scope) !== undefined ? { scope: parseRtScope(v.scope) } : {}),
    ...(v.label !== null ? { label: v.label } : {}),
    ...(v.peer !== null ? { peer: v.peer } : {}),
    ...(v.preferredLftSec !== null ? { preferredLft: v.preferredLftSec } : {}),
    ...(v.noprefixroute ? { noprefixroute: true } : {}),
    ...(v.home ? { home: true } : {}),
    ...(v.mngtmpaddr ? { mngtmpaddr: true } : {}),
    ...(v.autojoin ? { autojoin: true } : {}),
  };
  return { address: v.address, family: familyNum(v.family), ifname, spec, excluded };
}

/** First global-scope address of `family` on the interface that is not one of `exclude`. */
export function primaryAddress(iface: HostInterface, family: 4 | 6, exclude: ReadonlySet<string>): string | null {
  const candidates = iface.addresses.filter((a) => a.family === family && !exclude.has(a.address));
  if (family === 6) {
    const ll = candidates.find((a) => /^fe80:/i.test(a.address));
    return ll?.address ?? candidates[0]?.address ?? null;
  }
  return candidates[0]?.address ?? null;
}

/**
 * Resolves `eff` against the host interfaces. Throws InstanceResolveError when the instance cannot
 * run (no interface, no VRID); VIPs on unknown interfaces are skipped (returned in `skipped`).
 */
export function resolveInstance(
  eff: EffectiveInstance,
  cfg: KeepalivedConfig,
  interfaces: readonly HostInterface[],
): { readonly instance: ResolvedInstance; readonly skipped: readonly string[] } {
  const vi = eff.instance;
  const g: GlobalDefs = cfg.globalDefs;
  const byName = new Map(interfaces.map((i) => [i.name, i] as const));
  if (vi.virtualRouterId === null) throw new InstanceResolveError('KTS_INSTANCE_NO_VRID', `(${vi.name}) no virtual_router_id`);
  const ifname = vi.interface?.name ?? g.defaultInterface ?? 'eth0';
  const iface = byName.get(ifname);
  if (iface === undefined) throw new InstanceResolveError('KTS_INSTANCE_NO_INTERFACE', `(${vi.name}) interface ${ifname} does not exist`);
  const family = familyNum(eff.family);
  const skipped: string[] = [];
  const vips: ResolvedVip[] = [];
  for (const [list, excluded] of [
    [vi.virtualIpAddresses, false],
    [vi.virtualIpAddressesExcluded, true],
  ] as const) {
    for (const v of list) {
      if (!excluded && familyNum(v.family) !== family) {
        skipped.push(v.address);
        continue;
      }
      const r = resolveVip(v, ifname, byName, excluded);
      if (r === undefined) skipped.push(v.address);
      else vips.push(r);
    }
  }
  const vipSet = new Set(vips.map((v) => v.address));
  const familyPeers = vi.unicastPeers.filter((p) => familyNum(p.family) === family);
  const unicastPeers = familyPeers.map((p) => p.address);
  const sourceAddress = vi.unicastSrcIp?.address ?? vi.mcastSrcIp?.address ?? primaryAddress(iface, family, vipSet);
  const auth = vi.authentication;
  const authType: 0 | 1 = eff.version === 2 && auth !== null && auth.type === 'PASS' ? 1 : 0;
  const mapped = vrrpParamsFromConfig(cfg, [eff]).instances[0];
  if (mapped === undefined) throw new InstanceResolveError('KTS_INSTANCE_NO_VRID', `(${vi.name}) cannot map the instance`);
  // `syncGroup` stays as configured: the daemon clears it when it does not run the group (see withSyncGroup).
  const params: VrrpInstanceParams = {
    ...mapped,
    primaryAddress: mapped.primaryAddress ?? sourceAddress,
    interfaceName: ifname,
    vips: vips.filter((v) => !v.excluded).map((v) => v.address),
    excludedVips: vips.filter((v) => v.excluded).map((v) => v.address),
  };
  const instance: ResolvedInstance = {
    name: vi.name,
    params,
    family,
    version: eff.version,
    vrid: vi.virtualRouterId,
    ifname,
    ifindex: iface.index,
    mac: iface.mac,
    sourceAddress,
    sourceConfigured: (vi.unicastSrcIp ?? vi.mcastSrcIp) !== null,
    multicastGroup: vi.mcastDstIp?.address ?? (family === 4 ? (g.vrrpMcastGroup4 || VRRP_IPV4_GROUP) : (g.vrrpMcastGroup6 || VRRP_IPV6_GROUP)),
    unicastPeers,
    unicastPeerTtl: familyPeers.map((p) => ({ address: p.address, minTtl: p.minTtl, maxTtl: p.maxTtl })),
    unicastTtl: family === 4 ? (vi.unicastTtl ?? 255) : vi.unicastTtl,
    checkUnicastSrc: vi.checkUnicastSrc || g.vrrpCheckUnicastSrc,
    skipCheckAdvAddr: vi.skipCheckAdvAddr,
    authType,
    authPass: authType === 1 && auth !== null ? auth.pass : '',
    adverIntervalCs: eff.adverIntervalCs,
    vips,
    notify: { ...vi.notify, masterRxLowerPri: vi.notify.masterRxLowerPri },
    key: instanceKey(vi.virtualRouterId, family, ifname, unicastPeers.length > 0),
    ...(vi.useVmac !== null
      ? { vmac: resolveVmac(vi.useVmac, { vrid: vi.virtualRouterId, family, xmitBase: vi.vmacXmitBase, strict: g.vrrpStrict }, g, iface) }
      : {}),
  };
  return { instance, skipped };
}

/** The same instance with another sync-group membership (null = runs on its own). */
export function withSyncGroup(inst: ResolvedInstance, syncGroup: string | null): ResolvedInstance {
  return inst.params.syncGroup === syncGroup ? inst : { ...inst, params: { ...inst.params, syncGroup } };
}

/** The same instance with another (interface primary) source address. */
export function withSourceAddress(inst: ResolvedInstance, sourceAddress: string | null): ResolvedInstance {
  return { ...inst, sourceAddress, params: { ...inst.params, primaryAddress: sourceAddress } };
}
