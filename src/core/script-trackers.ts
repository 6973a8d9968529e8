/**
 * vrrp_script runner: runs every configured `vrrp_script` every `interval` (killed after `timeout`),
 * feeds the results to h5's rise/fall state machine (`vrrp/tracking/script-tracker.ts`) and reports
 * status changes (`VRRP_Script(chk) succeeded|failed`) to the instances tracking the script.
 * One script run at a time per script; a run still going when the next is due delays it.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from './clock.js';
import { resolveScriptUser, runScript } from '../io/notify/index.js';
import type { ScriptCredentials } from '../io/notify/index.js';
import type { VrrpScriptRuntime } from '../vrrp/params-from-config.js';
import { createScriptTracker, feedScriptResult, scriptObservation } from '../vrrp/tracking/script-tracker.js';
import type { ScriptTrackerState } from '../vrrp/tracking/script-tracker.js';
import type { TrackerObservation } from '../vrrp/tracking/priority.js';

interface Running {
  readonly rt: VrrpScriptRuntime;
  state: ScriptTrackerState;
  timer: TimerHandle | undefined;
  kill: (() => void) | undefined;
  readonly creds: ScriptCredentials | undefined;
}

export class ScriptTrackers {
  private readonly scripts = new Map<string, Running>();
  private stopped = false;

  constructor(
    scripts: readonly VrrpScriptRuntime[],
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onChange: (name: string, obs: TrackerObservation) => void,
    defaultUser: { readonly user: string; readonly group: string | null } | null,
  ) {
    for (const rt of scripts) {
      if (rt.argv === null || rt.argv.length === 0) continue;
      let creds: ScriptCredentials | undefined;
      const user = rt.user ?? defaultUser?.user ?? null;
      if (user !== null) {
        try {
          creds = resolveScriptUser(user, (rt.user !== null ? rt.group : defaultUser?.group) ?? undefined);
        } catch (err) {
          log.error({ err }, `VRRP_Script(${rt.name}) cannot resolve user ${user}; running as the daemon user`);
        }
      }
      this.scripts.set(rt.name, { rt, state: createScriptTracker(rt), timer: undefined, kill: undefined, creds });
    }
  }

  /** Names of the scripts that will run. */
  get names(): readonly string[] {
    return [...this.scripts.keys()];
  }

  /** Current observation of a script (unknown before its first result). */
  observation(name: string): TrackerObservation {
    const s = this.scripts.get(name);
    return s === undefined ? { kind: 'unknown' } : scriptObservation(s.state);
  }

  start(): void {
    for (const s of this.scripts.values()) this.runOnce(s);
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.scripts.values()) {
      this.clock.clearTimer(s.timer);
      s.kill?.();
    }
  }

  private runOnce(s: Running): void {
    if (this.stopped) return;
    const h = runScript(s.rt.argv ?? [], {
      timeoutMs: Math.max(1, Math.round(s.rt.timeoutUs / 1000)),
      ...(s.creds !== undefined ? { credentials: s.creds } : {}),
    });
    s.kill = () => h.kill();
    void h.result.then((r) => {
      s.kill = undefined;
      if (this.stopped) return;
      if (r.status === 'failed-to-start') this.log.warn(`VRRP_Script(${s.rt.name}) cannot run: ${r.message}`);
      const step = feedScriptResult(s.state, r.status === 'exited' ? { exitCode: r.exitCode } : r.status === 'timeout' ? { timedOut: true } : { exitCode: 1 });
      s.state = step.state;
      if (step.log !== null) this.log.info(step.log);
      if (step.changed) this.onChange(s.rt.name, scriptObservation(s.state));
      s.timer = this.clock.setTimer(s.rt.intervalUs, () => this.runOnce(s));
    });
  }
}
