/**
 * VRRPv3: IPv4 with 200 ms adverts (checksum with the IPv4 pseudo-header, keepalived's default) and IPv6
 * (link-local sources, ff02::12), each against the reference keepalived 2.2.7 — one master at a time,
 * and the keepalived-ts backup takes over when keepalived dies.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { leftoverNamespaces } from '../lab/netns.js';
import {
  assertBuilt, buildTopology, integrationSkipReason, masterDownMs, maxHoldersDuring, vrrpConf, waitForMaster, waitForVip,
} from './helpers.js';
import type { Router, Topology } from './helpers.js';

const skip = integrationSkipReason() !== undefined || !existsSync('/usr/sbin/keepalived');

describe.skipIf(skip)('VRRPv3 with keepalived 2.2.7', () => {
  let topo: Topology | undefined;
  afterEach(async () => {
    const prefix = topo?.lab.prefix;
    await topo?.lab.cleanup();
    topo = undefined;
    if (prefix !== undefined) expect(await leftoverNamespaces(prefix)).toEqual([]);
  });

  it('IPv4 v3, advert_int 0.2: keepalived MASTER, keepalived-ts BACKUP takes over on kill', async () => {
    assertBuilt();
    const advert = 0.2;
    topo = await buildTopology('itv', '10.92.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.92.0.200';
    const c = (r: Router, priority: number): string =>
      vrrpConf(`it-${r.role}`, { vrid: 93, priority, advertInt: advert, version: 3, vips: [`${vip}/24`] });
    r1.start(c(r1, 150), 'keepalived');
    r2.start(c(r2, 100), 'keepalived-ts');
    await waitForMaster(topo.routers, vip, r1, 6000);
    expect(await maxHoldersDuring(topo.routers, vip, 1500)).toBe(1);
    await r2.proc!.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 1000);
    const t0 = Date.now();
    await r1.kill9();
    await r1.ns.setLink('eth0', false);
    const limit = masterDownMs(100, advert) + 500;
    expect(await waitForVip(r2, vip, limit + 2000, t0)).toBeLessThanOrEqual(limit);
  });

  it('IPv6 v3: keepalived-ts MASTER, keepalived BACKUP; keepalived takes over on kill', async () => {
    assertBuilt();
    topo = await buildTopology('itw', '10.93.0', 2, 'fd93');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = 'fd93::200';
    const c = (r: Router, priority: number): string =>
      vrrpConf(`it-${r.role}`, { vrid: 94, priority, advertInt: 1, version: 3, vips: [`${vip}/64`] });
    r1.start(c(r1, 150), 'keepalived-ts');
    r2.start(c(r2, 100), 'keepalived');
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, 1) + 5000);
    expect(await maxHoldersDuring(topo.routers, vip, 2500)).toBe(1);
    const t0 = Date.now();
    await r1.kill9();
    await r1.ns.setLink('eth0', false);
    const limit = masterDownMs(100, 1) + 500;
    expect(await waitForVip(r2, vip, limit + 2000, t0)).toBeLessThanOrEqual(limit);
  });
});
