/**
 * IPv6 instance started while its link-local address is still tentative (duplicate address detection
 * running right after the link came up): binding the advert socket fails at first (EADDRNOTAVAIL); the
 * daemon must retry and become MASTER once DAD is over, as keepalived 2.2.7 does, not stay in FAULT.
 */
import { describe, expect, it } from 'vitest';
import { Lab, waitFor } from '../lab/netns.js';
import { assertBuilt, integrationSkipReason, vrrpConf } from './helpers.js';

const skip = integrationSkipReason() !== undefined;

describe.skipIf(skip)('IPv6 with duplicate address detection', () => {
  it('an instance started during DAD becomes MASTER once the link-local address is usable', async () => {
    assertBuilt();
    const lab = Lab.create('itdad');
    try {
      const r1 = await lab.addHost('r1', { ipv6: true, dad: true });
      // Started at once: the link-local address is tentative for about a second (DAD).
      const tentative = await r1.exec('ip', ['-6', 'addr', 'show', 'dev', 'eth0', 'tentative']);
      const conf = vrrpConf('it-dad', { vrid: 97, priority: 150, advertInt: 1, version: 3, vips: ['fd97::200/64'] });
      const p = r1.startKeepalivedTs(lab.writeFile('r1.conf', conf));
      await waitFor('fd97::200 on r1', () => r1.hasAddress('fd97::200'), 15_000, 200);
      expect(p.lines.some((l) => /Entering MASTER STATE/.test(l))).toBe(true);
      // The race was real when the daemon started: the address was tentative then (or DAD was quick).
      if (tentative.stdout.includes('fe80')) expect(p.lines.some((l) => /cannot open the advert socket/.test(l))).toBe(true);
    } finally {
      await lab.cleanup();
    }
  });
});
