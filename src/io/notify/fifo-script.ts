/**
 * `notify_fifo_script` / `vrrp_notify_fifo_script` / `lvs_notify_fifo_script`: the reader script
 * keepalived starts for a notify FIFO, with the FIFO path appended as the last argument, no
 * timeout, and SIGTERM at shutdown (stop()).
 */
import { runScript } from './script-runner.js';
import type { RunScriptOptions, ScriptHandle } from './script-runner.js';

export function startFifoScript(
  argv: readonly string[],
  fifoPath: string,
  options: Omit<RunScriptOptions, 'timeoutMs'> = {},
): ScriptHandle {
  return runScript([...argv, fifoPath], options);
}
