/**
 * RouteManager: `virtual_routes` (RTM_NEWROUTE / RTM_DELROUTE) with protocol RTPROT_KEEPALIVED,
 * remembering which routes *we* added so shutdown removes exactly those.
 *
 * Defaults follow `ip route`: table main (254); scope link for a unicast route without a gateway,
 * otherwise global. A delete is sent with scope RT_SCOPE_NOWHERE (match any scope) and our
 * protocol, so it can only ever remove a route installed as keepalived's. EEXIST on add and ESRCH
 * on remove come back as outcomes, not errors.
 */

import {
  RTNH_F_ONLINK,
  RTN_BLACKHOLE,
  RTN_PROHIBIT,
  RTN_UNICAST,
  RTN_UNREACHABLE,
  RTN_THROW,
  RTPROT_KEEPALIVED,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_MAIN,
} from './constants.js';
import { NetlinkError, isKernelErrno } from './errors.js';
import { parseIp, type IpFamily } from './inet.js';
import { buildDelRoute, buildNewRoute, type RouteRequest } from './rtnl-route-codec.js';
import type { NetlinkChannel } from './socket.js';

export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

const RTN_BY_TYPE: Readonly<Record<RouteType, number>> = {
  unicast: RTN_UNICAST,
  blackhole: RTN_BLACKHOLE,
  unreachable: RTN_UNREACHABLE,
  prohibit: RTN_PROHIBIT,
  throw: RTN_THROW,
};

export interface RouteSpec {
  /** `default`, `ADDR` (host route) or `ADDR/LEN`. */
  readonly to: string;
  /** Prefix length when `to` has none (the config model keeps it apart); must agree with `to/LEN`. */
  readonly prefixLen?: number;
  /** `onlink`: the gateway is reachable on `dev` even without a matching prefix (RTNH_F_ONLINK). */
  readonly onlink?: boolean;
  /** Needed only for `default` (otherwise taken from `to`); default 4. */
  readonly family?: IpFamily;
  readonly via?: string;
  /** Output interface index (`dev`). */
  readonly dev?: number;
  /** Preferred source (`src`). */
  readonly src?: string;
  readonly metric?: number;
  /** Default RT_TABLE_MAIN (254). */
  readonly table?: number;
  /** RT_SCOPE_*; default as `ip route` picks it. */
  readonly scope?: number;
  readonly type?: RouteType;
  /** Default RTPROT_KEEPALIVED (18). */
  readonly protocol?: number;
}

export type RouteAddOutcome = 'added' | 'already-present';
export type RouteRemoveOutcome = 'removed' | 'not-present';

