/** Test driver for a sync group: per-member armed timers fired in time order through stepGroup. */
import { createInstance } from '../../../src/vrrp/fsm/machine.js';
import type { TimerKind, VrrpEvent } from '../../../src/vrrp/fsm/types.js';
import { makeInstanceParams } from '../../../src/vrrp/params.js';
import type { VrrpInstanceParams } from '../../../src/vrrp/params.js';
import { createSyncGroup, groupTrackingChanged, startGroup, stepGroup } from '../../../src/vrrp/sync-group.js';
import type { GroupEffect, GroupStepResult, SyncGroupState } from '../../../src/vrrp/sync-group.js';

export class GroupDriver {
  g: SyncGroupState;
  nowUs = 0;
  readonly log: { atUs: number; fx: GroupEffect }[] = [];
  readonly armed = new Map<string, { member: string; kind: TimerKind; atUs: number; generation: number }>();

  constructor(name: string, members: Partial<VrrpInstanceParams>[]) {
    const insts = members.map((m, i) =>
      createInstance(makeInstanceParams({ name: `VI_${i + 1}`, vrid: 50 + i, syncGroup: name, vips: [`10.0.${i}.100`], primaryAddress: '10.0.0.1', ...m })),
    );
    this.g = createSyncGroup({ name, members: insts.map((i) => i.params.name) }, insts);
  }

  private take(r: GroupStepResult): GroupEffect[] {
    this.g = r.state;
    for (const fx of r.effects) {
      this.log.push({ atUs: this.nowUs, fx });
      const e = fx.effect;
      if (fx.instance === null) continue;
      if (e.type === 'setTimer') this.armed.set(`${fx.instance}/${e.kind}`, { member: fx.instance, kind: e.kind, atUs: e.atUs, generation: e.generation });
      if (e.type === 'cancelTimer') this.armed.delete(`${fx.instance}/${e.kind}`);
    }
    return [...r.effects];
  }

  start(): GroupEffect[] {
    return this.take(startGroup(this.g, this.nowUs));
  }
  feed(member: string, ev: VrrpEvent): GroupEffect[] {
    return this.take(stepGroup(this.g, member, ev, this.nowUs));
  }
  groupTracking(reasons: string[]): GroupEffect[] {
    return this.take(groupTrackingChanged(this.g, reasons, this.nowUs));
  }
  advanceTo(t: number): GroupEffect[] {
    const out: GroupEffect[] = [];
    for (;;) {
      let next: [string, { member: string; kind: TimerKind; atUs: number; generation: number }] | null = null;
      for (const e of this.armed) if (e[1].atUs <= t && (next === null || e[1].atUs < next[1].atUs)) next = e;
      if (next === null) break;
      this.armed.delete(next[0]);
      this.nowUs = next[1].atUs;
      out.push(...this.feed(next[1].member, { type: 'timerFired', kind: next[1].kind, generation: next[1].generation }));
    }
    this.nowUs = t;
    return out;
  }
  states(): string[] {
    return this.g.params.members.map((n) => this.g.members[n]!.state);
  }
}

export const fifo = (fx: GroupEffect[]): string[] =>
  fx.flatMap((f) => (f.effect.type === 'fifoLine' ? [f.effect.line] : []));
