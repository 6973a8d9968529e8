/**
 * MISC_CHECK: run `misc_path` (as `user`/script_user) with `misc_timeout` (default delay_loop).
 * Exit 0 = success, anything else (1, a signal, the timeout) = failure. With `misc_dynamic`, an
 * exit status 2..255 is a success that sets the real server's weight to status − 2.
 */
import { constants as osConstants } from 'node:os';
import type { MiscChecker } from '../../config/model.js';
import { runScript, type ScriptCredentials } from '../../io/notify/index.js';
import { fail, type Probe, type ProbeOutcome } from './types.js';

export interface MiscProbeOptions {
  /** Resolved uid/gid for the script (misc `user`, else global script_user); undefined = ours. */
  readonly credentials?: ScriptCredentials;
}

export function miscProbe(c: MiscChecker, opts: MiscProbeOptions = {}): Probe {
  const argv = c.miscPath?.argv ?? [];
  const timeoutMs = Math.max(1, Math.round((c.miscTimeoutUs ?? c.delayLoopUs) / 1000));
  return async (signal): Promise<ProbeOutcome> => {
    const handle = runScript(argv, { timeoutMs, ...(opts.credentials !== undefined ? { credentials: opts.credentials } : {}) });
    const onAbort = (): void => handle.kill();
    signal.addEventListener('abort', onAbort, { once: true });
    const r = await handle.result;
    signal.removeEventListener('abort', onAbort);
    switch (r.status) {
      case 'exited':
        if (r.exitCode === 0) return { ok: true };
        if (c.miscDynamic && r.exitCode >= 2 && r.exitCode <= 255) return { ok: true, weight: r.exitCode - 2, detail: `exit ${r.exitCode}` };
        return fail(`exited with status ${r.exitCode}`);
      case 'signaled':
        return fail(`due to signal ${osConstants.signals[r.signal] ?? r.signal}`);
      case 'timeout':
        return fail('timed out');
      case 'failed-to-start':
        return fail(`cannot run ${argv[0] ?? '(empty)'}: ${r.message}`);
    }
  };
}
