// Pure pieces of the advert transport: the setsockopt struct layouts.
import { describe, expect, it } from 'vitest';
import { cInt, ifnameOption, ipMreqn, ipv6Mreq } from '../../../src/io/vrrp-socket/sockopt.js';

describe('setsockopt structs', () => {
  it('lays out ip_mreqn as group, address, host-order ifindex', () => {
    expect(ipMreqn('224.0.0.18', 7).toString('hex')).toBe('e0000012' + '00000000' + '07000000');
    expect(ipMreqn('224.0.0.18', 258, '10.0.0.1').toString('hex')).toBe('e0000012' + '0a000001' + '02010000');
  });

  it('lays out ipv6_mreq as group then ifindex', () => {
    expect(ipv6Mreq('ff02::12', 3).toString('hex')).toBe('ff020000000000000000000000000012' + '03000000');
  });

  it('encodes ints and interface names', () => {
    expect(cInt(255).toString('hex')).toBe('ff000000');
    expect(ifnameOption('eth0').toString('hex')).toBe('6574683000');
  });
});
