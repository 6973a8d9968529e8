/** AddressManager, RouteManager and VmacManager against a scripted kernel. */

import { describe, expect, it } from 'vitest';
import { AddressManager, vipToAddrRequest } from '../../../src/io/netlink/addresses.js';
import { NetlinkError } from '../../../src/io/netlink/errors.js';
import { RouteManager, routeToRequest } from '../../../src/io/netlink/routes.js';
import { NetlinkChannel } from '../../../src/io/netlink/socket.js';
import { VmacManager, vrrpVirtualMac } from '../../../src/io/netlink/vmac.js';
import { attr, cstr, toHex, u32le } from './helpers/bytes.js';
import { FakeKernel, type Reply, type SeenRequest } from './helpers/fake-kernel.js';

const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const RTM_GETLINK = 18;
const RTM_NEWADDR = 20;
const RTM_DELADDR = 21;
const RTM_NEWROUTE = 24;
const RTM_DELROUTE = 25;
const EEXIST = 17;
const EINVAL = 22;
const EADDRNOTAVAIL = 99;
const ESRCH = 3;
const EPERM = 1;

/** Does the request body carry an attribute of this type (after a fixed header of `hdr` bytes)? */
function hasAttr(req: SeenRequest, hdr: number, type: number): boolean {
  const b = req.body;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let off = hdr; off + 4 <= b.length; off += (dv.getUint16(off, true) + 3) & ~3) {
    if (dv.getUint16(off + 2, true) === type) return true;
    if (dv.getUint16(off, true) < 4) break;
  }
  return false;
}

function managers(handler: (r: SeenRequest) => Reply) {
  const k = new FakeKernel(handler);
  const ch = new NetlinkChannel(k);
  return { k, addresses: new AddressManager(ch), routes: new RouteManager(ch), vmacs: new VmacManager(ch) };
}

describe('vipToAddrRequest', () => {
  it('applies keepalived defaults', () => {
    expect(vipToAddrRequest({ address: '10.0.0.1', ifindex: 2 })).toMatchObject({ family: 4, prefixLen: 32, scope: 0, flags: 0 });
    const v6 = vipToAddrRequest({ address: 'fd00::1', ifindex: 2 });
    expect(v6).toMatchObject({ family: 6, prefixLen: 128, flags: 0x02, lifetimes: { preferredSec: 0, validSec: 0xffffffff } });
    expect(vipToAddrRequest({ address: 'fd00::1', ifindex: 2, preferredLft: 'forever' })).toMatchObject({ lifetimes: { preferredSec: 0xffffffff } });
    expect(vipToAddrRequest({ address: 'fd00::1', prefixLen: 64, ifindex: 2 })).not.toHaveProperty('lifetimes');
  });

  it.each([
    [{ address: '10.0.0.300', ifindex: 2 }, 'not an IPv4/IPv6'],
    [{ address: '10.0.0.1', ifindex: 0 }, 'interface index'],
    [{ address: '10.0.0.1', ifindex: 2, prefixLen: 33 }, 'prefix length'],
    [{ address: '10.0.0.1', ifindex: 2, family: 6 as const }, 'family'],
    [{ address: 'fd00::1', ifindex: 2, brd: '10.0.0.255' }, 'brd'],
    [{ address: '10.0.0.1', ifindex: 2, brd: 'x' }, 'brd'],
    [{ address: 'fd00::1', ifindex: 2, label: 'eth0:1' }, 'labels'],
    [{ address: '10.0.0.1', ifindex: 2, label: 'averyveryverylonglabel' }, 'label'],
    [{ address: '10.0.0.1', ifindex: 2, peer: 'fd00::1' }, 'peer'],
  ])('rejects %j with KTS_NETLINK_INVALID_ARGUMENT', (spec, why) => {
    const r = vipToAddrRequest(spec);
    expect(r).toBeInstanceOf(NetlinkError);
    expect((r as NetlinkError).code).toBe('KTS_NETLINK_INVALID_ARGUMENT');
    expect((r as NetlinkError).message).toContain(why);
  });
});

