// Byte-exact GARP / unsolicited NA frames against keepalived 2.2.7 captures
// (test/fixtures/frames/capture.sh), plus field-level checks read with an independent decoder.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildGratuitousArp } from '../../../src/io/arp/garp-frame.js';
import { buildUnsolicitedNa, icmpv6Checksum } from '../../../src/io/arp/una-frame.js';
import { formatMac, ipv4ToBytes, ipv6ToBytes, macToBytes } from '../../../src/io/arp/addresses.js';
import { ipv6Forwarding } from '../../../src/io/arp/forwarding.js';

const fixture = (name: string): Buffer =>
  Buffer.from(readFileSync(new URL(`../../fixtures/frames/${name}`, import.meta.url), 'utf8').trim(), 'hex');

// The capture lab: keepalived on veth0 02:00:00:00:0a:01, VIPs 192.168.77.100 and fd00:77::100.
const MAC = '02:00:00:00:0a:01';

describe('gratuitous ARP', () => {
  it('matches keepalived byte for byte', () => {
    const frame = buildGratuitousArp({ sourceMac: MAC, address: '192.168.77.100' });
    expect(frame.toString('hex')).toBe(fixture('keepalived-garp-v4.hex').toString('hex'));
  });

  it('is a broadcast ARP request with sender = target = VIP', () => {
    const f = buildGratuitousArp({ sourceMac: '52:54:00:12:34:56', address: '10.1.2.3' });
    expect(f.length).toBe(42);
    expect(formatMac(f.subarray(0, 6))).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatMac(f.subarray(6, 12))).toBe('52:54:00:12:34:56');
    expect(f.readUInt16BE(12)).toBe(0x0806);
    expect(f.readUInt16BE(20)).toBe(1); // request
    expect(formatMac(f.subarray(22, 28))).toBe('52:54:00:12:34:56');
    expect([...f.subarray(28, 32)]).toEqual([10, 1, 2, 3]);
    expect(formatMac(f.subarray(32, 38))).toBe('ff:ff:ff:ff:ff:ff');
    expect([...f.subarray(38, 42)]).toEqual([10, 1, 2, 3]);
  });

  it('uses the VMAC when given one', () => {
    const f = buildGratuitousArp({ sourceMac: '00:00:5e:00:01:33', address: '192.168.77.100' });
    expect(formatMac(f.subarray(6, 12))).toBe('00:00:5e:00:01:33');
    expect(formatMac(f.subarray(22, 28))).toBe('00:00:5e:00:01:33');
  });
});

