/**
 * Bridges the VRRP state machine to the metric set: after each `step()`, `recordVrrpStep` turns the
 * returned effects into samples (transitions by reason category, adverts sent, state and priority
 * gauges). The FSM's transition reasons carry addresses and tracker names, so they are reduced to a
 * fixed vocabulary (`transitionReasonLabel`) to keep the label's cardinality bounded; the full text
 * stays in the logs and in the status document's `lastTransition.reason`.
 *
 * GARP/NA frames are counted by the sender (`m.vrrpGarpSent.inc(labels, frames)`): a burst's frame
 * count depends on the installed VIPs and on send errors, which only the I/O layer knows.
 */

import type { Effect, InstanceState, VrrpState } from '../vrrp/fsm/types.js';
import { setInstanceState, type KtsMetrics } from './kts-metrics.js';

export const TRANSITION_REASON_LABELS = [
  'startup',
  'address_owner',
  'master_down_timer',
  'higher_priority_advert',
  'equal_priority_higher_address',
  'fault',
  'fault_cleared',
  'sync_group',
  'shutdown',
  'other',
] as const;
export type TransitionReasonLabel = (typeof TRANSITION_REASON_LABELS)[number];

/** Fixed-vocabulary category of an FSM transition reason. */
export function transitionReasonLabel(to: VrrpState, reason: string): TransitionReasonLabel {
  if (reason.startsWith('startup as address owner')) return 'address_owner';
  if (reason.startsWith('master down timer')) return 'master_down_timer';
  if (reason.startsWith('higher priority')) return 'higher_priority_advert';
  if (reason.startsWith('equal priority')) return 'equal_priority_higher_address';
  if (reason.startsWith('sync group')) return 'sync_group';
  if (reason === 'shutdown' || to === 'STOP') return 'shutdown';
  if (reason.endsWith('fault cleared')) return 'fault_cleared';
  if (to === 'FAULT') return 'fault';
  if (reason.startsWith('startup')) return 'startup';
  return 'other';
}

/** Records one step: `after` is the state `step()` returned, `effects` its effects. */
export function recordVrrpStep(m: KtsMetrics, after: InstanceState, effects: readonly Effect[]): void {
  const vrrp_instance = after.params.name;
  for (const e of effects) {
    if (e.type === 'transition') {
      m.vrrpTransitions.inc({ vrrp_instance, to: e.to, reason: transitionReasonLabel(e.to, e.reason) });
    } else if (e.type === 'sendAdvert') {
      m.vrrpAdvertsSent.inc({ vrrp_instance });
    }
  }
  setInstanceState(m, vrrp_instance, after.state);
  m.vrrpPriority.set({ vrrp_instance }, after.effectivePriority);
  m.vrrpBasePriority.set({ vrrp_instance }, after.basePriority);
}
