/**
 * unicast_peer `min_ttl` / `max_ttl` on real packets, and the IPv6 unicast hop limit on the wire:
 *   - IPv4: a backup whose peer window excludes the master's TTL 255 (`max_ttl 10`) ignores the master
 *     (both become MASTER, the drop is logged); a window that includes it (`min_ttl 255`) changes nothing.
 *   - IPv6 with keepalived 2.2.7: both send unicast adverts with the kernel hop limit (64) when
 *     unicast_ttl is not set, so a peer window of exactly 64 on either side keeps one master.
 * `KTS_IT_IMPL=keepalived` runs the first two cases against keepalived (same expectations, same log text).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertBuilt, IMPL, integrationSkipReason, masterDownMs, maxHoldersDuring, topologyPerTest, vipHolders, vrrpConf, waitForMaster,
} from './helpers.js';
import type { Impl, Router } from './helpers.js';
import { sleep } from '../lab/netns.js';

const skip = integrationSkipReason() !== undefined;
const haveKeepalived = existsSync('/usr/sbin/keepalived');

describe.skipIf(skip)('unicast_peer min_ttl / max_ttl', () => {
  const topology = topologyPerTest();

  const ipv4Conf = (self: Router, peer: Router, priority: number, peerOptions: string): string =>
    vrrpConf(`it-${self.role}`, {
      vrid: 97, priority, advertInt: 1, authPass: 'ttl', vips: ['10.97.0.200/24'],
      unicastSrc: self.ip, unicastPeers: [`${peer.ip}${peerOptions}`],
    });

  it('IPv4: adverts above the peer\'s max_ttl are dropped, so the backup becomes MASTER too', async () => {
    assertBuilt();
    const topo = await topology.build('ittl', '10.97.0');
    const [r1, r2] = topo.routers as [Router, Router];
    r1.start(ipv4Conf(r1, r2, 200, ''));
    r2.start(ipv4Conf(r2, r1, 100, ' max_ttl 10'));
    await r2.proc!.waitForLine(/TTL\/HL 255 not in range 0 - 10/, masterDownMs(100, 1) + 5000);
    // r2 never hears r1: after its Master_Down_Interval both hold the VIP (r1 keeps it: r2's adverts are lower).
    await sleep(masterDownMs(100, 1) + 1000);
    expect((await vipHolders(topo.routers, '10.97.0.200')).map((r) => r.role).sort()).toEqual(['r1', 'r2']);
  });

  it('IPv4: a window that contains TTL 255 keeps a single master', async () => {
    assertBuilt();
    const topo = await topology.build('ittm', '10.98.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.98.0.200';
    const conf = (self: Router, peer: Router, priority: number, opts: string): string =>
      vrrpConf(`it-${self.role}`, {
        vrid: 98, priority, advertInt: 1, authPass: 'ttl', vips: [`${vip}/24`], unicastSrc: self.ip, unicastPeers: [`${peer.ip}${opts}`],
      });
    r1.start(conf(r1, r2, 200, ''));
    r2.start(conf(r2, r1, 100, ' min_ttl 255 max_ttl 255'));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, 1) + 5000);
    expect(await maxHoldersDuring(topo.routers, vip, masterDownMs(100, 1) + 1000)).toBe(1);
    expect(r2.proc!.lines.some((l) => /not in range/.test(l))).toBe(false);
  });

  const v6Cases: readonly { master: Impl; backup: Impl; tag: string; vrid: number }[] = [
    { master: IMPL, backup: 'keepalived', tag: 'itt6a', vrid: 76 },
    { master: 'keepalived', backup: IMPL, tag: 'itt6b', vrid: 77 },
  ];
  for (const tc of v6Cases) {
    it.skipIf(!haveKeepalived)(`IPv6 unicast: ${tc.master} MASTER sends hop limit 64, ${tc.backup} BACKUP with min_ttl 64 max_ttl 64 stays backup`, async () => {
      assertBuilt();
      const prefix = `fd${tc.vrid}`;
      const topo = await topology.build(tc.tag, `10.${tc.vrid}.0`, 2, prefix);
      const [r1, r2] = topo.routers as [Router, Router];
      const vip = `${prefix}::200`;
      const conf = (self: Router, selfHost: number, peerHost: number, priority: number, opts: string): string =>
        vrrpConf(`it-${self.role}`, {
          vrid: tc.vrid, priority, advertInt: 1, version: 3, vips: [`${vip}/64`],
          unicastSrc: `${prefix}::${selfHost}`, unicastPeers: [`${prefix}::${peerHost}${opts}`],
        });
      r1.start(conf(r1, 11, 12, 200, ''), tc.master);
      r2.start(conf(r2, 12, 11, 100, ' min_ttl 64 max_ttl 64'), tc.backup);
      await waitForMaster(topo.routers, vip, r1, masterDownMs(100, 1) + 5000);
      expect(await maxHoldersDuring(topo.routers, vip, masterDownMs(100, 1) + 1000)).toBe(1);
      expect(r2.proc!.lines.some((l) => /not in range/.test(l))).toBe(false);
    });
  }
});
