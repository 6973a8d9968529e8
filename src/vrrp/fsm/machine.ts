/**
 * The pure VRRP instance state machine: `step(state, event, nowUs) → { state, effects }`.
 *
 * Behaviour follows keepalived 2.2.7 where it differs from RFC 9568 §6.4:
 *  - startup: only the address owner (255) goes MASTER at once; everyone else (even `state MASTER`)
 *    enters BACKUP and waits Master_Down_Interval;
 *  - BACKUP: priority 0 → Master_Down_Timer := Skew_Time; an advert with priority ≥ ours, or any
 *    advert with nopreempt, or a lower one while preempt_delay runs, resets the timer (v3 learns
 *    Master_Adver_Interval); a lower-priority advert is discarded and the timer keeps running;
 *    no address tie-break in BACKUP;
 *  - MASTER: priority 0 → advert at once; lower priority (or equal priority from a lower address)
 *    → advert at once ("forcing new election") unless lower_prio_no_advert, lower-priority GARPs,
 *    MASTER_RX_LOWER_PRI; higher priority (or equal from a higher address) → BACKUP (optionally
 *    one advert first with higher_prio_send_advert); two owners: the local one backs off to 254;
 *  - MASTER → FAULT sends two priority-0 adverts (one when the sync group imposes it), MASTER → STOP
 *    one, then the VIPs are removed; MASTER → BACKUP sends no priority 0;
 *  - FAULT while the interface is down or an unweighted tracker fails; FAULT → BACKUP on recovery
 *    (owner → MASTER);
 *  - GARP: burst of garp_master_repeat on becoming MASTER, a second after garp_master_delay, and
 *    garp_master_refresh bursts while MASTER.
 * Log phrases are keepalived's ("(VI_1) Entering MASTER STATE", "(VI_1) setting VIPs.",
 * "(VI_1) sent 0 priority", …, checked against keepalived 2.2.7 in a netns); each transition's
 * log effect carries its reason. Effect order matches keepalived's call order.
 */

import { PRIORITY_OWNER, PRIORITY_STOP } from '../params.js';
import type { VrrpInstanceParams } from '../params.js';
import { fifoLine, notifyScriptArgs } from '../notify/format.js';
import type { FifoState, NotifyState } from '../notify/format.js';
import { effectivePriority } from '../tracking/priority.js';
import { compareAddresses } from './address-order.js';
import { US_PER_CS, adverIntervalUs, masterDownIntervalUs, skewUs, wireAdverIntervalCs } from './timers.js';
import type {
  AdvertReceived,
  Effect,
  GarpReason,
  InstanceState,
  LogLevel,
  StepResult,
  TimerKind,
  TimerSlot,
  VrrpEvent,
  VrrpState,
} from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Initial (INIT) state for an instance. */
export function createInstance(params: VrrpInstanceParams): InstanceState {
  return {
    params,
    state: 'INIT',
    basePriority: params.basePriority,
    trackWeightSum: 0,
    effectivePriority: effectivePriority(params.basePriority, 0),
    trackerFaults: [],
    interfaceUp: true,
    groupFault: null,
    masterAdverIntervalCs: wireAdverIntervalCs(params.version, params.adverIntervalCs),
    masterAddr: null,
    masterPriority: null,
    preemptUntilUs: null,
    wantMaster: false,
    timers: {},
    nextGeneration: 1,
    lowerPrioGarpsDueUs: [],
    vipsSet: false,
    transitions: 0,
  };
}

/** The instance's own fault causes (trackers, interface), excluding those imposed by its sync group. */
export function ownFaultReasons(s: InstanceState): readonly string[] {
  const reasons = [...s.trackerFaults];
  if (!s.interfaceUp && s.params.trackPrimaryInterface) {
    reasons.unshift(`interface ${s.params.interfaceName ?? '?'} down`);
  }
  return reasons;
}

/** All fault causes, including the sync group's. Empty = healthy. */
export function faultReasons(s: InstanceState): readonly string[] {
  const own = ownFaultReasons(s);
  return s.groupFault === null ? own : [...own, s.groupFault];
}

/** Current Master_Down_Interval in µs (uses the learned interval and effective priority). */
export function currentMasterDownIntervalUs(s: InstanceState): number {
  return masterDownIntervalUs(s.effectivePriority, s.masterAdverIntervalCs * US_PER_CS, s.params.downTimerAdverts);
}

