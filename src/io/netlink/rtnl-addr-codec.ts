/**
 * rtnetlink address messages, pure: RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR requests and the
 * parser for the RTM_NEWADDR / RTM_DELADDR messages the kernel sends (dumps and notifications).
 *
 * Layout (<linux/if_addr.h>): struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope;
 * u32 index; } followed by IFA_* attributes. Like iproute2 we send IFA_LOCAL (our address) and
 * IFA_ADDRESS (the peer, or our address again), the low 8 flag bits in ifa_flags and the full set
 * in IFA_FLAGS only when a bit above 0xff is used.
 */

import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  IFADDRMSG_LEN,
  IFA_ADDRESS,
  IFA_BROADCAST,
  IFA_CACHEINFO,
  IFA_CACHEINFO_LEN,
  IFA_FLAGS,
  IFA_LABEL,
  IFA_LOCAL,
  IFA_PROTO,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REQUEST,
  RTM_DELADDR,
  RTM_GETADDR,
  RTM_NEWADDR,
} from './constants.js';
import { formatIp, type IpFamily } from './inet.js';
import {
  HOST_LITTLE_ENDIAN,
  attrMap,
  attrString,
  attrU32,
  attrU8,
  concatBytes,
  decodeAttrs,
  decodeFailure,
  encodeAttr,
  readString,
  readU32,
  readU8,
  view,
  type DecodeResult,
} from './nl-codec.js';
import type { NlRequest } from './nl-request.js';

export interface AddrRequest {
  readonly family: IpFamily;
  readonly ifindex: number;
  /** Our address (4 or 16 bytes). */
  readonly local: Uint8Array;
  readonly prefixLen: number;
  /** Point-to-point peer; IFA_ADDRESS carries it instead of `local`. */
  readonly peer?: Uint8Array;
  /** IPv4 broadcast (IFA_BROADCAST). */
  readonly broadcast?: Uint8Array;
  /** IPv4 label (IFA_LABEL), must start with the device name. */
  readonly label?: string;
  /** RT_SCOPE_* */
  readonly scope: number;
  /** IFA_F_* */
  readonly flags: number;
  /** IFA_CACHEINFO lifetimes in seconds (INFINITY_LIFE_TIME = forever). */
  readonly lifetimes?: { readonly preferredSec: number; readonly validSec: number };
  /** IFA_PROTO (u8), omitted when undefined. */
  readonly proto?: number;
}

export function familyToAf(family: IpFamily): number {
  return family === 4 ? AF_INET : AF_INET6;
}

function ifaddrmsg(family: number, prefixLen: number, flags: number, scope: number, ifindex: number): Uint8Array {
  const b = new Uint8Array(IFADDRMSG_LEN);
  b[0] = family;
  b[1] = prefixLen;
  b[2] = flags & 0xff;
  b[3] = scope;
  view(b).setUint32(4, ifindex >>> 0, HOST_LITTLE_ENDIAN);
  return b;
}

function addrBody(req: AddrRequest, forDelete: boolean): Uint8Array {
  const parts: Uint8Array[] = [ifaddrmsg(familyToAf(req.family), req.prefixLen, req.flags, req.scope, req.ifindex)];
  parts.push(encodeAttr(IFA_LOCAL, req.local));
  parts.push(encodeAttr(IFA_ADDRESS, req.peer ?? req.local));
  if (req.broadcast !== undefined) parts.push(encodeAttr(IFA_BROADCAST, req.broadcast));
  if (req.label !== undefined) parts.push(attrString(IFA_LABEL, req.label));
  if (req.flags > 0xff) parts.push(attrU32(IFA_FLAGS, req.flags));
  if (!forDelete && req.lifetimes !== undefined) {
    const ci = new Uint8Array(IFA_CACHEINFO_LEN);
    const dv = view(ci);
    dv.setUint32(0, req.lifetimes.preferredSec >>> 0, HOST_LITTLE_ENDIAN);
    dv.setUint32(4, req.lifetimes.validSec >>> 0, HOST_LITTLE_ENDIAN);
    parts.push(encodeAttr(IFA_CACHEINFO, ci));
  }
  if (!forDelete && req.proto !== undefined) parts.push(attrU8(IFA_PROTO, req.proto));
  return concatBytes(parts);
}

/** RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL (`ip addr add`): EEXIST when already present. */
export function buildNewAddr(req: AddrRequest): NlRequest {
  return { type: RTM_NEWADDR, flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body: addrBody(req, false), expect: 'ack' };
}

/** RTM_DELADDR (`ip addr del`); lifetimes and IFA_PROTO are not part of the match and are not sent. */
export function buildDelAddr(req: AddrRequest): NlRequest {
  return { type: RTM_DELADDR, flags: NLM_F_REQUEST | NLM_F_ACK, body: addrBody(req, true), expect: 'ack' };
}

/** RTM_GETADDR dump of every address of `family` (AF_UNSPEC = all). */
export function buildGetAddrDump(family: number = AF_UNSPEC): NlRequest {
  return { type: RTM_GETADDR, flags: NLM_F_REQUEST | NLM_F_DUMP, body: ifaddrmsg(family, 0, 0, 0, 0), expect: 'dump' };
}

/** An address as the kernel reports it. */
export interface AddrMessage {
  readonly family: IpFamily;
  readonly ifindex: number;
  readonly prefixLen: number;
  /** Full IFA_F_* set (IFA_FLAGS when present, else ifa_flags). */
  readonly flags: number;
  readonly scope: number;
  /** The interface's own address (IFA_LOCAL, else IFA_ADDRESS). */
  readonly address: string;
  /** Set only when IFA_ADDRESS differs from IFA_LOCAL (point-to-point). */
  readonly peer?: string;
  readonly broadcast?: string;
  readonly label?: string;
  readonly preferredLftSec?: number;
  readonly validLftSec?: number;
  readonly proto?: number;
}

/**
 * Parses the payload of an RTM_NEWADDR / RTM_DELADDR message. Returns `null` for families other
 * than IPv4/IPv6 (they are legal, just not ours), an error for damaged input.
 */
export function parseAddrMsg(payload: Uint8Array): DecodeResult<AddrMessage | null> {
  if (payload.length < IFADDRMSG_LEN) return decodeFailure('truncated', 0, `ifaddrmsg needs 8 bytes, got ${payload.length}`);
  const af = payload[0] ?? 0;
  if (af !== AF_INET && af !== AF_INET6) return { ok: true, value: null };
  const family: IpFamily = af === AF_INET ? 4 : 6;
  const alen = family === 4 ? 4 : 16;
  const attrs = decodeAttrs(payload.subarray(IFADDRMSG_LEN));
  if (!attrs.ok) return decodeFailure(attrs.error.reason, attrs.error.offset + IFADDRMSG_LEN, attrs.error.detail);
  const m = attrMap(attrs.value);
  const local = m.get(IFA_LOCAL);
  const addr = m.get(IFA_ADDRESS);
  const own = local ?? addr;
  if (own === undefined || own.length !== alen) return decodeFailure('bad-value', IFADDRMSG_LEN, 'no IFA_LOCAL/IFA_ADDRESS of the family length');
  const peer = local !== undefined && addr !== undefined && addr.length === alen && !bytesEqual(local, addr) ? formatIp(addr) : undefined;
  const brd = m.get(IFA_BROADCAST);
  const label = readString(m.get(IFA_LABEL));
  const ci = m.get(IFA_CACHEINFO);
  const lifetimes =
    ci !== undefined && ci.length >= 8
      ? { preferredLftSec: view(ci).getUint32(0, HOST_LITTLE_ENDIAN), validLftSec: view(ci).getUint32(4, HOST_LITTLE_ENDIAN) }
      : {};
  const proto = readU8(m.get(IFA_PROTO));
  return {
    ok: true,
    value: {
      family,
      ifindex: view(payload).getUint32(4, HOST_LITTLE_ENDIAN),
      prefixLen: payload[1] ?? 0,
      flags: readU32(m.get(IFA_FLAGS)) ?? payload[2] ?? 0,
      scope: payload[3] ?? 0,
      address: formatIp(own),
      ...(peer !== undefined ? { peer } : {}),
      ...(brd !== undefined && brd.length === 4 ? { broadcast: formatIp(brd) } : {}),
      ...(label !== undefined ? { label } : {}),
      ...lifetimes,
      ...(proto !== undefined ? { proto } : {}),
    },
  };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
