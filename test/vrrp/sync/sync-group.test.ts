import { describe, expect, it } from 'vitest';
import { createInstance } from '../../../src/vrrp/fsm/machine.js';
import { makeInstanceParams } from '../../../src/vrrp/params.js';
import { createSyncGroup } from '../../../src/vrrp/sync-group.js';
import { GroupDriver, fifo } from './group-driver.js';

const adv = (priority: number, src = '10.0.0.2') => ({ type: 'advertReceived' as const, priority, srcAddr: src, adverIntervalCs: 100, version: 2 as const });

describe('vrrp_sync_group', () => {
  it('starts all members BACKUP; at startup the GROUP notify comes first (keepalived order)', () => {
    const d = new GroupDriver('G', [{}, {}]);
    const fx = d.start();
    expect(d.states()).toEqual(['BACKUP', 'BACKUP']);
    expect(fifo(fx)).toEqual(['GROUP "G" BACKUP 0\n', 'INSTANCE "VI_1" BACKUP 100\n', 'INSTANCE "VI_2" BACKUP 100\n']);
    expect(d.g.state).toBe('BACKUP');
  });

  it('a member whose timer expires waits until all members want MASTER, then all go together', () => {
    const d = new GroupDriver('G', [{ basePriority: 200 }, { basePriority: 100 }]);
    d.start();
    // VI_1's MDI (3.22 s) expires before VI_2's (3.61 s): held in BACKUP.
    d.advanceTo(3_300_000);
    expect(d.states()).toEqual(['BACKUP', 'BACKUP']);
    expect(d.g.members['VI_1']!.wantMaster).toBe(true);
    const fx = d.advanceTo(3_700_000);
    expect(d.states()).toEqual(['MASTER', 'MASTER']);
    // the member completing the set goes first, then the others; the group notify comes last
    expect(fifo(fx)).toEqual(['INSTANCE "VI_2" MASTER 100\n', 'INSTANCE "VI_1" MASTER 200\n', 'GROUP "G" MASTER 0\n']);
    const logs = fx.flatMap((f) => (f.effect.type === 'log' ? [f.effect.msg] : []));
    expect(logs.indexOf('VRRP_Group(G) Syncing instances to MASTER state')).toBeGreaterThan(logs.indexOf('(VI_2) Entering MASTER STATE'));
    expect(logs.indexOf('VRRP_Group(G) Syncing instances to MASTER state')).toBeLessThan(logs.indexOf('(VI_1) Entering MASTER STATE'));
  });

  it('a member still hearing its master keeps the whole group BACKUP', () => {
    const d = new GroupDriver('G', [{}, {}]);
    d.start();
    for (let t = 1; t <= 10; t++) {
      d.advanceTo(t * 1_000_000);
      d.feed('VI_2', adv(150));
    }
    expect(d.states()).toEqual(['BACKUP', 'BACKUP']);
  });

  it('one member forced to BACKUP by a higher-priority advert ⇒ all BACKUP, no priority-0 adverts', () => {
    const d = new GroupDriver('G', [{}, {}]);
    d.start();
    d.advanceTo(4_000_000);
    expect(d.g.state).toBe('MASTER');
    const fx = d.feed('VI_1', adv(200));
    expect(d.states()).toEqual(['BACKUP', 'BACKUP']);
    expect(fx.some((f) => f.effect.type === 'sendAdvert' && f.effect.priority === 0)).toBe(false);
    expect(fifo(fx).at(-1)).toBe('GROUP "G" BACKUP 0\n');
  });

  it('one member FAULT ⇒ group FAULT (masters send priority 0); recovery ⇒ all BACKUP', () => {
    const d = new GroupDriver('G', [{}, {}]);
    d.start();
    d.advanceTo(4_000_000);
    const fx = d.feed('VI_2', { type: 'interfaceChanged', ifname: 'eth1', up: false });
    expect(d.states()).toEqual(['FAULT', 'FAULT']);
    const prio0 = fx.filter((f) => f.effect.type === 'sendAdvert' && f.effect.priority === 0).map((f) => f.instance);
    // the faulted member sends two (its own FAULT), the member forced by the group one
    expect(prio0).toEqual(['VI_2', 'VI_2', 'VI_1']);
    expect(fifo(fx).at(-1)).toBe('GROUP "G" FAULT 0\n');
    const rec = d.feed('VI_2', { type: 'interfaceChanged', ifname: 'eth1', up: true });
    expect(d.states()).toEqual(['BACKUP', 'BACKUP']);
    expect(fifo(rec).at(-1)).toBe('GROUP "G" BACKUP 0\n');
  });

  it('group-level tracker failure faults every member', () => {
    const d = new GroupDriver('G', [{}, {}]);
    d.start();
    d.groupTracking(['track_script grp down']);
    expect(d.states()).toEqual(['FAULT', 'FAULT']);
    expect(d.g.members['VI_1']!.groupFault).toContain('group tracker');
    d.groupTracking([]);
    expect(d.states()).toEqual(['BACKUP', 'BACKUP']);
  });

  it('an owner member is held until the others want MASTER too', () => {
    const d = new GroupDriver('G', [{ basePriority: 255 }, {}]);
    d.start();
    expect(d.states()).toEqual(['BACKUP', 'BACKUP']);
    d.advanceTo(3_700_000);
    expect(d.states()).toEqual(['MASTER', 'MASTER']);
  });

  it('shutdown of all members reports GROUP STOP', () => {
    const d = new GroupDriver('G', [{}, {}]);
    d.start();
    d.feed('VI_1', { type: 'shutdown' });
    expect(d.g.state).toBe('BACKUP');
    const fx = d.feed('VI_2', { type: 'shutdown' });
    expect(fifo(fx).at(-1)).toBe('GROUP "G" STOP 0\n');
  });

  it('rejects a group whose member has no state', () => {
    const i = createInstance(makeInstanceParams({ name: 'VI_1', vrid: 1 }));
    expect(() => createSyncGroup({ name: 'G', members: ['VI_1', 'VI_9'] }, [i])).toThrow(/KTS_SYNC_GROUP_MEMBER/);
  });
});
