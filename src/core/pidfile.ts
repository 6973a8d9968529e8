/**
 * Pid files (`-p/--pid`, `-r/--vrrp_pid`, `-c/--checkers_pid`): refuse to start when a live process
 * already owns the file, write ours, and remove it on exit only if it still names us.
 * keepalived's defaults: /run/keepalived.pid, /run/vrrp.pid, /run/checkers.pid.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const DEFAULT_PID_FILE = '/run/keepalived.pid';
export const DEFAULT_VRRP_PID_FILE = '/run/vrrp.pid';
export const DEFAULT_CHECKERS_PID_FILE = '/run/checkers.pid';

/** Thrown when another live process holds the pid file (`code` = KTS_PIDFILE_RUNNING). */
export class PidFileError extends Error {
  constructor(
    readonly code: 'KTS_PIDFILE_RUNNING' | 'KTS_PIDFILE_WRITE',
    message: string,
  ) {
    super(message);
    this.name = 'PidFileError';
  }
}

/** The pid recorded in `path`, or undefined when the file is missing or does not hold a pid. */
export function readPidFile(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** True when a process with this pid exists (signal 0 probe; EPERM still means "exists"). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `pid` to `path` atomically. Stale files (dead pid) are replaced. */
export function writePidFile(path: string, pid: number = process.pid): void {
  const old = readPidFile(path);
  if (old !== undefined && old !== pid && processAlive(old)) {
    throw new PidFileError('KTS_PIDFILE_RUNNING', `daemon is already running (pid ${old} in ${path})`);
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${pid}.tmp`;
    writeFileSync(tmp, `${pid}\n`, { mode: 0o644 });
    renameSync(tmp, path);
  } catch (err) {
    throw new PidFileError('KTS_PIDFILE_WRITE', `cannot write pid file ${path}: ${(err as Error).message}`);
  }
}

/** Removes `path` if it still names `pid`; returns true when removed. */
export function removePidFile(path: string, pid: number = process.pid): boolean {
  if (readPidFile(path) !== pid) return false;
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}
