/**
 * The `keepalived-ts ctl COMMAND [--control-socket PATH]` command body: sends one raw command to the
 * running daemon's control socket and prints the answer's `result` as JSON. It exists for
 * operator/debugging commands that have no dedicated CLI verb, today `ping` and the debugging aid
 * `debug-crash-checker` (crashes the health-checker worker thread on purpose so that its
 * supervisor can be tested; never needed in production).
 *
 * Exit codes: 0 the daemon answered ok; 1 the daemon refused the command (unknown, handler failed)
 * or could not be reached / denied access.
 */

import { ControlSocketError, DEFAULT_CONTROL_SOCKET, controlRequest } from './control-socket.js';

export interface CtlCommandOptions {
  readonly cmd: string;
  readonly socketPath?: string;
  readonly timeoutMs?: number;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export async function runCtlCommand(opts: CtlCommandOptions): Promise<number> {
  const path = opts.socketPath ?? DEFAULT_CONTROL_SOCKET;
  try {
    const r = await controlRequest({ cmd: opts.cmd }, { path, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
    if (!r.ok) {
      opts.stderr(`keepalived-ts ctl ${opts.cmd}: ${r.error.code}: ${r.error.message}\n`);
      return 1;
    }
    opts.stdout(JSON.stringify(r.result ?? null) + '\n');
    return 0;
  } catch (err) {
    const msg = err instanceof ControlSocketError ? `${err.code}: ${err.message}` : `KTS_CONTROL_PROTOCOL: ${String(err)}`;
    opts.stderr(`keepalived-ts ctl ${opts.cmd}: ${msg}\n`);
    return 1;
  }
}