/** Current Skew_Time in µs. */
export function currentSkewUs(s: InstanceState): number {
  return skewUs(s.effectivePriority, s.masterAdverIntervalCs * US_PER_CS);
}

class Stepper {
  readonly s: Mutable<InstanceState>;
  readonly fx: Effect[] = [];
  /** The current transition is imposed by the sync group (keepalived's quieter leave-master path). */
  groupForced = false;

  constructor(
    state: InstanceState,
    readonly nowUs: number,
  ) {
    this.s = { ...state, timers: { ...state.timers } };
  }

  get name(): string {
    return this.s.params.name;
  }

  log(level: LogLevel, msg: string, reason: string): void {
    this.fx.push({ type: 'log', level, msg: `(${this.name}) ${msg}`, reason });
  }

  setTimer(kind: TimerKind, delayUs: number): void {
    const slot: TimerSlot = { atUs: this.nowUs + Math.max(0, Math.floor(delayUs)), generation: this.s.nextGeneration };
    this.s.nextGeneration += 1;
    (this.s.timers as Partial<Record<TimerKind, TimerSlot>>)[kind] = slot;
    this.fx.push({ type: 'setTimer', kind, atUs: slot.atUs, generation: slot.generation });
  }

  cancelTimer(kind: TimerKind): void {
    const timers = this.s.timers as Partial<Record<TimerKind, TimerSlot>>;
    if (timers[kind] === undefined) return;
    delete timers[kind];
    this.fx.push({ type: 'cancelTimer', kind });
  }

  sendAdvert(priority: number): void {
    this.fx.push({
      type: 'sendAdvert',
      priority,
      adverIntervalCs: wireAdverIntervalCs(this.s.params.version, this.s.params.adverIntervalCs),
    });
  }

  /**
   * MASTER answering an advert at once: the Adver_Timer restarts from now (RFC 9568 §6.4.3
   * "reset the Adver_Timer"; keepalived 2.2.7 does the same, seen with tcpdump).
   */
  sendAdvertNow(priority: number): void {
    this.sendAdvert(priority);
    if (this.s.state === 'MASTER') this.setTimer('adver', adverIntervalUs(this.s.params));
  }

  garp(count: number, reason: GarpReason): void {
    if (count <= 0 || !this.s.vipsSet) return;
    if (this.s.params.vips.length === 0 && this.s.params.excludedVips.length === 0) return;
    this.fx.push({ type: 'sendGarpBurst', count, reason });
  }

  transition(to: VrrpState, reason: string): void {
    this.fx.push({ type: 'transition', from: this.s.state, to, reason });
    this.s.state = to;
    this.s.transitions += 1;
  }

  notify(state: NotifyState): void {
    const p = this.s.effectivePriority;
    this.fx.push({
      type: 'notify',
      scope: 'INSTANCE',
      name: this.name,
      state,
      priority: p,
      args: notifyScriptArgs('INSTANCE', this.name, state, p),
    });
    this.fifo(state);
  }

  fifo(state: FifoState): void {
    this.fx.push({ type: 'fifoLine', line: fifoLine('INSTANCE', this.name, state, this.s.effectivePriority), state });
  }

  result(): StepResult {
    return { state: this.s, effects: this.fx };
  }

  // --- state entry / exit -------------------------------------------------------------------

  armMasterDown(): void {
    this.setTimer('masterDown', currentMasterDownIntervalUs(this.s));
  }

  enterBackupFromInit(reason: string): void {
    this.transition('BACKUP', reason);
    this.log('info', 'Entering BACKUP STATE (init)', reason);
    this.s.masterAdverIntervalCs = wireAdverIntervalCs(this.s.params.version, this.s.params.adverIntervalCs);
    this.armMasterDown();
    this.notify('BACKUP');
  }

