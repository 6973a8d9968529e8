/**
 * `-s/--namespace NAME` (or the configuration's root-level `net_namespace NAME`, which -s overrides):
 * the daemon runs in the network namespace /run/netns/NAME, as keepalived 2.2.7 does (it reads the
 * configuration, then setns()s into NAME before opening any socket). commands/run.ts reads the
 * configuration's net_namespace first (configNamespace) and then behaves as if `-s NAME` was given.
 *
 * setns(CLONE_NEWNET) moves only the calling thread, and a Node.js process already has other threads
 * (the libuv pool that runs getaddrinfo, V8 workers), so switching the running process would leave
 * parts of it in the old namespace. Instead the CLI moves its main thread with the native setNetns and
 * starts itself again with the same arguments: a child inherits the namespaces of the thread that
 * forked it, so every thread of the new process lives in NAME. The new process sees that it already is
 * in NAME (same nsfs inode as /run/netns/NAME) and runs the daemon. With -n the first process stays in
 * the foreground as a thin supervisor (stdio shared, SIGTERM/SIGINT/SIGHUP/SIGUSR1/SIGUSR2 forwarded,
 * the child's exit code returned); the pid files name the daemon process itself, so signals sent by
 * pid (including the real-time JSON / STATS_CLEAR ones) reach it directly; systemd notifications of the
 * child are relayed from the supervisor, systemd's main pid (notify-relay.ts). Without -n the usual
 * background start (commands/run.ts) is made from inside the namespace.
 *
 * Paths, as keepalived with a namespace (observed with keepalived 2.2.7 -s): pid files default to
 * /run/keepalived/NAME/{keepalived,vrrp,checkers,bfd}.pid — keepalived bind-mounts that directory on
 * /run/keepalived in a private mount namespace, which a multithreaded process cannot create, so we
 * write the host-visible path directly — and the directories are removed at exit when empty. `-g FILE`
 * gets `_NAME` before the extension (keepalived's make_file_name). keepalived-ts's control socket
 * defaults to /run/keepalived-ts/NAME/control.sock (`keepalived-ts status -s NAME` finds it).
 * Explicit -p/-r/-c/-b/--control-socket paths are kept as given.
 *
 * A namespace that cannot be entered ends the start like keepalived's: "Unable to set network
 * namespace NAME - exiting", exit code 0 (keepalived 2.2.7 returns 0 there).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, rmdirSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { CliIo } from './io.js';
import { readConfig } from '../config/source/index.js';
import type { ConfigNode } from '../config/source/index.js';
import type { DaemonOptions } from './options.js';
import { startNotifyRelay } from './notify-relay.js';
import type { RelayNative } from './notify-relay.js';

/** keepalived's RUNSTATEDIR "/netns/": where `ip netns add` mounts named namespaces. */
export const NETNS_DIR = '/run/netns';
/** keepalived's KEEPALIVED_PID_DIR. */
export const KEEPALIVED_PID_DIR = '/run/keepalived';
/** keepalived-ts's runtime directory (control socket). */
export const KTS_RUN_DIR = '/run/keepalived-ts';
/** keepalived's default log file for `-g` without a name. */
const DEFAULT_LOG_FILE = '/tmp/keepalived.log';

/** Signals the foreground supervisor passes on to the daemon process. */
export const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

/** Default file locations of a daemon running in namespace `name`. */
export interface NamespacePaths {
  readonly pidDir: string;
  readonly pidFile: string;
  readonly vrrpPidFile: string;
  readonly checkersPidFile: string;
  readonly bfdPidFile: string;
  readonly controlSocket: string;
}

/** A name `ip netns` could have created: one path component. */
export function validNamespaceName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}

export function netnsPath(name: string, netnsDir = NETNS_DIR): string {
  return join(netnsDir, name);
}

