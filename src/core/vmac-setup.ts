/**
 * `use_vmac`, the lifecycle: makes (or adopts) the VMAC link of each instance that wants one, writes
 * the sysctls keepalived writes (vmac-plan.ts) and puts the originals back, recreates a VMAC deleted
 * under a running instance, and deletes only the links it made or adopted.
 *
 *   bind(instance)     link made down → VMAC sysctls → up; IPv4: base sysctls and all.rp_filter;
 *                      when adverts use the VMAC, igmp_link_local_mcast_reports 0 (IPv4) or a copy
 *                      of the base's link-local address on the VMAC (IPv6: nodad, preferred_lft 0, the
 *                      advert source, as keepalived 2.2.7 does)
 *   recreate(key)      someone deleted the link: a new one with the same plan (keepalived does the same)
 *   release(key)       link deleted; base sysctls restored when its last VMAC goes, rp_filter when the
 *                      last IPv4 VMAC goes (keepalived 2.2.7 leaves the base arp_ignore/arp_filter set;
 *                      we restore them — a daemon that stops leaves the host as it found it)
 *
 * Errors: creation failures throw VmacSetupError (KTS_VMAC_CREATE); sysctl write failures are logged
 * (KTS_VMAC_SYSCTL) and do not stop the instance.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { HostInterface, VipSpec, VmacInterface, VmacSpec } from '../io/netlink/index.js';
import type { ResolvedInstance } from './instance-config.js';
import { baseLinkSysctls, chooseVmacName, igmpSysctls, ipv4Conf, isLinkLocalGroup4, rpFilterSysctls, vmacLinkSysctls, withVmac } from './vmac-plan.js';
import { vmacXmitOnBase } from './vmac-channel.js';
import type { ResolvedVmac, SysctlWrite } from './vmac-plan.js';
import { vmacChanged } from './vmac-plan.js';

/** `/proc/sys/net/<key>` access (`ipv4/conf/eth0/arp_ignore`); tests use an in-memory map. */
export interface SysctlPort {
  /** Current value; undefined when the entry does not exist or is not a number. */
  read(key: string): number | undefined;
  /** Throws when the entry cannot be written. */
  write(key: string, value: number): void;
}

export const procSysctl: SysctlPort = {
  read(key) {
    try {
      const n = Number.parseInt(readFileSync(`/proc/sys/net/${key}`, 'utf8').trim(), 10);
      return Number.isNaN(n) ? undefined : n;
    } catch {
      return undefined;
    }
  },
  write(key, value) {
    writeFileSync(`/proc/sys/net/${key}`, `${value}\n`);
  },
};

/** The part of io/netlink VmacManager this module uses. */
export interface VmacLinkPort {
  create(spec: VmacSpec): Promise<VmacInterface>;
  remove(ifindex: number): Promise<boolean>;
  setAdmin(ifindex: number, up: boolean): Promise<void>;
  adopt(vmac: VmacInterface): void;
}

export interface VmacSetupDeps {
  readonly links: VmacLinkPort;
  readonly sysctl: SysctlPort;
  readonly log: Logger;
  /** Fresh view of the host's links (names in use, leftovers). */
  readonly listInterfaces: () => Promise<readonly HostInterface[]>;
  /** Address programming (io/netlink AddressManager): the link-local address of an IPv6 VMAC. */
  readonly addresses?: { add(spec: VipSpec): Promise<unknown> };
}

/** RT_SCOPE_LINK */
const SCOPE_LINK = 253;

export class VmacSetupError extends Error {
  readonly code = 'KTS_VMAC_CREATE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VmacSetupError';
  }
}

/** A VMAC link in use by one instance (by reload key). */
export interface BoundVmac {
  readonly instance: string;
  readonly vmac: ResolvedVmac;
  readonly ifindex: number;
  readonly ifname: string;
  readonly vrid: number;
  /** Adverts are sent and received on the VMAC (not the base interface). */
  readonly advertsOnVmac: boolean;
  /** IPv6: the base's link-local address, copied onto the VMAC as the advert source. */
  readonly linkLocal?: string;
}

/** The link-local address an IPv6 instance sends from: its source address, else the base's first one. */
function baseLinkLocal(inst: ResolvedInstance, host: readonly HostInterface[]): string | undefined {
  if (inst.sourceAddress !== null && /^fe80:/i.test(inst.sourceAddress)) return inst.sourceAddress;
  const base = host.find((i) => i.index === inst.vmac?.baseIfindex);
  return base?.addresses.find((a) => a.family === 6 && /^fe80:/i.test(a.address))?.address;
}

const RP_GROUP = 'rp_filter';
const IGMP_GROUP = 'igmp';
const baseGroup = (ifindex: number): string => `base:${ifindex}`;

export class VmacSetup {
  private readonly bound = new Map<string, BoundVmac>();
  /** Links we are deleting ourselves: their RTM_DELLINK is not an external deletion. */
  private readonly releasing = new Set<number>();
  /** Original sysctl values per restore group (`base:<ifindex>`, `rp_filter`). */
  private readonly saved = new Map<string, Map<string, number>>();

