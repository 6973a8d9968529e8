/**
 * Generic-netlink IPVS codec, pure: request builders and reply parsers for the "IPVS" family
 * (<linux/ip_vs.h>) and the genl controller's CTRL_CMD_GETFAMILY that resolves its id.
 *
 * Layout (host byte order unless noted): nlmsghdr | genlmsghdr {u8 cmd, u8 version=1, u16 0} |
 * attributes. A service is the nested IPVS_CMD_ATTR_SERVICE: AF u16, then FWMARK u32 or
 * PROTOCOL u16 + ADDR (union nf_inet_addr, always 16 bytes) + PORT (be16); for add/set also
 * SCHED_NAME, [PE_NAME], FLAGS (struct ip_vs_flags {u32 flags; u32 mask}), TIMEOUT u32 and
 * NETMASK (IPv4: the mask in network order; IPv6: the prefix length as a plain u32, as the
 * kernel reads it raw). A destination is the nested IPVS_CMD_ATTR_DEST: ADDR (16 bytes),
 * ADDR_FAMILY u16, PORT (be16), FWD_METHOD u32, WEIGHT u32, [TUN_TYPE u8, TUN_PORT be16,
 * TUN_FLAGS u16], U_THRESH u32, L_THRESH u32. Nests are sent without NLA_F_NESTED, like libipvs.
 * Parsers never throw: they return DecodeResult.
 */
import { isIPv6 } from 'node:net';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from './constants.js';
import { formatIp, parseIp } from './inet.js';
import {
  HOST_LITTLE_ENDIAN,
  attrMap,
  attrNested,
  attrString,
  attrU16,
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
  type NlMsg,
} from './nl-codec.js';
import type { NlRequest } from './nl-request.js';
import type { IpvsDest, IpvsForwarding, IpvsProtocol, IpvsService, IpvsServiceEntry, IpvsTunnelCsum, IpvsTunnelType } from './ipvs-types.js';

/** Netlink protocol of generic netlink (socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC)). */
export const NETLINK_GENERIC = 16;
export const GENL_HDRLEN = 4;
export const GENL_ID_CTRL = 0x10;
export const CTRL_CMD_GETFAMILY = 3;
export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;

export const IPVS_GENL_NAME = 'IPVS';
export const IPVS_GENL_VERSION = 0x1;

export const IPVS_CMD_NEW_SERVICE = 1;
export const IPVS_CMD_SET_SERVICE = 2;
export const IPVS_CMD_DEL_SERVICE = 3;
export const IPVS_CMD_GET_SERVICE = 4;
export const IPVS_CMD_NEW_DEST = 5;
export const IPVS_CMD_SET_DEST = 6;
export const IPVS_CMD_DEL_DEST = 7;
export const IPVS_CMD_GET_DEST = 8;
export const IPVS_CMD_FLUSH = 17;

export const IPVS_CMD_ATTR_SERVICE = 1;
export const IPVS_CMD_ATTR_DEST = 2;

export const IPVS_SVC_ATTR_AF = 1;
export const IPVS_SVC_ATTR_PROTOCOL = 2;
export const IPVS_SVC_ATTR_ADDR = 3;
export const IPVS_SVC_ATTR_PORT = 4;
export const IPVS_SVC_ATTR_FWMARK = 5;
export const IPVS_SVC_ATTR_SCHED_NAME = 6;
export const IPVS_SVC_ATTR_FLAGS = 7;
export const IPVS_SVC_ATTR_TIMEOUT = 8;
export const IPVS_SVC_ATTR_NETMASK = 9;
export const IPVS_SVC_ATTR_PE_NAME = 11;

