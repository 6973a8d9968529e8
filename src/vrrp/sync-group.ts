/**
 * `vrrp_sync_group` coordination (keepalived `vrrp_sync.c` semantics) over pure member FSMs:
 *
 *  - any member FAULT (own trackers / interface) or a failing group tracker ⇒ every member FAULT;
 *  - a member forced from MASTER to BACKUP by an advert ⇒ the other MASTER members go BACKUP
 *    (without priority-0 adverts);
 *  - a member only becomes MASTER when *all* members want MASTER (their Master_Down_Timer expired
 *    or they already are MASTER) — keepalived prefers BACKUP to avoid thrashing;
 *  - group notifies (`GROUP "G" STATE 0`) follow the members' instance notifies whenever the
 *    group state changes (at startup they precede them); propagation is logged as keepalived does
 *    ("VRRP_Group(G) Syncing instances to MASTER state"), order checked against keepalived 2.2.7.
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

  private readonly synced = new Set<string>();

  /** keepalived's "VRRP_Group(G) Syncing instances to STATE state", once per state and step. */
  syncLog(state: 'MASTER' | 'BACKUP' | 'FAULT'): void {
    if (this.synced.has(state)) return;
    this.synced.add(state);
    this.fx.push({
      instance: null,
      effect: { type: 'log', level: 'info', msg: `VRRP_Group(${this.name}) Syncing instances to ${state} state`, reason: 'sync group' },
    });
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
          if (m.state === 'MASTER' || m.wantMaster) {
            if (m.state === 'MASTER') this.syncLog('BACKUP');
            this.cmd(n, 'goBackup', `member ${trigger} forced to BACKUP`);
          }
        }
      }
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (!this.reconcileFaults() && !this.maybeGoMaster(trigger)) return;
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
        if (m.state !== 'FAULT') this.syncLog('FAULT');
        this.cmd(n, 'setFault', reason);
        changed = true;
      } else if (reason === null && m.groupFault !== null) {
        if (ownFaultReasons(m).length === 0) this.syncLog('BACKUP');
        this.cmd(n, 'clearFault', 'fault cleared');
        changed = true;
      }
    }
    return changed;
  }

  /**
   * When every member wants MASTER (or is MASTER), release the waiting ones together: the member
   * whose timer completed the set first, then "Syncing instances to MASTER state", then the rest
   * in configuration order (keepalived's order).
   */
  maybeGoMaster(trigger: string | null): boolean {
    const ms = this.g.params.members.map((n) => this.member(n));
    if (!ms.some((m) => m.wantMaster)) return false;
    if (!ms.every((m) => m.state === 'MASTER' || (m.state === 'BACKUP' && m.wantMaster))) return false;
    const order = trigger !== null && this.member(trigger).wantMaster
      ? [trigger, ...this.g.params.members.filter((n) => n !== trigger)]
      : [...this.g.params.members];
    let first = true;
    for (const n of order) {
      if (!this.member(n).wantMaster) continue;
      if (!first) this.syncLog('MASTER');
      this.cmd(n, 'goMaster', 'all members want MASTER');
      first = false;
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

  /**
   * Appends the group notify when the group state changed. At startup keepalived announces the
   * group before its members (`groupFirst`); afterwards the group notify follows the members'.
   */
  finish(groupFirst = false): GroupStepResult {
    const next = this.groupState();
    if (next !== this.g.state && next !== 'INIT') {
      const st = next as NotifyState;
      const group: GroupEffect[] = [
        {
          instance: null,
          effect: { type: 'notify', scope: 'GROUP', name: this.name, state: st, priority: 0, args: notifyScriptArgs('GROUP', this.name, st, 0) },
        },
        { instance: null, effect: { type: 'fifoLine', line: fifoLine('GROUP', this.name, st, 0), state: st } },
      ];
      if (groupFirst) this.fx.unshift(...group);
      else this.fx.push(...group);
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
  // keepalived removes every member's leftover VIPs before any member enters its first state.
  const cleanup: GroupEffect[] = [];
  const entries: GroupEffect[] = [];
  for (const n of g.params.members) {
    const before = gs.fx.length;
    gs.apply(n, { type: 'start' });
    const mine = gs.fx.splice(before);
    const firstTransition = mine.findIndex((f) => f.effect.type === 'transition');
    const cut = firstTransition < 0 ? mine.length : firstTransition;
    cleanup.push(...mine.slice(0, cut));
    entries.push(...mine.slice(cut));
  }
  gs.fx.push(...cleanup, ...entries);
  gs.settle(null, []);
  return gs.finish(true);
}

/** Group-level tracker summary changed (`faultReasons` of the group's own trackers). */
export function groupTrackingChanged(g: SyncGroupState, faultReasons: readonly string[], nowUs: number): GroupStepResult {
  const gs = new GroupStepper(g, nowUs);
  gs.trackerFaults = [...faultReasons];
  gs.settle(null, []);
  return gs.finish();
}
