/**
 * use_vmac without a kernel: the plan (names, MACs, rebinding, sysctl lists), the lifecycle against
 * a recording link port and an in-memory sysctl table, the advert interface choice, and an instance
 * driver rebound onto its VMAC (VIPs and GARPs on the VMAC with the virtual MAC).
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { HostInterface, VmacInterface, VmacSpec } from '../../src/io/netlink/index.js';
import type { ResolvedInstance, ResolvedVip } from '../../src/core/instance-config.js';
import {
  baseLinkSysctls, chooseVmacName, igmpSysctls, resolveVmac, rpFilterSysctls, vmacAddress, vmacChanged, vmacLinkSysctls, withVmac,
} from '../../src/core/vmac-plan.js';
import type { ResolvedVmac } from '../../src/core/vmac-plan.js';
import { VmacSetup, VmacSetupError } from '../../src/core/vmac-setup.js';
import type { SysctlPort, VmacLinkPort } from '../../src/core/vmac-setup.js';
import { advertInterface } from '../../src/core/vmac-channel.js';
import { harness, resolved } from './instance-harness.js';

const BASE: HostInterface = { index: 2, name: 'eth0', up: true, running: true, mtu: 1500, mac: '02:00:00:00:00:01', flags: 0x11043, addresses: [] };
const LO: HostInterface = { index: 1, name: 'lo', up: true, running: true, mtu: 65536, mac: '00:00:00:00:00:00', flags: 0x49, addresses: [] };
const useVmac = (ifname: string | null = null, mac: string | null = null) => ({ ifname, mac, netlinkNotifyMsg: false, pos: { file: 'k.conf', line: 1, col: 1 } });

function plan(over: Partial<ResolvedVmac> = {}): ResolvedVmac {
  return { ...resolveVmac(useVmac(), { vrid: 51, family: 4, xmitBase: false, strict: false }, { vmacPrefix: 'vrrp' }, BASE), ...over };
}

function vmacInstance(over: Partial<ResolvedInstance> = {}, vmac: ResolvedVmac = plan()): ResolvedInstance {
  return { ...resolved(100), vmac, ...over };
}

function macvlan(index: number, name: string, mac: string, parent = 2, up = true): HostInterface {
  return { index, name, up, running: up, mtu: 1500, mac, flags: up ? 0x11043 : 0x1002, kind: 'macvlan', linkIndex: parent, addresses: [] };
}

describe('vmac plan', () => {
  it('virtual MAC: RFC 5798 per family, a configured one as given, 5 octets completed with the VRID', () => {
    expect(vmacAddress(null, 51, 4)).toBe('00:00:5e:00:01:33');
    expect(vmacAddress(null, 255, 6)).toBe('00:00:5e:00:02:ff');
    expect(vmacAddress('02:AA:bb:cc:dd:ee', 51, 4)).toBe('02:aa:bb:cc:dd:ee');
    expect(vmacAddress('02:aa:bb:cc:dd', 10, 4)).toBe('02:aa:bb:cc:dd:0a');
  });

  it('name from use_vmac or <vmac_prefix>.<VRID>; vrrp_strict drops a configured MAC and vmac_xmit_base', () => {
    const base = { vrid: 7, family: 4 as const, xmitBase: true, strict: false };
    expect(resolveVmac(useVmac(), base, { vmacPrefix: 'vr' }, BASE)).toMatchObject({ wantedName: 'vr.7', mac: '00:00:5e:00:01:07', xmitBase: true, baseIfindex: 2 });
    expect(resolveVmac(useVmac('ha0', '02:11:22:33:44:55'), base, { vmacPrefix: 'vrrp' }, BASE)).toMatchObject({ wantedName: 'ha0', mac: '02:11:22:33:44:55' });
    expect(resolveVmac(useVmac('ha0', '02:11:22:33:44:55'), { ...base, strict: true }, { vmacPrefix: 'vrrp' }, BASE)).toMatchObject({
      mac: '00:00:5e:00:01:07', xmitBase: false,
    });
  });

  it('name choice: free → create; our leftover macvlan → adopt; anything else → <prefix><N>.<VRID>', () => {
    const v = plan();
    expect(chooseVmacName(v, 51, [LO, BASE])).toEqual({ kind: 'create', name: 'vrrp.51', conflict: null });
    const leftover = macvlan(9, 'vrrp.51', '00:00:5e:00:01:33');
    expect(chooseVmacName(v, 51, [BASE, leftover])).toEqual({ kind: 'adopt', iface: leftover });
    const veth: HostInterface = { ...BASE, index: 5, name: 'vrrp.51', kind: 'veth' };
    expect(chooseVmacName(v, 51, [BASE, veth])).toEqual({ kind: 'create', name: 'vrrp1.51', conflict: 'vrrp.51' });
    // A macvlan with another MAC or on another parent is not ours either.
    expect(chooseVmacName(v, 51, [BASE, macvlan(5, 'vrrp.51', '00:00:5e:00:02:33')])).toMatchObject({ name: 'vrrp1.51' });
    expect(chooseVmacName(v, 51, [BASE, macvlan(5, 'vrrp.51', '00:00:5e:00:01:33', 3)])).toMatchObject({ name: 'vrrp1.51' });
    expect(chooseVmacName(v, 51, [BASE, veth, { ...veth, index: 6, name: 'vrrp1.51' }], new Set(['vrrp2.51']))).toMatchObject({ name: 'vrrp3.51' });
  });

  it('withVmac moves the instance and its same-family VIPs on the base interface onto the VMAC', () => {
    const onBase: ResolvedVip = { address: '10.0.0.100', family: 4, ifname: 'eth0', spec: { address: '10.0.0.100', prefixLen: 24, ifindex: 2 }, excluded: false };
    const elsewhere: ResolvedVip = { address: '10.9.0.1', family: 4, ifname: 'eth1', spec: { address: '10.9.0.1', prefixLen: 24, ifindex: 3 }, excluded: true };
    const v6: ResolvedVip = { address: 'fd00::1', family: 6, ifname: 'eth0', spec: { address: 'fd00::1', prefixLen: 64, ifindex: 2 }, excluded: true };
    const inst = vmacInstance({ vips: [onBase, elsewhere, v6] });
    const bound = withVmac(inst, { ifindex: 9, name: 'vrrp.51' });
    expect(bound).toMatchObject({ ifname: 'vrrp.51', ifindex: 9, mac: '00:00:5e:00:01:33', key: inst.key, sourceAddress: inst.sourceAddress });
    expect(bound.params.interfaceName).toBe('vrrp.51');
    expect(bound.vmac).toMatchObject({ ifname: 'vrrp.51', ifindex: 9 });
    expect(bound.vips.map((v) => [v.address, v.ifname, v.spec.ifindex])).toEqual([
      ['10.0.0.100', 'vrrp.51', 9], ['10.9.0.1', 'eth1', 3], ['fd00::1', 'eth0', 2],
    ]);
    // A recreated VMAC (new ifindex) takes the VIPs of the old one.
    const again = withVmac(bound, { ifindex: 12, name: 'vrrp.51' });
    expect(again.vips[0]?.spec.ifindex).toBe(12);
    expect(withVmac(resolved(100), { ifindex: 9, name: 'x' })).toEqual(resolved(100));
  });

  it('vmacChanged: added, removed, renamed, other MAC or xmit mode; not the link index', () => {
    const a = plan();
    expect(vmacChanged(a, { ...a, ifindex: 9, ifname: 'vrrp.51' })).toBe(false);
    expect(vmacChanged(undefined, undefined)).toBe(false);
    expect(vmacChanged(undefined, a)).toBe(true);
    expect(vmacChanged(a, undefined)).toBe(true);
    expect(vmacChanged(a, { ...a, wantedName: 'ha0' })).toBe(true);
    expect(vmacChanged(a, { ...a, mac: '02:00:00:00:00:09' })).toBe(true);
    expect(vmacChanged(a, { ...a, xmitBase: true })).toBe(true);
  });

  it('sysctl lists: VMAC (IPv6 off for IPv4 only), base raised from 0 only, rp_filter only when all is set, IGMP', () => {
    expect(vmacLinkSysctls('vrrp.51', 4)).toEqual([
      { key: 'ipv4/conf/vrrp.51/arp_ignore', value: 1 },
      { key: 'ipv4/conf/vrrp.51/accept_local', value: 1 },
      { key: 'ipv4/conf/vrrp.51/rp_filter', value: 0 },
      { key: 'ipv4/conf/vrrp.51/promote_secondaries', value: 1 },
      { key: 'ipv6/conf/vrrp.51/addr_gen_mode', value: 1 },
      { key: 'ipv6/conf/vrrp.51/disable_ipv6', value: 1 },
    ]);
    expect(vmacLinkSysctls('vrrp.51', 6).some((w) => w.key.endsWith('disable_ipv6'))).toBe(false);
    const table = new Map([['ipv4/conf/eth0/arp_ignore', 2], ['ipv4/conf/eth0/arp_filter', 0], ['ipv4/conf/eth0/arp_announce', 1]]);
    expect(baseLinkSysctls('eth0', (k) => table.get(k))).toEqual([
      { key: 'ipv4/conf/eth0/arp_filter', value: 1 },
      { key: 'ipv4/conf/eth0/arp_announce', value: 2 },
    ]);
    table.set('ipv4/conf/eth0/arp_announce', 2);
    expect(baseLinkSysctls('eth0', (k) => table.get(k))).toHaveLength(1);
    expect(rpFilterSysctls(['eth0'], () => 0)).toEqual([]);
    const rp = new Map([['ipv4/conf/all/rp_filter', 2], ['ipv4/conf/default/rp_filter', 1], ['ipv4/conf/eth0/rp_filter', 0], ['ipv4/conf/eth1/rp_filter', 2]]);
    expect(rpFilterSysctls(['eth0', 'eth1'], (k) => rp.get(k))).toEqual([
      { key: 'ipv4/conf/default/rp_filter', value: 2 },
      { key: 'ipv4/conf/eth0/rp_filter', value: 2 },
      { key: 'ipv4/conf/all/rp_filter', value: 0 },
    ]);
    expect(igmpSysctls(() => 1)).toEqual([{ key: 'ipv4/igmp_link_local_mcast_reports', value: 0 }]);
    expect(igmpSysctls(() => 0)).toEqual([]);
  });
});

/** Recording link port + sysctl table + log lines. */
function world(initial: Record<string, number> = {}, host: HostInterface[] = [LO, BASE]) {
  const events: string[] = [];
  const sysctls = new Map(Object.entries(initial));
  let nextIndex = 10;
  const owned = new Set<number>();
  const links: VmacLinkPort & { failCreate: boolean } = {
    failCreate: false,
    async create(spec: VmacSpec): Promise<VmacInterface> {
      if (this.failCreate) throw Object.assign(new Error('Operation not permitted'), { code: 'EPERM' });
      const ifindex = nextIndex++;
      const name = spec.name ?? `vrrp.${spec.vrid}`;
      events.push(`create ${name} parent=${spec.parentIndex} mac=${spec.mac ?? ''} mode=${spec.mode ?? ''} up=${String(spec.up)}`);
      // The kernel makes the per-interface sysctl directories with the link.
      for (const k of ['arp_ignore', 'accept_local', 'rp_filter', 'promote_secondaries']) sysctls.set(`ipv4/conf/${name}/${k}`, 0);
      for (const k of ['addr_gen_mode', 'disable_ipv6']) sysctls.set(`ipv6/conf/${name}/${k}`, 0);
      owned.add(ifindex);
      return { ifindex, name, mac: spec.mac ?? '', created: true };
    },
    async remove(ifindex) {
      events.push(`remove ${ifindex}`);
      return owned.delete(ifindex);
    },
    async setAdmin(ifindex, up) {
      events.push(`admin ${ifindex} ${up ? 'up' : 'down'}`);
    },
    adopt(v) {
      events.push(`adopt ${v.name}`);
      owned.add(v.ifindex);
    },
  };
  const sysctl: SysctlPort = {
    read: (k) => sysctls.get(k),
    write: (k, v) => {
      if (!sysctls.has(k)) throw new Error(`ENOENT ${k}`);
      events.push(`sysctl ${k}=${v}`);
      sysctls.set(k, v);
    },
  };
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push((JSON.parse(s) as { msg: string }).msg) });
  const setup = new VmacSetup({ links, sysctl, log, listInterfaces: async () => host });
  return { events, sysctls, links, setup, lines, owned };
}