export function namespacePaths(name: string): NamespacePaths {
  const pidDir = join(KEEPALIVED_PID_DIR, name);
  return {
    pidDir,
    pidFile: join(pidDir, 'keepalived.pid'),
    vrrpPidFile: join(pidDir, 'vrrp.pid'),
    checkersPidFile: join(pidDir, 'checkers.pid'),
    bfdPidFile: join(pidDir, 'bfd.pid'),
    controlSocket: join(KTS_RUN_DIR, name, 'control.sock'),
  };
}

/** keepalived's make_file_name: `_NAME` before the extension of the last path component. */
export function namespacedFileName(file: string, name: string): string {
  const base = basename(file);
  const dot = base.lastIndexOf('.');
  const dir = file.slice(0, file.length - base.length);
  return dot <= 0 ? `${file}_${name}` : `${dir}${base.slice(0, dot)}_${name}${base.slice(dot)}`;
}

/** Flags whose default path changes with a namespace. */
export type NamespacedFlag = 'pid' | 'vrrp_pid' | 'checkers_pid' | 'bfd_pid' | 'controlSocket';

/**
 * The options with keepalived's namespace defaults for every path flag `given` says was not on the
 * command line. Pure; unchanged when no namespace is set.
 */
export function applyNamespaceDefaults(o: DaemonOptions, given: (flag: NamespacedFlag) => boolean): DaemonOptions {
  if (o.namespace === null) return o;
  const p = namespacePaths(o.namespace);
  return {
    ...o,
    pidFile: given('pid') ? o.pidFile : p.pidFile,
    vrrpPidFile: given('vrrp_pid') ? o.vrrpPidFile : p.vrrpPidFile,
    checkersPidFile: given('checkers_pid') ? o.checkersPidFile : p.checkersPidFile,
    bfdPidFile: given('bfd_pid') ? o.bfdPidFile : p.bfdPidFile,
    logFile: o.logFile === null ? null : namespacedFileName(o.logFile === '' ? DEFAULT_LOG_FILE : o.logFile, o.namespace),
    controlSocket: given('controlSocket') ? (o.controlSocket ?? null) : p.controlSocket,
  };
}

/**
 * The root-level `net_namespace NAME` of the configuration (the first one, as keepalived keeps), or
 * null. Only the reader runs (includes, `@id` lines, definitions): this is read before the daemon's
 * own load, which reports any problem in the file.
 */
export function configNamespace(o: Pick<DaemonOptions, 'configFile' | 'configId' | 'allConfig'>): string | null {
  let nodes: readonly ConfigNode[];
  try {
    nodes = readConfig(o.configFile, { ...(o.configId !== null ? { configId: o.configId } : {}), allConfig: o.allConfig }).nodes;
  } catch {
    return null;
  }
  const node = nodes.find((n) => n.keyword === 'net_namespace' && n.args[0] !== undefined);
  return node?.args[0] ?? null;
}

/** Filesystem identity of a namespace file (nsfs device + inode). */
function nsIdentity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** True when this process (its main thread) already is in namespace `name` (`netnsDir`: tests). */
export function inNamespace(name: string, netnsDir = NETNS_DIR): boolean {
  if (!validNamespaceName(name)) return false;
  const target = nsIdentity(netnsPath(name, netnsDir));
  return target !== undefined && target === nsIdentity('/proc/self/ns/net');
}

/** What setNetns needs: the native addon's call (injectable for tests). */
export type SetNetns = (fd: number) => void;

export type EnterResult = { readonly ok: true } | { readonly ok: false; readonly lines: readonly string[] };

