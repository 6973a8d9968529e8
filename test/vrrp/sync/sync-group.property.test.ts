/**
 * Property: whatever the sequence of adverts, link changes, group-tracker changes and timer
 * expiries, a sync group never ends a step split — members are all MASTER or none is, and if
 * any member (or a group tracker) is faulted, every member is in FAULT.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ownFaultReasons } from '../../../src/vrrp/fsm/machine.js';
import { GroupDriver } from './group-driver.js';

type Op =
  | { kind: 'advert'; member: number; priority: number }
  | { kind: 'link'; member: number; up: boolean }
  | { kind: 'groupTrack'; fault: boolean }
  | { kind: 'wait'; us: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('advert' as const), member: fc.nat(2), priority: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('link' as const), member: fc.nat(2), up: fc.boolean() }),
  fc.record({ kind: fc.constant('groupTrack' as const), fault: fc.boolean() }),
  fc.record({ kind: fc.constant('wait' as const), us: fc.integer({ min: 1, max: 5_000_000 }) }),
);

describe('sync group invariants', () => {
  it('never split between MASTER and non-MASTER, FAULT spreads to all members', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 254 }), { minLength: 3, maxLength: 3 }), fc.array(op, { maxLength: 40 }), (prios, ops) => {
        const d = new GroupDriver('G', prios.map((p) => ({ basePriority: p })));
        d.start();
        let groupFault = false;
        for (const o of ops) {
          const name = `VI_${('member' in o ? o.member : 0) + 1}`;
          if (o.kind === 'advert') d.feed(name, { type: 'advertReceived', priority: o.priority, srcAddr: '10.0.0.2', adverIntervalCs: 100, version: 2 });
          else if (o.kind === 'link') d.feed(name, { type: 'interfaceChanged', ifname: 'eth0', up: o.up });
          else if (o.kind === 'groupTrack') {
            groupFault = o.fault;
            d.groupTracking(o.fault ? ['track_script g down'] : []);
          } else d.advanceTo(d.nowUs + o.us);
          const members = d.g.params.members.map((n) => d.g.members[n]!);
          const masters = members.filter((m) => m.state === 'MASTER').length;
          expect(masters === 0 || masters === members.length).toBe(true);
          const anyFault = groupFault || members.some((m) => ownFaultReasons(m).length > 0);
          if (anyFault) expect(members.every((m) => m.state === 'FAULT')).toBe(true);
          else expect(members.some((m) => m.state === 'FAULT')).toBe(false);
          expect(d.g.state).toBe(anyFault ? 'FAULT' : masters > 0 ? 'MASTER' : 'BACKUP');
        }
      }),
      { numRuns: 300 },
    );
  });
});
