/**
 * Test-side byte helpers, independent of src/: expected netlink messages are written as hex with
 * comments, and kernel replies are assembled field by field here (little-endian host assumed, as on
 * every machine these tests run on; the suite checks that assumption once).
 */

/** Hex with whitespace, `|` separators and `# comments` (to end of line) ignored. */
export function hex(text: string): Uint8Array {
  const clean = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/[\s|]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`bad hex: ${clean}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function u16le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff];
}

export function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/** nlattr: len, type, value, zero padding to 4. */
export function attr(type: number, value: readonly number[]): number[] {
  const len = 4 + value.length;
  const pad = (4 - (len % 4)) % 4;
  return [...u16le(len), ...u16le(type), ...value, ...new Array<number>(pad).fill(0)];
}

export function cstr(s: string): number[] {
  return [...Buffer.from(s, 'utf8'), 0];
}

/** nlmsghdr + payload (padded). */
export function nlmsg(type: number, flags: number, seq: number, pid: number, payload: readonly number[]): number[] {
  const len = 16 + payload.length;
  const pad = (4 - (len % 4)) % 4;
  return [...u32le(len), ...u16le(type), ...u16le(flags), ...u32le(seq), ...u32le(pid), ...payload, ...new Array<number>(pad).fill(0)];
}
