/**
 * Sync group coordinator: runs h5's pure `vrrp/sync-group.ts` over member instance drivers. Every member
 * event goes through `stepGroup`, whose per-member effects go back to the member drivers (which execute
 * them and re-arm their timers) and whose group-level effects (log, GROUP notify scripts, FIFO lines) run
 * here. Members start together (`startGroup`) once all their sockets are open.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { GroupDispatcher, InstanceDriver } from './instance.js';
import type { NotifyPort } from './ports.js';
import type { NotifyScripts } from '../config/model.js';
import { createSyncGroup, startGroup, stepGroup } from '../vrrp/sync-group.js';
import type { GroupStepResult, SyncGroupState } from '../vrrp/sync-group.js';
import type { Effect, VrrpEvent } from '../vrrp/fsm/index.js';

export class SyncGroupDriver implements GroupDispatcher {
  private state: SyncGroupState;
  private readonly members = new Map<string, InstanceDriver>();
  /** Events raised while a group step is being committed (member effects can feed back). */
  private busy = false;
  private readonly pending: { member: string; ev: VrrpEvent }[] = [];

  constructor(
    readonly name: string,
    drivers: readonly InstanceDriver[],
    private readonly notifyScripts: NotifyScripts,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly notify: NotifyPort,
  ) {
    for (const d of drivers) this.members.set(d.name, d);
    this.state = createSyncGroup({ name, members: drivers.map((d) => d.name) }, drivers.map((d) => d.fsmState));
    for (const d of drivers) d.joinGroup(this);
  }

  get groupState(): SyncGroupState['state'] {
    return this.state.state;
  }

  get memberNames(): readonly string[] {
    return [...this.members.keys()];
  }

  /** Starts all members together (after each member driver's `start`). */
  start(): void {
    this.commit(startGroup(this.state, this.clock.nowUs()));
  }

  dispatch(member: string, ev: VrrpEvent): void {
    if (this.busy) {
      this.pending.push({ member, ev });
      return;
    }
    this.commit(stepGroup(this.state, member, ev, this.clock.nowUs()));
    while (this.pending.length > 0) {
      const next = this.pending.shift();
      if (next !== undefined) this.commit(stepGroup(this.state, next.member, next.ev, this.clock.nowUs()));
    }
  }

  private commit(r: GroupStepResult): void {
    this.busy = true;
    try {
      this.state = r.state;
      const perMember = new Map<string, Effect[]>();
      for (const ge of r.effects) {
        if (ge.instance === null) {
          this.groupEffect(ge.effect);
          continue;
        }
        const list = perMember.get(ge.instance) ?? [];
        list.push(ge.effect);
        perMember.set(ge.instance, list);
      }
      for (const [name, d] of this.members) {
        const st = r.state.members[name];
        if (st !== undefined) d.commitFromGroup(st, perMember.get(name) ?? []);
      }
    } finally {
      this.busy = false;
    }
  }

  private groupEffect(e: Effect): void {
    switch (e.type) {
      case 'log': {
        const level = e.level === 'warning' ? 'warn' : e.level;
        this.log[level]({ group: this.name, reason: e.reason }, e.msg);
        return;
      }
      case 'notify': {
        const n = this.notifyScripts;
        const script = e.state === 'MASTER' ? n.master : e.state === 'BACKUP' ? n.backup : e.state === 'FAULT' ? n.fault : e.state === 'STOP' ? n.stop : null;
        if (script !== null) void this.notify.runScript(script, [], { wait: false, what: `notify_${e.state.toLowerCase()} (group ${this.name})` });
        if (n.generic !== null) void this.notify.runScript(n.generic, e.args, { wait: false, what: `notify (group ${this.name})` });
        this.notify.stateNotify?.(e.scope, e.name, e.state);
        return;
      }
      case 'fifoLine':
        this.notify.writeFifo(e.line);
        return;
      default:
        return;
    }
  }
}