  constructor(private readonly deps: VmacSetupDeps) {}

  /** The VMACs in use, by instance key. */
  get links(): ReadonlyMap<string, BoundVmac> {
    return this.bound;
  }

  /** Instance key whose VMAC has this ifindex (not while we delete it ourselves). */
  ownerOf(ifindex: number): string | undefined {
    if (this.releasing.has(ifindex)) return undefined;
    for (const [key, b] of this.bound) if (b.ifindex === ifindex) return key;
    return undefined;
  }

  /**
   * The instance on its VMAC: reuses the link already bound to this instance key when the plan is the
   * same, otherwise makes or adopts one. Instances without use_vmac come back unchanged.
   */
  async bind(inst: ResolvedInstance, ifaces?: readonly HostInterface[]): Promise<ResolvedInstance> {
    const v = inst.vmac;
    if (v === undefined) return inst;
    const have = this.bound.get(inst.key);
    if (have !== undefined && !vmacChanged(have.vmac, v)) {
      this.bound.set(inst.key, { ...have, instance: inst.name });
      return withVmac(inst, { ifindex: have.ifindex, name: have.ifname });
    }
    if (have !== undefined) await this.release(inst.key);
    const host = ifaces ?? (await this.deps.listInterfaces());
    const link = await this.makeLink(inst.name, inst.vrid, v, inst.key, host);
    const advertsOnVmac = !vmacXmitOnBase(v, inst.unicastPeers.length > 0);
    const linkLocal = advertsOnVmac && v.family === 6 ? baseLinkLocal(inst, host) : undefined;
    this.bound.set(inst.key, { instance: inst.name, vmac: v, ifindex: link.ifindex, ifname: link.name, vrid: inst.vrid, advertsOnVmac, ...(linkLocal !== undefined ? { linkLocal } : {}) });
    await this.addLinkLocal(inst.key);
    this.applyHostSysctls(v, host);
    if (advertsOnVmac && v.family === 4) {
      this.writeAll(igmpSysctls((k) => this.deps.sysctl.read(k)), IGMP_GROUP);
      if (!isLinkLocalGroup4(inst.multicastGroup)) {
        this.deps.log.warn({ code: 'KTS_VMAC_IGMP' }, `(${inst.name}) multicast group ${inst.multicastGroup} is not link-local: IGMP reports for it leave ${link.name} with the virtual MAC`);
      }
    }
    return withVmac(inst, { ifindex: link.ifindex, name: link.name });
  }

  /**
   * The VMAC of `key` was deleted by someone else: make a new one with the same plan (keepalived:
   * "Interface vrrp.N deleted", then "Success creating VMAC interface"). Returns the new link.
   */
  async recreate(key: string): Promise<{ readonly ifindex: number; readonly name: string } | undefined> {
    const b = this.bound.get(key);
    if (b === undefined) return undefined;
    this.deps.log.info(`Interface ${b.ifname} deleted`);
    await this.deps.links.remove(b.ifindex).catch(() => false); // forgets the index (ENODEV)
    const link = await this.makeLink(b.instance, b.vrid, b.vmac, key, await this.deps.listInterfaces());
    this.bound.set(key, { ...b, ifindex: link.ifindex, ifname: link.name });
    await this.addLinkLocal(key);
    return { ifindex: link.ifindex, name: link.name };
  }

  /** Deletes the VMAC of `key` and restores the sysctls nobody needs any more. */
  async release(key: string): Promise<void> {
    const b = this.bound.get(key);
    if (b === undefined) return;
    this.bound.delete(key);
    this.releasing.add(b.ifindex);
    try {
      if (await this.deps.links.remove(b.ifindex)) this.deps.log.info(`(${b.instance}) Success removing VMAC interface ${b.ifname}`);
    } catch (err) {
      this.deps.log.error({ err, code: 'KTS_VMAC_REMOVE' }, `(${b.instance}) cannot remove VMAC interface ${b.ifname}: ${(err as Error).message}`);
    } finally {
      this.releasing.delete(b.ifindex);
    }
    const rest = [...this.bound.values()];
    if (!rest.some((o) => o.vmac.baseIfindex === b.vmac.baseIfindex)) this.restore(baseGroup(b.vmac.baseIfindex));
    if (!rest.some((o) => o.vmac.family === 4)) this.restore(RP_GROUP);
    if (!rest.some((o) => o.advertsOnVmac)) this.restore(IGMP_GROUP);
  }

  /** Shutdown: every VMAC deleted, every sysctl put back. */
  async releaseAll(): Promise<void> {
    for (const key of [...this.bound.keys()]) await this.release(key);
    for (const group of [...this.saved.keys()]) this.restore(group);
  }