/** Moves the calling (main) thread into namespace `name`; keepalived's messages on failure. */
export function enterNamespace(name: string, setNetns: SetNetns, netnsDir = NETNS_DIR): EnterResult {
  const path = netnsPath(name, netnsDir);
  const fail = (why: string): EnterResult => ({ ok: false, lines: [why, `Unable to set network namespace ${name} - exiting`] });
  if (!validNamespaceName(name)) return fail(`Failed to open ${path}`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return fail(`Failed to open ${path}`);
  }
  try {
    setNetns(fd);
    return { ok: true };
  } catch (err) {
    const errno = (err as { errno?: unknown }).errno;
    return fail(`setns() failed with error ${typeof errno === 'number' ? Math.abs(errno) : String((err as Error).message)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * After the daemon stopped: removes /run/keepalived/NAME (and /run/keepalived) when they are the
 * default pid directory and empty, as keepalived does, and the default control socket's directory
 * /run/keepalived-ts/NAME when empty. Never throws.
 */
export function removeNamespaceDirs(o: DaemonOptions): void {
  if (o.namespace === null || !validNamespaceName(o.namespace)) return;
  const p = namespacePaths(o.namespace);
  const rmdirs = (dirs: readonly string[]): void => {
    for (const dir of dirs) {
      try {
        rmdirSync(dir);
      } catch {
        return; // not empty (another daemon's files) or already gone
      }
    }
  };
  if (dirname(o.pidFile) === p.pidDir) rmdirs([p.pidDir, KEEPALIVED_PID_DIR]);
  if (o.controlSocket === p.controlSocket) rmdirs([dirname(p.controlSocket)]);
}

/** The native calls the start needs: setns, and the sd_notify relay's datagram socket. */
export type NamespaceNative = RelayNative & { readonly setNetns: SetNetns };

export interface NamespaceStartDeps {
  readonly io: CliIo;
  /** The native addon (loaded lazily: only a start with -s needs it). */
  readonly native: () => NamespaceNative;
  /** The background start of commands/run.ts (without -n), made once inside the namespace. */
  readonly startInBackground: () => Promise<number>;
  /** Script to start again (default process.argv[1], the bin shim). */
  readonly script?: string;
}

/**
 * Enters namespace `options.namespace` and runs the daemon there in a new process (see the header).
 * Resolves with the exit code to return.
 */
export function startInNamespace(options: DaemonOptions, args: readonly string[], deps: NamespaceStartDeps): Promise<number> {
  const name = options.namespace ?? '';
  let native: NamespaceNative;
  try {
    native = deps.native();
  } catch (err) {
    deps.io.stderr(`keepalived-ts: cannot enter network namespace ${name}: ${(err as Error).message}\n`);
    return Promise.resolve(1);
  }
  const entered = enterNamespace(name, (fd) => native.setNetns(fd));
  if (!entered.ok) {
    for (const l of entered.lines) deps.io.stderr(`${l}\n`);
    return Promise.resolve(0);
  }
  if (!options.dontFork) return deps.startInBackground();
  const script = deps.script ?? process.argv[1];
  if (script === undefined) {
    deps.io.stderr('keepalived-ts: cannot find the script to start in the namespace\n');
    return Promise.resolve(1);
  }
  const relay = startNotifyRelay(process.env['NOTIFY_SOCKET'], native, (m) => deps.io.stderr(`keepalived-ts: ${m}\n`));
  const env = relay === undefined ? process.env : { ...process.env, NOTIFY_SOCKET: relay.socketPath };
  return superviseInNamespace(process.execPath, [...process.execArgv, script, ...args], env, deps.io).finally(() => relay?.close());
}

/** Runs the daemon child in the foreground: signals forwarded, its exit code (128 + signal) returned. */
function superviseInNamespace(node: string, argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    // Own process group: a terminal's Ctrl-C reaches the daemon once, through the forwarder.
    const child = spawn(node, argv, { stdio: 'inherit', detached: true, env });
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    for (const sig of FORWARDED_SIGNALS) process.on(sig, forward);
    const done = (code: number): void => {
      for (const sig of FORWARDED_SIGNALS) process.off(sig, forward);
      resolve(code);
    };
    child.once('error', (err) => {
      io.stderr(`keepalived-ts: cannot start in the namespace: ${err.message}\n`);
      done(1);
    });
    child.once('exit', (code, signal) => {
      done(code ?? (signal !== null ? 128 + (osConstants.signals[signal] ?? 0) : 1));
    });
  });
}
