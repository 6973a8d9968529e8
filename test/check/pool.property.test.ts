/** Property tests: random checker transitions keep the pool and the desired table consistent. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDesiredTable } from '../../src/check/desired-table.js';
import { LvsPool, realWeight } from '../../src/check/pool.js';
import { model } from './helpers.js';

function config(n: number, quorum: number, hysteresis: number, inhibit: boolean) {
  const rss = Array.from(
    { length: n },
    (_, i) => `  real_server 192.168.0.${i + 2} 80 {
    weight ${(i % 3) + 1}
    ${inhibit ? 'inhibit_on_failure' : ''}
    TCP_CHECK { }
    TCP_CHECK { connect_port 81 }
  }`,
  ).join('\n');
  return model(`virtual_server 10.0.0.1 80 {
  protocol TCP
  quorum ${quorum}
  hysteresis ${hysteresis}
  sorry_server 192.168.0.200 80
${rss}
}`);
}

describe('pool invariants under random transitions', () => {
  it('alive ⇔ no checker down; sorry server in ⇔ quorum down; dests follow alive/inhibit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.nat(1), fc.boolean()), { maxLength: 60 }),
        (n, quorum, hysteresis, inhibit, steps) => {
          const c = config(n, quorum, hysteresis, inhibit);
          const pool = new LvsPool(c.virtualServers);
          pool.start();
          for (const [rs, chk, up] of steps) pool.checkerResult(`0/${rs % n}`, chk, up);
          const vs = pool.snapshot().virtualServers[0];
          if (vs === undefined) throw new Error('no vs');
          for (const r of vs.realServers) expect(r.alive).toBe(r.checkersUp.every((u) => u));
          const sum = vs.realServers.reduce((a, r) => a + (r.alive ? realWeight(r.effectiveWeight) : 0), 0);
          expect(vs.weightSum).toBe(sum);
          // With a sorry server configured, it is in use exactly while the quorum is down.
          expect(vs.sorryAlive).toBe(!vs.quorumUp);
          // Hysteresis band: up ⇒ sum > 0 and ≥ quorum − h; down ⇒ sum < quorum + h.
          if (vs.quorumUp) expect(sum > 0 && sum >= quorum - hysteresis).toBe(true);
          else expect(sum).toBeLessThan(quorum + hysteresis);
          const dests = computeDesiredTable(c.virtualServers, c.virtualServerGroups, pool.snapshot()).entries[0]?.dests ?? [];
          for (const [j, r] of vs.realServers.entries()) {
            const d = dests.find((x) => x.address === `192.168.0.${j + 2}`);
            if (r.alive && vs.quorumUp) expect(d?.weight).toBe(realWeight(r.effectiveWeight));
            else if (inhibit) expect(d?.weight).toBe(0);
            else expect(d).toBeUndefined();
          }
          expect(dests.some((x) => x.address === '192.168.0.200')).toBe(vs.sorryAlive);
        },
      ),
      { numRuns: 300 },
    );
  });
});
