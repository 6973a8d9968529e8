/**
 * Pure IP/MAC text <-> bytes conversions used by the rtnetlink codecs.
 *
 * Parsing follows inet_pton(3) (dotted quad with exactly four decimal parts; IPv6 with at most one
 * `::` and an optional trailing dotted quad) and is the packet codec's own (src/vrrp/packet/ip-address.ts,
 * one parser for the whole daemon); formatting differs on purpose: this one follows glibc inet_ntop(3), so our output
 * matches what `ip -j addr` prints (lower-case hex, longest zero run compressed, `::a.b.c.d` for
 * IPv4-compatible and `::ffff:a.b.c.d` for IPv4-mapped addresses). Nothing here throws.
 */

import { parseIpv4, parseIpv6 } from '../../vrrp/packet/ip-address.js';

export { parseIpv4, parseIpv6 };

export type IpFamily = 4 | 6;

export interface IpBytes {
  readonly family: IpFamily;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

/** Parses an IPv4 or IPv6 literal; `undefined` when it is neither. */
export function parseIp(text: string): IpBytes | undefined {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? { family: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(text);
  return bytes ? { family: 4, bytes } : undefined;
}

/** Formats 4 or 16 bytes; any other length gives a hex dump prefixed with `?`, never a throw. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return `?${formatHex(bytes)}`;
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  // Longest run of zero words (length >= 2), first one on a tie, as glibc does.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  const v4Tail =
    bestStart === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (v4Tail && i === 6) {
      if (!out.endsWith(':')) out += ':';
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (words[i] ?? 0).toString(16);
  }
  return out;
}

/** `aa:bb:cc:dd:ee:ff` (any length, lower case), as `ip link` prints link-layer addresses. */
export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Parses `aa:bb:cc:dd:ee:ff` (exactly 6 octets, `:` or `-` separated). */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) return undefined;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const p = parts[i] ?? '';
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    out[i] = parseInt(p, 16);
  }
  return out;
}

function formatHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