export const IPVS_DEST_ATTR_ADDR = 1;
export const IPVS_DEST_ATTR_PORT = 2;
export const IPVS_DEST_ATTR_FWD_METHOD = 3;
export const IPVS_DEST_ATTR_WEIGHT = 4;
export const IPVS_DEST_ATTR_U_THRESH = 5;
export const IPVS_DEST_ATTR_L_THRESH = 6;
export const IPVS_DEST_ATTR_ACTIVE_CONNS = 7;
export const IPVS_DEST_ATTR_INACT_CONNS = 8;
export const IPVS_DEST_ATTR_ADDR_FAMILY = 11;
export const IPVS_DEST_ATTR_TUN_TYPE = 13;
export const IPVS_DEST_ATTR_TUN_PORT = 14;
export const IPVS_DEST_ATTR_TUN_FLAGS = 15;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_SCTP = 132;

export const IP_VS_CONN_F_FWD_MASK = 0x0007;
const FWD_CODES: Readonly<Record<IpvsForwarding, number>> = { NAT: 0, LOCAL: 1, TUN: 2, DR: 3, BYPASS: 4 };
const PROTO_CODES: Readonly<Record<IpvsProtocol, number>> = { TCP: IPPROTO_TCP, UDP: IPPROTO_UDP, SCTP: IPPROTO_SCTP };
const TUN_TYPES: Readonly<Record<IpvsTunnelType, number>> = { ipip: 0, gue: 1, gre: 2 };
const TUN_CSUM: Readonly<Record<IpvsTunnelCsum, number>> = { nocsum: 0, csum: 1, remcsum: 2 };

function genl(cmd: number, version: number, attrs: readonly Uint8Array[]): Uint8Array {
  return concatBytes([Uint8Array.of(cmd, version, 0, 0), ...attrs]);
}

function attrBe16(type: number, v: number): Uint8Array {
  return encodeAttr(type, Uint8Array.of((v >> 8) & 0xff, v & 0xff));
}

function attrBe32(type: number, v: number): Uint8Array {
  const b = new Uint8Array(4);
  view(b).setUint32(0, v >>> 0, false);
  return encodeAttr(type, b);
}

/** union nf_inet_addr: 16 bytes, IPv4 in the first four. Unparsable text gives all zeros. */
export function inetAddr16(address: string): Uint8Array {
  const out = new Uint8Array(16);
  const ip = parseIp(address);
  if (ip !== undefined) out.set(ip.bytes, 0);
  return out;
}

// ---- controller ---------------------------------------------------------------------------------

export function getFamilyRequest(name: string = IPVS_GENL_NAME): NlRequest {
  return { type: GENL_ID_CTRL, flags: NLM_F_REQUEST | NLM_F_ACK, expect: 'ack', body: genl(CTRL_CMD_GETFAMILY, 1, [attrString(CTRL_ATTR_FAMILY_NAME, name)]) };
}

/** The family id from a CTRL_CMD_NEWFAMILY reply. */
export function parseFamilyId(msg: NlMsg): DecodeResult<number> {
  if (msg.payload.length < GENL_HDRLEN) return decodeFailure('truncated', 0, 'genlmsghdr missing');
  const attrs = decodeAttrs(msg.payload.subarray(GENL_HDRLEN));
  if (!attrs.ok) return attrs;
  const id = attrMap(attrs.value).get(CTRL_ATTR_FAMILY_ID);
  if (id === undefined || id.length < 2) return decodeFailure('bad-value', GENL_HDRLEN, 'CTRL_ATTR_FAMILY_ID missing');
  return { ok: true, value: view(id).getUint16(0, HOST_LITTLE_ENDIAN) };
}

// ---- services -----------------------------------------------------------------------------------

type ServiceId = Pick<IpvsService, 'family' | 'protocol' | 'address' | 'port' | 'fwmark'>;

function serviceIdAttrs(s: ServiceId): Uint8Array[] {
  const out = [attrU16(IPVS_SVC_ATTR_AF, s.family === 'inet6' ? AF_INET6 : AF_INET)];
  if (s.fwmark !== 0) {
    out.push(attrU32(IPVS_SVC_ATTR_FWMARK, s.fwmark));
  } else {
    out.push(attrU16(IPVS_SVC_ATTR_PROTOCOL, PROTO_CODES[s.protocol ?? 'TCP']));
    out.push(encodeAttr(IPVS_SVC_ATTR_ADDR, inetAddr16(s.address ?? '')));
    out.push(attrBe16(IPVS_SVC_ATTR_PORT, s.port));
  }
  return out;
}

