/**
 * Interface fault and live reload: the master's link going down puts it in FAULT (VIP released) and the
 * backup takes over; SIGHUP with an extra VIP adds it without any state change.
 */
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/netns.js';
import {
  assertBuilt, integrationSkipReason, masterDownMs, topologyPerTest, vipHolders, vrrpConf, waitForMaster, waitForVip,
} from './helpers.js';
import type { Router } from './helpers.js';

const ADVERT_S = 1;

describe.skipIf(integrationSkipReason() !== undefined)('fault and reload', () => {
  const topology = topologyPerTest();

  it('link down on the master: FAULT, VIP released, backup takes over; link up: back to MASTER', async () => {
    assertBuilt();
    const topo = await topology.build('itl', '10.85.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.85.0.200';
    const c = (r: Router, priority: number): string =>
      vrrpConf(`it-${r.role}`, { vrid: 85, priority, advertInt: ADVERT_S, vips: [`${vip}/24`] });
    r1.start(c(r1, 150));
    r2.start(c(r2, 100));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 3000);
    const t0 = Date.now();
    await r1.ns.setLink('eth0', false);
    await r1.proc!.waitForLine(/\(VI_1\) Entering FAULT STATE/, 2000);
    await waitFor('r1 to release the VIP', async () => !(await r1.hasVip(vip)), 2000, 10);
    const limit = masterDownMs(100, ADVERT_S) + 500;
    expect(await waitForVip(r2, vip, limit + 2000, t0)).toBeLessThanOrEqual(limit);
    await r1.ns.setLink('eth0', true);
    await waitFor('r1 to be MASTER again', async () => {
      const h = await vipHolders(topo!.routers, vip);
      return h.length === 1 && h[0] === r1;
    }, masterDownMs(150, ADVERT_S) + 4000, 20);
  });

  it('SIGHUP with an extra VIP adds it without a state change', async () => {
    assertBuilt();
    const topo = await topology.build('ith', '10.86.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip1 = '10.86.0.200';
    const vip2 = '10.86.0.201';
    const c = (r: Router, priority: number, vips: string[]): string =>
      vrrpConf(`it-${r.role}`, { vrid: 86, priority, advertInt: ADVERT_S, vips: vips.map((v) => `${v}/24`) });
    r1.start(c(r1, 150, [vip1]));
    r2.start(c(r2, 100, [vip1]));
    await waitForMaster(topo.routers, vip1, r1, masterDownMs(100, ADVERT_S) + 3000);
    await sleep(500);
    const entering = (r: Router): number => r.proc!.lines.filter((l) => /Entering \w+ STATE/.test(l)).length;
    const before = [entering(r1), entering(r2)];
    // Both routers get the new VIP list (keepalived 2.2.7 ignores adverts whose address list differs
    // from its own, so reloading only the master would make the backup take over as well).
    r1.rewriteConf(c(r1, 150, [vip1, vip2]));
    r2.rewriteConf(c(r2, 100, [vip1, vip2]));
    r2.proc!.signal('SIGHUP');
    r1.proc!.signal('SIGHUP');
    let lostVip1 = false;
    await waitFor('vip2 on r1', async () => {
      if (!(await r1.hasVip(vip1))) lostVip1 = true;
      return r1.hasVip(vip2);
    }, 3000, 10);
    await sleep(masterDownMs(100, ADVERT_S));
    expect(lostVip1).toBe(false);
    expect(await r1.hasVip(vip1)).toBe(true);
    expect(await r2.hasVip(vip1)).toBe(false);
    expect(await r2.hasVip(vip2)).toBe(false);
    expect([entering(r1), entering(r2)]).toEqual(before);
    expect(r1.proc!.running).toBe(true);
  });
});
