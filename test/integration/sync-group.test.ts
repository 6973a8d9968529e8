/**
 * vrrp_sync_group: two instances move together. A tracked interface failing under one member puts the
 * whole group in FAULT on the master, and the backup router takes over both VIPs.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../lab/netns.js';
import {
  assertBuilt, integrationSkipReason, masterDownMs, topologyPerTest, vipHolders, vrrpConf,
} from './helpers.js';
import type { Router } from './helpers.js';

const ADVERT_S = 1;

function groupConf(r: Router, priority: number): string {
  const one = vrrpConf(`it-${r.role}`, {
    name: 'VI_1', vrid: 90, priority, advertInt: ADVERT_S, vips: ['10.90.0.200/24'],
    preamble: ['vrrp_sync_group G1 {', '    group {', '        VI_1', '        VI_2', '    }', '}'],
  });
  const two = vrrpConf(`it-${r.role}`, {
    name: 'VI_2', vrid: 91, priority, advertInt: ADVERT_S, vips: ['10.90.0.201/24'],
    instanceLines: ['track_interface {', '    trk0', '}'],
  });
  // The second conf repeats global_defs: keep only its vrrp_instance block.
  return `${one}\n${two.slice(two.indexOf('vrrp_instance'))}`;
}

describe.skipIf(integrationSkipReason() !== undefined)('sync groups', () => {
  const topology = topologyPerTest();

  it('a member FAULT (tracked interface down) faults the whole group; the backup takes both VIPs', async () => {
    assertBuilt();
    const topo = await topology.build('itg', '10.90.0');
    const [r1, r2] = topo.routers as [Router, Router];
    for (const r of [r1, r2]) {
      await r.ns.ip('link', 'add', 'trk0', 'type', 'veth', 'peer', 'name', 'trk1');
      await r.ns.setLink('trk1', true);
      await r.ns.setLink('trk0', true);
    }
    r1.start(groupConf(r1, 150));
    r2.start(groupConf(r2, 100));
    const both = async (r: Router): Promise<boolean> => (await r.hasVip('10.90.0.200')) && (await r.hasVip('10.90.0.201'));
    await waitFor('r1 to hold both VIPs', async () => (await both(r1)) && (await vipHolders([r2], '10.90.0.200')).length === 0, masterDownMs(100, ADVERT_S) + 5000);
    expect(await r2.hasVip('10.90.0.201')).toBe(false);
    await r1.ns.setLink('trk0', false);
    await r1.proc!.waitForLine(/VRRP_Group\(G1\) Syncing instances to FAULT state/, 3000);
    await waitFor('r1 to release both VIPs', async () => !(await r1.hasVip('10.90.0.200')) && !(await r1.hasVip('10.90.0.201')), 3000);
    await waitFor('r2 to hold both VIPs', () => both(r2), masterDownMs(100, ADVERT_S) + 3000);
    expect(r1.proc!.lines.some((l) => /\(VI_1\) Entering FAULT STATE/.test(l))).toBe(true);
  });
});
