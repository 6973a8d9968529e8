/**
 * Address-like value lines: virtual_ipaddress / virtual_ipaddress_excluded / static_ipaddress
 * (keepalived vrrp_ipaddress.c alloc_ipaddress), virtual_routes / static_routes (ip-route syntax
 * subset) and virtual_rules / static_rules (kept as tokens).
 */
import type { AddressFamily, VirtualIpAddress, VirtualRoute, VirtualRule } from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import { BuildCodes, type BuildContext, type Mutable } from './context.js';
import { familyOf, parseIp, parseIpPrefix, parseUnsigned, UINT_MAX } from './values.js';

const SCOPES = new Set(['global', 'universe', 'site', 'link', 'host', 'nowhere']);

function validScope(s: string): boolean {
  return SCOPES.has(s) || parseUnsigned(s, 0, 255).ok;
}

function words(node: ConfigNode): string[] {
  return [node.keyword, ...node.args];
}

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Compute `brd +` / `brd -` like `ip addr add … brd +`. */
function autoBroadcast(addr: string, prefixLen: number, plus: boolean): string {
  const a = ipv4ToInt(addr);
  const hostBits = 32 - prefixLen;
  const size = 2 ** hostBits;
  const net = Math.floor(a / size) * size;
  return intToIpv4(plus ? net + size - 1 : net);
}

