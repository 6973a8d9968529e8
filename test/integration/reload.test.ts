/**
 * SIGHUP reloads beyond VIP lists: a priority change goes through the election (the backup preempts a
 * master whose priority dropped below its own), and instances added / removed by the new configuration
 * start / stop (a removed master releases its VIP).
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../lab/netns.js';
import {
  assertBuilt, integrationSkipReason, masterDownMs, topologyPerTest, vrrpConf, waitForMaster,
} from './helpers.js';
import type { Router } from './helpers.js';

const ADVERT_S = 1;

describe.skipIf(integrationSkipReason() !== undefined)('reload', () => {
  const topology = topologyPerTest();

  it('a lower priority after SIGHUP lets the backup preempt', async () => {
    assertBuilt();
    const topo = await topology.build('itr', '10.94.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.94.0.200';
    const c = (r: Router, priority: number): string => vrrpConf(`it-${r.role}`, { vrid: 95, priority, advertInt: ADVERT_S, vips: [`${vip}/24`] });
    r1.start(c(r1, 150));
    r2.start(c(r2, 100));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 4000);
    r1.rewriteConf(c(r1, 50));
    r1.proc!.signal('SIGHUP');
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 3000);
    expect(r1.proc!.running).toBe(true);
  });

  it('instances added and removed by SIGHUP start and stop', async () => {
    assertBuilt();
    const topo = await topology.build('itm', '10.95.0', 1);
    const r1 = topo.routers[0]!;
    const one = vrrpConf('it-r1', { name: 'VI_1', vrid: 96, priority: 255, state: 'MASTER', advertInt: ADVERT_S, vips: ['10.95.0.200/24'] });
    const two = vrrpConf('it-r1', { name: 'VI_2', vrid: 97, priority: 255, state: 'MASTER', advertInt: ADVERT_S, vips: ['10.95.0.201/24'] });
    r1.start(one);
    await waitFor('VI_1 VIP', () => r1.hasVip('10.95.0.200'), 5000);
    r1.rewriteConf(two);
    r1.proc!.signal('SIGHUP');
    await waitFor('VI_2 VIP', () => r1.hasVip('10.95.0.201'), 5000);
    await waitFor('VI_1 VIP released', async () => !(await r1.hasVip('10.95.0.200')), 5000);
    expect(r1.proc!.running).toBe(true);
  });
});
