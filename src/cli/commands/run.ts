/**
 * Daemon mode (no -t): not implemented yet — another part of the project owns the runtime.
 * Kept separate so the option parsing (`DaemonOptions`) is already in its final shape.
 */
import type { DaemonOptions } from '../options.js';
import type { CliIo } from '../io.js';

export function runDaemon(_options: DaemonOptions, io: CliIo): Promise<number> {
  io.stderr('keepalived-ts: daemon mode is not implemented yet; use -t to check a configuration\n');
  return Promise.resolve(1);
}
