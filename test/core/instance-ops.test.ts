import { describe, expect, it } from 'vitest';
import type { TrackerDef } from '../../src/vrrp/params.js';
import { harness, peerAdvert, PEER, resolved } from './instance-harness.js';
import { FakeClock } from '../../src/core/clock.js';

describe('InstanceDriver operations surface', () => {
  it('remembers the last transition with its reason and time', async () => {
    const h = harness(resolved(100));
    expect(h.driver.lastTransition).toBeNull();
    h.driver.start(true);
    await h.driver.idle();
    const first = h.driver.lastTransition;
    expect(first?.to).toBe('BACKUP');
    h.clock.advance(4_000_000);
    await h.driver.idle();
    const t = h.driver.lastTransition;
    expect(t).toMatchObject({ from: 'BACKUP', to: 'MASTER' });
    expect(t?.reason).not.toBe('');
    expect(t?.atUs).toBeGreaterThan(first?.atUs ?? Infinity);
  });

  it('reports tracker results with their current contribution', () => {
    const trackers: TrackerDef[] = [
      { kind: 'script', name: 'chk', weight: -60, reverse: false },
      { kind: 'interface', name: 'eth1', weight: 0, reverse: false },
      { kind: 'script', name: 'never', weight: 10, reverse: false },
    ];
    const h = harness(resolved(150, ['10.0.0.100'], 'secret', trackers));
    h.driver.observe('script', 'chk', { kind: 'down' });
    h.driver.observe('interface', 'eth1', { kind: 'up' });
    const r = h.driver.trackerResults();
    expect(r.get('script:chk')).toEqual({ status: 'down', contribution: -60 });
    expect(r.get('interface:eth1')).toEqual({ status: 'up', contribution: 0 });
    expect(r.get('script:never')).toEqual({ status: 'unknown', contribution: 0 });
  });

  it('tells the observer about steps, accepted adverts, checked adverts and drops', async () => {
    const seen: string[] = [];
    const h = harness(resolved(100), true, new FakeClock(0), {
      stepped: (name, after, effects) => seen.push(`step ${name} ${after.state} ${effects.some((e) => e.type === 'transition') ? 'T' : '-'}`),
      advertAccepted: (name) => seen.push(`accepted ${name}`),
      dropped: (name, code) => seen.push(`drop ${name} ${code}`),
      advertChecked: (name, _after, src, advert, verdict) => seen.push(`checked ${name} ${src} ${advert.priority} ${verdict.ok}`),
    });
    h.driver.start(true);
    h.driver.handlePacket(peerAdvert(200));
    h.driver.handlePacket(peerAdvert(200, 'wrong'));
    await h.driver.idle();
    expect(seen).toContain('step VI_1 BACKUP T');
    expect(seen).toContain('accepted VI_1');
    expect(seen).toContain(`checked VI_1 ${PEER} 200 true`);
    expect(seen).toContain(`checked VI_1 ${PEER} 200 false`);
    expect(seen).toContain('drop VI_1 auth-pass');
    expect(seen.filter((l) => l.startsWith('accepted'))).toHaveLength(1);
  });
});
