/**
 * Daemon mode (no -t): hands the parsed options to the daemon's composition root (src/core/daemon.ts),
 * which runs until SIGTERM/SIGINT and resolves with the exit code.
 *
 * keepalived forks into the background unless -n/--dont-fork is given. Node.js cannot fork(), so
 * keepalived-ts only runs in the foreground: without -n it refuses (exit 1) instead of silently
 * staying attached. The systemd unit and the lab pass --dont-fork, as Debian's keepalived unit does.
 */
import type { DaemonOptions } from '../options.js';
import type { CliIo } from '../io.js';
import { runDaemon as runVrrpDaemon } from '../../core/daemon.js';

export function runDaemon(options: DaemonOptions, io: CliIo): Promise<number> {
  if (!options.dontFork) {
    io.stderr('keepalived-ts: forking into the background is not implemented; run in the foreground with -n/--dont-fork (systemd: Type=simple)\n');
    return Promise.resolve(1);
  }
  return runVrrpDaemon(options).then((code) => {
    // Safety net: a handle left open by an adapter must not keep a stopped daemon alive.
    setTimeout(() => process.exit(code), 2000).unref();
    return code;
  });
}
