/**
 * Test driver for the pure FSM: keeps the instance state and its armed timers, fires due timers in
 * time order with the right generation, and records every effect with its timestamp.
 */
import { createInstance, step } from '../../../src/vrrp/fsm/machine.js';
import type { Effect, InstanceState, TimerKind, VrrpEvent } from '../../../src/vrrp/fsm/types.js';
import type { VrrpInstanceParams } from '../../../src/vrrp/params.js';

export interface Recorded {
  readonly atUs: number;
  readonly effect: Effect;
}

export class Driver {
  inst: InstanceState;
  nowUs = 0;
  readonly log: Recorded[] = [];
  readonly armed = new Map<TimerKind, { atUs: number; generation: number }>();

  constructor(params: VrrpInstanceParams) {
    this.inst = createInstance(params);
  }

  get state(): InstanceState['state'] {
    return this.inst.state;
  }

  feed(event: VrrpEvent): Effect[] {
    const r = step(this.inst, event, this.nowUs);
    this.inst = r.state;
    for (const e of r.effects) {
      this.log.push({ atUs: this.nowUs, effect: e });
      if (e.type === 'setTimer') this.armed.set(e.kind, { atUs: e.atUs, generation: e.generation });
      if (e.type === 'cancelTimer') this.armed.delete(e.kind);
    }
    return [...r.effects];
  }

  /** Fires every timer due up to `t` (inclusive), in time order, then sets now = t. */
  advanceTo(t: number): Effect[] {
    const out: Effect[] = [];
    for (;;) {
      let next: [TimerKind, { atUs: number; generation: number }] | null = null;
      for (const entry of this.armed) if (entry[1].atUs <= t && (next === null || entry[1].atUs < next[1].atUs)) next = entry;
      if (next === null) break;
      this.armed.delete(next[0]);
      this.nowUs = next[1].atUs;
      out.push(...this.feed({ type: 'timerFired', kind: next[0], generation: next[1].generation }));
    }
    this.nowUs = t;
    return out;
  }

  advanceBy(dt: number): Effect[] {
    return this.advanceTo(this.nowUs + dt);
  }

  effectsOf<T extends Effect['type']>(type: T, since = 0): Extract<Effect, { type: T }>[] {
    return this.log.filter((r) => r.atUs >= since && r.effect.type === type).map((r) => r.effect as Extract<Effect, { type: T }>);
  }
}

export function of<T extends Effect['type']>(effects: readonly Effect[], type: T): Extract<Effect, { type: T }>[] {
  return effects.filter((e) => e.type === type) as Extract<Effect, { type: T }>[];
}

export function advert(priority: number, srcAddr: string, adverIntervalCs = 100, version: 2 | 3 = 2): VrrpEvent {
  return { type: 'advertReceived', priority, srcAddr, adverIntervalCs, version };
}