/** Independent RFC 1071 checksum verification: the sum over pseudo-header + message must be 0xffff. */
function verifyIcmpv6(frame: Buffer): boolean {
  const src = frame.subarray(22, 38);
  const dst = frame.subarray(38, 54);
  const icmp = frame.subarray(54);
  const words: number[] = [];
  const push = (b: Uint8Array): void => {
    for (let i = 0; i < b.length; i += 2) words.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  };
  push(src);
  push(dst);
  words.push(0, icmp.length, 0, 58);
  push(icmp);
  let sum = words.reduce((a, w) => a + w, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum === 0xffff;
}

describe('unsolicited neighbour advertisement', () => {
  it('matches keepalived byte for byte (host: Override only)', () => {
    const frame = buildUnsolicitedNa({ sourceMac: MAC, address: 'fd00:77::100', router: false });
    expect(frame.toString('hex')).toBe(fixture('keepalived-una-v6.hex').toString('hex'));
  });

  it('matches keepalived byte for byte (forwarding: Router + Override)', () => {
    const frame = buildUnsolicitedNa({ sourceMac: MAC, address: 'fd00:77::100', router: true });
    expect(frame.toString('hex')).toBe(fixture('keepalived-una-v6-router.hex').toString('hex'));
  });

  it('carries hop limit 255, ff02::1, target and target link-layer option', () => {
    const f = buildUnsolicitedNa({ sourceMac: '52:54:00:aa:bb:cc', address: '2001:db8::7', router: false });
    expect(f.length).toBe(86);
    expect(formatMac(f.subarray(0, 6))).toBe('33:33:00:00:00:01');
    expect(f.readUInt16BE(12)).toBe(0x86dd);
    expect(f[21]).toBe(255);
    expect([...f.subarray(38, 54)]).toEqual([...ipv6ToBytes('ff02::1')]);
    expect(f[54]).toBe(136);
    expect(f[58]).toBe(0x20);
    expect([...f.subarray(62, 78)]).toEqual([...ipv6ToBytes('2001:db8::7')]);
    expect([f[78], f[79]]).toEqual([2, 1]);
    expect(formatMac(f.subarray(80, 86))).toBe('52:54:00:aa:bb:cc');
    expect(verifyIcmpv6(f)).toBe(true);
  });

  it('honours an explicit source address', () => {
    const f = buildUnsolicitedNa({
      sourceMac: MAC, address: 'fd00:77::100', router: false, sourceAddress: 'fe80::1',
    });
    expect([...f.subarray(22, 38)]).toEqual([...ipv6ToBytes('fe80::1')]);
    expect(verifyIcmpv6(f)).toBe(true);
  });

  it('has a valid checksum for any address and MAC', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.boolean(), (ip, mac, router) => {
        const f = buildUnsolicitedNa({ sourceMac: mac, address: ip, router });
        expect(verifyIcmpv6(f)).toBe(true);
        expect([...f.subarray(62, 78)]).toEqual([...ipv6ToBytes(ip)]);
      }),
    );
  });

  it('icmpv6Checksum changes when a payload byte changes', () => {
    const src = ipv6ToBytes('fe80::1');
    const dst = ipv6ToBytes('ff02::1');
    const a = icmpv6Checksum(src, dst, Uint8Array.of(136, 0, 0, 0, 0x20, 0, 0, 0));
    const b = icmpv6Checksum(src, dst, Uint8Array.of(136, 0, 0, 0, 0xa0, 0, 0, 0));
    expect(a).not.toBe(b);
  });
});

describe('address parsing', () => {
  it.each([
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['fe80::ff:fe00:a01%veth0', 'fe80000000000000000000fffe000a01'],
    ['ff02::12', 'ff020000000000000000000000000012'],
  ])('ipv6ToBytes(%s)', (text, hex) => {
    expect(Buffer.from(ipv6ToBytes(text)).toString('hex')).toBe(hex);
  });

  it('parses embedded IPv4 and full forms', () => {
    expect(Buffer.from(ipv6ToBytes('::ffff:192.0.2.1')).toString('hex')).toBe('00000000000000000000ffffc0000201');
    expect(Buffer.from(ipv6ToBytes('2001:db8:0:0:1:0:0:1')).toString('hex')).toBe('20010db8000000000001000000000001');
  });

  it.each(['1::2::3', '1:2:3:4:5:6:7', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4::5:6:7:8'])('rejects IPv6 %s', (t) => {
    expect(() => ipv6ToBytes(t)).toThrow(/invalid IPv6/);
  });

  it.each(['1.2.3', '1.2.3.256', 'a.b.c.d'])('rejects IPv4 %s', (t) => {
    expect(() => ipv4ToBytes(t)).toThrow(/invalid IPv4/);
  });

  it('round-trips MACs and rejects bad ones', () => {
    expect(formatMac(macToBytes('0:1:2:a:bb:FF'))).toBe('00:01:02:0a:bb:ff');
    expect(() => macToBytes('00:01:02:03:04')).toThrow(/invalid MAC/);
  });
});

describe('ipv6Forwarding', () => {
  it('reads /proc/sys/net/ipv6/conf/<if>/forwarding under an injectable root', () => {
    const root = mkdtempSync(join(tmpdir(), 'kts-h6b-proc-'));
    try {
      for (const [ifname, value] of [['eth0', '1\n'], ['eth1', '0\n']] as const) {
        mkdirSync(join(root, 'sys/net/ipv6/conf', ifname), { recursive: true });
        writeFileSync(join(root, 'sys/net/ipv6/conf', ifname, 'forwarding'), value);
      }
      expect(ipv6Forwarding('eth0', root)).toBe(true);
      expect(ipv6Forwarding('eth1', root)).toBe(false);
      expect(ipv6Forwarding('missing0', root)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
