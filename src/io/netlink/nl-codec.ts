/**
 * Netlink framing, pure: `struct nlmsghdr` messages, `struct nlattr` attributes (TLVs, nested or
 * flat) and `struct nlmsgerr` (ACK / error replies), as laid out in <linux/netlink.h>.
 *
 * Netlink is host byte order (little-endian on every platform we ship for; the order is detected
 * once below rather than assumed). Encoders return fresh bytes; decoders never throw on wire input:
 * they return `{ ok: false, error }` with the byte offset of the problem. This layer knows nothing
 * about rtnetlink or generic netlink; the family codecs (`rtnl-*-codec.ts`, IPVS) build on it.
 */

import {
  NLA_F_NESTED,
  NLA_HDRLEN,
  NLA_TYPE_MASK,
  NLMSG_ALIGNTO,
  NLMSG_HDRLEN,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
} from './constants.js';

/** True when this host stores integers little-endian (netlink uses host order). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: NlDecodeError };

export interface NlDecodeError {
  readonly reason: 'truncated' | 'bad-length' | 'bad-value';
  /** Byte offset (within the buffer handed to the decoder) where decoding stopped. */
  readonly offset: number;
  readonly detail: string;
}

export function decodeFailure<T>(reason: NlDecodeError['reason'], offset: number, detail: string): DecodeResult<T> {
  return { ok: false, error: { reason, offset, detail } };
}

export interface NlMsgHeader {
  /** nlmsg_len: header + payload, before padding. */
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  /** nlmsg_pid: port id of the sender (0 = kernel). */
  readonly pid: number;
}

export interface NlMsg {
  readonly header: NlMsgHeader;
  /** Bytes after the header, `header.length - 16` long (a view into the received buffer). */
  readonly payload: Uint8Array;
}

export interface NlAttr {
  /** nla_type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits. */
  readonly type: number;
  readonly nested: boolean;
  readonly value: Uint8Array;
}

export function nlAlign(n: number): number {
  return (n + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}

export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

// ---- messages ----------------------------------------------------------------------------------

/** One message: 16-byte header + payload, padded to 4 bytes (nlmsg_len excludes the padding). */
export function encodeNlMsg(
  h: { readonly type: number; readonly flags: number; readonly seq: number; readonly pid?: number },
  payload: Uint8Array,
): Uint8Array {
  const length = NLMSG_HDRLEN + payload.length;
  const out = new Uint8Array(nlAlign(length));
  const dv = view(out);
  dv.setUint32(0, length, HOST_LITTLE_ENDIAN);
  dv.setUint16(4, h.type, HOST_LITTLE_ENDIAN);
  dv.setUint16(6, h.flags, HOST_LITTLE_ENDIAN);
  dv.setUint32(8, h.seq >>> 0, HOST_LITTLE_ENDIAN);
  dv.setUint32(12, (h.pid ?? 0) >>> 0, HOST_LITTLE_ENDIAN);
  out.set(payload, NLMSG_HDRLEN);
  return out;
}

/** Splits one received datagram into messages. A bad length anywhere fails the whole datagram. */
export function decodeNlMsgs(buf: Uint8Array): DecodeResult<NlMsg[]> {
  const msgs: NlMsg[] = [];
  const dv = view(buf);
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < NLMSG_HDRLEN) return decodeFailure('truncated', off, `${buf.length - off} bytes left, need a 16-byte nlmsghdr`);
    const length = dv.getUint32(off, HOST_LITTLE_ENDIAN);
    if (length < NLMSG_HDRLEN) return decodeFailure('bad-length', off, `nlmsg_len ${length} < 16`);
    if (length > buf.length - off) return decodeFailure('truncated', off, `nlmsg_len ${length} exceeds the ${buf.length - off} bytes left`);
    msgs.push({
      header: {
        length,
        type: dv.getUint16(off + 4, HOST_LITTLE_ENDIAN),
        flags: dv.getUint16(off + 6, HOST_LITTLE_ENDIAN),
        seq: dv.getUint32(off + 8, HOST_LITTLE_ENDIAN),
        pid: dv.getUint32(off + 12, HOST_LITTLE_ENDIAN),
      },
      payload: buf.subarray(off + NLMSG_HDRLEN, off + length),
    });
    off += nlAlign(length);
  }
  return { ok: true, value: msgs };
}

// ---- attributes --------------------------------------------------------------------------------

/** One attribute: 4-byte header + value, padded to 4 bytes (nla_len excludes the padding). */
export function encodeAttr(type: number, value: Uint8Array): Uint8Array {
  const len = NLA_HDRLEN + value.length;
  const out = new Uint8Array(nlAlign(len));
  const dv = view(out);
  dv.setUint16(0, len, HOST_LITTLE_ENDIAN);
  dv.setUint16(2, type, HOST_LITTLE_ENDIAN);
  out.set(value, NLA_HDRLEN);
  return out;
}

export function attrU8(type: number, v: number): Uint8Array {
  return encodeAttr(type, Uint8Array.of(v & 0xff));
}

export function attrU16(type: number, v: number): Uint8Array {
  const b = new Uint8Array(2);
  view(b).setUint16(0, v, HOST_LITTLE_ENDIAN);
  return encodeAttr(type, b);
}