  becomeMaster(reason: string): void {
    const p = this.s.params;
    this.cancelTimer('masterDown');
    this.transition('MASTER', reason);
    this.s.wantMaster = false;
    this.s.preemptUntilUs = null;
    this.s.masterAdverIntervalCs = wireAdverIntervalCs(p.version, p.adverIntervalCs);
    // keepalived sends the advert first so the old master drops the VIPs before our GARPs.
    this.sendAdvert(this.s.effectivePriority);
    this.log('info', 'Entering MASTER STATE', reason);
    this.log('info', 'setting VIPs.', reason);
    this.fx.push({ type: 'addVips' });
    this.s.vipsSet = true;
    this.garp(p.garp.masterRepeat, 'becomeMaster');
    this.setTimer('adver', adverIntervalUs(p));
    if (p.garp.masterRefreshUs > 0) this.setTimer('garpRefresh', p.garp.masterRefreshUs);
    this.notify('MASTER');
    if (p.garp.masterDelayUs > 0 && p.garp.masterRepeat > 0) this.setTimer('garpDelay', p.garp.masterDelayUs);
  }

  /** MASTER → BACKUP | FAULT | STOP. */
  leaveMaster(to: 'BACKUP' | 'FAULT' | 'STOP', reason: string): void {
    for (const k of ['adver', 'garpDelay', 'garpRefresh', 'garpLowerPrioDelay'] as const) this.cancelTimer(k);
    this.s.lowerPrioGarpsDueUs = [];
    this.transition(to, reason);
    if (to === 'BACKUP') {
      this.log('info', 'Entering BACKUP STATE', reason);
      this.s.preemptUntilUs = null;
    } else if (to === 'FAULT') {
      // keepalived 2.2.7 (verified with tcpdump): leaving MASTER for FAULT sends one priority-0
      // advert, and a second one ("sent 0 priority") unless the sync group imposed the FAULT.
      this.log('info', 'Entering FAULT STATE', reason);
      this.sendAdvert(PRIORITY_STOP);
      if (!this.groupForced) {
        this.sendAdvert(PRIORITY_STOP);
        this.log('info', 'sent 0 priority', reason);
      }
    } else {
      this.sendAdvert(PRIORITY_STOP);
      this.log('info', 'sent 0 priority', reason);
    }
    if (this.s.vipsSet) this.removeVips(reason);
    if (to === 'BACKUP') {
      this.armMasterDown();
      this.notify('BACKUP');
    } else if (to === 'FAULT') {
      this.notify('FAULT');
    } else {
      this.notify('STOP');
    }
  }

  /**
   * A reload removed this instance (keepalived 2.2.7 clear_diff_vrrp): a MASTER gives up (priority-0
   * advert, VIPs removed), then the instance notifies FAULT — DELETED with `notify_deleted` — unless it
   * was in FAULT already and `notify_deleted` is off. No STOP notify: keepalived sends none here.
   */
  deleteAtReload(): void {
    const prev = this.s.state;
    this.cancelAllTimers();
    this.s.lowerPrioGarpsDueUs = [];
    this.transition('STOP', 'deleted at reload');
    if (prev === 'MASTER') {
      this.sendAdvert(PRIORITY_STOP);
      if (this.s.vipsSet) this.removeVips('deleted at reload');
    }
    if (prev === 'INIT') return;
    if (this.s.params.notifyDeleted) this.notify('DELETED');
    else if (prev !== 'FAULT') this.notify('FAULT');
  }

  /** Every timer an instance arms (stop and reload removal). */
  cancelAllTimers(): void {
    for (const k of ['masterDown', 'adver', 'garpDelay', 'garpRefresh', 'garpLowerPrioDelay'] as const) this.cancelTimer(k);
  }

  removeVips(reason: string): void {
    this.log('info', 'removing VIPs.', reason);
    this.fx.push({ type: 'removeVips' });
    this.s.vipsSet = false;
  }

  enterFault(reason: string): void {
    if (this.s.state === 'MASTER') {
      this.leaveMaster('FAULT', reason);
      return;
    }
    this.cancelTimer('masterDown');
    const fromInit = this.s.state === 'INIT';
    this.transition('FAULT', reason);
    this.s.wantMaster = false;
    this.log('info', fromInit ? 'Entering FAULT STATE (init)' : 'Entering FAULT STATE', reason);
    this.notify('FAULT');
  }

  leaveFault(reason: string): void {
    const p = this.s.params;
    this.s.masterAdverIntervalCs = wireAdverIntervalCs(p.version, p.adverIntervalCs);
    this.s.preemptUntilUs = null;
    if (this.s.effectivePriority === PRIORITY_OWNER && p.syncGroup === null) {
      this.becomeMaster(reason);
      return;
    }
    this.transition('BACKUP', reason);
    this.log('info', 'Entering BACKUP STATE', reason);
    this.armMasterDown();
    this.notify('BACKUP');
  }

