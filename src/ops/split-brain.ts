/**
 * Split-brain and misconfiguration detector for one VRRP instance. Pure: no I/O and no clock — every
 * input carries `nowUs` (monotonic µs, `Clock.nowUs()`), and the owner calls `tick()` at
 * `nextDeadlineUs()` (one timer per instance). Inputs are the instance's state changes and a summary
 * of every advertisement received for its VRID, accepted or dropped by the receive ladder.
 *
 * Findings (one per kind and peer address):
 *   dual-master        another router keeps claiming MASTER (adverts with priority > 0, accepted or
 *                      dropped for a version/auth/interval mismatch) while we are MASTER: raised on the
 *                      `dualMasterAdverts`-th such advert (default 2, i.e. within about one advert
 *                      interval — a normal election resolves after the first one).
 *   peer-silent        a peer that was advertising as our master stopped: raised when nothing came for
 *                      `silenceIntervals` × its advert interval (default 1.5, so within 2 intervals of a
 *                      partition, before our own Master_Down_Timer makes us MASTER); cleared when its
 *                      adverts resume. A peer that sends priority 0 (resigning) is not expected again.
 *   equal-priority     a peer advertises our effective priority (the election falls back to addresses).
 *   version-mismatch   adverts for our VRID with the other VRRP version (receive drop `version-mismatch`).
 *   auth-mismatch      VRRPv2 authentication type or password differ (drops `auth-type`, `auth-pass`).
 *   interval-mismatch  VRRPv2 advert interval differs (drop `interval`).
 *   vrid-collision     a foreign router uses our VRID: its address list differs from ours (advert
 *                      warnings `addr-count-mismatch`/`addr-list-mismatch`) or, with unicast peers
 *                      configured, the source is not one of them (such a source is then ignored for
 *                      every other finding; feed adverts the daemon drops as `unicast-src` too).
 * Evidence-based findings (all but peer-silent) clear after `holdIntervals` × the advert interval
 * (default 3) without new evidence. Leaving service (FAULT, INIT, STOP) forgets every peer and clears
 * dual-master / peer-silent; leaving MASTER clears dual-master.
 */

import type { VrrpState } from '../vrrp/fsm/types.js';
import type { AdvertWarningCode, DropCode } from '../vrrp/packet/drop-reason.js';

export type SplitBrainKind =
  | 'dual-master'
  | 'peer-silent'
  | 'equal-priority'
  | 'version-mismatch'
  | 'auth-mismatch'
  | 'interval-mismatch'
  | 'vrid-collision';

export const SPLIT_BRAIN_KINDS: readonly SplitBrainKind[] = [
  'dual-master',
  'peer-silent',
  'equal-priority',
  'version-mismatch',
  'auth-mismatch',
  'interval-mismatch',
  'vrid-collision',
];

/** The instance states the detector is told about (the FSM's). */
export type DetectorVrrpState = VrrpState;

export interface SplitBrainFinding {
  readonly kind: SplitBrainKind;
  /** Source address of the other router. */
  readonly peer: string;
  /** When the condition was first seen (monotonic µs). */
  readonly sinceUs: number;
  readonly detail: string;
}

export type SplitBrainEvent =
  | { readonly type: 'raised'; readonly finding: SplitBrainFinding }
  | { readonly type: 'cleared'; readonly finding: SplitBrainFinding; readonly atUs: number; readonly reason: string };

/** What the receive path knows about one packet for this instance's VRID. */
export interface AdvertSummary {
  readonly srcAddr: string;
  readonly vrid: number;
  readonly version?: 2 | 3;
  readonly priority?: number;
  /** v3 Max Adver Int, v2 interval × 100 (centiseconds). */
  readonly adverIntervalCs?: number;
  /** Receive-ladder drop, absent when the advert was accepted. */
  readonly drop?: DropCode;
  /** Non-fatal instance-level findings of an accepted advert. */
  readonly warnings?: readonly AdvertWarningCode[];
}

