/**
 * Scenario runner: replays `input.jsonl` (timestamped events) against the pure FSM / sync groups
 * described by `params.json`, firing armed timers at their times, and returns the recorded
 * effects (the subset listed in `record`) as JSONL-ready objects.
 *
 * params.json: { "description", "instances": [partial VrrpInstanceParams with name/vrid],
 *                "syncGroups"?: [{ "name", "members" }], "scripts"?: [ScriptTrackerParams],
 *                "record"?: [effect types] }
 *   or keepalived.conf next to a params.json holding { "description", "overrides"?: {name: partial}, "record"? }
 * input.jsonl: { "at": µs, "instance": name, "event": VrrpEvent }   (timerFired is generated here)
 *              { "at": µs, "script": name, "result": { "exitCode" } | { "timedOut": true } }
 *              { "at": µs, "tracker": { "kind", "name" }, "observation": TrackerObservation }
 *              (both go through the vrrp_script state machine / tracking sets of every instance
 *               that tracks the object and become `trackingChanged` events)
 *              { "at": µs, "group": name, "groupTracking": [reasons] }
 *              { "at": µs, "end": true }                            (advance the clock, fire timers)
 * expected.jsonl: { "at": µs, "instance": name | null, ...effect } and
 *                 { "at": µs, "instance": name, "state": S } after every transition.
 */
import { createInstance, step } from '../../src/vrrp/fsm/machine.js';
import type { Effect, InstanceState, TimerKind, VrrpEvent } from '../../src/vrrp/fsm/types.js';
import { makeInstanceParams } from '../../src/vrrp/params.js';
import type { TrackerKind, VrrpInstanceParams } from '../../src/vrrp/params.js';
import type { TrackerObservation } from '../../src/vrrp/tracking/priority.js';
import { createScriptTracker, feedScriptResult, scriptObservation } from '../../src/vrrp/tracking/script-tracker.js';
import type { ScriptResult, ScriptTrackerParams, ScriptTrackerState } from '../../src/vrrp/tracking/script-tracker.js';
import { createTrackingSet, observe, summarize } from '../../src/vrrp/tracking/tracking-set.js';
import type { TrackingSet } from '../../src/vrrp/tracking/tracking-set.js';
import { createSyncGroup, groupTrackingChanged, startGroup, stepGroup } from '../../src/vrrp/sync-group.js';
import type { GroupEffect, SyncGroupState } from '../../src/vrrp/sync-group.js';

export interface ScenarioParams {
  readonly description: string;
  readonly instances: readonly (Partial<VrrpInstanceParams> & Pick<VrrpInstanceParams, 'name' | 'vrid'>)[];
  readonly syncGroups?: readonly { readonly name: string; readonly members: readonly string[] }[];
  readonly scripts?: readonly ScriptTrackerParams[];
  readonly record?: readonly Effect['type'][];
}

export type InputLine =
  | { readonly at: number; readonly instance: string; readonly event: VrrpEvent }
  | { readonly at: number; readonly group: string; readonly groupTracking: readonly string[] }
  | { readonly at: number; readonly group: string; readonly start: true }
  | { readonly at: number; readonly script: string; readonly result: ScriptResult }
  | { readonly at: number; readonly tracker: { readonly kind: TrackerKind; readonly name: string }; readonly observation: TrackerObservation }
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
  const scripts = new Map<string, ScriptTrackerState>();
  for (const sp of params.scripts ?? []) scripts.set(sp.name, createScriptTracker(sp));
  const tracking = new Map<string, TrackingSet>();
  for (const [name, inst] of insts) tracking.set(name, createTrackingSet(inst.params.trackers));
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

  const observeAll = (kind: TrackerKind, name: string, obs: TrackerObservation): void => {
    for (const [inst, set] of tracking) {
      const next = observe(set, kind, name, obs);
      if (next === set) continue;
      tracking.set(inst, next);
      const sum = summarize(next);
      feed(inst, { type: 'trackingChanged', weightSum: sum.weightSum, faultReasons: sum.faultReasons, cause: `track_${kind} ${name}` });
    }
  };

  // Like the daemon must: report the trackers' initial state (e.g. init_fail scripts) before `start`.
  for (const [name, set0] of tracking) {
    let set = set0;
    for (const def of set.defs) {
      const st = def.kind === 'script' ? scripts.get(def.name) : undefined;
      if (st !== undefined && st.status !== 'init') set = observe(set, 'script', def.name, scriptObservation(st));
    }
    tracking.set(name, set);
    const sum = summarize(set);
    if (sum.weightSum !== 0 || sum.faultReasons.length > 0) {
      feed(name, { type: 'trackingChanged', weightSum: sum.weightSum, faultReasons: sum.faultReasons, cause: 'initial tracker state' });
    }
  }

  for (const line of input) {
    fireUntil(line.at);
    if ('event' in line) feed(line.instance, line.event);
    else if ('script' in line) {
      const st = scripts.get(line.script);
      if (st === undefined) throw new Error(`scenario: unknown script ${line.script}`);
      const r = feedScriptResult(st, line.result);
      scripts.set(line.script, r.state);
      if (r.log !== null) out.push({ at: now, instance: null, type: 'log', level: 'info', msg: r.log, reason: 'script result' });
      if (r.changed) observeAll('script', line.script, scriptObservation(r.state));
    } else if ('tracker' in line) observeAll(line.tracker.kind, line.tracker.name, line.observation);
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
