import { describe, expect, it } from 'vitest';
import { channelChanged, planReload } from '../../src/core/reload.js';
import type { ResolvedInstance } from '../../src/core/instance-config.js';
import { withSourceAddress, withSyncGroup } from '../../src/core/instance-config.js';
import { resolved } from './instance-harness.js';

function inst(name: string, vrid: number, syncGroup: string | null = null): ResolvedInstance {
  const r = resolved(100, [`10.0.0.${vrid}`]);
  return withSyncGroup({ ...r, name, vrid, key: `${vrid}/inet/eth0/multicast`, params: { ...r.params, name, vrid } }, syncGroup);
}

const byKey = (...xs: ResolvedInstance[]): Map<string, ResolvedInstance> => new Map(xs.map((x) => [x.key, x] as const));

describe('planReload', () => {
  it('matches instances by key, not by name; stops the missing, starts the new', () => {
    const running = byKey(inst('VI_1', 1, 'G'), inst('VI_2', 2));
    const next = byKey(inst('RENAMED', 1, 'G'), inst('VI_3', 3, 'H'));
    const plan = planReload(running, next);
    expect(plan.stop).toEqual(['2/inet/eth0/multicast']);
    expect(plan.update.map((u) => [u.key, u.next.name, u.reopenChannel])).toEqual([['1/inet/eth0/multicast', 'RENAMED', false]]);
    expect(plan.start.map((s) => [s.name, s.params.syncGroup])).toEqual([['VI_3', null]]);
    expect(plan.groupDeferred).toEqual(['VI_3']);
  });

  it('keeps the running sync group membership and reopens the socket only when it changed', () => {
    const running = byKey(inst('VI_1', 1, 'G'));
    const plan = planReload(running, byKey(withSourceAddress(inst('VI_1', 1, null), '10.0.0.9')));
    expect(plan.update[0]!.next.params.syncGroup).toBe('G');
    expect(plan.update[0]!.reopenChannel).toBe(true);
    const a = inst('VI_1', 1);
    expect(channelChanged(a, { ...a, unicastPeers: ['10.0.0.7'] })).toBe(true);
    expect(channelChanged(a, { ...a, authPass: 'other' })).toBe(false);
  });
});
