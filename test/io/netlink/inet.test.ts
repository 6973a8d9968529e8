import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, formatMac, parseIp, parseMac } from '../../../src/io/netlink/inet.js';
import { toHex } from './helpers/bytes.js';

describe('parseIp', () => {
  it.each([
    ['10.9.0.1', 4, '0a090001'],
    ['255.255.255.255', 4, 'ffffffff'],
    ['::', 6, '00000000000000000000000000000000'],
    ['::1', 6, '00000000000000000000000000000001'],
    ['fd00::100', 6, 'fd000000000000000000000000000100'],
    ['FE80::1:2', 6, 'fe800000000000000000000000010002'],
    ['::ffff:10.1.2.3', 6, '00000000000000000000ffff0a010203'],
    ['1:2:3:4:5:6:7:8', 6, '00010002000300040005000600070008'],
  ])('%s', (text, family, bytes) => {
    const r = parseIp(text);
    expect(r?.family).toBe(family);
    expect(toHex(r!.bytes)).toBe(bytes);
  });

  it.each(['', '10.1', '10.1.1.256', '10.1.1.1.1', '1.2.3.04x', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'fd00::/64', 'g::1'])(
    'rejects %j',
    (text) => expect(parseIp(text)).toBeUndefined(),
  );
});

describe('formatIp (glibc inet_ntop output, as `ip -j` prints)', () => {
  it.each([
    ['fd000000000000000000000000000100', 'fd00::100'],
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['00000000000000000000ffff0a010203', '::ffff:10.1.2.3'],
    ['0000000000000000000000000a010203', '::10.1.2.3'],
    ['00010000000100000001000000010000', '1:0:1:0:1:0:1:0'],
  ])('%s → %s', (h, text) => {
    const bytes = Uint8Array.from(Buffer.from(h, 'hex'));
    expect(formatIp(bytes)).toBe(text);
  });

  it('round-trips any IPv6 address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        expect(toHex(parseIp(formatIp(b))!.bytes)).toBe(toHex(b));
      }),
    );
  });

  it('does not throw on odd lengths', () => {
    expect(formatIp(Uint8Array.of(1, 2, 3))).toBe('?010203');
  });
});

describe('MAC', () => {
  it('formats and parses', () => {
    expect(formatMac(Uint8Array.of(0, 0, 0x5e, 0, 1, 0x33))).toBe('00:00:5e:00:01:33');
    expect(toHex(parseMac('00:00:5E:00:02:FF')!)).toBe('00005e0002ff');
    expect(parseMac('00:00:5e:00:01')).toBeUndefined();
    expect(parseMac('00:00:5e:00:01:zz')).toBeUndefined();
  });
});
