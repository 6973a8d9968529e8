import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { SyncGroupDriver } from '../../src/core/sync-group.js';
import type { ResolvedInstance } from '../../src/core/instance-config.js';
import type { TrackerDef } from '../../src/vrrp/params.js';
import { harness, resolved } from './instance-harness.js';

function member(name: string, vrid: number, trackers: readonly TrackerDef[] = []): ResolvedInstance {
  const r = resolved(100, [`10.0.0.${vrid}`], 'secret', trackers);
  return { ...r, name, vrid, key: `${vrid}/inet/eth0/multicast`, params: { ...r.params, name, vrid, syncGroup: 'G' } };
}

describe('SyncGroupDriver', () => {
  it('members go MASTER together and a member fault faults the whole group (GROUP notifies)', async () => {
    const clock = new FakeClock(0);
    const a = harness(member('VI_1', 11), true, clock);
    const b = harness(member('VI_2', 12, [{ kind: 'interface', name: 'eth1', weight: 0, reverse: false }]), true, clock);
    const groupFifo: string[] = [];
    const group = new SyncGroupDriver('G', [a.driver, b.driver], { master: null, backup: null, fault: null, stop: null, generic: null }, clock, silentLogger(), {
      runScript: async () => undefined,
      writeFifo: (l) => void groupFifo.push(l),
    });
    b.driver.observe('interface', 'eth1', { kind: 'up' });
    a.driver.start(true);
    b.driver.start(true);
    expect(a.driver.state).toBe('INIT');
    group.start();
    await Promise.all([a.driver.idle(), b.driver.idle()]);
    expect([a.driver.state, b.driver.state]).toEqual(['BACKUP', 'BACKUP']);
    expect(groupFifo).toEqual(['GROUP "G" BACKUP 0\n']);
    clock.advance(3_700_000);
    await Promise.all([a.driver.idle(), b.driver.idle()]);
    expect([a.driver.state, b.driver.state]).toEqual(['MASTER', 'MASTER']);
    expect(group.groupState).toBe('MASTER');
    expect(a.kernel.size + b.kernel.size).toBe(2);
    expect(groupFifo.at(-1)).toBe('GROUP "G" MASTER 0\n');
    b.driver.observe('interface', 'eth1', { kind: 'down' });
    await Promise.all([a.driver.idle(), b.driver.idle()]);
    expect([a.driver.state, b.driver.state]).toEqual(['FAULT', 'FAULT']);
    expect(a.kernel.size + b.kernel.size).toBe(0);
    expect(groupFifo.at(-1)).toBe('GROUP "G" FAULT 0\n');
    expect(a.fifo).toContain('INSTANCE "VI_1" FAULT 100\n');
  });
});
