/**
 * use_vmac on a real wire: two routers with `use_vmac`; the master holds the VIP on `vrrp.<VRID>` with
 * the virtual MAC 00:00:5e:00:01:<VRID>, the client learns that MAC for the VIP, and after `kill -9` of
 * the master the backup takes over with the SAME MAC in the client's neighbour table (the point of a
 * VMAC: no ARP change for clients). Also: a BACKUP keeps its VMAC up without the VIP, SIGTERM deletes
 * the VMAC and puts the sysctls back, a deleted VMAC is recreated, base link down is FAULT, SIGHUP adding/removing use_vmac
 * restarts the instance on/off its VMAC, and interop with keepalived 2.2.7.
 *
 * keepalived 2.2.7 itself lets the client's entry flip to the base MAC once the client is pinged (its
 * base interface ARPs for the client "tell <VIP>"); keepalived-ts sets arp_announce 2 on the base
 * (src/core/vmac-plan.ts). So the interop cases check the virtual MAC the takeover's GARPs give the
 * client, not the entry after pings answered by keepalived.
 */
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/netns.js';
import type { Netns } from '../lab/netns.js';
import { assertBuilt, integrationSkipReason, masterDownMs, vrrpConf, waitForMaster, waitForVip } from './helpers.js';
import type { Impl, Router } from './helpers.js';
import { topologyPerTest } from './helpers.js';

const ADVERT_S = 1;
const vmacOf = (vrid: number): string => `00:00:5e:00:01:${vrid.toString(16).padStart(2, '0')}`;

const conf = (r: Router, vrid: number, vip: string, priority: number): string =>
  vrrpConf(`it-${r.role}`, {
    vrid, priority, state: priority > 100 ? 'MASTER' : 'BACKUP', advertInt: ADVERT_S, authPass: 'kts-vm', vips: [`${vip}/24`], instanceLines: ['use_vmac'],
  });

interface VmacLink {
  readonly ifname: string;
  readonly mac: string;
  readonly up: boolean;
  readonly kind: string | undefined;
  readonly parent: string | undefined;
  readonly mode: string | undefined;
  readonly addrs: readonly string[];
}

/** `ip -d -j addr show dev NAME`, or undefined when there is no such link. */
async function vmacLink(ns: Netns, name: string): Promise<VmacLink | undefined> {
  const r = await ns.exec('ip', ['-d', '-j', 'addr', 'show', 'dev', name]);
  if (r.code !== 0) return undefined;
  const [l] = JSON.parse(r.stdout) as {
    ifname: string; link?: string; address: string; flags: string[]; linkinfo?: { info_kind?: string; info_data?: { mode?: string } }; addr_info?: { local: string }[];
  }[];
  if (l === undefined) return undefined;
  return {
    ifname: l.ifname, mac: l.address, up: l.flags.includes('UP'), kind: l.linkinfo?.info_kind, parent: l.link, mode: l.linkinfo?.info_data?.mode,
    addrs: (l.addr_info ?? []).map((a) => a.local),
  };
}

async function sysctl(ns: Netns, key: string): Promise<string> {
  const r = await ns.exec('cat', [`/proc/sys/net/${key}`]);
  return r.stdout.trim();
}