/** One address line. Returns null when keepalived would drop the address. */
export function parseAddressLine(ctx: BuildContext, node: ConfigNode, isStatic: boolean): VirtualIpAddress | null {
  const w = words(node);
  const first = w[0] ?? '';
  const slash = first.indexOf('/');
  const bare = slash < 0 ? first : first.slice(0, slash);
  const family = first.includes(':') ? 'inet6' : 'inet';
  const ip = parseIp(bare);
  if (ip === null || ip.family !== family) {
    ctx.error(node, BuildCodes.INVALID_ADDRESS, `VRRP parsed invalid IP ${first}. skipping IP...`);
    return null;
  }
  const maxLen = family === 'inet' ? 32 : 128;
  let prefixLen = maxLen;
  if (slash >= 0) {
    const p = parseIpPrefix(first);
    if (p === null) ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid address prefix len ${first.slice(slash + 1)} for address ${first} - using ${maxLen}`);
    else prefixLen = p.prefixLen;
  }
  const v: Mutable<VirtualIpAddress> = {
    address: bare,
    family,
    prefixLen,
    broadcast: null,
    dev: null,
    scope: 'global',
    label: null,
    peer: null,
    peerPrefixLen: null,
    home: false,
    noDad: false,
    mngtmpaddr: false,
    noprefixroute: false,
    autojoin: false,
    noTrack: false,
    preferredLftSec: null,
    useVmac: false,
    pos: node.pos,
  };
  let brd: string | null = null;
  let lftSet = false;
  let scopeSet = false;
  for (let i = 1; i < w.length; i++) {
    const opt = w[i] ?? '';
    const needsParam = ['dev', 'scope', 'broadcast', 'brd', 'label', 'peer', 'preferred_lft'].includes(opt) || (isStatic && opt === 'track_group');
    const param = w[i + 1];
    if (needsParam && param === undefined) {
      ctx.error(node, BuildCodes.MISSING_PARAMETER, `No ${opt} parameter specified for ${first}`);
      return null;
    }
    const p = param ?? '';
    switch (opt) {
      case 'dev':
        if (v.dev !== null) ctx.error(node, BuildCodes.DUPLICATE, `Cannot specify ipaddress device more than once for ${first}`);
        else v.dev = p;
        i++;
        break;
      case 'scope':
        if (!validScope(p)) ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid scope '${p}' specified for ${first} - ignoring`);
        else {
          v.scope = p === 'universe' ? 'global' : p;
          scopeSet = true;
        }
        i++;
        break;
      case 'broadcast':
      case 'brd':
        if (family === 'inet6') {
          ctx.error(node, BuildCodes.INVALID_ADDRESS, `VRRP is trying to assign a broadcast ${p} to the IPv6 address ${first} !!?? WTF... skipping VIP...`);
          return null;
        }
        if (p !== '+' && p !== '-' && familyOf(p) !== 'inet') {
          ctx.error(node, BuildCodes.INVALID_ADDRESS, `VRRP is trying to assign invalid broadcast ${p}. skipping VIP...`);
          return null;
        }
        brd = p;
        i++;
        break;
      case 'label':
        if (p.length > 15) {
          ctx.error(node, BuildCodes.INVALID_VALUE, `Address label ${p} is longer than maximum length 15 - removing address`);
          return null;
        }
        v.label = p;
        i++;
        break;
      case 'peer': {
        i++;
        if (v.peer !== null) {
          ctx.error(node, BuildCodes.DUPLICATE, `Peer ${p} - another peer has already been specified`);
          break;
        }
        const pp = parseIpPrefix(p);
        if (pp === null) ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid peer address ${p}`);
        else if (pp.family !== family) ctx.error(node, BuildCodes.INVALID_ADDRESS, `Peer address ${p} does not match address family`);
        else {
          if (slash >= 0 && pp.prefixGiven) ctx.error(node, BuildCodes.INVALID_VALUE, 'Cannot specify address prefix when specifying peer address - ignoring');
          v.peer = pp.address;
          v.peerPrefixLen = pp.prefixGiven ? pp.prefixLen : null;
        }
        break;
      }
      case 'home':
        v.home = true;
        break;
      case '-nodad':
        v.noDad = true;
        break;
      case 'mngtmpaddr':
        v.mngtmpaddr = true;
        break;
      case 'noprefixroute':
        v.noprefixroute = true;
        break;
      case 'autojoin':
        v.autojoin = true;
        break;
      case 'no_track':
        v.noTrack = true;
        break;
      case 'preferred_lft': {
        i++;
        if (p === 'forever') {
          v.preferredLftSec = null;
          lftSet = true;
          break;
        }
        const r = parseUnsigned(p, 0, UINT_MAX);
        if (!r.ok) ctx.error(node, BuildCodes.INVALID_VALUE, `preferred_lft ${p} is invalid`);
        else {
          v.preferredLftSec = r.value;
          lftSet = true;
        }
        break;
      }
      case 'track_group':
        // static addresses only; track groups are not modelled.
        i++;
        break;
      case 'use_vmac':
        if (isStatic) ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown configuration entry '${opt}' for ip address - ignoring`);
        else v.useVmac = true;
        break;
      default:
        ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown configuration entry '${opt}' for ip address - ignoring`);
    }
  }
  if (brd !== null) {
    if (v.peer !== null) ctx.error(node, BuildCodes.INVALID_VALUE, 'Cannot specify broadcast and peer addresses - ignoring broadcast address');
    else if (brd === '+' || brd === '-') {
      if (v.prefixLen <= 30) v.broadcast = autoBroadcast(v.peer ?? v.address, v.prefixLen, brd === '+');
      else ctx.error(node, BuildCodes.INVALID_VALUE, `Address prefix length ${v.prefixLen} too long for broadcast`);
    } else v.broadcast = brd;
  }
  if (family === 'inet6') {
    if (scopeSet && v.scope !== 'global') {
      ctx.error(node, BuildCodes.INVALID_VALUE, `Cannot specify scope for IPv6 addresses (${first}) - ignoring scope`);
      v.scope = 'global';
    }
    if (v.label !== null) {
      ctx.error(node, BuildCodes.INVALID_VALUE, `Cannot specify label for IPv6 addresses (${first}) - ignoring label`);
      v.label = null;
    }
    if (!lftSet) v.preferredLftSec = v.prefixLen === 128 ? 0 : null;
  }
  return v;
}

const ROUTE_TYPES = new Set(['unicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'local', 'broadcast', 'anycast', 'multicast', 'nat']);
/** ip-route options taking one value that we keep uninterpreted. */
const ROUTE_PAIR_OPTIONS = new Set([
  'mtu', 'advmss', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'features', 'quickack',
  'congctl', 'pref', 'realms', 'ssthresh', 'expires', 'rto_min', 'hoplimit', 'fastopen_no_cookie', 'tos', 'dsfield',
  'ttl-propagate', 'nexthop', 'encap', 'or', 'track_group',
]);

export function parseRouteLine(ctx: BuildContext, node: ConfigNode): VirtualRoute | null {
  const w = words(node);
  let i = 0;
  let type = 'unicast';
  let src: string | null = null;
  if (ROUTE_TYPES.has(w[0] ?? '')) {
    type = w[0] ?? 'unicast';
    i++;
  }
  if (w[i] === 'src') {
    src = w[i + 1] ?? null;
    i += 2;
  }
  if (w[i] === 'to') i++;
  const destText = w[i];
  if (destText === undefined) {
    ctx.error(node, BuildCodes.INVALID_ADDRESS, 'Route has no destination - skipping');
    return null;
  }
  i++;
  let to: string;
  let family: AddressFamily;
  let prefixLen: number;
  if (destText === 'default' || destText === 'any' || destText === 'all') {
    to = '0.0.0.0';
    family = 'inet';
    prefixLen = 0;
  } else if (destText === 'default6') {
    to = '::';
    family = 'inet6';
    prefixLen = 0;
  } else {
    const d = parseIpPrefix(destText);
    if (d === null) {
      ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid route destination ${destText} - skipping`);
      return null;
    }
    to = d.address;
    family = d.family;
    prefixLen = d.prefixLen;
  }
  const r: Mutable<VirtualRoute> = {
    to,
    family,
    prefixLen,
    type,
    via: null,
    src,
    dev: null,
    table: null,
    metric: null,
    scope: null,
    protocol: null,
    onlink: false,
    noTrack: false,
    otherOptions: [],
    pos: node.pos,
  };
  const other: string[] = [];
  for (; i < w.length; i++) {
    const opt = w[i] ?? '';
    const p = w[i + 1];
    const needs = ['via', 'gw', 'src', 'dev', 'oif', 'table', 'metric', 'priority', 'preference', 'scope', 'protocol', 'proto'].includes(opt) || ROUTE_PAIR_OPTIONS.has(opt);
    if (needs && p === undefined) {
      ctx.error(node, BuildCodes.MISSING_PARAMETER, `No ${opt} parameter specified for route ${destText}`);
      return null;
    }
    const v = p ?? '';
    switch (opt) {
      case 'via':
      case 'gw': {
        // `via inet6 ADDR` form
        let gw = v;
        if ((gw === 'inet' || gw === 'inet6') && w[i + 2] !== undefined) {
          gw = w[i + 2] ?? '';
          i++;
        }
        if (familyOf(gw) === null) ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid gateway ${gw} for route ${destText}`);
        else r.via = gw;
        i++;
        break;
      }
      case 'src':
        if (familyOf(v) === null) ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid source address ${v} for route ${destText}`);
        else r.src = v;
        i++;
        break;
      case 'dev':
      case 'oif':
        r.dev = v;
        i++;
        break;
      case 'table':
        r.table = v;
        i++;
        break;
      case 'metric':
      case 'priority':
      case 'preference': {
        const m = parseUnsigned(v, 0, UINT_MAX);
        if (!m.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Invalid metric ${v} for route ${destText}`);
        else r.metric = m.value;
        i++;
        break;
      }
      case 'scope':
        if (!validScope(v)) ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid scope ${v} for route ${destText}`);
        else r.scope = v;
        i++;
        break;
      case 'protocol':
      case 'proto':
        r.protocol = v;
        i++;
        break;
      case 'onlink':
        r.onlink = true;
        break;
      case 'no_track':
        r.noTrack = true;
        break;
      default:
        other.push(opt);
        if (ROUTE_PAIR_OPTIONS.has(opt)) {
          other.push(v);
          i++;
        }
    }
  }
  r.otherOptions = other;
  return r;
}

export function parseRuleLine(_ctx: BuildContext, node: ConfigNode): VirtualRule {
  const tokens = words(node);
  let family: AddressFamily | null = null;
  for (const t of tokens) {
    if (t === 'inet6' || t === '-6') family = 'inet6';
    const f = familyOf(t.split('/')[0] ?? '');
    if (f !== null) family = f;
  }
  return { tokens: tokens.filter((t) => t !== 'no_track'), family, noTrack: tokens.includes('no_track'), pos: node.pos };
}
