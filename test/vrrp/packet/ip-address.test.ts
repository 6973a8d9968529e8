// Address text ⇄ bytes: strict dotted-quad IPv4, IPv6 parsing, RFC 5952 canonical output.
import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIpv6, parseIpv4, parseIpv6 } from '../../../src/vrrp/packet/index.js';
import { v6 } from './helpers.js';

describe('IPv4 text', () => {
  it.each(['192.0.2.1', '0.0.0.0', '255.255.255.255'])('parses %s', (t) => {
    expect(Array.from(parseIpv4(t)!).join('.')).toBe(t);
  });
  it.each(['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.a', '', '1..2.3'])('rejects %j', (t) => {
    expect(parseIpv4(t)).toBeUndefined();
  });
});

describe('IPv6 text', () => {
  it.each([
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0DB8::0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // longest run wins
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], // RFC 5952 §5 mixed notation
    ['::ffff:c000:201', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%s → %s', (input, canonical) => {
    expect(canonicalIp(input)).toBe(canonical);
    expect(Buffer.from(parseIpv6(input)!)).toEqual(Buffer.from(parseIpv6(canonical)!));
  });
  it.each([':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', 'g::1', '12345::1', '1.2.3.4::', '::1.2.3.4:1', ':1::', '1:::2', '', '1:2:3:4:5:6:7::8:9', 'fe80::1%eth0'])(
    'rejects %j',
    (t) => {
      expect(parseIpv6(t)).toBeUndefined();
    },
  );
  it('formats from an offset', () => {
    const buf = Buffer.concat([Buffer.from([9, 9]), v6('fe80::5:55')]);
    expect(formatIpv6(buf, 2)).toBe('fe80::5:55');
  });
  it('canonicalIp rejects non-addresses', () => {
    expect(canonicalIp('eth0')).toBeUndefined();
  });
});