const HOST_SYSCTLS = {
  'ipv4/conf/eth0/arp_ignore': 0, 'ipv4/conf/eth0/arp_filter': 0, 'ipv4/conf/eth0/arp_announce': 0, 'ipv4/conf/eth0/rp_filter': 0,
  'ipv4/conf/all/rp_filter': 1, 'ipv4/conf/default/rp_filter': 1, 'ipv4/conf/lo/rp_filter': 0,
  'ipv4/igmp_link_local_mcast_reports': 1,
};

describe('VmacSetup', () => {
  it('makes the VMAC down, writes its sysctls, then sets it up; host sysctls set and restored on release', async () => {
    const w = world(HOST_SYSCTLS);
    const inst = await w.setup.bind(vmacInstance());
    expect(inst).toMatchObject({ ifname: 'vrrp.51', ifindex: 10, mac: '00:00:5e:00:01:33' });
    const created = w.events.indexOf('create vrrp.51 parent=2 mac=00:00:5e:00:01:33 mode=private up=false');
    const disabled6 = w.events.indexOf('sysctl ipv6/conf/vrrp.51/disable_ipv6=1');
    const up = w.events.indexOf('admin 10 up');
    expect(created).toBeGreaterThanOrEqual(0);
    expect(disabled6).toBeGreaterThan(created);
    expect(up).toBeGreaterThan(disabled6);
    expect(w.sysctls.get('ipv4/conf/eth0/arp_ignore')).toBe(1);
    expect(w.sysctls.get('ipv4/conf/eth0/arp_filter')).toBe(1);
    expect(w.sysctls.get('ipv4/conf/eth0/arp_announce')).toBe(2);
    expect(w.sysctls.get('ipv4/conf/all/rp_filter')).toBe(0);
    expect(w.sysctls.get('ipv4/conf/eth0/rp_filter')).toBe(1);
    expect(w.sysctls.get('ipv4/conf/lo/rp_filter')).toBe(0);
    expect(w.sysctls.get('ipv4/igmp_link_local_mcast_reports')).toBe(0);
    expect(w.setup.ownerOf(10)).toBe(inst.key);
    expect(w.lines).toContain('(VI_1): Success creating VMAC interface vrrp.51');

    await w.setup.release(inst.key);
    expect(w.events).toContain('remove 10');
    expect(w.lines).toContain('(VI_1) Success removing VMAC interface vrrp.51');
    for (const [k, v] of Object.entries(HOST_SYSCTLS)) expect([k, w.sysctls.get(k)]).toEqual([k, v]);
    expect(w.setup.ownerOf(10)).toBeUndefined();
  });

  it('the same plan on a later bind (reload) reuses the link; a changed plan replaces it', async () => {
    const w = world(HOST_SYSCTLS);
    const first = await w.setup.bind(vmacInstance());
    const again = await w.setup.bind(vmacInstance({ name: 'VI_renamed' }));
    expect(again.ifindex).toBe(first.ifindex);
    expect(w.events.filter((e) => e.startsWith('create'))).toHaveLength(1);
    const other = await w.setup.bind(vmacInstance({}, plan({ wantedName: 'ha0' })));
    expect(other.ifname).toBe('ha0');
    expect(w.events).toContain(`remove ${first.ifindex}`);
  });

  it('adopts a matching VMAC left by a crashed run (deleted at release), renames around a foreign link', async () => {
    const leftover = macvlan(7, 'vrrp.51', '00:00:5e:00:01:33', 2, false);
    const w = world(HOST_SYSCTLS, [LO, BASE, leftover, { ...BASE, index: 8, name: 'vrrp.52', kind: 'veth' }]);
    const a = await w.setup.bind(vmacInstance());
    expect(a.ifindex).toBe(7);
    expect(w.events).toContain('adopt vrrp.51');
    expect(w.events).toContain('admin 7 up');
    expect(w.events.some((e) => e.startsWith('create'))).toBe(false);
    expect(w.lines).toContain('(VI_1) Found matching interface vrrp.51');
    const b = await w.setup.bind(vmacInstance({ name: 'VI_2', vrid: 52, key: '52/inet/eth0/multicast' }, plan({ wantedName: 'vrrp.52', mac: '00:00:5e:00:01:34' })));
    expect(b.ifname).toBe('vrrp1.52');
    expect(w.lines.some((l) => l.includes('interface vrrp.52 already exists and is not a private macvlan'))).toBe(true);
    await w.setup.releaseAll();
    expect(w.events).toContain('remove 7');
    expect(w.owned.size).toBe(0);
  });

  it('base sysctls stay while another VMAC uses the base; everything is restored after the last', async () => {
    const w = world(HOST_SYSCTLS);
    const a = await w.setup.bind(vmacInstance());
    const b = await w.setup.bind(vmacInstance({ name: 'VI_2', vrid: 52, key: '52/inet/eth0/multicast' }, plan({ wantedName: 'vrrp.52', mac: '00:00:5e:00:01:34' })));
    expect(b.ifname).toBe('vrrp.52');
    await w.setup.release(a.key);
    expect(w.sysctls.get('ipv4/conf/eth0/arp_ignore')).toBe(1);
    expect(w.sysctls.get('ipv4/conf/all/rp_filter')).toBe(0);
    await w.setup.release(b.key);
    expect(w.sysctls.get('ipv4/conf/eth0/arp_ignore')).toBe(0);
    expect(w.sysctls.get('ipv4/conf/all/rp_filter')).toBe(1);
    expect(w.sysctls.get('ipv4/igmp_link_local_mcast_reports')).toBe(1);
  });

  it('vmac_xmit_base leaves IGMP reports alone; creation failures are KTS_VMAC_CREATE', async () => {
    const w = world(HOST_SYSCTLS);
    await w.setup.bind(vmacInstance({}, plan({ xmitBase: true })));
    expect(w.sysctls.get('ipv4/igmp_link_local_mcast_reports')).toBe(1);
    const f = world(HOST_SYSCTLS);
    f.links.failCreate = true;
    const err = await f.setup.bind(vmacInstance()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VmacSetupError);
    expect((err as VmacSetupError).code).toBe('KTS_VMAC_CREATE');
  });

  it('recreate: a new link for a deleted VMAC; links we delete ourselves have no owner', async () => {
    const w = world(HOST_SYSCTLS);
    const inst = await w.setup.bind(vmacInstance());
    const link = await w.setup.recreate(inst.key);
    expect(link).toEqual({ ifindex: 11, name: 'vrrp.51' });
    expect(w.setup.ownerOf(10)).toBeUndefined();
    expect(w.setup.ownerOf(11)).toBe(inst.key);
    expect(await w.setup.recreate('nope')).toBeUndefined();
  });

  it('IPv6: the base link-local address goes on the VMAC (nodad, not preferred), also after a recreate; IGMP untouched', async () => {
    const w = world(HOST_SYSCTLS);
    const added: unknown[] = [];
    const setup = new VmacSetup({
      links: w.links, sysctl: { read: (k) => w.sysctls.get(k), write: (k, v) => void w.sysctls.set(k, v) }, log: pino({ level: 'silent' }),
      listInterfaces: async () => [LO, BASE], addresses: { add: async (spec) => void added.push(spec) },
    });
    const v6 = vmacInstance({ family: 6, sourceAddress: 'fe80::1', key: '51/inet6/eth0/multicast' }, plan({ family: 6, mac: '00:00:5e:00:02:33' }));
    const inst = await setup.bind(v6);
    expect(added).toEqual([{ address: 'fe80::1', prefixLen: 64, ifindex: inst.ifindex, scope: 253, nodad: true, preferredLft: 0 }]);
    expect(w.sysctls.get('ipv4/igmp_link_local_mcast_reports')).toBe(1);
    expect(w.sysctls.get('ipv4/conf/eth0/arp_ignore')).toBe(0);
    expect(w.sysctls.get('ipv4/conf/all/rp_filter')).toBe(1);
    expect(w.sysctls.has('ipv6/conf/vrrp.51/disable_ipv6') && w.sysctls.get('ipv6/conf/vrrp.51/disable_ipv6')).toBe(0);
    const again = await setup.recreate(inst.key);
    expect(added).toHaveLength(2);
    expect(added[1]).toMatchObject({ ifindex: again?.ifindex });
    // vmac_xmit_base: adverts use the base, no address on the VMAC.
    await setup.bind(vmacInstance({ family: 6, sourceAddress: 'fe80::1', key: '52/inet6/eth0/multicast', vrid: 52 }, plan({ family: 6, wantedName: 'vrrp.52', xmitBase: true })));
    expect(added).toHaveLength(2);
  });

  it('instances without use_vmac pass through untouched', async () => {
    const w = world(HOST_SYSCTLS);
    const plain = resolved(100);
    expect(await w.setup.bind(plain)).toBe(plain);
    expect(w.events).toEqual([]);
  });
});

