/** listInterfaces over a scripted kernel: the two dumps, their join, and what gets skipped. */

import { describe, expect, it } from 'vitest';
import { listInterfaces } from '../../../src/io/netlink/interfaces.js';
import { formatRtScope, parseRtScope } from '../../../src/io/netlink/scope.js';
import { NetlinkChannel } from '../../../src/io/netlink/socket.js';
import { attr, cstr, u32le } from './helpers/bytes.js';
import { FakeKernel } from './helpers/fake-kernel.js';

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const RTM_NEWADDR = 20;

function link(index: number, name: string | undefined, flags: number, extra: number[] = []): number[] {
  return [0, 0, 1, 0, ...u32le(index), ...u32le(flags), ...u32le(0), ...(name ? attr(3, cstr(name)) : []), ...extra];
}

describe('listInterfaces', () => {
  it('joins the link and address dumps', async () => {
    const k = new FakeKernel((r) =>
      r.type === RTM_GETLINK
        ? {
            done: true,
            messages: [
              { type: RTM_NEWLINK, payload: link(3, 'eth0', 0x11043, [...attr(4, u32le(1400)), ...attr(1, [2, 0xfc, 0, 0, 0, 1]), ...attr(16, [6])]) },
              { type: RTM_NEWLINK, payload: link(1, 'lo', 0x10049, attr(4, u32le(65536))) },
              { type: RTM_NEWLINK, payload: link(4, 'tun0', 0x1, attr(18, attr(1, cstr('tun')))) },
              { type: RTM_NEWLINK, payload: link(9, undefined, 0) }, // nameless: skipped
              { type: RTM_NEWLINK, payload: [1, 2, 3] }, // damaged: skipped
            ],
          }
        : {
            done: true,
            messages: [
              { type: RTM_NEWADDR, payload: [2, 24, 0x80, 0, ...u32le(3), ...attr(2, [10, 0, 0, 1]), ...attr(1, [10, 0, 0, 1]), ...attr(3, cstr('eth0'))] },
              { type: RTM_NEWADDR, payload: [10, 128, 0x80, 254, ...u32le(1), ...attr(1, [...new Array<number>(15).fill(0), 1])] },
              { type: RTM_NEWADDR, payload: [17, 0, 0, 0, ...u32le(3)] }, // not IP: skipped
            ],
          },
    );
    const list = await listInterfaces({ channel: new NetlinkChannel(k) });
    expect(k.seen.map((r) => [r.type, r.flags])).toEqual([
      [18, 0x301],
      [22, 0x301],
    ]);
    expect(list).toEqual([
      { index: 1, name: 'lo', up: true, running: true, mtu: 65536, mac: '', flags: 0x10049, addresses: [{ family: 6, address: '::1', prefixLen: 128, scope: 254, flags: 0x80 }] },
      {
        index: 3,
        name: 'eth0',
        up: true,
        running: true,
        operState: 6,
        mtu: 1400,
        mac: '02:fc:00:00:00:01',
        flags: 0x11043,
        addresses: [{ family: 4, address: '10.0.0.1', prefixLen: 24, scope: 0, flags: 0x80, label: 'eth0' }],
      },
      { index: 4, name: 'tun0', up: true, running: false, mtu: 0, mac: '', kind: 'tun', flags: 1, addresses: [] },
    ]);
    expect(k.closed).toBe(false); // a channel handed in stays open
  });

  it('propagates a failed dump as a typed error', async () => {
    const k = new FakeKernel(() => ({ errno: 1 }));
    await expect(listInterfaces({ channel: new NetlinkChannel(k) })).rejects.toMatchObject({ code: 'KTS_NETLINK_KERNEL', errnoName: 'EPERM' });
  });
});

describe('scope names', () => {
  it.each([
    ['global', 0],
    ['site', 200],
    ['link', 253],
    ['host', 254],
    ['nowhere', 255],
    ['LINK', 253],
    ['17', 17],
  ])('%s → %d', (name, value) => expect(parseRtScope(name)).toBe(value));

  it('rejects unknown names and out-of-range numbers', () => {
    expect(parseRtScope('galaxy')).toBeUndefined();
    expect(parseRtScope('256')).toBeUndefined();
    expect(parseRtScope('-1')).toBeUndefined();
  });

  it('formats back', () => {
    expect([0, 200, 253, 254, 255, 17].map(formatRtScope)).toEqual(['global', 'site', 'link', 'host', 'nowhere', '17']);
  });
});
