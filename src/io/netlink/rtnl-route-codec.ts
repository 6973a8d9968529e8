/**
 * rtnetlink route messages, pure: RTM_NEWROUTE / RTM_DELROUTE requests for `virtual_routes`.
 *
 * Layout (<linux/rtnetlink.h>): struct rtmsg { u8 rtm_family, rtm_dst_len, rtm_src_len, rtm_tos,
 * rtm_table, rtm_protocol, rtm_scope, rtm_type; u32 rtm_flags; } followed by RTA_* attributes.
 * As iproute2 does, a table id above 255 goes in RTA_TABLE with rtm_table = RT_TABLE_UNSPEC, and a
 * table id up to 255 only in rtm_table.
 */

import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REQUEST,
  RTA_DST,
  RTA_GATEWAY,
  RTA_OIF,
  RTA_PREFSRC,
  RTA_PRIORITY,
  RTA_TABLE,
  RTMSG_LEN,
  RTM_DELROUTE,
  RTM_NEWROUTE,
  RT_TABLE_UNSPEC,
} from './constants.js';
import type { IpFamily } from './inet.js';
import { HOST_LITTLE_ENDIAN, attrU32, concatBytes, encodeAttr, view } from './nl-codec.js';
import { familyToAf } from './rtnl-addr-codec.js';
import type { NlRequest } from './nl-request.js';

export interface RouteRequest {
  readonly family: IpFamily;
  /** Destination network bytes (unused when dstLen is 0: the default route). */
  readonly dst?: Uint8Array;
  readonly dstLen: number;
  readonly gateway?: Uint8Array;
  readonly oif?: number;
  readonly prefsrc?: Uint8Array;
  /** Metric (RTA_PRIORITY). */
  readonly priority?: number;
  readonly table: number;
  /** RTPROT_* */
  readonly protocol: number;
  /** RT_SCOPE_* */
  readonly scope: number;
  /** RTN_* */
  readonly type: number;
  /** rtm_flags (RTNH_F_ONLINK…), default 0. */
  readonly flags?: number;
}

function rtmsg(req: RouteRequest): Uint8Array {
  const b = new Uint8Array(RTMSG_LEN);
  b[0] = familyToAf(req.family);
  b[1] = req.dstLen;
  b[2] = 0;
  b[3] = 0;
  b[4] = req.table > 255 ? RT_TABLE_UNSPEC : req.table;
  b[5] = req.protocol;
  b[6] = req.scope;
  b[7] = req.type;
  view(b).setUint32(8, (req.flags ?? 0) >>> 0, HOST_LITTLE_ENDIAN);
  return b;
}

function routeBody(req: RouteRequest): Uint8Array {
  const parts: Uint8Array[] = [rtmsg(req)];
  if (req.table > 255) parts.push(attrU32(RTA_TABLE, req.table));
  if (req.dstLen > 0 && req.dst !== undefined) parts.push(encodeAttr(RTA_DST, req.dst));
  if (req.gateway !== undefined) parts.push(encodeAttr(RTA_GATEWAY, req.gateway));
  if (req.oif !== undefined) parts.push(attrU32(RTA_OIF, req.oif));
  if (req.prefsrc !== undefined) parts.push(encodeAttr(RTA_PREFSRC, req.prefsrc));
  if (req.priority !== undefined) parts.push(attrU32(RTA_PRIORITY, req.priority));
  return concatBytes(parts);
}

/** `ip route add` (NLM_F_CREATE|NLM_F_EXCL): EEXIST when an identical route is present. */
export function buildNewRoute(req: RouteRequest): NlRequest {
  return { type: RTM_NEWROUTE, flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body: routeBody(req), expect: 'ack' };
}

/** `ip route del`: ESRCH when no route matches. */
export function buildDelRoute(req: RouteRequest): NlRequest {
  return { type: RTM_DELROUTE, flags: NLM_F_REQUEST | NLM_F_ACK, body: routeBody(req), expect: 'ack' };
}