  /** Moves in or out of FAULT after any change of the fault inputs. */
  reconcileFault(cause: string): void {
    const reasons = faultReasons(this.s);
    const faulted = reasons.length > 0;
    if (faulted && (this.s.state === 'BACKUP' || this.s.state === 'MASTER')) {
      const detail = reasons.join(', ');
      this.enterFault(detail.startsWith(cause) ? detail : `${cause}: ${detail}`);
    } else if (!faulted && this.s.state === 'FAULT') {
      this.leaveFault(`${cause}: fault cleared`);
    }
  }

  setEffectivePriority(reason: string): void {
    const next = effectivePriority(this.s.basePriority, this.s.trackWeightSum);
    if (next === this.s.effectivePriority) return;
    this.log('info', `Changing effective priority from ${this.s.effectivePriority} to ${next}`, reason);
    this.s.effectivePriority = next;
    if (this.s.params.notifyPriorityChanges && (this.s.state === 'MASTER' || this.s.state === 'BACKUP')) {
      this.fifo(this.s.state === 'MASTER' ? 'MASTER_PRIORITY' : 'BACKUP_PRIORITY');
    }
  }

  // --- events -------------------------------------------------------------------------------

  start(): void {
    if (this.s.state !== 'INIT') return;
    // keepalived first removes any of our VIPs left over from a previous run.
    this.removeVips('startup cleanup');
    const reasons = faultReasons(this.s);
    if (reasons.length > 0) {
      this.enterFault(`startup: ${reasons.join(', ')}`);
      return;
    }
    if (this.s.effectivePriority === PRIORITY_OWNER) {
      if (this.s.params.syncGroup === null) {
        this.becomeMaster('startup as address owner (priority 255)');
        return;
      }
      this.enterBackupFromInit('startup (address owner held by sync group)');
      this.s.wantMaster = true;
      return;
    }
    this.enterBackupFromInit(
      this.s.params.initialState === 'MASTER'
        ? 'startup: state MASTER without priority 255 waits Master_Down_Interval'
        : 'startup',
    );
  }

  timerFired(kind: TimerKind, generation: number): void {
    if (this.s.timers[kind]?.generation !== generation) return; // stale (also filtered by step())
    delete (this.s.timers as Partial<Record<TimerKind, TimerSlot>>)[kind];
    const p = this.s.params;
    switch (kind) {
      case 'adver':
        if (this.s.state !== 'MASTER') return;
        this.sendAdvert(this.s.effectivePriority);
        this.setTimer('adver', adverIntervalUs(p));
        return;
      case 'masterDown':
        if (this.s.state !== 'BACKUP') return;
        this.log('info', 'Receive advertisement timeout', 'master down timer expired');
        if (p.syncGroup !== null) {
          this.s.wantMaster = true;
          this.armMasterDown();
          return;
        }
        this.becomeMaster('master down timer expired');
        return;
      case 'garpDelay':
        if (this.s.state === 'MASTER') this.garp(p.garp.masterRepeat, 'masterDelay');
        return;
      case 'garpRefresh':
        if (this.s.state !== 'MASTER') return;
        this.garp(p.garp.masterRefreshRepeat, 'refresh');
        this.setTimer('garpRefresh', p.garp.masterRefreshUs);
        return;
      case 'garpLowerPrioDelay': {
        if (this.s.state !== 'MASTER') return;
        const due = this.s.lowerPrioGarpsDueUs.filter((t) => t <= this.nowUs);
        const later = this.s.lowerPrioGarpsDueUs.filter((t) => t > this.nowUs);
        for (let i = 0; i < due.length; i++) this.garp(p.garp.lowerPrioRepeat, 'lowerPrioDelay');
        this.s.lowerPrioGarpsDueUs = later;
        const next = later[0];
        if (next !== undefined) this.setTimer('garpLowerPrioDelay', next - this.nowUs);
        return;
      }
    }
  }