function serviceFullAttrs(s: IpvsService): Uint8Array[] {
  const flags = new Uint8Array(8);
  view(flags).setUint32(0, s.flags >>> 0, HOST_LITTLE_ENDIAN);
  view(flags).setUint32(4, 0xffffffff, HOST_LITTLE_ENDIAN);
  return [
    ...serviceIdAttrs(s),
    attrString(IPVS_SVC_ATTR_SCHED_NAME, s.scheduler),
    ...(s.peName !== null ? [attrString(IPVS_SVC_ATTR_PE_NAME, s.peName)] : []),
    encodeAttr(IPVS_SVC_ATTR_FLAGS, flags),
    attrU32(IPVS_SVC_ATTR_TIMEOUT, s.timeoutSec),
    s.family === 'inet6' ? attrU32(IPVS_SVC_ATTR_NETMASK, s.netmask) : attrBe32(IPVS_SVC_ATTR_NETMASK, s.netmask),
  ];
}

function ipvsRequest(familyId: number, cmd: number, attrs: readonly Uint8Array[]): NlRequest {
  return { type: familyId, flags: NLM_F_REQUEST | NLM_F_ACK, expect: 'ack', body: genl(cmd, IPVS_GENL_VERSION, attrs) };
}

export function newServiceRequest(familyId: number, s: IpvsService): NlRequest {
  return ipvsRequest(familyId, IPVS_CMD_NEW_SERVICE, [attrNested(IPVS_CMD_ATTR_SERVICE, serviceFullAttrs(s))]);
}

export function setServiceRequest(familyId: number, s: IpvsService): NlRequest {
  return ipvsRequest(familyId, IPVS_CMD_SET_SERVICE, [attrNested(IPVS_CMD_ATTR_SERVICE, serviceFullAttrs(s))]);
}

export function delServiceRequest(familyId: number, s: ServiceId): NlRequest {
  return ipvsRequest(familyId, IPVS_CMD_DEL_SERVICE, [attrNested(IPVS_CMD_ATTR_SERVICE, serviceIdAttrs(s))]);
}

export function getServicesRequest(familyId: number): NlRequest {
  return { type: familyId, flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, expect: 'dump', body: genl(IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION, []) };
}

export function getDestsRequest(familyId: number, s: ServiceId): NlRequest {
  return {
    type: familyId,
    flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
    expect: 'dump',
    body: genl(IPVS_CMD_GET_DEST, IPVS_GENL_VERSION, [attrNested(IPVS_CMD_ATTR_SERVICE, serviceIdAttrs(s))]),
  };
}

// ---- destinations -------------------------------------------------------------------------------

function destIdAttrs(d: Pick<IpvsDest, 'family' | 'address' | 'port'>): Uint8Array[] {
  return [
    encodeAttr(IPVS_DEST_ATTR_ADDR, inetAddr16(d.address)),
    attrU16(IPVS_DEST_ATTR_ADDR_FAMILY, d.family === 'inet6' ? AF_INET6 : AF_INET),
    attrBe16(IPVS_DEST_ATTR_PORT, d.port),
  ];
}

function destFullAttrs(d: IpvsDest): Uint8Array[] {
  const out = [...destIdAttrs(d), attrU32(IPVS_DEST_ATTR_FWD_METHOD, FWD_CODES[d.forwarding]), attrU32(IPVS_DEST_ATTR_WEIGHT, d.weight)];
  if (d.forwarding === 'TUN') {
    out.push(attrU8(IPVS_DEST_ATTR_TUN_TYPE, TUN_TYPES[d.tunnelType ?? 'ipip']));
    out.push(attrBe16(IPVS_DEST_ATTR_TUN_PORT, d.tunnelPort ?? 0));
    out.push(attrU16(IPVS_DEST_ATTR_TUN_FLAGS, TUN_CSUM[d.tunnelCsum ?? 'nocsum']));
  }
  out.push(attrU32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold), attrU32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold));
  return out;
}

