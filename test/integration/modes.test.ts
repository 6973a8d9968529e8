/**
 * Election modes: nopreempt keeps the current master, unicast peers elect and fail over without
 * multicast, and a router with the wrong PASS password cannot take over a working pair.
 */
import { describe, expect, it } from 'vitest';
import { sleep } from '../lab/netns.js';
import {
  IMPL, assertBuilt, integrationSkipReason, masterDownMs, maxHoldersDuring, topologyPerTest, vrrpConf, waitForMaster, waitForVip,
} from './helpers.js';
import type { Router } from './helpers.js';

const ADVERT_S = 1;

describe.skipIf(integrationSkipReason() !== undefined)('election modes', () => {
  const topology = topologyPerTest();

  it('nopreempt: a higher-priority router joining later does not take over', async () => {
    assertBuilt();
    const topo = await topology.build('itn', '10.82.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.82.0.200';
    const c = (r: Router, priority: number): string =>
      vrrpConf(`it-${r.role}`, { vrid: 82, priority, advertInt: ADVERT_S, nopreempt: true, vips: [`${vip}/24`] });
    r2.start(c(r2, 100));
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 3000);
    r1.start(c(r1, 150));
    // Longer than r1's own Master_Down_Interval: r1 keeps hearing r2 and, with nopreempt, stays BACKUP.
    expect(await maxHoldersDuring(topo.routers, vip, masterDownMs(150, ADVERT_S) + 1500)).toBe(1);
    expect(await r2.hasVip(vip)).toBe(true);
    expect(await r1.hasVip(vip)).toBe(false);
    await r1.proc!.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 1000);
  });

  it('unicast peers: election and failover over unicast adverts', async () => {
    assertBuilt();
    const topo = await topology.build('itu', '10.83.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.83.0.200';
    const c = (r: Router, peer: Router, priority: number): string =>
      vrrpConf(`it-${r.role}`, { vrid: 83, priority, advertInt: ADVERT_S, authPass: 'uni', unicastSrc: r.ip, unicastPeers: [peer.ip], vips: [`${vip}/24`] });
    r1.start(c(r1, r2, 150));
    r2.start(c(r2, r1, 100));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 3000);
    expect(await maxHoldersDuring(topo.routers, vip, 1500)).toBe(1);
    const t0 = Date.now();
    await r1.kill9();
    await r1.ns.setLink('eth0', false);
    const limit = masterDownMs(100, ADVERT_S) + 500;
    expect(await waitForVip(r2, vip, limit + 2000, t0)).toBeLessThanOrEqual(limit);
  });

  it('PASS mismatch: a higher-priority stranger with another password does not win over the pair', async () => {
    assertBuilt();
    const topo = await topology.build('itp', '10.84.0', 3);
    const [r1, r2, r3] = topo.routers as [Router, Router, Router];
    const vip = '10.84.0.200';
    const c = (r: Router, priority: number, pass: string): string =>
      vrrpConf(`it-${r.role}`, { vrid: 84, priority, advertInt: ADVERT_S, authPass: pass, vips: [`${vip}/24`] });
    r1.start(c(r1, 150, 'right'));
    r2.start(c(r2, 100, 'right'));
    await waitForMaster([r1, r2], vip, r1, masterDownMs(100, ADVERT_S) + 3000);
    const r1Backups = r1.proc!.lines.filter((l) => /Entering BACKUP STATE/.test(l)).length;
    r3.start(c(r3, 200, 'wrong'));
    // r3's adverts fail authentication at r1 and r2: r1 stays MASTER, r2 stays BACKUP.
    await sleep(masterDownMs(150, ADVERT_S) + 1000);
    expect(await r1.hasVip(vip)).toBe(true);
    expect(await r2.hasVip(vip)).toBe(false);
    expect(r1.proc!.lines.filter((l) => /Entering BACKUP STATE/.test(l)).length).toBe(r1Backups);
    if (IMPL === 'keepalived-ts') {
      // The stranger's adverts reached r1 and were dropped for the password (counted, logged rate-limited).
      expect(r1.proc!.lines.some((l) => /dropped: simple-text password does not match/.test(l))).toBe(true);
    }
  });
});