export interface SplitBrainConfig {
  readonly instance: string;
  readonly vrid: number;
  readonly version: 2 | 3;
  /** Our configured advert interval (used for peers whose interval is unknown). */
  readonly adverIntervalCs: number;
  /** Configured unicast peers; empty or absent in multicast mode (peers are then learned). */
  readonly unicastPeers?: readonly string[];
  /** Our own addresses: adverts from them (looped back) are ignored. */
  readonly ownAddresses?: readonly string[];
  readonly silenceIntervals?: number;
  readonly dualMasterAdverts?: number;
  readonly holdIntervals?: number;
}

interface PeerRecord {
  lastSeenUs: number;
  intervalUs: number;
  lastPriority: number;
  /** The last advert arrived while we were not MASTER: the peer was our master. */
  wasOurMaster: boolean;
  /** Master claims received while we are MASTER (reset when we leave MASTER or they stop). */
  claims: number;
  lastClaimUs: number;
  firstClaimUs: number;
}

interface ActiveFinding {
  finding: SplitBrainFinding;
  lastEvidenceUs: number;
  holdUs: number;
}

const CS_US = 10_000;
const LISTENING: ReadonlySet<DetectorVrrpState> = new Set(['BACKUP', 'MASTER']);

function key(kind: SplitBrainKind, peer: string): string {
  return `${kind}|${peer}`;
}

export class SplitBrainDetector {
  private cfg: SplitBrainConfig;
  private state: DetectorVrrpState = 'INIT';
  private readonly peers = new Map<string, PeerRecord>();
  private readonly active = new Map<string, ActiveFinding>();

  constructor(config: SplitBrainConfig) {
    this.cfg = config;
  }

  private get silenceIntervals(): number {
    return this.cfg.silenceIntervals ?? 1.5;
  }

  private get dualMasterAdverts(): number {
    return Math.max(1, this.cfg.dualMasterAdverts ?? 2);
  }

  private get holdIntervals(): number {
    return this.cfg.holdIntervals ?? 3;
  }

  private get ownIntervalUs(): number {
    return Math.max(1, this.cfg.adverIntervalCs) * CS_US;
  }

  /** Replaces the configuration (reload); findings and peers are kept. */
  reconfigure(config: SplitBrainConfig): void {
    this.cfg = config;
  }

  /** Active findings, oldest first. */
  findings(): readonly SplitBrainFinding[] {
    return [...this.active.values()].map((a) => a.finding).sort((a, b) => a.sinceUs - b.sinceUs);
  }

  /** Earliest time `tick()` has something to do, undefined when nothing is pending. */
  nextDeadlineUs(): number | undefined {
    let best: number | undefined;
    const consider = (t: number): void => {
      if (best === undefined || t < best) best = t;
    };
    if (LISTENING.has(this.state)) {
      for (const [addr, p] of this.peers) {
        if (p.wasOurMaster && !this.active.has(key('peer-silent', addr))) consider(p.lastSeenUs + this.silenceIntervals * p.intervalUs);
      }
    }
    for (const a of this.active.values()) if (a.finding.kind !== 'peer-silent') consider(a.lastEvidenceUs + a.holdUs);
    return best;
  }

  /** Processes every deadline that is due at `nowUs`. */
  tick(nowUs: number): SplitBrainEvent[] {
    const events: SplitBrainEvent[] = [];
    for (const [k, a] of this.active) {
      if (a.finding.kind === 'peer-silent' || nowUs < a.lastEvidenceUs + a.holdUs) continue;
      this.active.delete(k);
      const reason = a.finding.kind === 'dual-master' ? 'the peer stopped claiming MASTER' : 'no further evidence';
      events.push({ type: 'cleared', finding: a.finding, atUs: nowUs, reason });
      if (a.finding.kind === 'dual-master') {
        const p = this.peers.get(a.finding.peer);
        if (p) p.claims = 0;
      }
    }
    if (LISTENING.has(this.state)) {
      for (const [addr, p] of this.peers) {
        if (!p.wasOurMaster || this.active.has(key('peer-silent', addr))) continue;
        if (nowUs < p.lastSeenUs + this.silenceIntervals * p.intervalUs) continue;
        const silentMs = Math.round((nowUs - p.lastSeenUs) / 1000);
        events.push(
          this.raise(
            'peer-silent',
            addr,
            p.lastSeenUs,
            nowUs,
            0,
            `no advertisement from ${addr} (priority ${p.lastPriority}) for ${silentMs} ms; ` +
              'if it is still running, both routers may be MASTER',
          ),
        );
      }
    }
    return events;
  }

