/**
 * Notify / track script runner: starts a script (argv already split by the config layer) without
 * blocking the caller, optionally as another uid/gid (`script_user`), in its own process group, with
 * stdio detached. A timeout (vrrp_script `timeout`) sends SIGTERM to the group and, if it is still
 * alive after a grace period, SIGKILL. The result promise never rejects; it settles with how the
 * script ended — what vrrp_script needs to count rise/fall (exit 0 = success; anything else,
 * including a timeout, is a failure). Notify scripts are fire-and-forget: ignore the promise.
 */
import { spawn } from 'node:child_process';
import type { ScriptCredentials } from './script-user.js';

export interface RunScriptOptions {
  /** Kill after this long (ms); undefined = no timeout (notify scripts). */
  readonly timeoutMs?: number;
  /** Between SIGTERM and SIGKILL (ms). Default 1000. */
  readonly killGraceMs?: number;
  readonly credentials?: ScriptCredentials;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export type ScriptResult =
  | { readonly status: 'exited'; readonly exitCode: number; readonly durationMs: number }
  | { readonly status: 'signaled'; readonly signal: NodeJS.Signals; readonly durationMs: number }
  | { readonly status: 'timeout'; readonly killedWith: 'SIGTERM' | 'SIGKILL'; readonly durationMs: number }
  | { readonly status: 'failed-to-start'; readonly errorCode: string; readonly message: string; readonly durationMs: number };

export interface ScriptHandle {
  /** Undefined if the process could not be started. */
  readonly pid: number | undefined;
  readonly result: Promise<ScriptResult>;
  /** Terminate now (SIGTERM, then SIGKILL after the grace period), e.g. at shutdown. */
  kill(): void;
}

/** True for an exit code of 0 — keepalived's success criterion for vrrp_script / MISC_CHECK. */
export function scriptSucceeded(result: ScriptResult): boolean {
  return result.status === 'exited' && result.exitCode === 0;
}

export function runScript(argv: readonly string[], options: RunScriptOptions = {}): ScriptHandle {
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  const [file, ...args] = argv;
  if (file === undefined || file === '') {
    return {
      pid: undefined,
      kill: () => {},
      result: Promise.resolve({ status: 'failed-to-start', errorCode: 'KTS_SCRIPT_EMPTY', message: 'empty command', durationMs: 0 }),
    };
  }
  const graceMs = options.killGraceMs ?? 1000;
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(file, args, {
      stdio: 'ignore',
      detached: true, // own process group, so a timeout also kills what a shell script started
      uid: options.credentials?.uid,
      gid: options.credentials?.gid,
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      pid: undefined,
      kill: () => {},
      result: Promise.resolve({ status: 'failed-to-start', errorCode: e.code ?? 'UNKNOWN', message: e.message, durationMs: 0 }),
    };
  }

  let timedOut: 'SIGTERM' | 'SIGKILL' | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let exited = false;

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  };
  const terminate = (): void => {
    signalGroup('SIGTERM');
    if (killTimer === undefined) {
      killTimer = setTimeout(() => {
        if (!exited) {
          if (timedOut !== undefined) timedOut = 'SIGKILL';
          signalGroup('SIGKILL');
        }
      }, graceMs);
    }
  };

  const result = new Promise<ScriptResult>((resolve) => {
    const finish = (r: ScriptResult): void => {
      exited = true;
      if (timeoutTimer) clearTimeout(timeoutTimer);
      if (killTimer) clearTimeout(killTimer);
      resolve(r);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      finish({ status: 'failed-to-start', errorCode: err.code ?? 'UNKNOWN', message: err.message, durationMs: elapsed() });
    });
    child.once('exit', (code, signal) => {
      if (timedOut !== undefined) finish({ status: 'timeout', killedWith: timedOut, durationMs: elapsed() });
      else if (signal !== null) finish({ status: 'signaled', signal, durationMs: elapsed() });
      else finish({ status: 'exited', exitCode: code ?? 0, durationMs: elapsed() });
    });
  });

  if (options.timeoutMs !== undefined && child.pid !== undefined) {
    timeoutTimer = setTimeout(() => {
      timedOut = 'SIGTERM';
      terminate();
    }, options.timeoutMs);
  }

  return { pid: child.pid, result, kill: terminate };
}