describe('advert interface', () => {
  it('the VMAC (IPv4 and IPv6), or the base with vmac_xmit_base or unicast peers; plain instances their own', () => {
    const bound = withVmac(vmacInstance(), { ifindex: 9, name: 'vrrp.51' });
    expect(advertInterface(bound)).toBe('vrrp.51');
    expect(advertInterface(withVmac(vmacInstance({}, plan({ xmitBase: true })), { ifindex: 9, name: 'vrrp.51' }))).toBe('eth0');
    expect(advertInterface({ ...bound, unicastPeers: ['10.0.0.2'] })).toBe('eth0');
    expect(advertInterface(withVmac(vmacInstance({}, plan({ family: 6 })), { ifindex: 9, name: 'vrrp.51' }))).toBe('vrrp.51');
    expect(advertInterface(resolved(100))).toBe('eth0');
  });
});

describe('instance driver on a VMAC', () => {
  it('MASTER puts the VIP on the VMAC and announces it from the VMAC with the virtual MAC', async () => {
    const h = harness(withVmac(vmacInstance(), { ifindex: 9, name: 'vrrp.51' }));
    h.driver.start(true);
    h.clock.advance(3_700_000);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    expect([...h.kernel.values()].map((v) => v.ifindex)).toEqual([9]);
    expect(h.garps[0]).toMatchObject({ ifindex: 9, sourceMac: '00:00:5e:00:01:33', ipv4: ['10.0.0.100'] });
  });
});
