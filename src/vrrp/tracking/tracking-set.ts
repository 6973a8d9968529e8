/**
 * The tracking set of one instance (or sync group): the tracker definitions plus their latest
 * observations, folded into what the FSM needs — Σ weights and the list of fault reasons — via a
 * `trackingChanged` event. Pure and immutable: `observe()` returns a new set.
 */

import type { TrackerDef } from '../params.js';
import type { TrackerObservation } from './priority.js';
import { trackerContribution } from './priority.js';

export interface TrackingSet {
  readonly defs: readonly TrackerDef[];
  /** Keyed by `trackerKey(def)`. */
  readonly observations: Readonly<Record<string, TrackerObservation>>;
}

export interface TrackingSummary {
  readonly weightSum: number;
  /** Sorted, stable; empty = no fault. */
  readonly faultReasons: readonly string[];
  /** An unweighted tracker has not reported yet: keepalived keeps the instance from starting. */
  readonly pending: boolean;
}

export function trackerKey(def: Pick<TrackerDef, 'kind' | 'name'>): string {
  return `${def.kind}:${def.name}`;
}

export function createTrackingSet(defs: readonly TrackerDef[]): TrackingSet {
  return { defs, observations: {} };
}

/** Records an observation for every tracker of that kind and name (no-op if not tracked). */
export function observe(
  set: TrackingSet,
  kind: TrackerDef['kind'],
  name: string,
  obs: TrackerObservation,
): TrackingSet {
  const key = trackerKey({ kind, name });
  if (!set.defs.some((d) => trackerKey(d) === key)) return set;
  return { defs: set.defs, observations: { ...set.observations, [key]: obs } };
}

export function summarize(set: TrackingSet): TrackingSummary {
  let weightSum = 0;
  let pending = false;
  const faults: string[] = [];
  for (const def of set.defs) {
    const obs = set.observations[trackerKey(def)] ?? { kind: 'unknown' };
    const c = trackerContribution(def, obs);
    weightSum += c.weight;
    pending ||= c.pending;
    if (c.fault !== null) faults.push(c.fault);
  }
  faults.sort();
  return { weightSum, faultReasons: faults, pending };
}