  learnInterval(ev: AdvertReceived, by: string): void {
    if (this.s.params.version !== 3 || ev.version !== 3) return;
    const learned = Math.max(1, ev.adverIntervalCs & 0x0fff);
    if (learned === this.s.masterAdverIntervalCs) return;
    this.log(
      'debug',
      `advertisement interval updated from ${this.s.masterAdverIntervalCs * 10}ms to ${learned * 10}ms by ${by}`,
      `advert from ${ev.srcAddr}`,
    );
    this.s.masterAdverIntervalCs = learned;
  }

  advertInBackup(ev: AdvertReceived): void {
    const p = this.s.params;
    const ours = this.s.effectivePriority;
    if (ev.priority === PRIORITY_STOP) {
      this.log('debug', 'Backup received priority 0 advertisement', `priority 0 from ${ev.srcAddr}`);
      this.setTimer('masterDown', currentSkewUs(this.s));
      return;
    }
    const preemptDelayRunning =
      p.preemptDelayUs > 0 && (this.s.preemptUntilUs === null || this.s.preemptUntilUs > this.nowUs);
    if (!p.preempt || ev.priority >= ours || preemptDelayRunning) {
      this.learnInterval(ev, 'master');
      this.s.masterAddr = ev.srcAddr;
      this.s.masterPriority = ev.priority;
      if (p.preemptDelayUs > 0) {
        if (ev.priority >= ours) {
          if (this.s.preemptUntilUs !== null) {
            this.log('debug', 'stop preempt delay', `priority ${ev.priority} from ${ev.srcAddr}`);
            this.s.preemptUntilUs = null;
          }
        } else if (this.s.preemptUntilUs === null && p.preempt) {
          this.log('debug', `start preempt delay (${(p.preemptDelayUs / 1e6).toFixed(6)})`, `lower priority ${ev.priority} from ${ev.srcAddr}`);
          this.s.preemptUntilUs = this.nowUs + p.preemptDelayUs;
        }
      }
      this.s.wantMaster = false;
      this.armMasterDown();
      return;
    }
    this.log('info', `received lower priority (${ev.priority}) advert from ${ev.srcAddr} - discarding`, 'preempt');
    this.s.masterAddr = ev.srcAddr;
  }

  advertInMaster(ev: AdvertReceived): void {
    const p = this.s.params;
    const addrCmp = p.primaryAddress === null ? 0 : compareAddresses(ev.srcAddr, p.primaryAddress);
    let ours = this.s.effectivePriority;
    const higher = ev.priority > ours || (ev.priority === ours && addrCmp > 0);
    if (ev.priority === PRIORITY_STOP || (p.higherPrioSendAdvert && higher)) {
      this.sendAdvertNow(ours);
      if (ev.priority === PRIORITY_STOP) {
        this.log('debug', 'Master received priority 0 message', `priority 0 from ${ev.srcAddr}`);
        return;
      }
    }
    if (ev.priority === ours) {
      if (p.primaryAddress === null) {
        this.log('warning', `equal priority advert from ${ev.srcAddr} but our primary address is unknown - cannot break the tie`, 'tie-break');
      } else if (addrCmp === 0) {
        this.log('warning', 'WARNING - equal priority advert received from remote host with our IP address.', `advert from ${ev.srcAddr}`);
      } else if (ours === PRIORITY_OWNER) {
        this.log(
          'error',
          'CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority',
          `owner advert from ${ev.srcAddr}`,
        );
        this.s.basePriority = PRIORITY_OWNER - 1;
        this.s.effectivePriority = effectivePriority(this.s.basePriority, this.s.trackWeightSum);
        ours = this.s.effectivePriority;
      }
    }
    if (ev.priority < ours || (ev.priority === ours && addrCmp < 0)) {
      this.log(
        'info',
        `Received advert from ${ev.srcAddr} with lower priority ${ev.priority}, ours ${ours}${p.lowerPrioNoAdvert ? '' : ', forcing new election'}`,
        'lower priority advert while MASTER',
      );
      if (!p.lowerPrioNoAdvert) this.sendAdvertNow(ours);
      if (p.garp.lowerPrioRepeat > 0) {
        this.garp(p.garp.lowerPrioRepeat, 'lowerPrio');
        if (p.garp.lowerPrioDelayUs > 0 && this.s.vipsSet) {
          // one delayed burst per lower-priority advert, even while another is pending
          this.s.lowerPrioGarpsDueUs = [...this.s.lowerPrioGarpsDueUs, this.nowUs + p.garp.lowerPrioDelayUs];
          if (this.s.timers.garpLowerPrioDelay === undefined) this.setTimer('garpLowerPrioDelay', p.garp.lowerPrioDelayUs);
        }
      }
      this.fx.push({ type: 'notifyEvent', event: 'MASTER_RX_LOWER_PRI', name: this.name, priority: ours });
      this.fifo('MASTER_RX_LOWER_PRI');
      return;
    }
    if (ev.priority > ours || (ev.priority === ours && addrCmp > 0)) {
      const why =
        ev.priority > ours
          ? `Master received advert from ${ev.srcAddr} with higher priority ${ev.priority}, ours ${ours}`
          : `Master received advert from ${ev.srcAddr} with same priority ${ev.priority} but higher IP address than ours`;
      this.log('info', why, 'higher priority advert while MASTER');
      this.learnInterval(ev, 'new master');
      this.s.masterAddr = ev.srcAddr;
      this.s.masterPriority = ev.priority;
      this.leaveMaster(
        'BACKUP',
        ev.priority > ours
          ? `higher priority ${ev.priority} from ${ev.srcAddr}`
          : `equal priority ${ev.priority} from higher address ${ev.srcAddr}`,
      );
    }
  }

