/**
 * Interoperability with the reference keepalived 2.2.7 (Debian), VRRPv2 + PASS over multicast:
 * keepalived-ts MASTER with a keepalived BACKUP and the reverse — exactly one master at any time,
 * and the backup takes over when the master is killed.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import {
  assertBuilt, integrationSkipReason, masterDownMs, maxHoldersDuring, topologyPerTest, vrrpConf, waitForMaster, waitForVip,
} from './helpers.js';
import type { Impl, Router } from './helpers.js';

const ADVERT_S = 1;
const skip = integrationSkipReason() !== undefined || !existsSync('/usr/sbin/keepalived');

describe.skipIf(skip)('interop with keepalived 2.2.7', () => {
  const topology = topologyPerTest();

  const cases: readonly { readonly master: Impl; readonly backup: Impl; readonly subnet: string }[] = [
    { master: 'keepalived-ts', backup: 'keepalived', subnet: '10.87.0' },
    { master: 'keepalived', backup: 'keepalived-ts', subnet: '10.88.0' },
  ];
  for (const tc of cases) {
    it(`${tc.master} MASTER + ${tc.backup} BACKUP: one master at any time, failover on kill`, async () => {
      assertBuilt();
      const topo = await topology.build('iti', tc.subnet);
      const [r1, r2] = topo.routers as [Router, Router];
      const vip = `${tc.subnet}.200`;
      const c = (r: Router, priority: number): string =>
        vrrpConf(`it-${r.role}`, { vrid: 87, priority, advertInt: ADVERT_S, version: 2, authPass: 'interop', vips: [`${vip}/24`] });
      r1.start(c(r1, 150), tc.master);
      r2.start(c(r2, 100), tc.backup);
      // Never two holders, from startup through the election and beyond.
      const max = await maxHoldersDuring(topo.routers, vip, masterDownMs(100, ADVERT_S) + 2500);
      expect(max).toBe(1);
      await waitForMaster(topo.routers, vip, r1, 1000);
      await r2.proc!.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 1000);
      const t0 = Date.now();
      await r1.kill9();
      await r1.ns.setLink('eth0', false);
      const limit = masterDownMs(100, ADVERT_S) + 500;
      expect(await waitForVip(r2, vip, limit + 2000, t0)).toBeLessThanOrEqual(limit);
    });
  }
});
