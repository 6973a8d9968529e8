/**
 * VRRPv3 interop with the reference keepalived 2.2.7, in both directions (keepalived-ts MASTER +
 * keepalived BACKUP, and the reverse):
 *   - IPv4 unicast peers, 200 ms adverts (checksum with the IPv4 pseudo-header, keepalived's default);
 *   - IPv6 multicast on ff02::12 from link-local sources.
 * Each case: exactly one VIP holder after convergence, and the backup takes over within
 * Master_Down_Interval + 0.5 s when the master is killed.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertBuilt, integrationSkipReason, masterDownMs, maxHoldersDuring, topologyPerTest, vrrpConf, waitForMaster, waitForVip,
} from './helpers.js';
import type { Impl, Router } from './helpers.js';

const skip = integrationSkipReason() !== undefined || !existsSync('/usr/sbin/keepalived');

interface V3Case {
  readonly family: 'IPv4 unicast' | 'IPv6';
  readonly master: Impl;
  readonly backup: Impl;
  readonly tag: string;
  readonly subnet: string;
  readonly vrid: number;
}

const cases: readonly V3Case[] = [
  { family: 'IPv4 unicast', master: 'keepalived', backup: 'keepalived-ts', tag: 'itv', subnet: '10.92.0', vrid: 93 },
  { family: 'IPv4 unicast', master: 'keepalived-ts', backup: 'keepalived', tag: 'itu', subnet: '10.95.0', vrid: 95 },
  { family: 'IPv6', master: 'keepalived-ts', backup: 'keepalived', tag: 'itw', subnet: '10.93.0', vrid: 94 },
  { family: 'IPv6', master: 'keepalived', backup: 'keepalived-ts', tag: 'itx', subnet: '10.96.0', vrid: 96 },
];

describe.skipIf(skip)('VRRPv3 with keepalived 2.2.7', () => {
  const topology = topologyPerTest();

  for (const tc of cases) {
    it(`${tc.family} v3: ${tc.master} MASTER + ${tc.backup} BACKUP, one master, backup takes over on kill`, async () => {
      assertBuilt();
      const v6 = tc.family === 'IPv6';
      const advert = v6 ? 1 : 0.2;
      const v6Prefix = `fd${tc.vrid}`;
      const topo = v6 ? await topology.build(tc.tag, tc.subnet, 2, v6Prefix) : await topology.build(tc.tag, tc.subnet);
      const [r1, r2] = topo.routers as [Router, Router];
      const vip = v6 ? `${v6Prefix}::200` : `${tc.subnet}.200`;
      const conf = (self: Router, peer: Router, priority: number): string =>
        vrrpConf(`it-${self.role}`, {
          vrid: tc.vrid, priority, advertInt: advert, version: 3, vips: [v6 ? `${vip}/64` : `${vip}/24`],
          ...(v6 ? {} : { unicastSrc: self.ip, unicastPeers: [peer.ip] }),
        });
      r1.start(conf(r1, r2, 150), tc.master);
      r2.start(conf(r2, r1, 100), tc.backup);
      await waitForMaster(topo.routers, vip, r1, masterDownMs(100, advert) + 5000);
      expect(await maxHoldersDuring(topo.routers, vip, v6 ? 2500 : 1500)).toBe(1);
      if (tc.backup === 'keepalived-ts') await r2.proc!.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 1000);
      const t0 = Date.now();
      await r1.kill9();
      await r1.ns.setLink('eth0', false);
      const limit = masterDownMs(100, advert) + 500;
      expect(await waitForVip(r2, vip, limit + 2000, t0)).toBeLessThanOrEqual(limit);
    });
  }
});
