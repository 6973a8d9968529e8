/**
 * Scenario runner: replays `input.jsonl` (timestamped events) against the pure FSM / sync groups
 * described by `params.json`, firing armed timers at their times, and returns the recorded
 * effects (the subset listed in `record`) as JSONL-ready objects.
 *
 * params.json: { "description", "instances": [partial VrrpInstanceParams with name/vrid],
 *                "syncGroups"?: [{ "name", "members" }], "record"?: [effect types] }
 * input.jsonl: { "at": µs, "instance": name, "event": VrrpEvent }   (timerFired is generated here)
 *              { "at": µs, "group": name, "groupTracking": [reasons] }
 *              { "at": µs, "end": true }                            (advance the clock, fire timers)
 * expected.jsonl: { "at": µs, "instance": name | null, ...effect } and
 *                 { "at": µs, "instance": name, "state": S } after every transition.
 */
import { createInstance, step } from '../../src/vrrp/fsm/machine.js';
import type { Effect, InstanceState, TimerKind, VrrpEvent } from '../../src/vrrp/fsm/types.js';
import { makeInstanceParams } from '../../src/vrrp/params.js';
import type { VrrpInstanceParams } from '../../src/vrrp/params.js';
import { createSyncGroup, groupTrackingChanged, startGroup, stepGroup } from '../../src/vrrp/sync-group.js';
import type { GroupEffect, SyncGroupState } from '../../src/vrrp/sync-group.js';

export interface ScenarioParams {
  readonly description: string;
  readonly instances: readonly (Partial<VrrpInstanceParams> & Pick<VrrpInstanceParams, 'name' | 'vrid'>)[];
  readonly syncGroups?: readonly { readonly name: string; readonly members: readonly string[] }[];
  readonly record?: readonly Effect['type'][];
}

export type InputLine =
  | { readonly at: number; readonly instance: string; readonly event: VrrpEvent }
  | { readonly at: number; readonly group: string; readonly groupTracking: readonly string[] }
  | { readonly at: number; readonly group: string; readonly start: true }
  | { readonly at: number; readonly end: true };

export type OutputLine = Record<string, unknown> & { readonly at: number; readonly instance: string | null };

const DEFAULT_RECORD: readonly Effect['type'][] = [
  'sendAdvert', 'addVips', 'removeVips', 'sendGarpBurst', 'notify', 'notifyEvent', 'fifoLine', 'log',
];

export function runScenario(params: ScenarioParams, input: readonly InputLine[]): OutputLine[] {
  const record = new Set<Effect['type']>(params.record ?? DEFAULT_RECORD);
  const insts = new Map<string, InstanceState>();
  for (const p of params.instances) insts.set(p.name, createInstance(makeInstanceParams(p)));
  const groupOf = new Map<string, string>();
  const groups = new Map<string, SyncGroupState>();
  for (const g of params.syncGroups ?? []) {
    const members = g.members.map((m) => {
      const i = insts.get(m);
      if (i === undefined) throw new Error(`scenario: unknown member ${m}`);
      return i;
    });
    groups.set(g.name, createSyncGroup({ name: g.name, members: g.members }, members));
    for (const m of g.members) groupOf.set(m, g.name);
  }
  const out: OutputLine[] = [];
  const armed = new Map<string, { instance: string; kind: TimerKind; atUs: number; generation: number }>();
  let now = 0;

  const emit = (fx: readonly GroupEffect[]): void => {
    for (const { instance, effect } of fx) {
      if (instance !== null && effect.type === 'setTimer') {
        armed.set(`${instance}/${effect.kind}`, { instance, kind: effect.kind, atUs: effect.atUs, generation: effect.generation });
      }
      if (instance !== null && effect.type === 'cancelTimer') armed.delete(`${instance}/${effect.kind}`);
      if (effect.type === 'transition') {
        out.push({ at: now, instance, state: effect.to, reason: effect.reason });
        continue;
      }
      if (!record.has(effect.type)) continue;
      const e: Record<string, unknown> = { ...effect };
      if (e['type'] === 'setTimer') delete e['generation'];
      out.push({ at: now, instance, ...e });
    }
  };

  const feed = (name: string, ev: VrrpEvent): void => {
    const g = groupOf.get(name);
    if (g !== undefined) {
      const r = stepGroup(groups.get(g)!, name, ev, now);
      groups.set(g, r.state);
      for (const m of r.state.params.members) insts.set(m, r.state.members[m]!);
      emit(r.effects);
      return;
    }
    const inst = insts.get(name);
    if (inst === undefined) throw new Error(`scenario: unknown instance ${name}`);
    const r = step(inst, ev, now);
    insts.set(name, r.state);
    emit(r.effects.map((effect) => ({ instance: name, effect })));
  };

  const fireUntil = (t: number): void => {
    for (;;) {
      let next: { instance: string; kind: TimerKind; atUs: number; generation: number } | null = null;
      let key = '';
      for (const [k, v] of armed) if (v.atUs <= t && (next === null || v.atUs < next.atUs)) [next, key] = [v, k];
      if (next === null) break;
      armed.delete(key);
      now = next.atUs;
      feed(next.instance, { type: 'timerFired', kind: next.kind, generation: next.generation });
    }
    now = t;
  };

  for (const line of input) {
    fireUntil(line.at);
    if ('event' in line) feed(line.instance, line.event);
    else if ('groupTracking' in line) {
      const r = groupTrackingChanged(groups.get(line.group)!, line.groupTracking, now);
      groups.set(line.group, r.state);
      for (const m of r.state.params.members) insts.set(m, r.state.members[m]!);
      emit(r.effects);
    } else if ('start' in line) {
      const r = startGroup(groups.get(line.group)!, now);
      groups.set(line.group, r.state);
      for (const m of r.state.params.members) insts.set(m, r.state.members[m]!);
      emit(r.effects);
    }
  }
  return out;
}
