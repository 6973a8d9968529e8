/**
 * AddressManager: adds and removes virtual IP addresses (RTM_NEWADDR / RTM_DELADDR) the way
 * keepalived does, and remembers which ones *we* added so shutdown removes exactly those.
 *
 * keepalived defaults applied by `vipToAddrRequest` (pure, unit-tested):
 * - prefix /32 (IPv4) or /128 (IPv6), scope global;
 * - IPv6 VIPs carry IFA_F_NODAD unless `nodad: false` (`-nodad` in the config);
 * - an IPv6 /128 VIP gets preferred_lft 0 so the kernel never picks it as a source address,
 *   unless `preferredLft` says otherwise ('forever' or seconds);
 * - IFA_PROTO is set (RTPROT_KEEPALIVED by default) while the kernel accepts it; if an add fails
 *   with EINVAL and succeeds without it, IFA_PROTO is dropped for the rest of the run.
 * An add answered EEXIST and a remove answered EADDRNOTAVAIL are not errors: they come back as
 * the outcomes `already-present` / `not-present`. Every other failure is a `NetlinkError`.
 */

import {
  IFA_F_HOMEADDRESS,
  IFA_F_MANAGETEMPADDR,
  IFA_F_MCAUTOJOIN,
  IFA_F_NODAD,
  IFA_F_NOPREFIXROUTE,
  INFINITY_LIFE_TIME,
  RTPROT_KEEPALIVED,
  RT_SCOPE_UNIVERSE,
} from './constants.js';
import { NetlinkError, isKernelErrno } from './errors.js';
import { parseIp, type IpFamily } from './inet.js';
import { buildDelAddr, buildNewAddr, type AddrRequest } from './rtnl-addr-codec.js';
import type { NetlinkChannel } from './socket.js';

export interface VipSpec {
  readonly address: string;
  /** Default 32 (IPv4) / 128 (IPv6). */
  readonly prefixLen?: number;
  /** Interface index (`dev`). */
  readonly ifindex: number;
  /** When given, must match the address literal. */
  readonly family?: IpFamily;
  /** IPv4 broadcast (`brd`): an address, `+` (host bits set) or `-` (host bits clear), as `ip addr` takes it. */
  readonly brd?: string;
  /** RT_SCOPE_* (default RT_SCOPE_UNIVERSE, "global"). */
  readonly scope?: number;
  /** IPv4 label (`label eth0:vip`), at most 15 bytes. */
  readonly label?: string;
  readonly peer?: string;
  /** IPv6 only; default true (`-nodad` sets false). */
  readonly nodad?: boolean;
  /** Seconds or 'forever'. */
  readonly preferredLft?: number | 'forever';
  readonly noprefixroute?: boolean;
  /** IPv6 `home`. */
  readonly home?: boolean;
  readonly mngtmpaddr?: boolean;
  readonly autojoin?: boolean;
}

export type AddOutcome = 'added' | 'already-present';
export type RemoveOutcome = 'removed' | 'not-present';

export interface AddressManagerOptions {
  /** IFA_PROTO value, or null never to send one. Default RTPROT_KEEPALIVED (18). */
  readonly addressProto?: number | null;
}

/** Validates a VIP and applies keepalived's defaults; pure. */
export function vipToAddrRequest(vip: VipSpec, proto?: number): AddrRequest | NetlinkError {
  const bad = (why: string): NetlinkError => new NetlinkError('KTS_NETLINK_INVALID_ARGUMENT', `VIP ${vip.address}: ${why}`);
  const ip = parseIp(vip.address);
  if (ip === undefined) return bad('not an IPv4/IPv6 address');
  if (vip.family !== undefined && vip.family !== ip.family) return bad(`family ${vip.family} does not match the address`);
  const maxLen = ip.family === 4 ? 32 : 128;
  const prefixLen = vip.prefixLen ?? maxLen;
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > maxLen) return bad(`prefix length ${prefixLen} out of range`);
  if (!Number.isInteger(vip.ifindex) || vip.ifindex <= 0) return bad(`bad interface index ${vip.ifindex}`);
  let peer: Uint8Array | undefined;
  if (vip.peer !== undefined) {
    const p = parseIp(vip.peer);
    if (p === undefined || p.family !== ip.family) return bad(`peer ${vip.peer} is not an address of the same family`);
    peer = p.bytes;
  }
  let broadcast: Uint8Array | undefined;
  if (vip.brd !== undefined) {
    if (ip.family !== 4) return bad('brd needs an IPv4 VIP');
    if (vip.brd === '+' || vip.brd === '-') {
      broadcast = ipv4Broadcast(ip.bytes, prefixLen, vip.brd === '+');
    } else {
      const b = parseIp(vip.brd);
      if (b === undefined || b.family !== 4) return bad(`brd ${vip.brd} is not an IPv4 address`);
      broadcast = b.bytes;
    }
  }
  if (vip.label !== undefined) {
    if (ip.family !== 4) return bad('labels exist only for IPv4 addresses');
    if (new TextEncoder().encode(vip.label).length > 15 || vip.label.length === 0) return bad(`label "${vip.label}" must be 1-15 bytes`);
  }
  const scope = vip.scope ?? RT_SCOPE_UNIVERSE;
  if (!Number.isInteger(scope) || scope < 0 || scope > 255) return bad(`scope ${scope} out of range`);
  let flags = 0;
  if (ip.family === 6 && (vip.nodad ?? true)) flags |= IFA_F_NODAD;
  if (vip.noprefixroute) flags |= IFA_F_NOPREFIXROUTE;
  if (ip.family === 6 && vip.home) flags |= IFA_F_HOMEADDRESS;
  if (ip.family === 6 && vip.mngtmpaddr) flags |= IFA_F_MANAGETEMPADDR;
  if (vip.autojoin) flags |= IFA_F_MCAUTOJOIN;
  let preferredSec: number | undefined;
  if (vip.preferredLft === 'forever') preferredSec = INFINITY_LIFE_TIME;
  else if (vip.preferredLft !== undefined) {
    if (!Number.isInteger(vip.preferredLft) || vip.preferredLft < 0 || vip.preferredLft > INFINITY_LIFE_TIME) return bad(`preferred_lft ${vip.preferredLft} out of range`);
    preferredSec = vip.preferredLft;
  } else if (ip.family === 6 && prefixLen === 128) preferredSec = 0;
  return {
    family: ip.family,
    ifindex: vip.ifindex,
    local: ip.bytes,
    prefixLen,
    scope,
    flags,
    ...(peer !== undefined ? { peer } : {}),
    ...(broadcast !== undefined ? { broadcast } : {}),
    ...(vip.label !== undefined ? { label: vip.label } : {}),
    ...(preferredSec !== undefined ? { lifetimes: { preferredSec, validSec: INFINITY_LIFE_TIME } } : {}),
    ...(proto !== undefined ? { proto } : {}),
  };
}

