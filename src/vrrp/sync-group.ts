/**
 * `vrrp_sync_group` coordination (keepalived `vrrp_sync.c` semantics) over pure member FSMs:
 *
 *  - any member FAULT (own trackers / interface) or a failing group tracker ⇒ every member FAULT;
 *  - a member forced from MASTER to BACKUP by an advert ⇒ the other MASTER members go BACKUP
 *    (without priority-0 adverts);
 *  - a member only becomes MASTER when *all* members want MASTER (their Master_Down_Timer expired
 *    or they already are MASTER) — keepalived prefers BACKUP to avoid thrashing;
 *  - group notifies (`GROUP "G" STATE 0`) follow the members' instance notifies whenever the
 *    group state changes.
 * Per-member weighted trackers stay with the members; group trackers here are unweighted (FAULT).
 */

import type { InstanceState, Effect, VrrpEvent, VrrpState } from './fsm/types.js';
import { ownFaultReasons, step } from './fsm/machine.js';
import { fifoLine, notifyScriptArgs } from './notify/format.js';
import type { NotifyState } from './notify/format.js';

export interface SyncGroupParams {
  readonly name: string;
  /** Member instance names, in configuration order. */
  readonly members: readonly string[];
}

export interface SyncGroupState {
  readonly params: SyncGroupParams;
  readonly members: Readonly<Record<string, InstanceState>>;
  /** Group state: INIT until all members started. */
  readonly state: VrrpState;
  /** Fault reasons from group-level trackers. */
  readonly trackerFaults: readonly string[];
}

/** An effect and who it belongs to: a member instance, or the group itself (`instance: null`). */
export interface GroupEffect {
  readonly instance: string | null;
  readonly effect: Effect;
}

export interface GroupStepResult {
  readonly state: SyncGroupState;
  readonly effects: readonly GroupEffect[];
}

export function createSyncGroup(params: SyncGroupParams, members: readonly InstanceState[]): SyncGroupState {
  const byName: Record<string, InstanceState> = {};
  for (const m of members) byName[m.params.name] = m;
  for (const n of params.members) {
    if (byName[n] === undefined) throw new Error(`KTS_SYNC_GROUP_MEMBER: sync group ${params.name} member ${n} has no state`);
  }
  return { params, members: byName, state: 'INIT', trackerFaults: [] };
}

/** Bound on internal command rounds per external event (members × a few); a guard, never hit in practice. */
const MAX_ROUNDS = 64;

class GroupStepper {
  readonly members: Record<string, InstanceState>;
  readonly fx: GroupEffect[] = [];
  trackerFaults: readonly string[];

  constructor(
    readonly g: SyncGroupState,
    readonly nowUs: number,
  ) {
    this.members = { ...g.members };
    this.trackerFaults = g.trackerFaults;
  }

  get name(): string {
    return this.g.params.name;
  }

  member(n: string): InstanceState {
    const m = this.members[n];
    if (m === undefined) throw new Error(`KTS_SYNC_GROUP_MEMBER: ${n} is not a member of ${this.name}`);
    return m;
  }

  apply(n: string, ev: VrrpEvent): readonly Effect[] {
    const r = step(this.member(n), ev, this.nowUs);
    this.members[n] = r.state;
    for (const effect of r.effects) this.fx.push({ instance: n, effect });
    return r.effects;
  }

  cmd(n: string, command: 'goMaster' | 'goBackup' | 'setFault' | 'clearFault', reason: string): readonly Effect[] {
    return this.apply(n, { type: 'syncGroup', command, group: this.name, reason });
  }

  /** Propagates the consequences of `trigger`'s effects until nothing changes. */
  settle(trigger: string | null, triggerEffects: readonly Effect[]): void {
    // Forced to BACKUP by an advert ⇒ the whole group goes BACKUP.
    if (trigger !== null) {
      const forcedBackup = triggerEffects.some((e) => e.type === 'transition' && e.from === 'MASTER' && e.to === 'BACKUP');
      if (forcedBackup) {
        for (const n of this.g.params.members) {
          if (n === trigger) continue;
          const m = this.member(n);
          if (m.state === 'MASTER' || m.wantMaster) this.cmd(n, 'goBackup', `member ${trigger} forced to BACKUP`);
        }
      }
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (!this.reconcileFaults() && !this.maybeGoMaster()) return;
    }
  }