describe('AddressManager', () => {
  it('adds, tolerates EEXIST as already-present, and removes only what it added', async () => {
    const present = new Set<string>(['10.0.0.9']);
    const { k, addresses } = managers((r) => {
      const ip = Array.from(r.body.subarray(12, 16)).join('.');
      if (r.type === RTM_NEWADDR) {
        if (present.has(ip)) return { errno: EEXIST };
        present.add(ip);
        return {};
      }
      if (r.type === RTM_DELADDR) return present.delete(ip) ? {} : { errno: EADDRNOTAVAIL };
      return { errno: EINVAL };
    });
    await expect(addresses.add({ address: '10.0.0.1', ifindex: 2 })).resolves.toBe('added');
    await expect(addresses.add({ address: '10.0.0.9', ifindex: 2 })).resolves.toBe('already-present');
    await expect(addresses.add({ address: '10.0.0.2', ifindex: 2 })).resolves.toBe('added');
    expect(addresses.owned.map((v) => v.address)).toEqual(['10.0.0.1', '10.0.0.2']);
    await expect(addresses.remove({ address: '10.0.0.7', ifindex: 2 })).resolves.toBe('not-present');
    const res = await addresses.removeOwned();
    expect(res.removed.map((v) => v.address)).toEqual(['10.0.0.2', '10.0.0.1']);
    expect(res.failed).toEqual([]);
    expect([...present]).toEqual(['10.0.0.9']); // the address we did not add survives shutdown
    expect(addresses.owned).toEqual([]);
    expect((await addresses.removeOwned()).removed).toEqual([]); // idempotent
    expect(k.seen.filter((r) => r.type === RTM_NEWADDR).every((r) => hasAttr(r, 8, 11))).toBe(true); // IFA_PROTO sent
  });

  it('drops IFA_PROTO when only the request without it is accepted', async () => {
    const { k, addresses } = managers((r) => (hasAttr(r, 8, 11) ? { errno: EINVAL } : {}));
    await expect(addresses.add({ address: '10.0.0.1', ifindex: 2 })).resolves.toBe('added');
    expect(addresses.sendsAddressProto).toBe(false);
    await addresses.add({ address: '10.0.0.2', ifindex: 2 });
    expect(k.seen.map((r) => hasAttr(r, 8, 11))).toEqual([true, false, false]);
  });

  it('keeps IFA_PROTO and reports the original error when EINVAL has another cause', async () => {
    const { addresses } = managers(() => ({ errno: EINVAL, extack: 'ipv4: Invalid scope value' }));
    await expect(addresses.add({ address: '10.0.0.1', ifindex: 2, scope: 253 })).rejects.toMatchObject({
      code: 'KTS_NETLINK_KERNEL',
      errnoName: 'EINVAL',
      extack: 'ipv4: Invalid scope value',
    });
    expect(addresses.sendsAddressProto).toBe(true);
  });

  it('propagates other kernel errors as typed errors and does not record the VIP', async () => {
    const { addresses } = managers(() => ({ errno: EPERM }));
    await expect(addresses.add({ address: '10.0.0.1', ifindex: 2 })).rejects.toMatchObject({ code: 'KTS_NETLINK_KERNEL', errnoName: 'EPERM' });
    expect(addresses.owned).toEqual([]);
    await expect(addresses.remove({ address: '10.0.0.1', ifindex: 2 })).rejects.toMatchObject({ errnoName: 'EPERM' });
  });

  it('can be told never to send IFA_PROTO', async () => {
    const k = new FakeKernel();
    const addresses = new AddressManager(new NetlinkChannel(k), { addressProto: null });
    await addresses.add({ address: 'fd00::5', ifindex: 2 });
    expect(hasAttr(k.seen[0]!, 8, 11)).toBe(false);
  });
});

describe('RouteManager', () => {
  it('adds with proto keepalived, tolerates EEXIST/ESRCH, removes only its own', async () => {
    const { k, routes } = managers((r) => {
      if (r.type === RTM_NEWROUTE) return r.body[1] === 8 ? { errno: EEXIST } : {};
      if (r.type === RTM_DELROUTE) return r.body[1] === 12 ? { errno: ESRCH } : {};
      return { errno: EINVAL };
    });
    await expect(routes.add({ to: '10.1.0.0/16', dev: 2 })).resolves.toBe('added');
    await expect(routes.add({ to: '10.0.0.0/8', dev: 2 })).resolves.toBe('already-present');
    await expect(routes.remove({ to: '10.2.0.0/12', dev: 2 })).resolves.toBe('not-present');
    expect(routes.owned.map((r) => r.to)).toEqual(['10.1.0.0/16']);
    expect((await routes.removeOwned()).removed.map((r) => r.to)).toEqual(['10.1.0.0/16']);
    expect(k.seen.map((r) => [r.type, r.body[5]])).toEqual([
      [RTM_NEWROUTE, 18],
      [RTM_NEWROUTE, 18],
      [RTM_DELROUTE, 18],
      [RTM_DELROUTE, 18],
    ]);
  });

  it.each([
    [{ to: '10.1.0.0/33' }, 'prefix'],
    [{ to: 'nonsense' }, 'destination'],
    [{ to: '10.1.0.0/16', via: 'fd00::1' }, 'via'],
    [{ to: 'fd00::/64', src: '10.0.0.1' }, 'src'],
    [{ to: '10.1.0.0/16', table: 0 }, 'table'],
    [{ to: '10.1.0.0/16', prefixLen: 24 }, 'disagrees'],
  ])('rejects %j', (spec, why) => {
    const r = routeToRequest(spec);
    expect(r).toBeInstanceOf(NetlinkError);
    expect((r as NetlinkError).message).toContain(why);
  });
});

