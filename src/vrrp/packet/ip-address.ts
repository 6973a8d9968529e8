/**
 * IP address text ⇄ bytes for the packet codec: dotted-quad IPv4 and RFC 4291 IPv6 text in, RFC 5952
 * canonical text out (lowercase, no leading zeros, longest run of ≥ 2 zero groups as "::", first run on
 * a tie, IPv4-mapped addresses in mixed notation). Pure; parsing returns `undefined` instead of throwing.
 * (node:net is off limits under src/vrrp, and its formatter is not RFC 5952 for mapped addresses.)
 */

/** Parse dotted-quad IPv4 text ("192.0.2.1") into 4 bytes; `undefined` if not exactly that. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    if (p.length > 1 && p.startsWith('0')) return undefined; // no octal-looking octets
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** Parse IPv6 text (with "::" and an optional dotted IPv4 tail; no zone id) into 16 bytes. */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  let head = text;
  let tail = '';
  const dbl = text.indexOf('::');
  if (dbl !== -1) {
    if (text.indexOf('::', dbl + 1) !== -1) return undefined;
    head = text.slice(0, dbl);
    tail = text.slice(dbl + 2);
  }
  const headGroups = groupsOf(head);
  const tailGroups = groupsOf(tail);
  if (headGroups === undefined || tailGroups === undefined) return undefined;
  // A dotted IPv4 part may only be the very last component.
  const all = [...headGroups, ...tailGroups];
  for (let i = 0; i < all.length - 1; i++) if (all[i]!.length === 2) return undefined;
  if (dbl !== -1 && tail === '' && headGroups.some((g) => g.length === 2)) return undefined;
  const headWords = headGroups.flat();
  const tailWords = tailGroups.flat();
  const words = headWords.length + tailWords.length;
  if (dbl === -1 ? words !== 8 : words > 7) return undefined;
  const out = new Uint8Array(16);
  const put = (w: number, at: number): void => {
    out[at * 2] = w >> 8;
    out[at * 2 + 1] = w & 0xff;
  };
  headWords.forEach((w, i) => put(w, i));
  tailWords.forEach((w, i) => put(w, 8 - tailWords.length + i));
  return out;
}

/** Split one side of a "::" into 16-bit words; a dotted IPv4 component yields two words. */
function groupsOf(side: string): number[][] | undefined {
  if (side === '') return [];
  const groups: number[][] = [];
  for (const g of side.split(':')) {
    if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      groups.push([parseInt(g, 16)]);
    } else if (g.includes('.')) {
      const v4 = parseIpv4(g);
      if (v4 === undefined) return undefined;
      groups.push([(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!]);
    } else {
      return undefined;
    }
  }
  return groups;
}

/** RFC 5952 canonical text of 16 address bytes starting at `offset`. */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[offset + i * 2]! << 8) | bytes[offset + i * 2 + 1]!);
  // RFC 5952 §5: IPv4-mapped addresses (::ffff:0:0/96) are written with a dotted tail.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  }
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
  const hex = words.map((w) => w.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parse an address of the given family; `undefined` when the text is not one. */
export function parseIp(text: string, family: 4 | 6): Uint8Array | undefined {
  return family === 4 ? parseIpv4(text) : parseIpv6(text);
}

/** Canonical text of an address of either family, or `undefined` if it does not parse. */
export function canonicalIp(text: string): string | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return formatIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : formatIpv6(v6);
}
