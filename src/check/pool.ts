/**
 * The LVS pool state machine (pure, no I/O): which real servers are alive, their effective weights,
 * each virtual server's quorum state and whether its sorry server is in use — keepalived's
 * ipwrapper semantics. Inputs are checker transitions (`checkerResult`), dynamic weights
 * (`setWeight`, MISC_CHECK misc_dynamic) and `stop()`; outputs are effects (log lines, notify
 * scripts, notify FIFO lines) returned to the caller. The IPVS table is not mutated here: it is
 * derived from `snapshot()` by `desired-table.ts`, so "add/remove dest" is a consequence, not a call.
 *
 *   checker up/down ─▶ failed-checker count per RS ─▶ RS alive? ─▶ weight sum of alive RSs
 *     ─▶ quorum (quorum ± hysteresis) ─▶ sorry server in / alive RSs out
 *
 * Rules (keepalived 2.2.7):
 *  - a real server is alive when none of its checkers is down; `alpha` checkers start down;
 *  - quorum is gained when Σweight(alive) ≥ quorum + hysteresis, lost when it drops below
 *    quorum − hysteresis (or to 0); every virtual server starts with its quorum up, checked
 *    once at start ("Starting with quorum down" when the alive weight is already too low);
 *  - losing quorum with a sorry server removes the alive RSs and adds the sorry server; gaining it
 *    reverses that; `inhibit_on_failure` keeps a failed RS in the table at weight 0;
 *  - `notify_up`/`notify_down`, `quorum_up`/`quorum_down` and FIFO lines on every change; on stop
 *    only with `omega`.
 */
import type { Checker, RealServer, ScriptSpec, VirtualServer } from '../config/model.js';
import { fifoRsLine, fifoVsLine, fmtRs, fmtVs } from './format.js';
import { quorumAlertBody, type CheckerAlert } from '../core/smtp-alerts.js';

/** keepalived clamps effective weights to the IPVS range before use (real_weight()). */
export const IPVS_WEIGHT_MAX = 2147483647;

export function realWeight(w: number): number {
  return w <= 0 ? 0 : Math.min(w, IPVS_WEIGHT_MAX);
}

