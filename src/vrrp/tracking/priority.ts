/**
 * Effective priority and per-tracker contributions (keepalived `vrrp_track.c` semantics):
 *
 *   effective = clamp(base + Σ contributions, 1, 254); the address owner (255) is never adjusted.
 *
 * Boolean trackers (script, interface, process, bfd): a positive weight is added while the object
 * is up, a negative weight is added while it is down; `reverse` flips the sign (and, for weight 0,
 * makes "up" the failing state). Weight 0 = unweighted: the failing state puts the instance in FAULT.
 * track_file: contribution = value × weight (× −1 if reverse); weight 0 and a non-zero value, or a
 * contribution below −253, is a FAULT.
 */

import type { TrackerDef } from '../params.js';
import { PRIORITY_OWNER } from '../params.js';

export const MIN_EFFECTIVE_PRIORITY = 1;
export const MAX_EFFECTIVE_PRIORITY = 254;
/** track_file contributions below this put the instance in FAULT. */
export const TRACK_FILE_FAULT_BELOW = -253;

/** Current observation of one tracked object. `unknown` = not reported yet (keepalived INIT). */
export type TrackerObservation =
  | { readonly kind: 'up' }
  | { readonly kind: 'down' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'value'; readonly value: number };

export interface TrackerContribution {
  /** Amount added to the base priority. */
  readonly weight: number;
  /** Non-null when this tracker puts the instance in FAULT: a human-readable reason. */
  readonly fault: string | null;
  /** True while an unweighted tracker has not reported yet (keepalived holds the instance). */
  readonly pending: boolean;
}

/** Clamped effective priority; the owner keeps 255 whatever the trackers say. */
export function effectivePriority(basePriority: number, weightSum: number): number {
  if (basePriority === PRIORITY_OWNER) return PRIORITY_OWNER;
  return Math.max(MIN_EFFECTIVE_PRIORITY, Math.min(MAX_EFFECTIVE_PRIORITY, basePriority + weightSum));
}

function label(def: TrackerDef): string {
  return `track_${def.kind} ${def.name}`;
}

/** Contribution of one tracker given its latest observation. */
export function trackerContribution(def: TrackerDef, obs: TrackerObservation): TrackerContribution {
  if (def.kind === 'file') {
    const value = obs.kind === 'value' ? obs.value : obs.kind === 'down' ? 1 : 0;
    if (obs.kind === 'unknown') return { weight: 0, fault: null, pending: false };
    if (def.weight === 0) {
      const failing = def.reverse ? value === 0 : value !== 0;
      return { weight: 0, fault: failing ? `${label(def)} value ${value}` : null, pending: false };
    }
    const w = value * def.weight * (def.reverse ? -1 : 1);
    if (w < TRACK_FILE_FAULT_BELOW) return { weight: 0, fault: `${label(def)} value ${value} weight ${def.weight}`, pending: false };
    return { weight: w, fault: null, pending: false };
  }
  if (obs.kind === 'unknown') return { weight: 0, fault: null, pending: def.weight === 0 };
  const up = obs.kind === 'up' || (obs.kind === 'value' && obs.value !== 0);
  if (def.weight === 0) {
    const failing = def.reverse ? up : !up;
    return { weight: 0, fault: failing ? `${label(def)} ${up ? 'up' : 'down'}` : null, pending: false };
  }
  const sign = def.reverse ? -1 : 1;
  if (def.weight > 0) return { weight: up ? sign * def.weight : 0, fault: null, pending: false };
  return { weight: up ? 0 : sign * def.weight, fault: null, pending: false };
}