  private async makeLink(instance: string, vrid: number, v: ResolvedVmac, key: string, ifaces: readonly HostInterface[]): Promise<VmacInterface> {
    const taken = new Set([...this.bound].filter(([k]) => k !== key).map(([, b]) => b.ifname));
    const choice = chooseVmacName(v, vrid, ifaces, taken);
    if (choice.kind === 'adopt') {
      const found: VmacInterface = { ifindex: choice.iface.index, name: choice.iface.name, mac: v.mac, created: false };
      this.deps.links.adopt(found);
      this.deps.log.info(`(${instance}) Found matching interface ${found.name}`);
      this.writeAll(vmacLinkSysctls(found.name, v.family), null);
      if (!choice.iface.up) await this.deps.links.setAdmin(found.ifindex, true);
      return found;
    }
    if (choice.conflict !== null) {
      this.deps.log.warn({ code: 'KTS_VMAC_NAME_TAKEN' }, `(${instance}) interface ${choice.conflict} already exists and is not a private macvlan; using ${choice.name}`);
    }
    let link: VmacInterface;
    try {
      link = await this.deps.links.create({ parentIndex: v.baseIfindex, vrid, family: v.family, name: choice.name, mac: v.mac, mode: 'private', up: false });
    } catch (err) {
      throw new VmacSetupError(`(${instance}) cannot create VMAC interface ${choice.name} on ${v.baseIfname}: ${(err as Error).message}`, { cause: err });
    }
    // Before the link is up: an IPv4 VMAC must never send IPv6 (DAD, MLD) with the virtual MAC.
    this.writeAll(vmacLinkSysctls(link.name, v.family), null);
    try {
      await this.deps.links.setAdmin(link.ifindex, true);
    } catch (err) {
      await this.deps.links.remove(link.ifindex).catch(() => false);
      throw new VmacSetupError(`(${instance}) cannot set VMAC interface ${link.name} up: ${(err as Error).message}`, { cause: err });
    }
    this.deps.log.info(`(${instance}): Success creating VMAC interface ${link.name}`);
    return link;
  }

  /** IPv6 VMAC: the base's link-local address, not preferred (never chosen as a source by the kernel). */
  private async addLinkLocal(key: string): Promise<void> {
    const b = this.bound.get(key);
    if (b?.linkLocal === undefined || this.deps.addresses === undefined) return;
    try {
      await this.deps.addresses.add({ address: b.linkLocal, prefixLen: 64, ifindex: b.ifindex, scope: SCOPE_LINK, nodad: true, preferredLft: 0 });
    } catch (err) {
      this.deps.log.error({ err, code: 'KTS_VMAC_LINK_LOCAL' }, `(${b.instance}) cannot add ${b.linkLocal} to ${b.ifname}: ${(err as Error).message}`);
    }
  }

  /** ARP and rp_filter settings matter to IPv4 VMACs only (keepalived leaves them alone for IPv6). */
  private applyHostSysctls(v: ResolvedVmac, ifaces: readonly HostInterface[]): void {
    const read = (k: string): number | undefined => this.deps.sysctl.read(k);
    if (v.family === 4) {
      this.writeAll(baseLinkSysctls(v.baseIfname, read), baseGroup(v.baseIfindex));
      const ours = new Set([...this.bound.values()].map((b) => b.ifname));
      const others = ifaces.map((i) => i.name).filter((n) => n !== 'lo' && !ours.has(n));
      this.writeAll(rpFilterSysctls(others, read), RP_GROUP);
    }
  }

  /** Writes values, remembering the first original of each key in `group` (null: never restored). */
  private writeAll(writes: readonly SysctlWrite[], group: string | null): void {
    const saved = group === null ? undefined : (this.saved.get(group) ?? new Map<string, number>());
    if (group !== null && saved !== undefined) this.saved.set(group, saved);
    for (const w of writes) {
      const before = this.deps.sysctl.read(w.key);
      if (before === undefined && w.key.startsWith('ipv6/')) continue; // IPv6 disabled on the host
      try {
        this.deps.sysctl.write(w.key, w.value);
        if (saved !== undefined && before !== undefined && !saved.has(w.key)) saved.set(w.key, before);
      } catch (err) {
        this.deps.log.warn({ err, code: 'KTS_VMAC_SYSCTL' }, `cannot set net.${w.key.replaceAll('/', '.')} = ${w.value}: ${(err as Error).message}`);
      }
    }
  }

  /** Puts back the originals of a group; all.rp_filter first so no interface is briefly unfiltered. */
  private restore(group: string): void {
    const saved = this.saved.get(group);
    if (saved === undefined) return;
    this.saved.delete(group);
    const allKey = ipv4Conf('all', 'rp_filter');
    const order = [...saved].sort(([a], [b]) => (a === allKey ? -1 : b === allKey ? 1 : 0));
    for (const [key, value] of order) {
      try {
        this.deps.sysctl.write(key, value);
      } catch {
        // the interface is gone: nothing to restore
      }
    }
  }
}
