/**
 * Address text ↔ bytes helpers for the frame builders: MAC (aa:bb:cc:dd:ee:ff), IPv4 dotted quad and
 * IPv6 (RFC 4291 text forms incl. "::" and an embedded dotted quad; a "%zone" suffix is ignored).
 * Pure; used on configuration values, so malformed input throws a TypeError with code KTS_ADDR_INVALID.
 */

export class AddressFormatError extends TypeError {
  readonly code = 'KTS_ADDR_INVALID';
  constructor(kind: string, text: string) {
    super(`invalid ${kind} address: ${JSON.stringify(text)}`);
    this.name = 'AddressFormatError';
  }
}

export const BROADCAST_MAC: Uint8Array = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export function macToBytes(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new AddressFormatError('MAC', text);
  }
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

export function ipv4ToBytes(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new AddressFormatError('IPv4', text);
  }
  return Uint8Array.from(parts, Number);
}

export function ipv6ToBytes(input: string): Uint8Array {
  const text = input.split('%')[0] ?? '';
  const halves = text.split('::');
  if (halves.length > 2) throw new AddressFormatError('IPv6', input);
  const groups = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    items.forEach((item, i) => {
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = ipv4ToBytes(item);
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        out.push(parseInt(item, 16));
      } else {
        throw new AddressFormatError('IPv6', input);
      }
    });
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    throw new AddressFormatError('IPv6', input);
  }
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** 33:33 + low 32 bits of the IPv6 multicast group (RFC 2464 §7). */
export function ipv6MulticastMac(group: Uint8Array): Uint8Array {
  return Uint8Array.of(0x33, 0x33, group[12] ?? 0, group[13] ?? 0, group[14] ?? 0, group[15] ?? 0);
}