/** The address with its host bits (beyond `prefixLen`) all set (`brd +`) or all cleared (`brd -`). */
export function ipv4Broadcast(addr: Uint8Array, prefixLen: number, setHostBits: boolean): Uint8Array {
  const n = (((addr[0] ?? 0) << 24) | ((addr[1] ?? 0) << 16) | ((addr[2] ?? 0) << 8) | (addr[3] ?? 0)) >>> 0;
  const hostMask = prefixLen >= 32 ? 0 : 0xffffffff >>> prefixLen;
  const b = (setHostBits ? n | hostMask : n & ~hostMask) >>> 0;
  return Uint8Array.of(b >>> 24, (b >>> 16) & 0xff, (b >>> 8) & 0xff, b & 0xff);
}

/** Identity of an address in the kernel: interface, address and prefix. */
export function vipKey(vip: VipSpec): string {
  const ip = parseIp(vip.address);
  const prefix = vip.prefixLen ?? (ip?.family === 6 ? 128 : 32);
  return `${vip.ifindex}|${vip.address.toLowerCase()}/${prefix}`;
}

export class AddressManager {
  private readonly ours = new Map<string, VipSpec>();
  private proto: number | undefined;

  constructor(
    private readonly channel: NetlinkChannel,
    opts: AddressManagerOptions = {},
  ) {
    const p = opts.addressProto === undefined ? RTPROT_KEEPALIVED : opts.addressProto;
    this.proto = p === null ? undefined : p;
  }

  /** Addresses this manager added and has not removed, in insertion order. */
  get owned(): readonly VipSpec[] {
    return [...this.ours.values()];
  }

  /** Whether IFA_PROTO is still being sent (false after the kernel refused it). */
  get sendsAddressProto(): boolean {
    return this.proto !== undefined;
  }

  async add(vip: VipSpec): Promise<AddOutcome> {
    const req = vipToAddrRequest(vip, this.proto);
    if (req instanceof NetlinkError) throw req;
    try {
      await this.channel.execute(buildNewAddr(req));
    } catch (err) {
      if (isKernelErrno(err, 'EEXIST')) return 'already-present';
      if (!isKernelErrno(err, 'EINVAL') || req.proto === undefined) throw err;
      // Maybe a kernel that validates attributes strictly and predates IFA_PROTO: retry without it.
      const { proto: _dropped, ...withoutProto } = req;
      try {
        await this.channel.execute(buildNewAddr(withoutProto));
      } catch (retryErr) {
        if (isKernelErrno(retryErr, 'EEXIST')) return 'already-present';
        throw err;
      }
      this.proto = undefined;
    }
    this.ours.set(vipKey(vip), vip);
    return 'added';
  }

  async remove(vip: VipSpec): Promise<RemoveOutcome> {
    const req = vipToAddrRequest(vip);
    if (req instanceof NetlinkError) throw req;
    const key = vipKey(vip);
    try {
      await this.channel.execute(buildDelAddr(req));
    } catch (err) {
      if (isKernelErrno(err, 'EADDRNOTAVAIL') || isKernelErrno(err, 'ENODEV')) {
        this.ours.delete(key);
        return 'not-present';
      }
      throw err;
    }
    this.ours.delete(key);
    return 'removed';
  }

  /** Removes every address we added (shutdown). Idempotent; failures are collected, not thrown. */
  async removeOwned(): Promise<{ readonly removed: readonly VipSpec[]; readonly failed: readonly { vip: VipSpec; error: unknown }[] }> {
    const removed: VipSpec[] = [];
    const failed: { vip: VipSpec; error: unknown }[] = [];
    for (const vip of [...this.ours.values()].reverse()) {
      try {
        if ((await this.remove(vip)) === 'removed') removed.push(vip);
      } catch (error) {
        failed.push({ vip, error });
      }
    }
    return { removed, failed };
  }
}
