/**
 * The `keepalived-ts status [--json]` command body, independent of commander: ask the running
 * daemon over the control socket, print the text rendering or the JSON document, and map failures
 * to exit codes and one-line messages. The CLI only parses flags and calls `runStatusCommand`.
 *
 * Exit codes: 0 printed; 1 daemon unreachable / denied / timed out / invalid answer. (`status` has
 * no keepalived counterpart, so these are ours; a running daemon with split-brain findings still
 * exits 0 — the findings are in the output.)
 */

import { ControlSocketError, DEFAULT_CONTROL_SOCKET, requestStatus } from './control-socket.js';
import { renderStatusText } from './status-text.js';

export interface StatusCommandOptions {
  readonly json: boolean;
  readonly socketPath?: string;
  readonly timeoutMs?: number;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export async function runStatusCommand(opts: StatusCommandOptions): Promise<number> {
  const path = opts.socketPath ?? DEFAULT_CONTROL_SOCKET;
  try {
    const doc = await requestStatus({ path, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
    opts.stdout(opts.json ? JSON.stringify(doc, null, 2) + '\n' : renderStatusText(doc));
    return 0;
  } catch (err) {
    const msg = err instanceof ControlSocketError ? `${err.code}: ${err.message}` : `KTS_CONTROL_PROTOCOL: ${String(err)}`;
    opts.stderr(`keepalived-ts status: ${msg}\n`);
    return 1;
  }
}