/** Validates a route and applies defaults; pure. `forDelete` selects the wildcard scope. */
export function routeToRequest(route: RouteSpec, forDelete = false): RouteRequest | NetlinkError {
  const bad = (why: string): NetlinkError => new NetlinkError('KTS_NETLINK_INVALID_ARGUMENT', `route ${route.to}: ${why}`);
  let family: IpFamily;
  let dst: Uint8Array | undefined;
  let dstLen: number;
  if (route.to === 'default') {
    family = route.family ?? 4;
    dstLen = 0;
  } else {
    const [addr = '', len] = route.to.split('/', 2);
    const ip = parseIp(addr);
    if (ip === undefined) return bad('destination is not an address');
    family = ip.family;
    dst = ip.bytes;
    const max = family === 4 ? 32 : 128;
    dstLen = len === undefined ? (route.prefixLen ?? max) : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
    if (!(dstLen >= 0 && dstLen <= max)) return bad('bad prefix length');
    if (len !== undefined && route.prefixLen !== undefined && route.prefixLen !== dstLen) return bad(`prefix length ${route.prefixLen} disagrees with ${route.to}`);
  }
  if (route.to === 'default' && route.prefixLen !== undefined && route.prefixLen !== 0) return bad('default route with a prefix length');
  if (route.family !== undefined && route.family !== family) return bad('family does not match the destination');
  const sameFamily = (what: string, text: string | undefined): Uint8Array | undefined | NetlinkError => {
    if (text === undefined) return undefined;
    const ip = parseIp(text);
    return ip === undefined || ip.family !== family ? bad(`${what} ${text} is not an IPv${family} address`) : ip.bytes;
  };
  const gateway = sameFamily('via', route.via);
  if (gateway instanceof NetlinkError) return gateway;
  const prefsrc = sameFamily('src', route.src);
  if (prefsrc instanceof NetlinkError) return prefsrc;
  const table = route.table ?? RT_TABLE_MAIN;
  if (!Number.isInteger(table) || table <= 0 || table > 0xffffffff) return bad(`bad table ${table}`);
  if (route.dev !== undefined && (!Number.isInteger(route.dev) || route.dev <= 0)) return bad(`bad interface index ${route.dev}`);
  if (route.metric !== undefined && (!Number.isInteger(route.metric) || route.metric < 0 || route.metric > 0xffffffff)) return bad(`bad metric ${route.metric}`);
  const type = route.type ?? 'unicast';
  const defaultScope = type === 'unicast' && gateway === undefined ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
  return {
    family,
    dstLen,
    ...(dst !== undefined ? { dst } : {}),
    ...(gateway !== undefined ? { gateway } : {}),
    ...(route.dev !== undefined ? { oif: route.dev } : {}),
    ...(prefsrc !== undefined ? { prefsrc } : {}),
    ...(route.metric !== undefined ? { priority: route.metric } : {}),
    table,
    protocol: route.protocol ?? RTPROT_KEEPALIVED,
    scope: forDelete ? RT_SCOPE_NOWHERE : (route.scope ?? defaultScope),
    type: RTN_BY_TYPE[type],
    ...(route.onlink ? { flags: RTNH_F_ONLINK } : {}),
  };
}

export function routeKey(r: RouteSpec): string {
  return [r.to, r.prefixLen ?? '', r.family ?? '', r.via ?? '', r.dev ?? '', r.src ?? '', r.metric ?? '', r.table ?? RT_TABLE_MAIN, r.type ?? 'unicast'].join('|');
}

export class RouteManager {
  private readonly ours = new Map<string, RouteSpec>();

  constructor(private readonly channel: NetlinkChannel) {}

  get owned(): readonly RouteSpec[] {
    return [...this.ours.values()];
  }

  async add(route: RouteSpec): Promise<RouteAddOutcome> {
    const req = routeToRequest(route);
    if (req instanceof NetlinkError) throw req;
    try {
      await this.channel.execute(buildNewRoute(req));
    } catch (err) {
      if (isKernelErrno(err, 'EEXIST')) return 'already-present';
      throw err;
    }
    this.ours.set(routeKey(route), route);
    return 'added';
  }

  async remove(route: RouteSpec): Promise<RouteRemoveOutcome> {
    const req = routeToRequest(route, true);
    if (req instanceof NetlinkError) throw req;
    const key = routeKey(route);
    try {
      await this.channel.execute(buildDelRoute(req));
    } catch (err) {
      if (isKernelErrno(err, 'ESRCH') || isKernelErrno(err, 'ENODEV')) {
        this.ours.delete(key);
        return 'not-present';
      }
      throw err;
    }
    this.ours.delete(key);
    return 'removed';
  }

  /** Removes every route we added (shutdown); failures are collected, not thrown. */
  async removeOwned(): Promise<{ readonly removed: readonly RouteSpec[]; readonly failed: readonly { route: RouteSpec; error: unknown }[] }> {
    const removed: RouteSpec[] = [];
    const failed: { route: RouteSpec; error: unknown }[] = [];
    for (const route of [...this.ours.values()].reverse()) {
      try {
        if ((await this.remove(route)) === 'removed') removed.push(route);
      } catch (error) {
        failed.push({ route, error });
      }
    }
    return { removed, failed };
  }
}
