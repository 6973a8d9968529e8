/**
 * rtnetlink link messages, pure: RTM_GETLINK dump / by-name requests, macvlan creation
 * (RTM_NEWLINK + IFLA_LINKINFO), admin up/down, RTM_DELLINK, and the parser for the
 * RTM_NEWLINK / RTM_DELLINK messages the kernel sends.
 *
 * Layout (<linux/rtnetlink.h>): struct ifinfomsg { u8 ifi_family; u8 pad; u16 ifi_type;
 * s32 ifi_index; u32 ifi_flags; u32 ifi_change; } followed by IFLA_* attributes (<linux/if_link.h>).
 */

import {
  AF_UNSPEC,
  IFF_UP,
  IFINFOMSG_LEN,
  IFLA_ADDRESS,
  IFLA_EXT_MASK,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINK,
  IFLA_LINKINFO,
  IFLA_MACVLAN_MODE,
  IFLA_MASTER,
  IFLA_MTU,
  IFLA_OPERSTATE,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REQUEST,
  RTEXT_FILTER_SKIP_STATS,
  RTM_DELLINK,
  RTM_GETLINK,
  RTM_NEWLINK,
} from './constants.js';
import {
  HOST_LITTLE_ENDIAN,
  attrMap,
  attrNested,
  attrString,
  attrU32,
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

export function ifinfomsg(index: number, flags = 0, change = 0, family: number = AF_UNSPEC): Uint8Array {
  const b = new Uint8Array(IFINFOMSG_LEN);
  const dv = view(b);
  b[0] = family;
  dv.setInt32(4, index | 0, HOST_LITTLE_ENDIAN);
  dv.setUint32(8, flags >>> 0, HOST_LITTLE_ENDIAN);
  dv.setUint32(12, change >>> 0, HOST_LITTLE_ENDIAN);
  return b;
}

/** Dump of every link, without the statistics blocks (RTEXT_FILTER_SKIP_STATS) to keep it cheap. */
export function buildGetLinkDump(): NlRequest {
  return {
    type: RTM_GETLINK,
    flags: NLM_F_REQUEST | NLM_F_DUMP,
    body: concatBytes([ifinfomsg(0), attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)]),
    expect: 'dump',
  };
}

/** One link by name (`ip link show dev NAME`); the reply is an RTM_NEWLINK then the ACK. */
export function buildGetLinkByName(name: string): NlRequest {
  return {
    type: RTM_GETLINK,
    flags: NLM_F_REQUEST | NLM_F_ACK,
    body: concatBytes([ifinfomsg(0), attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS), attrString(IFLA_IFNAME, name)]),
    expect: 'ack',
  };
}

export interface MacvlanRequest {
  readonly name: string;
  readonly parentIndex: number;
  readonly mac: Uint8Array;
  /** MACVLAN_MODE_* */
  readonly mode: number;
}

/** `ip link add link PARENT name NAME address MAC type macvlan mode MODE` (created down). */
export function buildNewMacvlan(req: MacvlanRequest): NlRequest {
  return {
    type: RTM_NEWLINK,
    flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    body: concatBytes([
      ifinfomsg(0),
      attrU32(IFLA_LINK, req.parentIndex),
      attrString(IFLA_IFNAME, req.name),
      encodeAttr(IFLA_ADDRESS, req.mac),
      attrNested(IFLA_LINKINFO, [
        attrString(IFLA_INFO_KIND, 'macvlan'),
        attrNested(IFLA_INFO_DATA, [attrU32(IFLA_MACVLAN_MODE, req.mode)]),
      ]),
    ]),
    expect: 'ack',
  };
}

/** `ip link set dev IFINDEX up|down`: RTM_NEWLINK changing only the IFF_UP bit. */
export function buildSetLinkAdmin(ifindex: number, up: boolean): NlRequest {
  return { type: RTM_NEWLINK, flags: NLM_F_REQUEST | NLM_F_ACK, body: ifinfomsg(ifindex, up ? IFF_UP : 0, IFF_UP), expect: 'ack' };
}

export function buildDelLink(ifindex: number): NlRequest {
  return { type: RTM_DELLINK, flags: NLM_F_REQUEST | NLM_F_ACK, body: ifinfomsg(ifindex), expect: 'ack' };
}

/** A link as the kernel reports it. */
export interface LinkMessage {
  readonly index: number;
  /** ARPHRD_* link type (1 = Ethernet, 772 = loopback). */
  readonly linkType: number;
  /** IFF_* */
  readonly flags: number;
  readonly name?: string;
  readonly mtu?: number;
  /** IFLA_ADDRESS (absent on links without a link-layer address). */
  readonly mac?: Uint8Array;
  /** IF_OPER_* */
  readonly operState?: number;
  /** IFLA_LINK: the lower device (macvlan parent, veth peer index in its netns). */
  readonly linkIndex?: number;
  readonly masterIndex?: number;
  /** IFLA_LINKINFO/IFLA_INFO_KIND ("veth", "macvlan", …); absent for plain devices. */
  readonly kind?: string;
  /** IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_MACVLAN_MODE when kind is macvlan. */
  readonly macvlanMode?: number;
}

export function parseLinkMsg(payload: Uint8Array): DecodeResult<LinkMessage> {
  if (payload.length < IFINFOMSG_LEN) return decodeFailure('truncated', 0, `ifinfomsg needs 16 bytes, got ${payload.length}`);
  const dv = view(payload);
  const attrs = decodeAttrs(payload.subarray(IFINFOMSG_LEN));
  if (!attrs.ok) return decodeFailure(attrs.error.reason, attrs.error.offset + IFINFOMSG_LEN, attrs.error.detail);
  const m = attrMap(attrs.value);
  let kind: string | undefined;
  let macvlanMode: number | undefined;
  const li = m.get(IFLA_LINKINFO);
  if (li !== undefined) {
    const inner = decodeAttrs(li);
    if (inner.ok) {
      const im = attrMap(inner.value);
      kind = readString(im.get(IFLA_INFO_KIND));
      const data = im.get(IFLA_INFO_DATA);
      if (kind === 'macvlan' && data !== undefined) {
        const d = decodeAttrs(data);
        if (d.ok) macvlanMode = readU32(attrMap(d.value).get(IFLA_MACVLAN_MODE));
      }
    }
  }
  const name = readString(m.get(IFLA_IFNAME));
  const mtu = readU32(m.get(IFLA_MTU));
  const mac = m.get(IFLA_ADDRESS);
  const operState = readU8(m.get(IFLA_OPERSTATE));
  const linkIndex = readU32(m.get(IFLA_LINK));
  const masterIndex = readU32(m.get(IFLA_MASTER));
  return {
    ok: true,
    value: {
      index: dv.getInt32(4, HOST_LITTLE_ENDIAN),
      linkType: dv.getUint16(2, HOST_LITTLE_ENDIAN),
      flags: dv.getUint32(8, HOST_LITTLE_ENDIAN),
      ...(name !== undefined ? { name } : {}),
      ...(mtu !== undefined ? { mtu } : {}),
      ...(mac !== undefined ? { mac: mac.slice() } : {}),
      ...(operState !== undefined ? { operState } : {}),
      ...(linkIndex !== undefined ? { linkIndex } : {}),
      ...(masterIndex !== undefined ? { masterIndex } : {}),
      ...(kind !== undefined ? { kind } : {}),
      ...(macvlanMode !== undefined ? { macvlanMode } : {}),
    },
  };
}