export function newDestRequest(familyId: number, s: ServiceId, d: IpvsDest): NlRequest {
  return ipvsRequest(familyId, IPVS_CMD_NEW_DEST, [attrNested(IPVS_CMD_ATTR_SERVICE, serviceIdAttrs(s)), attrNested(IPVS_CMD_ATTR_DEST, destFullAttrs(d))]);
}

export function setDestRequest(familyId: number, s: ServiceId, d: IpvsDest): NlRequest {
  return ipvsRequest(familyId, IPVS_CMD_SET_DEST, [attrNested(IPVS_CMD_ATTR_SERVICE, serviceIdAttrs(s)), attrNested(IPVS_CMD_ATTR_DEST, destFullAttrs(d))]);
}

export function delDestRequest(familyId: number, s: ServiceId, d: Pick<IpvsDest, 'family' | 'address' | 'port'>): NlRequest {
  return ipvsRequest(familyId, IPVS_CMD_DEL_DEST, [attrNested(IPVS_CMD_ATTR_SERVICE, serviceIdAttrs(s)), attrNested(IPVS_CMD_ATTR_DEST, destIdAttrs(d))]);
}

// ---- parsing dumps ------------------------------------------------------------------------------

function readU16(v: Uint8Array | undefined): number | undefined {
  return v !== undefined && v.length >= 2 ? view(v).getUint16(0, HOST_LITTLE_ENDIAN) : undefined;
}

function readBe16(v: Uint8Array | undefined): number | undefined {
  return v !== undefined && v.length >= 2 ? view(v).getUint16(0, false) : undefined;
}

function addrText(v: Uint8Array | undefined, family: 'inet' | 'inet6'): string | undefined {
  if (v === undefined) return undefined;
  const len = family === 'inet6' ? 16 : 4;
  if (v.length < len) return undefined;
  const text = formatIp(v.subarray(0, len));
  return family === 'inet6' && !isIPv6(text) ? undefined : text;
}

/** Nested attribute `type` of a genl message payload, decoded. */
function nestedOf(msg: NlMsg, type: number): DecodeResult<Map<number, Uint8Array>> {
  if (msg.payload.length < GENL_HDRLEN) return decodeFailure('truncated', 0, 'genlmsghdr missing');
  const top = decodeAttrs(msg.payload.subarray(GENL_HDRLEN));
  if (!top.ok) return top;
  const nest = attrMap(top.value).get(type);
  if (nest === undefined) return decodeFailure('bad-value', GENL_HDRLEN, `attribute ${type} missing`);
  const inner = decodeAttrs(nest);
  if (!inner.ok) return inner;
  return { ok: true, value: attrMap(inner.value) };
}

const PROTO_BY_CODE = new Map<number, IpvsProtocol>([
  [IPPROTO_TCP, 'TCP'],
  [IPPROTO_UDP, 'UDP'],
  [IPPROTO_SCTP, 'SCTP'],
]);
const FWD_BY_CODE = new Map<number, IpvsForwarding>(Object.entries(FWD_CODES).map(([k, v]) => [v, k as IpvsForwarding]));
const TUN_BY_CODE = new Map<number, IpvsTunnelType>(Object.entries(TUN_TYPES).map(([k, v]) => [v, k as IpvsTunnelType]));
const CSUM_BY_CODE = new Map<number, IpvsTunnelCsum>(Object.entries(TUN_CSUM).map(([k, v]) => [v, k as IpvsTunnelCsum]));

