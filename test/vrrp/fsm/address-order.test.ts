import { describe, expect, it } from 'vitest';
import { addressToBigInt, compareAddresses } from '../../../src/vrrp/fsm/address-order.js';

describe('numeric address order for the equal-priority tie-break', () => {
  it('compares IPv4 numerically, not lexically', () => {
    expect(compareAddresses('10.0.0.9', '10.0.0.10')).toBeLessThan(0);
    expect(compareAddresses('192.168.1.2', '10.0.0.1')).toBeGreaterThan(0);
    expect(compareAddresses('10.0.0.1', '10.0.0.1')).toBe(0);
  });
  it('compares IPv6 numerically, with :: expansion and zones', () => {
    expect(compareAddresses('fe80::2', 'fe80::10')).toBeLessThan(0);
    expect(compareAddresses('fe80::1:0', 'fe80::ffff')).toBeGreaterThan(0);
    expect(compareAddresses('fe80::1%eth0', 'fe80:0:0:0:0:0:0:1')).toBe(0);
    expect(compareAddresses('2001:db8::ffff:10.0.0.1', '2001:db8::ffff:a00:2')).toBeLessThan(0);
  });
  it('parses to the right integer', () => {
    expect(addressToBigInt('1.2.3.4')).toBe(0x01020304n);
    expect(addressToBigInt('::1')).toBe(1n);
    expect(addressToBigInt('ffff::')).toBe(0xffffn << 112n);
  });
  it('returns no decision for garbage or mixed families', () => {
    expect(addressToBigInt('1.2.3')).toBeNull();
    expect(addressToBigInt('1.2.3.256')).toBeNull();
    expect(addressToBigInt('1::2::3')).toBeNull();
    expect(addressToBigInt('1:2:3:4:5:6:7')).toBeNull();
    expect(addressToBigInt('1:2:3:4:5:6:7:8::')).toBeNull();
    expect(addressToBigInt('g::1')).toBeNull();
    expect(addressToBigInt('::1.2.3.999')).toBeNull();
    expect(compareAddresses('10.0.0.1', 'fe80::1')).toBe(0);
    expect(compareAddresses('x', '10.0.0.1')).toBe(0);
  });
});