  syncCommand(command: 'goMaster' | 'goBackup' | 'setFault' | 'clearFault', group: string, reason: string): void {
    switch (command) {
      case 'goMaster':
        if (this.s.state === 'BACKUP' && this.s.wantMaster) this.becomeMaster(`sync group ${group}: ${reason}`);
        return;
      case 'goBackup':
        this.s.wantMaster = false;
        if (this.s.state === 'MASTER') this.leaveMaster('BACKUP', `sync group ${group}: ${reason}`);
        return;
      case 'setFault':
        this.groupForced = true;
        this.s.groupFault = `sync group ${group}: ${reason}`;
        this.reconcileFault(`sync group ${group}`);
        return;
      case 'clearFault':
        this.s.groupFault = null;
        this.reconcileFault(`sync group ${group}`);
        return;
    }
  }
}

/** Applies one event. Pure: the input state is not modified. */
export function step(inst: InstanceState, event: VrrpEvent, nowUs: number): StepResult {
  if (inst.state === 'STOP') return { state: inst, effects: [] };
  if (event.type === 'timerFired' && inst.timers[event.kind]?.generation !== event.generation) {
    return { state: inst, effects: [] }; // stale or unknown timer
  }
  const st = new Stepper(inst, nowUs);
  const s = st.s;
  switch (event.type) {
    case 'start':
      st.start();
      break;
    case 'timerFired':
      st.timerFired(event.kind, event.generation);
      break;
    case 'advertReceived':
      if (s.state === 'BACKUP') st.advertInBackup(event);
      else if (s.state === 'MASTER') st.advertInMaster(event);
      break;
    case 'trackingChanged':
      s.trackWeightSum = event.weightSum;
      s.trackerFaults = [...event.faultReasons];
      st.setEffectivePriority(event.cause);
      if (s.state !== 'INIT') st.reconcileFault(event.cause);
      break;
    case 'interfaceChanged':
      if (!s.params.trackPrimaryInterface) break;
      if (s.interfaceUp === event.up) break;
      s.interfaceUp = event.up;
      if (s.state !== 'INIT') st.reconcileFault(`interface ${event.ifname} ${event.up ? 'up' : 'down'}`);
      break;
    case 'reloadPriority':
      s.basePriority = event.basePriority;
      st.setEffectivePriority('reload');
      break;
    case 'shutdown':
      if (event.deletedAtReload === true) {
        st.deleteAtReload();
      } else if (s.state === 'MASTER') {
        st.leaveMaster('STOP', 'shutdown');
      } else {
        st.cancelAllTimers();
        const wasInit = s.state === 'INIT';
        st.transition('STOP', 'shutdown');
        if (!wasInit) {
          st.log('debug', 'Stopping', 'shutdown');
          st.notify('STOP');
        }
      }
      break;
    case 'syncGroup':
      if (s.state !== 'INIT') st.syncCommand(event.command, event.group, event.reason);
      else if (event.command === 'setFault') s.groupFault = `sync group ${event.group}: ${event.reason}`;
      else if (event.command === 'clearFault') s.groupFault = null;
      break;
  }
  return st.result();
}