describe('VmacManager', () => {
  const linkReply = (index: number, name: string, mac: number[]): Reply => ({
    messages: [
      {
        type: RTM_NEWLINK,
        payload: [0, 0, 1, 0, ...u32le(index), ...u32le(0x1002), ...u32le(0), ...attr(3, cstr(name)), ...attr(1, mac)],
      },
    ],
  });

  it('uses the RFC 5798 virtual router MACs', () => {
    expect(toHex(vrrpVirtualMac(51, 4))).toBe('00005e000133');
    expect(toHex(vrrpVirtualMac(255, 6))).toBe('00005e0002ff');
  });

  it('creates, looks up, sets up, and deletes only its own macvlan', async () => {
    const { k, vmacs } = managers((r) => (r.type === RTM_GETLINK ? linkReply(9, 'vrrp.51', [0, 0, 0x5e, 0, 1, 0x33]) : {}));
    const v = await vmacs.create({ parentIndex: 3, vrid: 51, family: 4 });
    expect(v).toEqual({ ifindex: 9, name: 'vrrp.51', mac: '00:00:5e:00:01:33', created: true });
    expect(k.seen.map((r) => r.type)).toEqual([RTM_NEWLINK, RTM_GETLINK, RTM_NEWLINK]);
    // third request: ifinfomsg for ifindex 9 with IFF_UP in flags and change
    expect(toHex(k.seen[2]!.body)).toBe('0000000009000000' + '01000000' + '01000000');
    await expect(vmacs.remove(4)).resolves.toBe(false); // not ours: nothing sent
    expect(k.seen).toHaveLength(3);
    expect((await vmacs.removeOwned()).removed.map((x) => x.name)).toEqual(['vrrp.51']);
    expect(k.seen[3]!.type).toBe(RTM_DELLINK);
  });

  it('adopts an existing interface without owning it', async () => {
    const { k, vmacs } = managers((r) => (r.type === RTM_NEWLINK && r.flags & 0x400 ? { errno: EEXIST } : r.type === RTM_GETLINK ? linkReply(7, 'vrrp.9', [0, 0, 0x5e, 0, 2, 9]) : {}));
    const v = await vmacs.create({ parentIndex: 3, vrid: 9, family: 6, mode: 'bridge' });
    expect(v.created).toBe(false);
    expect(vmacs.owned).toEqual([]);
    expect((await vmacs.removeOwned()).removed).toEqual([]);
    expect(k.seen.some((r) => r.type === RTM_DELLINK)).toBe(false);
  });

  it('deletes a VMAC it created when setting it up fails', async () => {
    const { k, vmacs } = managers((r) =>
      r.type === RTM_GETLINK ? linkReply(9, 'vrrp.51', [0, 0, 0x5e, 0, 1, 0x33]) : r.type === RTM_NEWLINK && !(r.flags & 0x400) ? { errno: EPERM } : {},
    );
    await expect(vmacs.create({ parentIndex: 3, vrid: 51, family: 4 })).rejects.toMatchObject({ errnoName: 'EPERM' });
    expect(k.seen.map((r) => r.type)).toEqual([RTM_NEWLINK, RTM_GETLINK, RTM_NEWLINK, RTM_DELLINK]);
    expect(vmacs.owned).toEqual([]);
  });

  it('rejects bad VRIDs and names before sending anything', async () => {
    const { k, vmacs } = managers(() => ({}));
    await expect(vmacs.create({ parentIndex: 3, vrid: 0, family: 4 })).rejects.toMatchObject({ code: 'KTS_NETLINK_INVALID_ARGUMENT' });
    await expect(vmacs.create({ parentIndex: 3, vrid: 5, family: 4, name: 'a-very-long-interface' })).rejects.toMatchObject({ code: 'KTS_NETLINK_INVALID_ARGUMENT' });
    expect(k.seen).toEqual([]);
  });
});