describe.skipIf(integrationSkipReason() !== undefined)('use_vmac between two routers', () => {
  const topology = topologyPerTest();

  it('the VIP lives on vrrp.<VRID> with the virtual MAC; after kill -9 of the master the client keeps the same MAC and reaches the VIP', async () => {
    assertBuilt();
    const VRID = 77;
    const VIP = '10.77.0.200';
    const topo = await topology.build('itvm', '10.77.0');
    const [r1, r2] = topo.routers as [Router, Router];
    r1.start(conf(r1, VRID, VIP, 150));
    r2.start(conf(r2, VRID, VIP, 100));
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(100, ADVERT_S) + 4000);
    await r2.proc!.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 2000);

    const m = await vmacLink(r1.ns, `vrrp.${VRID}`);
    expect(m).toMatchObject({ mac: vmacOf(VRID), up: true, kind: 'macvlan', parent: 'eth0', mode: 'private' });
    expect(m?.addrs).toContain(VIP);
    expect((await r1.ns.links()).find((l) => l.ifname === 'eth0')?.addrs.map((a) => a.local)).not.toContain(VIP);
    // keepalived keeps the backup's VMAC up, without the VIP.
    const b = await vmacLink(r2.ns, `vrrp.${VRID}`);
    expect(b).toMatchObject({ mac: vmacOf(VRID), up: true, kind: 'macvlan' });
    expect(b?.addrs).not.toContain(VIP);
    // The sysctls keepalived sets: VMAC answers ARP only for its own addresses; IPv6 off on an IPv4 VMAC.
    expect(await sysctl(r1.ns, `ipv4/conf/vrrp.${VRID}/arp_ignore`)).toBe('1');
    expect(await sysctl(r1.ns, `ipv6/conf/vrrp.${VRID}/disable_ipv6`)).toBe('1');
    expect(await sysctl(r1.ns, 'ipv4/conf/eth0/arp_ignore')).toBe('1');
    expect(await sysctl(r1.ns, 'ipv4/conf/eth0/arp_filter')).toBe('1');
    // Ours, not keepalived's: the base's ARP requests must not say "tell <VIP>" with the base MAC.
    expect(await sysctl(r1.ns, 'ipv4/conf/eth0/arp_announce')).toBe('2');

    expect(await waitFor('client ping', () => topo.client.ping(VIP, 500), 5000)).toBe(true);
    expect(await topo.client.neighMac(VIP)).toBe(vmacOf(VRID));

    const t0 = Date.now();
    await r1.kill9();
    // A dead router answers nothing: take its link down so its stale VMAC cannot answer ARP.
    await r1.ns.setLink('eth0', false);
    const limit = masterDownMs(100, ADVERT_S) + 500;
    expect(await waitForVip(r2, VIP, limit + 2000, t0)).toBeLessThanOrEqual(limit);
    expect((await vmacLink(r2.ns, `vrrp.${VRID}`))?.addrs).toContain(VIP);
    expect(await waitFor('client ping after failover', () => topo.client.ping(VIP, 500), 5000)).toBe(true);
    expect(await topo.client.neighMac(VIP)).toBe(vmacOf(VRID));

    // The crashed router comes back: its leftover VMAC is reused (keepalived: "Found matching interface"),
    // the stale VIP on it removed, and it preempts back; the client's entry never changes.
    await r1.ns.setLink('eth0', true);
    expect((await vmacLink(r1.ns, `vrrp.${VRID}`))?.addrs).toContain(VIP);
    r1.start(conf(r1, VRID, VIP, 150));
    await r1.proc!.waitForLine(new RegExp(`Found matching interface vrrp\\.${VRID}`), 3000);
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(150, ADVERT_S) + 3000);
    expect(await vmacLink(r1.ns, `vrrp.${VRID}`)).toMatchObject({ mac: vmacOf(VRID), up: true });
    expect(await waitFor('client ping after preemption', () => topo.client.ping(VIP, 500), 5000)).toBe(true);
    expect(await topo.client.neighMac(VIP)).toBe(vmacOf(VRID));
  });

  it('a VMAC deleted under a master is recreated; base link down is FAULT; SIGTERM deletes the VMAC and restores the sysctls', async () => {
    assertBuilt();
    const VRID = 78;
    const VIP = '10.78.0.200';
    const topo = await topology.build('itvn', '10.78.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const before = await Promise.all(['ipv4/conf/eth0/arp_ignore', 'ipv4/conf/eth0/arp_filter', 'ipv4/igmp_link_local_mcast_reports'].map((k) => sysctl(r1.ns, k)));
    r1.start(conf(r1, VRID, VIP, 150));
    r2.start(conf(r2, VRID, VIP, 100));
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(100, ADVERT_S) + 4000);

    // Someone deletes the master's VMAC: FAULT, a new VMAC at once, then MASTER again (highest priority).
    await r1.ns.ip('link', 'del', `vrrp.${VRID}`);
    await r1.proc!.waitForLine(/\(VI_1\) Entering FAULT STATE/, 2000);
    await r1.proc!.waitForLine(/Interface vrrp\.78 deleted/, 2000);
    await waitFor('a second VMAC creation', () => r1.proc!.lines.filter((l) => /Success creating VMAC interface vrrp\.78/.test(l)).length >= 2, 2000);
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(150, ADVERT_S) + 4000);
    expect((await vmacLink(r1.ns, `vrrp.${VRID}`))?.addrs).toContain(VIP);

    // The base interface goes down: the VMAC loses its carrier, FAULT, the backup takes over.
    const faults = r1.proc!.lines.filter((l) => /Entering FAULT STATE/.test(l)).length;
    await r1.ns.setLink('eth0', false);
    await waitFor('r1 FAULT on base link down', () => r1.proc!.lines.filter((l) => /Entering FAULT STATE/.test(l)).length > faults, 2000);
    await waitForVip(r2, VIP, masterDownMs(100, ADVERT_S) + 2000, Date.now());
    expect(await r1.hasVip(VIP)).toBe(false);
    await r1.ns.setLink('eth0', true);
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(150, ADVERT_S) + 4000);

    r1.proc!.signal('SIGTERM');
    expect(await r1.proc!.exited).toBe(0);
    expect(await vmacLink(r1.ns, `vrrp.${VRID}`)).toBeUndefined();
    const after = await Promise.all(['ipv4/conf/eth0/arp_ignore', 'ipv4/conf/eth0/arp_filter', 'ipv4/igmp_link_local_mcast_reports'].map((k) => sysctl(r1.ns, k)));
    expect(after).toEqual(before);
    await waitForVip(r2, VIP, 3000, Date.now());
  });

  it('SIGHUP adding use_vmac restarts the instance on a new VMAC; removing it deletes the VMAC', async () => {
    assertBuilt();
    const VRID = 76;
    const VIP = '10.76.0.200';
    const topo = await topology.build('itvr', '10.76.0', 1);
    const [r1] = topo.routers as [Router];
    const plain = vrrpConf('it-r1', { vrid: VRID, priority: 150, state: 'MASTER', advertInt: ADVERT_S, vips: [`${VIP}/24`] });
    r1.start(plain);
    await waitFor('VIP on eth0', async () => (await r1.ns.links()).find((l) => l.ifname === 'eth0')?.addrs.some((a) => a.local === VIP), masterDownMs(150, ADVERT_S) + 3000);

    r1.rewriteConf(conf(r1, VRID, VIP, 150));
    r1.proc!.signal('SIGHUP');
    await waitFor('VIP on the VMAC', async () => (await vmacLink(r1.ns, `vrrp.${VRID}`))?.addrs.includes(VIP), masterDownMs(150, ADVERT_S) + 3000);
    expect((await r1.ns.links()).find((l) => l.ifname === 'eth0')?.addrs.map((a) => a.local)).not.toContain(VIP);
    expect((await vmacLink(r1.ns, `vrrp.${VRID}`))?.mac).toBe(vmacOf(VRID));

    r1.rewriteConf(plain);
    r1.proc!.signal('SIGHUP');
    await waitFor('VMAC deleted', async () => (await vmacLink(r1.ns, `vrrp.${VRID}`)) === undefined, 3000);
    await waitFor('VIP back on eth0', async () => (await r1.ns.links()).find((l) => l.ifname === 'eth0')?.addrs.some((a) => a.local === VIP), masterDownMs(150, ADVERT_S) + 3000);
    expect(await sysctl(r1.ns, 'ipv4/igmp_link_local_mcast_reports')).toBe('1');
    r1.proc!.signal('SIGTERM');
    expect(await r1.proc!.exited).toBe(0);
  });

  it.each<[string, Impl, Impl]>([
    ['keepalived 2.2.7 master, keepalived-ts backup', 'keepalived', 'keepalived-ts'],
    ['keepalived-ts master, keepalived 2.2.7 backup', 'keepalived-ts', 'keepalived'],
  ])('interop (%s): one master, the client keeps the virtual MAC across the failover', async (_name, impl1, impl2) => {
    assertBuilt();
    const VRID = 79;
    const VIP = '10.79.0.200';
    const topo = await topology.build('itvi', '10.79.0');
    const [r1, r2] = topo.routers as [Router, Router];
    r1.start(conf(r1, VRID, VIP, 150), impl1);
    r2.start(conf(r2, VRID, VIP, 100), impl2);
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(100, ADVERT_S) + 4000);
    await sleep(2500); // several adverts: the backup must stay backup
    expect(await r2.hasVip(VIP)).toBe(false);
    expect((await vmacLink(r1.ns, `vrrp.${VRID}`))?.addrs).toContain(VIP);
    expect((await vmacLink(r2.ns, `vrrp.${VRID}`))?.mac).toBe(vmacOf(VRID));
    expect(await waitFor('client ping', () => topo.client.ping(VIP, 500), 5000)).toBe(true);
    await r1.kill9();
    await r1.ns.setLink('eth0', false);
    await waitForVip(r2, VIP, masterDownMs(100, ADVERT_S) + 2500, Date.now());
    // The new master's gratuitous ARPs (from its VMAC) set the client's entry to the virtual MAC.
    await waitFor('client entry for the VIP to show the virtual MAC', async () => (await topo.client.neighMac(VIP)) === vmacOf(VRID), 2000, 20);
    expect(await waitFor('client ping after failover', () => topo.client.ping(VIP, 500), 5000)).toBe(true);
  });

  it.each<[string, Impl, Impl]>([
    ['keepalived 2.2.7 master, keepalived-ts backup', 'keepalived', 'keepalived-ts'],
    ['keepalived-ts master, keepalived 2.2.7 backup', 'keepalived-ts', 'keepalived'],
  ])('IPv6 VRRPv3 interop (%s): VIP and a link-local copy on the VMAC, one master, failover', async (_name, impl1, impl2) => {
    assertBuilt();
    const VRID = 75;
    const VIP6 = 'fd75::200';
    const topo = await topology.build('itv6', '10.75.0', 2, 'fd75');
    const [r1, r2] = topo.routers as [Router, Router];
    const conf6 = (r: Router, priority: number): string =>
      vrrpConf(`it-${r.role}`, { vrid: VRID, priority, state: priority > 100 ? 'MASTER' : 'BACKUP', advertInt: ADVERT_S, version: 3, vips: [`${VIP6}/64`], instanceLines: ['use_vmac'] });
    r1.start(conf6(r1, 150), impl1);
    r2.start(conf6(r2, 100), impl2);
    await waitForMaster(topo.routers, VIP6, r1, masterDownMs(100, ADVERT_S) + 6000);
    await sleep(2500);
    expect(await r2.hasVip(VIP6)).toBe(false);
    const m = await vmacLink(r1.ns, `vrrp.${VRID}`);
    expect(m?.mac).toBe(`00:00:5e:00:02:${VRID.toString(16)}`);
    expect(m?.addrs).toContain(VIP6);
    // Both VMACs carry a copy of their base's link-local address (the advert source).
    for (const r of [r1, r2]) {
      const baseLl = (await r.ns.links()).find((l) => l.ifname === 'eth0')?.addrs.find((a) => a.local.startsWith('fe80:'))?.local;
      expect((await vmacLink(r.ns, `vrrp.${VRID}`))?.addrs).toContain(baseLl);
    }
    await r1.kill9();
    await r1.ns.setLink('eth0', false);
    await waitForVip(r2, VIP6, masterDownMs(100, ADVERT_S) + 2500, Date.now());
    expect((await vmacLink(r2.ns, `vrrp.${VRID}`))?.addrs).toContain(VIP6);
  });
});
