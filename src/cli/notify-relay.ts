/**
 * sd_notify relay for the `-s NAME` supervisor (namespace.ts). Under systemd (`Type=notify`,
 * `NotifyAccess=main`) only the main process may notify, but with -s the daemon is a child of the
 * process systemd started. The supervisor binds its own AF_UNIX datagram socket, gives the child that
 * path as NOTIFY_SOCKET, and passes every datagram on, unchanged, to the real NOTIFY_SOCKET: systemd
 * then hears READY=1 / RELOADING=1 / STOPPING=1 from its main process.
 *
 * The relay socket is a filesystem path in a private temporary directory (abstract names are per
 * network namespace, and the supervisor's main thread already is in NAME). A real NOTIFY_SOCKET that
 * is an abstract name ("@…") belongs to the host namespace and cannot be reached from NAME: the relay
 * is then not started and the child keeps the variable (systemd decides, as without the relay).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KtsNative, NativePollHandle } from '../io/native/index.js';

export type RelayNative = Pick<KtsNative, 'unixDgramBind' | 'unixDgramRecv' | 'unixDgramSend' | 'pollStart' | 'pollStop' | 'closeFd'>;

export interface NotifyRelay {
  /** NOTIFY_SOCKET for the child. */
  readonly socketPath: string;
  /** Datagrams passed on so far. */
  readonly relayed: number;
  close(): void;
}

/** Largest datagram read (systemd's own limit for a notification is far above what we send). */
const RELAY_BUFFER_BYTES = 4096;

/**
 * Starts a relay to `target` (the supervisor's NOTIFY_SOCKET); undefined when there is nothing to relay
 * to (unset, not a path) or the socket cannot be made (`onError` says why).
 */
export function startNotifyRelay(target: string | undefined, native: RelayNative, onError: (message: string) => void): NotifyRelay | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  let dir: string;
  let fd: number;
  try {
    dir = mkdtempSync(join(tmpdir(), 'kts-notify-'));
  } catch (err) {
    onError(`sd_notify relay: ${(err as Error).message}`);
    return undefined;
  }
  const socketPath = join(dir, 'notify.sock');
  try {
    fd = native.unixDgramBind(socketPath);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    onError(`sd_notify relay: cannot bind ${socketPath}: ${(err as Error).message}`);
    return undefined;
  }
  const buffer = Buffer.alloc(RELAY_BUFFER_BYTES);
  let relayed = 0;
  let closed = false;
  const drain = (): void => {
    for (let len = native.unixDgramRecv(fd, buffer); len !== undefined && !closed; len = native.unixDgramRecv(fd, buffer)) {
      try {
        native.unixDgramSend(target, buffer.subarray(0, len));
        relayed++;
      } catch (err) {
        onError(`sd_notify relay: cannot send to ${target}: ${(err as Error).message}`);
      }
    }
  };
  const poll: NativePollHandle = native.pollStart(fd, (status) => {
    if (status >= 0) drain();
  });
  return {
    socketPath,
    get relayed() {
      return relayed;
    },
    close() {
      if (closed) return;
      drain();
      closed = true;
      native.pollStop(poll);
      native.closeFd(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