  /** Our instance changed state. */
  stateChanged(nowUs: number, state: DetectorVrrpState): SplitBrainEvent[] {
    const events = this.tick(nowUs);
    if (state === this.state) return events;
    const prev = this.state;
    this.state = state;
    if (!LISTENING.has(state)) {
      this.peers.clear();
      for (const kind of ['dual-master', 'peer-silent'] as const) events.push(...this.clearKind(kind, nowUs, `instance is ${state}`));
    } else if (prev === 'MASTER') {
      events.push(...this.clearKind('dual-master', nowUs, 'we left MASTER'));
      for (const p of this.peers.values()) p.claims = 0;
    }
    return events;
  }

  /**
   * One advert for this interface/VRID, accepted or dropped. `ourState` / `ourPriority` are the
   * instance's values when it arrived (before the FSM processed it).
   */
  advertReceived(nowUs: number, ourState: DetectorVrrpState, ourPriority: number, a: AdvertSummary): SplitBrainEvent[] {
    const events = this.stateChanged(nowUs, ourState);
    if (a.vrid !== this.cfg.vrid || (this.cfg.ownAddresses ?? []).includes(a.srcAddr)) return events;
    const peer = a.srcAddr;
    const intervalUs = a.adverIntervalCs !== undefined && a.adverIntervalCs > 0 ? a.adverIntervalCs * CS_US : this.ownIntervalUs;
    const holdUs = this.holdIntervals * Math.max(intervalUs, this.ownIntervalUs);
    const evidence = (kind: SplitBrainKind, detail: string): void => {
      const existing = this.active.get(key(kind, peer));
      if (existing) {
        existing.lastEvidenceUs = nowUs;
        existing.holdUs = holdUs;
      } else {
        events.push(this.raise(kind, peer, nowUs, nowUs, holdUs, detail));
      }
    };

    const mismatch = a.drop === 'version-mismatch' || a.drop === 'auth-type' || a.drop === 'auth-pass' || a.drop === 'interval';
    if (a.drop !== undefined && !mismatch) return events; // malformed or other VRID: counted elsewhere
    if (a.drop === 'version-mismatch') {
      evidence('version-mismatch', `${peer} sends VRRPv${a.version ?? '?'} for VRID ${a.vrid}, this instance runs VRRPv${this.cfg.version}`);
    } else if (a.drop === 'auth-type' || a.drop === 'auth-pass') {
      evidence('auth-mismatch', `${peer} uses a different VRRPv2 authentication ${a.drop === 'auth-type' ? 'type' : 'password'}`);
    } else if (a.drop === 'interval') {
      evidence(
        'interval-mismatch',
        `${peer} advertises every ${(a.adverIntervalCs ?? 0) / 100} s, this instance every ${this.cfg.adverIntervalCs / 100} s`,
      );
    }

    const unicastPeers = this.cfg.unicastPeers ?? [];
    if (unicastPeers.length > 0 && !unicastPeers.includes(peer)) {
      // A foreign router: reported as a collision only, never tracked as our master or a dual master.
      evidence('vrid-collision', `${peer} is not a configured unicast peer but advertises VRID ${a.vrid}`);
      return events;
    } else if (a.warnings?.some((w) => w === 'addr-count-mismatch' || w === 'addr-list-mismatch')) {
      evidence('vrid-collision', `${peer} advertises VRID ${a.vrid} with a different virtual address list`);
    }

    const priority = a.priority;
    if (priority === undefined) return events;

    // A router whose adverts we drop cannot be elected against; if it claims MASTER while we are
    // MASTER, it is a dual master just like an accepted one.
    if (ourState === 'MASTER' && priority > 0) {
      const p = this.peers.get(peer);
      const claimsBefore = p !== undefined && nowUs - p.lastClaimUs <= holdUs ? p.claims : 0;
      const claims = claimsBefore + 1;
      this.touchPeer(peer, nowUs, intervalUs, priority, false, claims);
      const existing = this.active.get(key('dual-master', peer));
      if (existing) {
        existing.lastEvidenceUs = nowUs;
        existing.holdUs = holdUs;
      } else if (claims >= this.dualMasterAdverts) {
        events.push(
          this.raise(
            'dual-master',
            peer,
            this.peers.get(peer)?.firstClaimUs ?? nowUs,
            nowUs,
            holdUs,
            `${peer} claims MASTER (priority ${priority}${mismatch ? `, its adverts are dropped: ${a.drop}` : ''}) while we are MASTER (priority ${ourPriority})`,
          ),
        );
      }
    } else if (mismatch) {
      return events; // a dropped advert does not make the peer our master
    } else if (priority === 0) {
      this.peers.delete(peer); // resigning: do not expect further adverts
    } else {
      this.touchPeer(peer, nowUs, intervalUs, priority, ourState !== 'MASTER', 0);
    }

    const silent = this.active.get(key('peer-silent', peer));
    if (silent && priority > 0) {
      this.active.delete(key('peer-silent', peer));
      events.push({ type: 'cleared', finding: silent.finding, atUs: nowUs, reason: 'advertisements resumed' });
    }

    if (!mismatch && priority > 0 && priority === ourPriority) {
      evidence('equal-priority', `${peer} advertises priority ${priority}, the same as ours; the higher address wins the election`);
    } else if (!mismatch) {
      const eq = this.active.get(key('equal-priority', peer));
      if (eq) {
        this.active.delete(key('equal-priority', peer));
        events.push({ type: 'cleared', finding: eq.finding, atUs: nowUs, reason: `peer now advertises priority ${priority}` });
      }
    }
    return events;
  }