export function parseServiceMsg(msg: NlMsg): DecodeResult<IpvsService> {
  const m = nestedOf(msg, IPVS_CMD_ATTR_SERVICE);
  if (!m.ok) return m;
  const a = m.value;
  const af = readU16(a.get(IPVS_SVC_ATTR_AF));
  if (af !== AF_INET && af !== AF_INET6) return decodeFailure('bad-value', 0, `service address family ${af ?? 'missing'}`);
  const family = af === AF_INET6 ? 'inet6' : 'inet';
  const fwmark = readU32(a.get(IPVS_SVC_ATTR_FWMARK)) ?? 0;
  const flagsRaw = a.get(IPVS_SVC_ATTR_FLAGS);
  const netmaskRaw = a.get(IPVS_SVC_ATTR_NETMASK);
  const netmask = netmaskRaw === undefined || netmaskRaw.length < 4 ? (family === 'inet6' ? 128 : 0xffffffff) : view(netmaskRaw).getUint32(0, family === 'inet6' ? HOST_LITTLE_ENDIAN : false);
  const protoCode = readU16(a.get(IPVS_SVC_ATTR_PROTOCOL)) ?? 0;
  return {
    ok: true,
    value: {
      family,
      protocol: fwmark !== 0 ? null : (PROTO_BY_CODE.get(protoCode) ?? null),
      address: fwmark !== 0 ? null : (addrText(a.get(IPVS_SVC_ATTR_ADDR), family) ?? null),
      port: fwmark !== 0 ? 0 : (readBe16(a.get(IPVS_SVC_ATTR_PORT)) ?? 0),
      fwmark,
      scheduler: readString(a.get(IPVS_SVC_ATTR_SCHED_NAME)) ?? '',
      flags: flagsRaw !== undefined && flagsRaw.length >= 4 ? view(flagsRaw).getUint32(0, HOST_LITTLE_ENDIAN) : 0,
      timeoutSec: readU32(a.get(IPVS_SVC_ATTR_TIMEOUT)) ?? 0,
      netmask,
      peName: readString(a.get(IPVS_SVC_ATTR_PE_NAME)) ?? null,
    },
  };
}

export function parseDestMsg(msg: NlMsg, serviceFamily: 'inet' | 'inet6'): DecodeResult<IpvsDest> {
  const m = nestedOf(msg, IPVS_CMD_ATTR_DEST);
  if (!m.ok) return m;
  const a = m.value;
  const af = readU16(a.get(IPVS_DEST_ATTR_ADDR_FAMILY));
  const family = af === AF_INET6 ? 'inet6' : af === AF_INET ? 'inet' : serviceFamily;
  const address = addrText(a.get(IPVS_DEST_ATTR_ADDR), family);
  if (address === undefined) return decodeFailure('bad-value', 0, 'destination address missing');
  const fwd = FWD_BY_CODE.get((readU32(a.get(IPVS_DEST_ATTR_FWD_METHOD)) ?? 0) & IP_VS_CONN_F_FWD_MASK) ?? 'NAT';
  const weightRaw = a.get(IPVS_DEST_ATTR_WEIGHT);
  return {
    ok: true,
    value: {
      family,
      address,
      port: readBe16(a.get(IPVS_DEST_ATTR_PORT)) ?? 0,
      forwarding: fwd,
      weight: weightRaw !== undefined && weightRaw.length >= 4 ? view(weightRaw).getInt32(0, HOST_LITTLE_ENDIAN) : 0,
      upperThreshold: readU32(a.get(IPVS_DEST_ATTR_U_THRESH)) ?? 0,
      lowerThreshold: readU32(a.get(IPVS_DEST_ATTR_L_THRESH)) ?? 0,
      tunnelType: fwd === 'TUN' ? (TUN_BY_CODE.get(readU8(a.get(IPVS_DEST_ATTR_TUN_TYPE)) ?? 0) ?? 'ipip') : null,
      tunnelPort: fwd === 'TUN' ? (readBe16(a.get(IPVS_DEST_ATTR_TUN_PORT)) ?? 0) : null,
      tunnelCsum: fwd === 'TUN' ? (CSUM_BY_CODE.get(readU16(a.get(IPVS_DEST_ATTR_TUN_FLAGS)) ?? 0) ?? 'nocsum') : null,
      activeConns: readU32(a.get(IPVS_DEST_ATTR_ACTIVE_CONNS)) ?? 0,
      inactiveConns: readU32(a.get(IPVS_DEST_ATTR_INACT_CONNS)) ?? 0,
    },
  };
}

export type { IpvsServiceEntry };
