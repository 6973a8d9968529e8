/**
 * The VRRP state machine's vocabulary: instance state, the events it consumes and the effects it
 * emits. Everything here is plain JSON data (no classes, no bigint, no functions) so events and
 * effects can be recorded, replayed and compared (`test/scenarios`).
 *
 * Flow: the daemon decodes a packet / notices a timer, netlink or tracker change → builds a
 * `VrrpEvent` → `step(state, event, nowUs)` → executes the returned `Effect[]` in order.
 * The FSM never reads a clock: `nowUs` (monotonic µs) is passed in; timers are requested with
 * `setTimer { kind, atUs, generation }` and come back as `timerFired { kind, generation }` —
 * a fire whose generation is not the current one for that kind is stale and ignored.
 */

import type { VrrpInstanceParams } from '../params.js';
import type { FifoState, NotifyScope, NotifyState } from '../notify/format.js';

/** keepalived states (INIT before `start`, STOP after `shutdown`). */
export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';

/**
 * Timers an instance can run, one slot per kind:
 *  adver              MASTER: Adver_Timer (send the periodic advert)
 *  masterDown         BACKUP: Master_Down_Timer
 *  garpDelay          MASTER: second GARP burst `garp_master_delay` after becoming master
 *  garpRefresh        MASTER: periodic `garp_master_refresh` bursts
 *  garpLowerPrioDelay MASTER: second burst `garp_lower_prio_delay` after a lower-priority advert
 * (preempt_delay needs no timer: keepalived compares the deadline with "now" on each advert.)
 */
export type TimerKind = 'adver' | 'masterDown' | 'garpDelay' | 'garpRefresh' | 'garpLowerPrioDelay';
export const TIMER_KINDS: readonly TimerKind[] = ['adver', 'masterDown', 'garpDelay', 'garpRefresh', 'garpLowerPrioDelay'];

export interface TimerSlot {
  readonly atUs: number;
  readonly generation: number;
}

export interface InstanceState {
  readonly params: VrrpInstanceParams;
  readonly state: VrrpState;
  /** Configured priority, lowered to 254 by keepalived's duplicate-owner back-off, replaced on reload. */
  readonly basePriority: number;
  /** Σ tracker weights (from the last `trackingChanged`). */
  readonly trackWeightSum: number;
  /** Priority put in adverts and compared in elections. */
  readonly effectivePriority: number;
  /** Failing unweighted trackers (instance-level). */
  readonly trackerFaults: readonly string[];
  /** Link state of the instance interface (ignored when `params.trackPrimaryInterface` is false). */
  readonly interfaceUp: boolean;
  /** Set by the sync group while another member (or a group tracker) is faulted. */
  readonly groupFault: string | null;
  /** Master_Adver_Interval: learned from the master's adverts (v3) or own interval. */
  readonly masterAdverIntervalCs: number;
  /** Address and priority of the last accepted master advert. */
  readonly masterAddr: string | null;
  readonly masterPriority: number | null;
  /** preempt_delay deadline, set by the first lower-priority advert; null = not running. */
  readonly preemptUntilUs: number | null;
  /** Sync-group member whose Master_Down_Timer expired but is held in BACKUP by its group. */
  readonly wantMaster: boolean;
  readonly timers: Readonly<Partial<Record<TimerKind, TimerSlot>>>;
  /** Next timer generation number (monotonic per instance). */
  readonly nextGeneration: number;
  /**
   * Due times of pending delayed lower-priority GARP bursts (keepalived starts one per
   * lower-priority advert; the `garpLowerPrioDelay` timer is armed for the earliest).
   */
  readonly lowerPrioGarpsDueUs: readonly number[];
  /** VIPs currently installed by us. */
  readonly vipsSet: boolean;
  /** Number of state transitions so far. */
  readonly transitions: number;
}

