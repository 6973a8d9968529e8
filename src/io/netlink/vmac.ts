/**
 * VMAC: the macvlan interface keepalived's `use_vmac` puts on top of the VRRP interface.
 *
 * Named `vrrp.<VRID>` by default, MAC 00:00:5e:00:01:<VRID> (RFC 5798 §7.3 virtual router MAC;
 * IPv6 instances use 00:00:5e:00:02:<VRID>), macvlan mode private (keepalived's default) or
 * bridge; created, then set up. Only interfaces this manager created are ever deleted: an existing
 * interface of the same name is returned as `created: false` and left in place at shutdown unless the
 * caller `adopt`s it (keepalived reuses and deletes a matching VMAC left by a crashed run).
 * The sysctls keepalived sets on VMACs (arp_ignore, arp_filter, accept_local, rp_filter) are not
 * this module's job.
 */

import { MACVLAN_MODE_BRIDGE, MACVLAN_MODE_PRIVATE, RTM_NEWLINK } from './constants.js';
import { NetlinkError, isKernelErrno } from './errors.js';
import { formatMac, parseMac, type IpFamily } from './inet.js';
import { buildDelLink, buildGetLinkByName, buildNewMacvlan, buildSetLinkAdmin, parseLinkMsg, type LinkMessage } from './rtnl-link-codec.js';
import type { NetlinkChannel } from './socket.js';

export type MacvlanMode = 'private' | 'bridge';

export interface VmacSpec {
  readonly parentIndex: number;
  /** 1..255 */
  readonly vrid: number;
  readonly family: IpFamily;
  /** Default `vrrp.<VRID>`. */
  readonly name?: string;
  readonly mode?: MacvlanMode;
  /** Overrides the RFC 5798 virtual router MAC (`use_vmac … MAC`). */
  readonly mac?: string;
  /** Set the link up after creation (default true); false lets the caller set sysctls first (`setAdmin`). */
  readonly up?: boolean;
}

export interface VmacInterface {
  readonly ifindex: number;
  readonly name: string;
  readonly mac: string;
  /** False when the interface already existed and was adopted. */
  readonly created: boolean;
}

/** RFC 5798 §7.3: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6. */
export function vrrpVirtualMac(vrid: number, family: IpFamily): Uint8Array {
  return Uint8Array.of(0x00, 0x00, 0x5e, 0x00, family === 4 ? 0x01 : 0x02, vrid & 0xff);
}

export function defaultVmacName(vrid: number): string {
  return `vrrp.${vrid}`;
}

export class VmacManager {
  private readonly ours = new Map<number, VmacInterface>();

  constructor(private readonly channel: NetlinkChannel) {}

  get owned(): readonly VmacInterface[] {
    return [...this.ours.values()];
  }

  async create(spec: VmacSpec): Promise<VmacInterface> {
    const bad = (why: string): NetlinkError => new NetlinkError('KTS_NETLINK_INVALID_ARGUMENT', `VMAC for VRID ${spec.vrid}: ${why}`);
    if (!Number.isInteger(spec.vrid) || spec.vrid < 1 || spec.vrid > 255) throw bad('VRID must be 1-255');
    if (!Number.isInteger(spec.parentIndex) || spec.parentIndex <= 0) throw bad(`bad parent index ${spec.parentIndex}`);
    const name = spec.name ?? defaultVmacName(spec.vrid);
    const nameBytes = new TextEncoder().encode(name).length;
    if (nameBytes === 0 || nameBytes > 15 || /[\s/:]/.test(name)) throw bad(`bad interface name "${name}"`);
    const mac = spec.mac !== undefined ? parseMac(spec.mac) : vrrpVirtualMac(spec.vrid, spec.family);
    if (mac === undefined) throw bad(`bad MAC ${spec.mac ?? ''}`);
    const mode = spec.mode === 'bridge' ? MACVLAN_MODE_BRIDGE : MACVLAN_MODE_PRIVATE;
    let created = true;
    try {
      await this.channel.execute(buildNewMacvlan({ name, parentIndex: spec.parentIndex, mac, mode }));
    } catch (err) {
      if (!isKernelErrno(err, 'EEXIST')) throw err;
      created = false;
    }
    const link = await this.getLink(name);
    if (link === undefined) throw new NetlinkError('KTS_NETLINK_DECODE', `VMAC ${name} vanished right after creation`);
    const result: VmacInterface = { ifindex: link.index, name, mac: link.mac !== undefined ? formatMac(link.mac) : formatMac(mac), created };
    if (created) this.ours.set(link.index, result);
    if (spec.up === false) return result;
    try {
      await this.channel.execute(buildSetLinkAdmin(link.index, true));
    } catch (err) {
      if (created) await this.remove(link.index).catch(() => undefined);
      throw err;
    }
    return result;
  }

  /** Sets a link administratively up or down (`ip link set dev … up|down`). */
  async setAdmin(ifindex: number, up: boolean): Promise<void> {
    await this.channel.execute(buildSetLinkAdmin(ifindex, up));
  }

  /**
   * Takes an existing VMAC (left by a crashed run: same name, parent and MAC) as ours, so that `remove`
   * and `removeOwned` delete it — keepalived reuses such a "matching interface" and deletes it at exit.
   */
  adopt(vmac: VmacInterface): void {
    this.ours.set(vmac.ifindex, vmac);
  }

  /** Deletes a VMAC if we created it; `false` when it was not ours (left alone) or already gone. */
  async remove(ifindex: number): Promise<boolean> {
    if (!this.ours.has(ifindex)) return false;
    try {
      await this.channel.execute(buildDelLink(ifindex));
    } catch (err) {
      if (isKernelErrno(err, 'ENODEV')) {
        this.ours.delete(ifindex);
        return false;
      }
      throw err;
    }
    this.ours.delete(ifindex);
    return true;
  }

  /** Deletes every VMAC we created (shutdown); failures are collected, not thrown. */
  async removeOwned(): Promise<{ readonly removed: readonly VmacInterface[]; readonly failed: readonly { vmac: VmacInterface; error: unknown }[] }> {
    const removed: VmacInterface[] = [];
    const failed: { vmac: VmacInterface; error: unknown }[] = [];
    for (const v of [...this.ours.values()]) {
      try {
        if (await this.remove(v.ifindex)) removed.push(v);
      } catch (error) {
        failed.push({ vmac: v, error });
      }
    }
    return { removed, failed };
  }

  private async getLink(name: string): Promise<LinkMessage | undefined> {
    let msgs;
    try {
      msgs = await this.channel.execute(buildGetLinkByName(name));
    } catch (err) {
      if (isKernelErrno(err, 'ENODEV')) return undefined;
      throw err;
    }
    for (const m of msgs) {
      if (m.header.type !== RTM_NEWLINK) continue;
      const l = parseLinkMsg(m.payload);
      if (l.ok) return l.value;
    }
    return undefined;
  }
}