  /** Clears everything (instance removed or reconfigured from scratch). */
  reset(nowUs: number, reason: string): SplitBrainEvent[] {
    const events: SplitBrainEvent[] = [...this.active.values()].map((a) => ({ type: 'cleared', finding: a.finding, atUs: nowUs, reason }));
    this.active.clear();
    this.peers.clear();
    return events;
  }

  private touchPeer(addr: string, nowUs: number, intervalUs: number, priority: number, wasOurMaster: boolean, claims: number): void {
    const p = this.peers.get(addr);
    const firstClaimUs = claims === 1 ? nowUs : (p?.firstClaimUs ?? nowUs);
    const rec: PeerRecord = {
      lastSeenUs: nowUs,
      intervalUs,
      lastPriority: priority,
      wasOurMaster,
      claims,
      lastClaimUs: claims > 0 ? nowUs : (p?.lastClaimUs ?? 0),
      firstClaimUs,
    };
    this.peers.set(addr, rec);
  }

  private raise(kind: SplitBrainKind, peer: string, sinceUs: number, nowUs: number, holdUs: number, detail: string): SplitBrainEvent {
    const finding: SplitBrainFinding = { kind, peer, sinceUs, detail };
    this.active.set(key(kind, peer), { finding, lastEvidenceUs: nowUs, holdUs });
    return { type: 'raised', finding };
  }

  private clearKind(kind: SplitBrainKind, nowUs: number, reason: string): SplitBrainEvent[] {
    const events: SplitBrainEvent[] = [];
    for (const [k, a] of this.active) {
      if (a.finding.kind !== kind) continue;
      this.active.delete(k);
      events.push({ type: 'cleared', finding: a.finding, atUs: nowUs, reason });
    }
    return events;
  }
}

/** A log line for an event: warnings for raised findings, info for cleared ones. */
export function describeSplitBrainEvent(instance: string, ev: SplitBrainEvent): { readonly level: 'warning' | 'info'; readonly msg: string } {
  const f = ev.finding;
  if (ev.type === 'raised') return { level: 'warning', msg: `(${instance}) ${f.kind} with ${f.peer}: ${f.detail}` };
  return { level: 'info', msg: `(${instance}) ${f.kind} with ${f.peer} cleared: ${ev.reason}` };
}