  /** Sets / clears each member's group fault; returns true if any command was sent. */
  reconcileFaults(): boolean {
    let changed = false;
    const own = new Map<string, readonly string[]>();
    for (const n of this.g.params.members) own.set(n, ownFaultReasons(this.member(n)));
    for (const n of this.g.params.members) {
      const m = this.member(n);
      if (m.state === 'INIT' || m.state === 'STOP') continue;
      let reason: string | null = null;
      if (this.trackerFaults.length > 0) reason = `group tracker ${this.trackerFaults.join(', ')}`;
      else {
        for (const o of this.g.params.members) {
          if (o !== n && (own.get(o)?.length ?? 0) > 0) {
            reason = `member ${o} in FAULT`;
            break;
          }
        }
      }
      if (reason !== null && m.groupFault === null) {
        this.cmd(n, 'setFault', reason);
        changed = true;
      } else if (reason === null && m.groupFault !== null) {
        this.cmd(n, 'clearFault', 'fault cleared');
        changed = true;
      }
    }
    return changed;
  }

  /** When every member wants MASTER (or is MASTER), release the waiting ones together. */
  maybeGoMaster(): boolean {
    const ms = this.g.params.members.map((n) => this.member(n));
    if (!ms.some((m) => m.wantMaster)) return false;
    if (!ms.every((m) => m.state === 'MASTER' || (m.state === 'BACKUP' && m.wantMaster))) return false;
    for (const n of this.g.params.members) {
      if (this.member(n).wantMaster) this.cmd(n, 'goMaster', 'all members want MASTER');
    }
    return true;
  }

  groupState(): VrrpState {
    const states = this.g.params.members.map((n) => this.member(n).state);
    if (states.every((s) => s === 'STOP')) return 'STOP';
    if (states.some((s) => s === 'INIT')) return 'INIT';
    if (states.some((s) => s === 'FAULT')) return 'FAULT';
    if (states.every((s) => s === 'MASTER')) return 'MASTER';
    if (states.some((s) => s === 'STOP')) return this.g.state;
    return 'BACKUP';
  }

  finish(): GroupStepResult {
    const next = this.groupState();
    if (next !== this.g.state && next !== 'INIT') {
      const st = next as NotifyState;
      this.fx.push({
        instance: null,
        effect: { type: 'log', level: 'info', msg: `(${this.name}) Entering ${next} STATE`, reason: 'sync group state' },
      });
      this.fx.push({
        instance: null,
        effect: { type: 'notify', scope: 'GROUP', name: this.name, state: st, priority: 0, args: notifyScriptArgs('GROUP', this.name, st, 0) },
      });
      this.fx.push({ instance: null, effect: { type: 'fifoLine', line: fifoLine('GROUP', this.name, st, 0), state: st } });
    }
    return {
      state: { params: this.g.params, members: this.members, state: next, trackerFaults: this.trackerFaults },
      effects: this.fx,
    };
  }
}

/** Feeds one event to one member and applies the group rules. */
export function stepGroup(g: SyncGroupState, member: string, event: VrrpEvent, nowUs: number): GroupStepResult {
  const gs = new GroupStepper(g, nowUs);
  const effects = gs.apply(member, event);
  gs.settle(member, effects);
  return gs.finish();
}

/** Starts every member (configuration order) and settles the group. */
export function startGroup(g: SyncGroupState, nowUs: number): GroupStepResult {
  const gs = new GroupStepper(g, nowUs);
  for (const n of g.params.members) gs.apply(n, { type: 'start' });
  gs.settle(null, []);
  return gs.finish();
}

/** Group-level tracker summary changed (`faultReasons` of the group's own trackers). */
export function groupTrackingChanged(g: SyncGroupState, faultReasons: readonly string[], nowUs: number): GroupStepResult {
  const gs = new GroupStepper(g, nowUs);
  gs.trackerFaults = [...faultReasons];
  gs.settle(null, []);
  return gs.finish();
}
