/**
 * Numeric ordering of IP addresses for the VRRP equal-priority tie-break (RFC 9568 §6.4.3:
 * "the primary IPvX Address of the sender is greater than the local primary IPvX Address",
 * compared as unsigned integers in network byte order). Pure, no node imports.
 */

/** Parses a dotted-quad IPv4 or RFC 4291 textual IPv6 address into an unsigned integer; null if invalid. */
export function addressToBigInt(text: string): bigint | null {
  const addr = text.trim();
  if (addr.includes(':')) return ipv6ToBigInt(addr);
  return ipv4ToBigInt(addr);
}

function ipv4ToBigInt(addr: string): bigint | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function ipv6ToBigInt(raw: string): bigint | null {
  // Drop a zone index (fe80::1%eth0).
  const addr = raw.split('%')[0] ?? '';
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const groups = s.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] ?? '';
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = ipv4ToBigInt(g);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

/**
 * Compares two addresses numerically: negative if a < b, 0 if equal (or either is unparsable
 * or of another family — keepalived treats that as "no decision"), positive if a > b.
 */
export function compareAddresses(a: string, b: string): number {
  if (a.includes(':') !== b.includes(':')) return 0;
  const x = addressToBigInt(a);
  const y = addressToBigInt(b);
  if (x === null || y === null) return 0;
  return x < y ? -1 : x > y ? 1 : 0;
}
