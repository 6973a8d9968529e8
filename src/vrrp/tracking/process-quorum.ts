/**
 * vrrp_track_process quorum state (pure): the number of matching processes, whether the tracker
 * counts as UP (count within [quorum, quorum_max]) and the one pending delay timer, stepped by
 * process events with keepalived 2.2.7's rules (track_process.c check_process / check_process_fork /
 * check_process_termination / remove_process_from_track):
 *
 *  - the status is only reconsidered when the count crosses a bound (reaches `quorum` or
 *    `quorum_max + 1` going up, leaves `quorum` or reaches `quorum_max` going down);
 *  - `fork_delay` applies to a crossing caused by a fork of an already counted process, and
 *    `terminate_delay` to one caused by a process exiting; a crossing the other way while such a
 *    timer runs cancels it and decides at once (so a restart inside `terminate_delay` never flaps);
 *  - a process that stops matching without exiting (exec of another program, comm change) and a
 *    matching exec are applied without delay;
 *  - when a delay timer fires the status is recomputed from the count.
 * keepalived can leave two fork timers running; here a new one replaces the pending one.
 */

export interface ProcessQuorumParams {
  readonly quorum: number;
  readonly quorumMax: number;
  readonly forkDelayUs: number;
  readonly terminateDelayUs: number;
}

export type QuorumTimerKind = 'fork' | 'terminate';

export interface ProcessQuorumState {
  readonly count: number;
  readonly haveQuorum: boolean;
  /** The delay timer that is pending, if any. */
  readonly timer: QuorumTimerKind | null;
}

/**
 * What happened to one counted (or newly matching) process:
 * `exec` a new matching process (not a fork of a counted one), `fork` a child of a counted process,
 * `exit` a counted process ended, `unmatch` a counted process no longer matches, `timer` the pending
 * delay expired.
 */
export type ProcessCountEvent = 'exec' | 'fork' | 'exit' | 'unmatch' | 'timer';

export interface ProcessQuorumStep {
  readonly state: ProcessQuorumState;
  /** The UP/DOWN status flipped (keepalived logs "Quorum gained|lost for tracked process NAME"). */
  readonly changed: boolean;
  /** Arm this timer (replacing any pending one); null = none to arm. */
  readonly armTimer: { readonly kind: QuorumTimerKind; readonly delayUs: number } | null;
  /** Cancel the pending timer (when `state.timer` became null without firing). */
  readonly cancelTimer: boolean;
}

export function inQuorum(p: ProcessQuorumParams, count: number): boolean {
  return count >= p.quorum && count <= p.quorumMax;
}

/** State after the startup scan: status straight from the count, no delay (keepalived initialise_process_tracking_priorities). */
export function initialQuorumState(p: ProcessQuorumParams, count: number): ProcessQuorumState {
  return { count, haveQuorum: inQuorum(p, count), timer: null };
}

function settle(prev: ProcessQuorumState, count: number, timer: QuorumTimerKind | null, haveQuorum: boolean, armTimer: ProcessQuorumStep['armTimer'] = null): ProcessQuorumStep {
  return {
    state: { count, haveQuorum, timer },
    changed: haveQuorum !== prev.haveQuorum,
    armTimer,
    cancelTimer: prev.timer !== null && timer === null && armTimer === null,
  };
}

export function stepProcessQuorum(p: ProcessQuorumParams, s: ProcessQuorumState, ev: ProcessCountEvent): ProcessQuorumStep {
  const unchanged = (count: number): ProcessQuorumStep => settle(s, count, s.timer, s.haveQuorum);
  switch (ev) {
    case 'timer':
      if (s.timer === null) return unchanged(s.count);
      return settle(s, s.count, null, inQuorum(p, s.count));
    case 'exec':
    case 'fork': {
      const count = s.count + 1;
      if (count !== p.quorum && count !== p.quorumMax + 1) return unchanged(count);
      const up = count === p.quorum;
      if (s.timer === 'terminate') return settle(s, count, null, up);
      if (ev === 'fork' && p.forkDelayUs > 0) return settle(s, count, 'fork', s.haveQuorum, { kind: 'fork', delayUs: p.forkDelayUs });
      return settle(s, count, s.timer, up);
    }
    case 'exit':
    case 'unmatch': {
      if (s.count === 0) return unchanged(0);
      const count = s.count - 1;
      if (s.count !== p.quorum && count !== p.quorumMax) return unchanged(count);
      const up = count === p.quorumMax;
      if (s.timer === 'fork') return settle(s, count, null, up);
      if (ev === 'exit' && p.terminateDelayUs > 0) return settle(s, count, 'terminate', s.haveQuorum, { kind: 'terminate', delayUs: p.terminateDelayUs });
      return settle(s, count, s.timer, up);
    }
  }
}