export type PoolEffect =
  | { readonly kind: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | {
      readonly kind: 'script';
      readonly script: ScriptSpec;
      readonly reason: 'notify_up' | 'notify_down' | 'quorum_up' | 'quorum_down';
      /** FMT_RS / FMT_VS of the subject. */
      readonly subject: string;
    }
  | { readonly kind: 'fifo'; readonly line: string }
  /** smtp_alert event (the main thread decides whether it mails). */
  | { readonly kind: 'alert'; readonly alert: CheckerAlert };

/** Id of a real server: `<vs index>/<rs index>` in config order. */
export type RsId = string;

export function rsId(vsIndex: number, rsIndex: number): RsId {
  return `${vsIndex}/${rsIndex}`;
}

/** Checkers the pool counts: every configured one. Kinds we cannot run stay in their initial state. */
function checkerAlpha(c: Checker): boolean {
  return c.kind !== 'FILE_CHECK' && c.alpha;
}

interface CheckerRuntime {
  isUp: boolean;
  hasRun: boolean;
  readonly alpha: boolean;
  /** FILE_CHECK: the contribution currently applied (or fault). */
  fileStatus?: number | 'fault';
}

interface RsRuntime {
  readonly rs: RealServer;
  alive: boolean;
  effectiveWeight: number;
  failedCheckers: number;
  readonly checkers: CheckerRuntime[];
}

interface VsRuntime {
  readonly vs: VirtualServer;
  readonly rss: RsRuntime[];
  quorumUp: boolean;
  sorryAlive: boolean;
}

export interface RsSnapshot {
  readonly id: RsId;
  readonly alive: boolean;
  readonly effectiveWeight: number;
  readonly failedCheckers: number;
  readonly checkersUp: readonly boolean[];
}

export interface VsSnapshot {
  readonly index: number;
  readonly name: string;
  readonly quorumUp: boolean;
  readonly sorryAlive: boolean;
  readonly weightSum: number;
  readonly realServers: readonly RsSnapshot[];
}

export interface PoolSnapshot {
  readonly virtualServers: readonly VsSnapshot[];
}

export class LvsPool {
  private readonly vss: VsRuntime[];
  private started = false;

  constructor(virtualServers: readonly VirtualServer[]) {
    this.vss = virtualServers.map((vs) => ({
      vs,
      quorumUp: true, // keepalived starts every virtual server with its quorum up
      sorryAlive: false,
      rss: vs.realServers.map((rs) => {
        const checkers = rs.checkers.map((c) => ({ isUp: !checkerAlpha(c), hasRun: c.kind === 'FILE_CHECK', alpha: checkerAlpha(c) }));
        return { rs, alive: false, effectiveWeight: rs.weight, failedCheckers: checkers.filter((c) => !c.isUp).length, checkers };
      }),
    }));
  }

  /** init_services: alive = no failed checker; then the first quorum evaluation. */
  start(): PoolEffect[] {
    const out: PoolEffect[] = [];
    if (this.started) return out;
    this.started = true;
    for (const v of this.vss) {
      for (const r of v.rss) if (r.failedCheckers === 0) r.alive = true;
      this.updateQuorum(v, true, out);
    }
    return out;
  }

  /**
   * Reload (SIGHUP): start from the previous pool's state instead of from scratch. Virtual servers
   * are matched by identity (address/port/protocol, fwmark or group name), real servers by
   * address:port, checkers by position and kind. Matched servers keep alive / weight / quorum /
   * sorry-server state (a changed configured weight wins); new ones start as at boot.
   */
  startFrom(previous: { readonly virtualServers: readonly VirtualServer[]; readonly pool: PoolSnapshot }): PoolEffect[] {
    const out: PoolEffect[] = [];
    if (this.started) return out;
    this.started = true;
    for (const v of this.vss) {
      const oldIndex = previous.virtualServers.findIndex((o) => vsIdentity(o) === vsIdentity(v.vs));
      const oldVs = previous.virtualServers[oldIndex];
      const oldSnap = previous.pool.virtualServers[oldIndex];
      if (oldVs === undefined || oldSnap === undefined) {
        for (const r of v.rss) if (r.failedCheckers === 0) r.alive = true;
        this.updateQuorum(v, true, out);
        continue;
      }
      v.quorumUp = oldSnap.quorumUp;
      v.sorryAlive = oldSnap.sorryAlive && sameSorryServer(oldVs, v.vs);
      for (const r of v.rss) {
        const j = oldVs.realServers.findIndex((o) => o.address === r.rs.address && o.port === r.rs.port);
        const oldRs = oldVs.realServers[j];
        const o = oldSnap.realServers[j];
        if (oldRs === undefined || o === undefined) {
          r.alive = r.failedCheckers === 0;
          continue;
        }
        r.effectiveWeight = oldRs.weight !== r.rs.weight ? r.rs.weight : o.effectiveWeight;
        r.checkers.forEach((c, k) => {
          if (oldRs.checkers[k]?.kind !== r.rs.checkers[k]?.kind) return;
          const up = o.checkersUp[k];
          if (up !== undefined) {
            c.isUp = up;
            c.hasRun = true;
          }
        });
        r.failedCheckers = r.checkers.filter((c) => !c.isUp).length;
        r.alive = o.alive;
        if (r.failedCheckers === 0 && !r.alive) this.setAlive(v, r, true, out);
        else if (r.failedCheckers > 0 && r.alive) this.setAlive(v, r, false, out);
      }
      for (const oldRs of oldVs.realServers) {
        if (!v.rss.some((r) => r.rs.address === oldRs.address && r.rs.port === oldRs.port)) out.push(info(`service ${fmtRs(oldRs, oldVs)} no longer exist`));
      }
      this.updateQuorum(v, false, out);
    }
    for (const o of previous.virtualServers) {
      if (!this.vss.some((v) => vsIdentity(v.vs) === vsIdentity(o))) out.push(info(o.target.kind === 'group' ? `Removing Virtual Server Group [${o.target.group.name}]` : `Removing Virtual Server ${fmtVs(o)}`));
    }
    return out;
  }

  /** A checker concluded (after its retries): `up` true = success. */
  checkerResult(id: RsId, checkerIndex: number, up: boolean): PoolEffect[] {
    const out: PoolEffect[] = [];
    const found = this.find(id);
    if (found === undefined) return out;
    const [v, r] = found;
    const c = r.checkers[checkerIndex];
    if (c === undefined) return out;
    if (c.isUp === up) {
      if (!c.hasRun) {
        if (c.alpha || !up) this.rsNotifies(v, r, out);
        c.hasRun = true;
      }
      return out;
    }
    c.hasRun = true;
    if (up) {
      if (r.failedCheckers <= 1) this.setAlive(v, r, true, out);
    } else if (r.failedCheckers === 0) {
      this.setAlive(v, r, false, out);
    }
    c.isUp = up;
    if (!up) r.failedCheckers++;
    else if (r.failedCheckers > 0) r.failedCheckers--;
    return out;
  }

  /**
   * FILE_CHECK: the tracked file's new status (weight contribution or fault). A fault takes the
   * checker down and drops its contribution; leaving it brings the checker up with the new one;
   * otherwise the effective weight moves by the difference. Before start() it sets the initial state.
   */
  fileStatus(id: RsId, checkerIndex: number, status: number | 'fault'): PoolEffect[] {
    const out: PoolEffect[] = [];
    const found = this.find(id);
    const c = found?.[1].checkers[checkerIndex];
    if (found === undefined || c === undefined) return out;
    const r = found[1];
    const prev = c.fileStatus ?? 0;
    if (prev === status) return out;
    c.fileStatus = status;
    if (!this.started) {
      if (status === 'fault') {
        if (c.isUp) r.failedCheckers++;
        c.isUp = false;
      } else r.effectiveWeight += status - (prev === 'fault' ? 0 : prev);
      c.hasRun = true;
      return out;
    }
    if (status === 'fault') {
      out.push(...this.checkerResult(id, checkerIndex, false));
      if (prev !== 'fault') r.effectiveWeight -= prev;
    } else if (prev === 'fault') {
      r.effectiveWeight += status;
      out.push(...this.checkerResult(id, checkerIndex, true));
    } else {
      out.push(...this.setWeight(id, r.effectiveWeight + status - prev));
    }
    return out;
  }

  /** Whether a real server is alive; undefined for an unknown id. */
  rsAlive(id: RsId): boolean | undefined {
    return this.find(id)?.[1].alive;
  }

  /** Current state of one checker (true = up); undefined for an unknown id. */
  checkerUp(id: RsId, checkerIndex: number): boolean | undefined {
    return this.find(id)?.[1].checkers[checkerIndex]?.isUp;
  }

  /** update_svr_wgt: a new effective weight (misc_dynamic); may change the quorum. */
  setWeight(id: RsId, weight: number): PoolEffect[] {
    const out: PoolEffect[] = [];
    const found = this.find(id);
    if (found === undefined) return out;
    const [v, r] = found;
    const oldW = realWeight(r.effectiveWeight);
    const newW = realWeight(weight);
    r.effectiveWeight = weight;
    if (oldW !== newW) {
      out.push(info(`Changing weight from ${oldW} to ${newW} for ${r.alive ? '' : 'in'}active service ${fmtRs(r.rs, v.vs)} of VS ${fmtVs(v.vs)}`));
      this.updateQuorum(v, false, out);
    }
    return out;
  }

  /** Shutdown: alive servers go down; notifies only for `omega` virtual servers. */
  stop(): PoolEffect[] {
    const out: PoolEffect[] = [];
    for (const v of this.vss) {
      if (v.sorryAlive) v.sorryAlive = false;
      for (const r of v.rss) {
        out.push(info(`Shutting down ${r.rs.inhibitOnFailure && !r.alive ? '(inhibited) ' : ''}service ${fmtRs(r.rs, v.vs)} from VS ${fmtVs(v.vs)}`));
        if (!r.alive) continue;
        r.alive = false;
        if (v.vs.omega) {
          this.rsNotifies(v, r, out);
          out.push({ kind: 'alert', alert: { kind: 'realserver-removed', virtualServer: fmtVs(v.vs), realServer: fmtRs(r.rs, v.vs), body: '=> Shutting down <=', smtpAlert: r.rs.smtpAlert } });
        }
      }
      v.quorumUp = false;
      if (v.vs.omega) {
        this.vsNotifies(v, out);
        out.push({ kind: 'alert', alert: { kind: 'virtualserver', virtualServer: fmtVs(v.vs), up: false, body: '=> Shutting down <=', smtpAlert: v.vs.smtpAlert } });
      }
    }
    return out;
  }

  snapshot(): PoolSnapshot {
    return {
      virtualServers: this.vss.map((v, index) => ({
        index,
        name: fmtVs(v.vs),
        quorumUp: v.quorumUp,
        sorryAlive: v.sorryAlive,
        weightSum: weightSum(v),
        realServers: v.rss.map((r, j) => ({
          id: rsId(index, j),
          alive: r.alive,
          effectiveWeight: r.effectiveWeight,
          failedCheckers: r.failedCheckers,
          checkersUp: r.checkers.map((c) => c.isUp),
        })),
      })),
    };
  }

  private find(id: RsId): [VsRuntime, RsRuntime] | undefined {
    const [a, b] = id.split('/');
    const v = this.vss[Number(a)];
    const r = v?.rss[Number(b)];
    return v !== undefined && r !== undefined ? [v, r] : undefined;
  }

  /** perform_svr_state */
  private setAlive(v: VsRuntime, r: RsRuntime, alive: boolean, out: PoolEffect[]): void {
    if (r.alive === alive) return;
    const inhibit = r.rs.inhibitOnFailure;
    const verb = alive ? (inhibit ? 'Enabl' : 'Add') : inhibit ? 'Disabl' : 'Remov';
    out.push(info(`${verb}ing service ${fmtRs(r.rs, v.vs)} ${inhibit ? 'of' : alive ? 'to' : 'from'} VS ${fmtVs(v.vs)}`));
    r.alive = alive;
    this.rsNotifies(v, r, out);
    this.updateQuorum(v, false, out);
  }

  /** update_quorum_state */
  private updateQuorum(v: VsRuntime, init: boolean, out: PoolEffect[]): void {
    const { vs } = v;
    const sum = weightSum(v);
    const threshold = vs.quorum + (v.quorumUp ? -1 : 1) * vs.hysteresis;
    if (!v.quorumUp && sum >= threshold) {
      v.quorumUp = true;
      out.push(info(`Gained quorum ${vs.quorum}+${vs.hysteresis}=${threshold} <= ${sum} for VS ${fmtVs(vs)}`));
      if (vs.sorryServer !== null && v.sorryAlive) {
        out.push(info(`${vs.sorryServerInhibit ? 'Disabling' : 'Removing'} sorry server ${fmtRs(vs.sorryServer, vs)} from VS ${fmtVs(vs)}`));
        v.sorryAlive = false;
        out.push(info(`Adding alive servers to the pool for VS ${fmtVs(vs)}`));
      }
      this.vsNotifies(v, out);
      this.quorumAlert(v, init, threshold, sum, out);
    } else if ((v.quorumUp && (sum === 0 || sum < threshold)) || (init && !v.quorumUp && vs.sorryServer !== null && !v.sorryAlive)) {
      v.quorumUp = false;
      out.push(info(`${init ? 'Starting with quorum down' : 'Lost quorum'} ${vs.quorum}-${vs.hysteresis}=${threshold} > ${sum} for VS ${fmtVs(vs)}`));
      if (vs.sorryServer !== null && !v.sorryAlive) {
        out.push(info(`${vs.sorryServerInhibit ? 'Enabling' : 'Adding'} sorry server ${fmtRs(vs.sorryServer, vs)} to VS ${fmtVs(vs)}`));
        out.push(info(`Removing alive servers from the pool for VS ${fmtVs(vs)}`));
        v.sorryAlive = true;
      }
      this.vsNotifies(v, out);
      this.quorumAlert(v, init, threshold, sum, out);
    }
  }

  private rsNotifies(v: VsRuntime, r: RsRuntime, out: PoolEffect[]): void {
    const script = r.alive ? r.rs.notifyUp : r.rs.notifyDown;
    if (script !== null) out.push({ kind: 'script', script, reason: r.alive ? 'notify_up' : 'notify_down', subject: fmtRs(r.rs, v.vs) });
    out.push({ kind: 'fifo', line: fifoRsLine(r.rs, v.vs, r.alive) });
  }

  private quorumAlert(v: VsRuntime, init: boolean, threshold: number, sum: number, out: PoolEffect[]): void {
    const body = quorumAlertBody(v.quorumUp, init, v.vs.quorum, v.vs.hysteresis, threshold, sum);
    out.push({ kind: 'alert', alert: { kind: 'virtualserver', virtualServer: fmtVs(v.vs), up: v.quorumUp, body, smtpAlert: v.vs.smtpAlert } });
  }

  private vsNotifies(v: VsRuntime, out: PoolEffect[]): void {
    const script = v.quorumUp ? v.vs.quorumUp : v.vs.quorumDown;
    if (script !== null) out.push({ kind: 'script', script, reason: v.quorumUp ? 'quorum_up' : 'quorum_down', subject: fmtVs(v.vs) });
    out.push({ kind: 'fifo', line: fifoVsLine(v.vs, v.quorumUp) });
  }
}

/** Identity of a virtual server across reloads (keepalived vs_iseq). */
export function vsIdentity(vs: VirtualServer): string {
  const t = vs.target;
  switch (t.kind) {
    case 'ip':
      return `${vs.protocol}:${t.address}:${t.port}`;
    case 'fwmark':
      return `FWM:${t.family ?? vs.ipFamily ?? ''}:${t.fwmark}`;
    case 'group':
      return `GROUP:${vs.protocol}:${t.group.name}`;
  }
}

function sameSorryServer(a: VirtualServer, b: VirtualServer): boolean {
  return a.sorryServer !== null && b.sorryServer !== null && a.sorryServer.address === b.sorryServer.address && a.sorryServer.port === b.sorryServer.port;
}

function weightSum(v: VsRuntime): number {
  let sum = 0;
  for (const r of v.rss) if (r.alive) sum += realWeight(r.effectiveWeight);
  return sum;
}

function info(message: string): PoolEffect {
  return { kind: 'log', level: 'info', message };
}
