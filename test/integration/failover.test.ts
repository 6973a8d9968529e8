/**
 * Two routers on one bridge: election, failover on SIGKILL (down timer), takeover on SIGTERM (priority-0
 * advert ⇒ skew time only), preemption by the higher priority. Real packets, real addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftoverNamespaces, sleep, waitFor } from '../lab/netns.js';
import {
  assertBuilt, buildTopology, integrationSkipReason, masterDownMs, maxHoldersDuring, skewMs, vipHolders, vrrpConf,
  waitForMaster, waitForVip,
} from './helpers.js';
import type { Router, Topology } from './helpers.js';

const VIP = '10.81.0.200';
const ADVERT_S = 1;
const conf = (r: Router, priority: number): string =>
  vrrpConf(`it-${r.role}`, { vrid: 81, priority, state: priority > 100 ? 'MASTER' : 'BACKUP', advertInt: ADVERT_S, authPass: 'kts-it', vips: [`${VIP}/24`] });

describe.skipIf(integrationSkipReason() !== undefined)('failover between two routers', () => {
  let topo: Topology;
  let r1: Router;
  let r2: Router;

  beforeAll(async () => {
    assertBuilt();
    topo = await buildTopology('itf', '10.81.0');
    [r1, r2] = topo.routers as [Router, Router];
  });
  afterAll(async () => {
    const prefix = topo?.lab.prefix;
    await topo?.lab.cleanup();
    if (prefix !== undefined) expect(await leftoverNamespaces(prefix)).toEqual([]);
  });

  it('elects exactly one MASTER that holds the VIP; the backup holds none', async () => {
    r1.start(conf(r1, 150));
    r2.start(conf(r2, 100));
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(100, ADVERT_S) + 4000);
    expect(await r2.hasVip(VIP)).toBe(false);
    expect(await maxHoldersDuring(topo.routers, VIP, 1500)).toBe(1);
    await r1.proc!.waitForLine(/\(VI_1\) Entering MASTER STATE/, 1000);
    await r2.proc!.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 1000);
    expect(await waitFor('client ping', () => topo.client.ping(VIP, 500), 5000)).toBe(true);
    expect(await topo.client.neighMac(VIP)).toBe(r1.mac);
  });

  it('kill -9 of the master: the backup holds the VIP within Master_Down_Interval + 0.5 s and the client ARP entry moves', async () => {
    const t0 = Date.now();
    await r1.kill9();
    // A dead router answers nothing: take its link down so its stale address cannot answer ARP.
    await r1.ns.setLink('eth0', false);
    const limit = masterDownMs(100, ADVERT_S) + 500;
    const took = await waitForVip(r2, VIP, limit + 2000, t0);
    expect(took).toBeLessThanOrEqual(limit);
    await waitFor('client ARP entry to show r2', async () => (await topo.client.neighMac(VIP)) === r2.mac, 1000, 20);
    expect(await topo.client.ping(VIP, 1000)).toBe(true);
  });

  it('a restarted higher-priority router removes its stale VIP, then preempts back', async () => {
    await r1.ns.setLink('eth0', true);
    expect(await r1.hasVip(VIP)).toBe(true); // left over by the SIGKILLed daemon
    r1.start(conf(r1, 150));
    // Startup removes the leftover VIP before the new election.
    await waitFor('r1 to drop its stale VIP', async () => !(await r1.hasVip(VIP)), 2000, 10);
    await waitFor('r1 to preempt', async () => {
      const h = await vipHolders(topo.routers, VIP);
      return h.length === 1 && h[0] === r1;
    }, masterDownMs(150, ADVERT_S) + 3000, 20);
    expect(await r2.hasVip(VIP)).toBe(false);
    await waitFor('client ARP entry to show r1', async () => (await topo.client.neighMac(VIP)) === r1.mac, 1500, 20);
  });

  it('SIGTERM of the master: priority-0 advert, the backup takes over within skew time + 0.5 s', async () => {
    await sleep(500);
    const t0 = Date.now();
    r1.proc!.signal('SIGTERM');
    const limit = skewMs(100, ADVERT_S) + 500;
    const took = await waitForVip(r2, VIP, limit + 3000, t0);
    expect(took).toBeLessThanOrEqual(limit);
    const code = await r1.proc!.exited;
    expect(code).toBe(0);
    expect(await r1.hasVip(VIP)).toBe(false);
  });
});