export function attrU32(type: number, v: number): Uint8Array {
  const b = new Uint8Array(4);
  view(b).setUint32(0, v >>> 0, HOST_LITTLE_ENDIAN);
  return encodeAttr(type, b);
}

/** NUL-terminated string attribute (NLA_NUL_STRING / NLA_STRING as iproute2 sends them). */
export function attrString(type: number, s: string): Uint8Array {
  const text = new TextEncoder().encode(s);
  const b = new Uint8Array(text.length + 1);
  b.set(text, 0);
  return encodeAttr(type, b);
}

/** Nested attribute. The kernel accepts rtnetlink nests with or without NLA_F_NESTED; iproute2
 *  omits it for IFLA_LINKINFO (checked with strace on `ip link add … type macvlan`), and so do we. */
export function attrNested(type: number, children: readonly Uint8Array[], flagNested = false): Uint8Array {
  return encodeAttr(flagNested ? type | NLA_F_NESTED : type, concatBytes(children));
}

export function decodeAttrs(buf: Uint8Array): DecodeResult<NlAttr[]> {
  const attrs: NlAttr[] = [];
  const dv = view(buf);
  let off = 0;
  while (off + NLA_HDRLEN <= buf.length) {
    const len = dv.getUint16(off, HOST_LITTLE_ENDIAN);
    const rawType = dv.getUint16(off + 2, HOST_LITTLE_ENDIAN);
    if (len < NLA_HDRLEN) return decodeFailure('bad-length', off, `nla_len ${len} < 4`);
    if (len > buf.length - off) return decodeFailure('truncated', off, `nla_len ${len} exceeds the ${buf.length - off} bytes left`);
    attrs.push({
      type: rawType & NLA_TYPE_MASK,
      nested: (rawType & NLA_F_NESTED) !== 0,
      value: buf.subarray(off + NLA_HDRLEN, off + len),
    });
    off += nlAlign(len);
  }
  // Up to 3 trailing bytes cannot hold an attribute; like nla_for_each_attr, ignore them.
  return { ok: true, value: attrs };
}

/** Attribute values by type; later duplicates win (the kernel never repeats the ones we read). */
export function attrMap(attrs: readonly NlAttr[]): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  for (const a of attrs) m.set(a.type, a.value);
  return m;
}

export function readU8(v: Uint8Array | undefined): number | undefined {
  return v !== undefined && v.length >= 1 ? v[0] : undefined;
}

export function readU32(v: Uint8Array | undefined): number | undefined {
  return v !== undefined && v.length >= 4 ? view(v).getUint32(0, HOST_LITTLE_ENDIAN) : undefined;
}

/** String attribute up to the first NUL (or its end when unterminated). */
export function readString(v: Uint8Array | undefined): string | undefined {
  if (v === undefined) return undefined;
  const nul = v.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? v.subarray(0, nul) : v);
}

// ---- errors / ACKs -----------------------------------------------------------------------------

export interface NlError {
  /** 0 for an ACK, otherwise a negative errno as the kernel sends it. */
  readonly error: number;
  /** Header of the request this answers (echoed by the kernel). */
  readonly request: NlMsgHeader;
  /** NLMSGERR_ATTR_MSG: the kernel's extended-ACK text ("ipv4: Invalid scope value"), when sent. */
  readonly extackMessage?: string;
  /** NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request. */
  readonly extackOffset?: number;
}

/** Decodes an NLMSG_ERROR payload: __s32 error, struct nlmsghdr msg, [request payload unless
 *  NLM_F_CAPPED], [extended-ACK TLVs when NLM_F_ACK_TLVS]. */
export function decodeNlError(payload: Uint8Array, msgFlags: number): DecodeResult<NlError> {
  if (payload.length < 4 + NLMSG_HDRLEN) return decodeFailure('truncated', 0, `nlmsgerr needs 20 bytes, got ${payload.length}`);
  const dv = view(payload);
  const error = dv.getInt32(0, HOST_LITTLE_ENDIAN);
  const request: NlMsgHeader = {
    length: dv.getUint32(4, HOST_LITTLE_ENDIAN),
    type: dv.getUint16(8, HOST_LITTLE_ENDIAN),
    flags: dv.getUint16(10, HOST_LITTLE_ENDIAN),
    seq: dv.getUint32(12, HOST_LITTLE_ENDIAN),
    pid: dv.getUint32(16, HOST_LITTLE_ENDIAN),
  };
  if ((msgFlags & NLM_F_ACK_TLVS) === 0) return { ok: true, value: { error, request } };
  let tlvStart = 4 + NLMSG_HDRLEN;
  if ((msgFlags & NLM_F_CAPPED) === 0) tlvStart = 4 + nlAlign(Math.max(request.length, NLMSG_HDRLEN));
  if (tlvStart > payload.length) return { ok: true, value: { error, request } };
  const tlvs = decodeAttrs(payload.subarray(tlvStart));
  if (!tlvs.ok) return { ok: true, value: { error, request } };
  const m = attrMap(tlvs.value);
  const extackMessage = readString(m.get(NLMSGERR_ATTR_MSG));
  const extackOffset = readU32(m.get(NLMSGERR_ATTR_OFFS));
  return {
    ok: true,
    value: {
      error,
      request,
      ...(extackMessage !== undefined ? { extackMessage } : {}),
      ...(extackOffset !== undefined ? { extackOffset } : {}),
    },
  };
}