/** Fields of a received advert, already validated by the codec and receive checks. */
export interface AdvertReceived {
  readonly type: 'advertReceived';
  readonly priority: number;
  /** v3: Max Adver Int (cs); v2: Adver Int seconds × 100. */
  readonly adverIntervalCs: number;
  /** Source address of the IP packet (the sender's primary address). */
  readonly srcAddr: string;
  readonly version: 2 | 3;
}

export type SyncGroupCommand =
  /** All members may become MASTER together (sent to members holding `wantMaster`). */
  | 'goMaster'
  /** Another member was forced to BACKUP: leave MASTER without a priority-0 advert. */
  | 'goBackup'
  /** Another member (or a group tracker) is faulted. */
  | 'setFault'
  | 'clearFault';

export type VrrpEvent =
  | { readonly type: 'start' }
  | { readonly type: 'timerFired'; readonly kind: TimerKind; readonly generation: number }
  | AdvertReceived
  /** Tracker summary changed (see `tracking/tracking-set.ts`); `cause` names what changed. */
  | {
      readonly type: 'trackingChanged';
      readonly weightSum: number;
      readonly faultReasons: readonly string[];
      readonly cause: string;
    }
  | { readonly type: 'interfaceChanged'; readonly ifname: string; readonly up: boolean }
  /** Stop (SIGTERM), or removal by a SIGHUP reload (`deletedAtReload`: keepalived's clear_diff_vrrp). */
  | { readonly type: 'shutdown'; readonly deletedAtReload?: boolean }
  /** SIGHUP reload changed the configured priority. */
  | { readonly type: 'reloadPriority'; readonly basePriority: number }
  | { readonly type: 'syncGroup'; readonly command: SyncGroupCommand; readonly group: string; readonly reason: string };

export type GarpReason = 'becomeMaster' | 'masterDelay' | 'refresh' | 'lowerPrio' | 'lowerPrioDelay';
/**
 * Log levels. keepalived logs its state changes at LOG_INFO; messages it only prints with
 * `-D/--log-detail` ("Backup received priority 0 advertisement", "start preempt delay", interval
 * updates) are `debug` here, so the daemon shows `debug` FSM logs exactly when -D is given.
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export type Effect =
  /** Emitted first on every state change. */
  | { readonly type: 'transition'; readonly from: VrrpState; readonly to: VrrpState; readonly reason: string }
  /** Send one advert with these wire fields (priority 0 = leaving). */
  | { readonly type: 'sendAdvert'; readonly priority: number; readonly adverIntervalCs: number }
  /** Arm (or re-arm, replacing) the timer of that kind. */
  | { readonly type: 'setTimer'; readonly kind: TimerKind; readonly atUs: number; readonly generation: number }
  | { readonly type: 'cancelTimer'; readonly kind: TimerKind }
  /** Install / remove the instance's VIPs and eVIPs (`params.vips`, `params.excludedVips`). */
  | { readonly type: 'addVips' }
  | { readonly type: 'removeVips' }
  /** `count` GARPs (IPv4) / unsolicited NAs (IPv6) per VIP. */
  | { readonly type: 'sendGarpBurst'; readonly count: number; readonly reason: GarpReason }
  /**
   * Run `notify_<state>` (STOP: wait for it, bounded) then the generic `notify` with `args`
   * appended. Always followed by the matching `fifoLine`.
   */
  | {
      readonly type: 'notify';
      readonly scope: NotifyScope;
      readonly name: string;
      readonly state: NotifyState;
      readonly priority: number;
      readonly args: readonly string[];
    }
  /** Run `notify_master_rx_lower_pri` (only event-type notify keepalived has a script for). */
  | { readonly type: 'notifyEvent'; readonly event: 'MASTER_RX_LOWER_PRI'; readonly name: string; readonly priority: number }
  /** Write this line to notify_fifo and vrrp_notify_fifo (if configured). */
  | { readonly type: 'fifoLine'; readonly line: string; readonly state: FifoState }
  | { readonly type: 'log'; readonly level: LogLevel; readonly msg: string; readonly reason: string };

export interface StepResult {
  readonly state: InstanceState;
  readonly effects: readonly Effect[];
}
