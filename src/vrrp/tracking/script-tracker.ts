/**
 * `vrrp_script` result state machine (keepalived rise/fall/init_fail semantics), fed with the
 * results of script runs. The runner (spawn, interval, timeout kill) is I/O and lives elsewhere;
 * this object only decides when the tracked status flips and what to log.
 *
 * keepalived keeps a counter `result` in [0, rise + fall − 1] with hysteresis: from BAD it takes
 * `rise` consecutive successes to become GOOD (then result jumps to the top), from GOOD `fall`
 * consecutive failures to become BAD (then result drops to 0). Without `init_fail` the first
 * result decides (INIT → GOOD or BAD); with `init_fail` the script starts BAD with result 0.
 */

export type ScriptStatus = 'init' | 'good' | 'bad';

/** One finished run: exit code, or timed out (killed after `timeout`). */
export type ScriptResult = { readonly exitCode: number } | { readonly timedOut: true };

export interface ScriptTrackerParams {
  readonly name: string;
  /** Successes needed to go GOOD (`rise`, ≥ 1). */
  readonly rise: number;
  /** Failures needed to go BAD (`fall`, ≥ 1). */
  readonly fall: number;
  readonly initFail: boolean;
}

export interface ScriptTrackerState {
  readonly params: ScriptTrackerParams;
  readonly status: ScriptStatus;
  readonly result: number;
}

export interface ScriptTrackerStep {
  readonly state: ScriptTrackerState;
  /** True when `status` changed (then the tracking set must be re-summarised). */
  readonly changed: boolean;
  /** keepalived-style log line for a status change, e.g. "VRRP_Script(chk) succeeded". */
  readonly log: string | null;
}

export function createScriptTracker(params: ScriptTrackerParams): ScriptTrackerState {
  const rise = Math.max(1, params.rise);
  const fall = Math.max(1, params.fall);
  const p = { ...params, rise, fall };
  return p.initFail ? { params: p, status: 'bad', result: 0 } : { params: p, status: 'init', result: 0 };
}

function failureText(r: ScriptResult): string {
  return 'timedOut' in r ? 'timed out' : `exited with status ${r.exitCode}`;
}

export function feedScriptResult(st: ScriptTrackerState, r: ScriptResult): ScriptTrackerStep {
  const { rise, fall, name } = st.params;
  const max = rise + fall - 1;
  const ok = !('timedOut' in r) && r.exitCode === 0;
  // INIT behaves as "one step below GOOD" for successes and reports BAD on the first failure.
  const current = st.status === 'init' ? rise - 1 : st.result;
  let result = current;
  let status: ScriptStatus = st.status;
  if (ok) {
    if (current < rise - 1) result = current + 1;
    else if (current !== max || st.status !== 'good') {
      if (current < rise) status = 'good';
      result = max;
    }
  } else if (current > rise && st.status !== 'init') {
    result = current - 1;
  } else {
    if (current === rise || st.status === 'init') status = 'bad';
    result = 0;
  }
  const changed = status !== st.status;
  let log: string | null = null;
  if (changed) log = status === 'good' ? `VRRP_Script(${name}) succeeded` : `VRRP_Script(${name}) failed (${failureText(r)})`;
  return { state: { params: st.params, status, result }, changed, log };
}

/** Observation for the tracking set. */
export function scriptObservation(st: ScriptTrackerState): { readonly kind: 'up' | 'down' | 'unknown' } {
  return { kind: st.status === 'init' ? 'unknown' : st.status === 'good' ? 'up' : 'down' };
}
