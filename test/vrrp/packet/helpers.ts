/**
 * Test-side helpers for the packet codec, written independently of src/ so golden checks do not reuse the
 * code under test: an RFC 1071 checksum, a raw VRRP byte builder for negative tests, an IPv6 header
 * reader, and the loader for the captured fixtures in test/fixtures/packets.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/packets');

export interface FixtureExpect {
  version: 2 | 3;
  type: number;
  vrid: number;
  priority: number;
  addrCount: number;
  authType?: number;
  adverIntS?: number;
  maxAdverIntCs?: number;
  addresses: string[];
  authPass?: string;
  checksumForm: string;
}

export interface Fixture {
  name: string;
  family: 4 | 6;
  ip: { src: string; dst: string; ttl?: number; hopLimit?: number; tos: number };
  tcpdump: string;
  config: string;
  expect: FixtureExpect;
  /** The whole captured IP packet. */
  bytes: Buffer;
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const meta = JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as Omit<Fixture, 'bytes'>;
      const hex = readFileSync(join(FIXTURE_DIR, f.replace(/\.json$/, '.hex')), 'utf8').replace(/\s+/g, '');
      return { ...meta, bytes: Buffer.from(hex, 'hex') };
    });
}

/** Plain RFC 1071 checksum over concatenated byte arrays (independent of src/vrrp/packet/checksum.ts). */
export function refChecksum(...parts: Uint8Array[]): number {
  const all = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += (all[i]! << 8) + (all[i + 1] ?? 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

export function v4(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

/** Minimal IPv6 text → bytes for test inputs (full or "::" forms, no dotted tails). */
export function v6(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export interface RawAdvert {
  version?: number;
  type?: number;
  vrid?: number;
  priority?: number;
  count?: number;
  /** byte 4 (v2 auth type; v3 reserved nibble + high interval bits) */
  b4?: number;
  /** byte 5 (v2 interval; v3 low interval bits) */
  b5?: number;
  addrs?: Buffer[];
  auth?: Buffer;
  /** 'v2' → message-only; {src,dst} → pseudo-header; a number → written verbatim */
  checksum?: 'message' | { family: 4 | 6; src: Buffer; dst: Buffer } | number;
}

/** Build VRRP bytes field by field, valid or deliberately not. */
export function rawAdvert(r: RawAdvert): Buffer {
  const version = r.version ?? 2;
  const addrs = r.addrs ?? [v4('192.0.2.100')];
  const head = Buffer.from([
    (version << 4) | (r.type ?? 1),
    r.vrid ?? 51,
    r.priority ?? 100,
    r.count ?? addrs.length,
    r.b4 ?? 0,
    r.b5 ?? 1,
    0,
    0,
  ]);
  const msg = Buffer.concat([head, ...addrs, r.auth ?? (version === 2 ? Buffer.alloc(8) : Buffer.alloc(0))]);
  const c = r.checksum ?? 'message';
  let sum: number;
  if (typeof c === 'number') sum = c;
  else if (c === 'message') sum = refChecksum(msg);
  else if (c.family === 4) {
    const ph = Buffer.concat([c.src, c.dst, Buffer.from([0, 112, msg.length >> 8, msg.length & 0xff])]);
    sum = refChecksum(ph, msg);
  } else {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    sum = refChecksum(c.src, c.dst, len, Buffer.from([0, 0, 0, 112]), msg);
  }
  msg.writeUInt16BE(sum, 6);
  return msg;
}

/** A 20-byte IPv4 header with TTL/TOS etc. for VRRP payloads (independent builder). */
export function rawIpv4(payload: Buffer, o: { src?: string; dst?: string; ttl?: number; proto?: number; ihl?: number; totalLen?: number } = {}): Buffer {
  const ihl = o.ihl ?? 5;
  const h = Buffer.alloc(Math.max(ihl, 5) * 4);
  h[0] = 0x40 | ihl;
  h[1] = 0xc0;
  h.writeUInt16BE(o.totalLen ?? h.length + payload.length, 2);
  h[8] = o.ttl ?? 255;
  h[9] = o.proto ?? 112;
  v4(o.src ?? '192.0.2.1').copy(h, 12);
  v4(o.dst ?? '224.0.0.18').copy(h, 16);
  h.writeUInt16BE(refChecksum(h.subarray(0, 20)), 10);
  return Buffer.concat([h, payload]);
}

/** Read the fixed IPv6 header of a captured packet (tests only; raw IPv6 sockets never deliver it). */
export function readIpv6(bytes: Buffer): { trafficClass: number; hopLimit: number; nextHeader: number; payloadLen: number; src: Buffer; dst: Buffer; payload: Buffer } {
  return {
    trafficClass: ((bytes.readUInt32BE(0) >>> 20) & 0xff),
    payloadLen: bytes.readUInt16BE(4),
    nextHeader: bytes[6]!,
    hopLimit: bytes[7]!,
    src: bytes.subarray(8, 24),
    dst: bytes.subarray(24, 40),
    payload: bytes.subarray(40, 40 + bytes.readUInt16BE(4)),
  };
}
