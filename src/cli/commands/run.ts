/**
 * Daemon mode (no -t): hands the parsed options to the daemon's composition root (src/core/daemon.ts),
 * which runs until SIGTERM/SIGINT and resolves with the exit code.
 *
 * keepalived forks into the background unless -n/--dont-fork is given. Node.js cannot fork(), so
 * without -n keepalived-ts starts itself again, detached, with --dont-fork added, and the parent
 * returns: 0 once the child has stayed up for a short while, or the child's own exit code if it
 * stops before that (a bad config, a pid file held by a running daemon…), so `keepalived-ts -D` in
 * an init script behaves like keepalived's. The systemd unit and the lab pass --dont-fork, as
 * Debian's keepalived unit does.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DaemonOptions } from '../options.js';
import type { CliIo } from '../io.js';
import { runDaemon as runVrrpDaemon } from '../../core/daemon.js';
import { loadNative } from '../../io/native/index.js';
import { configNamespace, inNamespace, removeNamespaceDirs, startInNamespace } from '../namespace.js';
import { parseCommandLine } from '../options.js';

/** How long the parent watches the detached child before reporting success. */
const BACKGROUND_SETTLE_MS = 1500;

export function runDaemon(options: DaemonOptions, io: CliIo, args: readonly string[] = []): Promise<number> {
  // net_namespace in the configuration acts as -s NAME (an explicit -s overrides it, as in keepalived).
  if (options.namespace === null) {
    const fromConfig = configNamespace(options);
    const withNs = fromConfig === null ? null : parseCommandLine([...args, '-s', fromConfig]);
    if (withNs?.kind === 'daemon') return runDaemon(withNs.options, io, [...args, '-s', fromConfig ?? '']);
  }
  // -s NAME: enter the namespace and start again from inside it (namespace.ts explains why).
  if (options.namespace !== null && !inNamespace(options.namespace)) {
    const script = binPath();
    return startInNamespace(options, args, {
      io,
      native: loadNative,
      startInBackground: () => startInBackground(args, io),
      ...(script !== null ? { script } : {}),
    });
  }
  if (!options.dontFork) return startInBackground(args, io);
  return runVrrpDaemon(options).then((code) => {
    removeNamespaceDirs(options);
    // Safety net: a handle left open by an adapter must not keep a stopped daemon alive.
    setTimeout(() => process.exit(code), 2000).unref();
    return code;
  });
}

/** The bin shim, found from this module's location (src/ under vitest, dist/src/ when built). */
function binPath(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'bin', 'keepalived-ts');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return null;
}

function startInBackground(args: readonly string[], io: CliIo): Promise<number> {
  const bin = binPath();
  if (bin === null) {
    io.stderr('keepalived-ts: cannot find bin/keepalived-ts to start in the background; run with -n/--dont-fork\n');
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, bin, ...args, '--dont-fork'], { detached: true, stdio: 'ignore' });
    const settle = setTimeout(() => {
      child.removeAllListeners();
      child.unref();
      resolve(0);
    }, BACKGROUND_SETTLE_MS);
    child.once('error', (err) => {
      clearTimeout(settle);
      io.stderr(`keepalived-ts: cannot start in the background: ${err.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(settle);
      io.stderr(`keepalived-ts: background daemon exited at start (${signal ?? `exit ${code ?? 1}`}); run with -n -l to see why\n`);
      resolve(code ?? 1);
    });
  });
}
