/**
 * systemd service notifications (sd_notify(3)) for `Type=notify` / `Type=notify-reload` units:
 * READY=1 once the daemon runs, RELOADING=1 (+ MONOTONIC_USEC) at the start of a SIGHUP reload and
 * READY=1 again when it is applied, STOPPING=1 on shutdown, MAINPID, STATUS=… text.
 *
 * The datagram goes to $NOTIFY_SOCKET, a filesystem path or a Linux abstract name written "@name";
 * Node.js has no unix datagram sockets, so the send is the native addon's `unixDgramSend`.
 * Everything is a no-op (returns false) when NOTIFY_SOCKET is unset or not a unix socket address.
 * By default NOTIFY_SOCKET is removed from the environment after it is read, as keepalived does, so
 * notify scripts and checkers we spawn do not talk to systemd in our name. Errors never throw: they
 * go to `onError` (the daemon logs them) and the call returns false.
 */

import { loadNative } from '../io/native/index.js';

export interface SdNotifyTransport {
  send(path: string, data: Uint8Array): void;
}

export interface SdNotifierOptions {
  /** Environment to read (and by default scrub) NOTIFY_SOCKET from; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly transport?: SdNotifyTransport;
  /** CLOCK_MONOTONIC in µs, for RELOADING's MONOTONIC_USEC. */
  readonly monotonicUs?: () => number;
  /** Delete NOTIFY_SOCKET from `env` once read (default true). */
  readonly unsetEnvironment?: boolean;
  readonly onError?: (err: unknown) => void;
}

export type SdNotifyFields = Readonly<Record<string, string | number>>;

export interface SdNotifier {
  readonly enabled: boolean;
  /** The socket address in use ("@name" for abstract sockets), undefined when disabled. */
  readonly socketPath: string | undefined;
  /** Sends the fields as KEY=value lines in one datagram; false when disabled or on error. */
  notify(fields: SdNotifyFields): boolean;
  ready(status?: string): boolean;
  reloading(status?: string): boolean;
  stopping(status?: string): boolean;
  status(text: string): boolean;
  mainPid(pid: number): boolean;
}

/** The native AF_UNIX datagram sender. */
export const nativeSdNotifyTransport: SdNotifyTransport = {
  send(path, data) {
    loadNative().unixDgramSend(path, data);
  },
};

/** CLOCK_MONOTONIC µs: Node's hrtime is CLOCK_MONOTONIC on Linux, the clock systemd compares with. */
function defaultMonotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Builds the datagram text: one KEY=value per line; newlines in values become spaces. */
export function formatSdNotify(fields: SdNotifyFields): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(k)) throw new Error(`KTS_SD_NOTIFY_FIELD: invalid sd_notify field name "${k}"`);
    lines.push(`${k}=${String(v).replace(/[\r\n]+/g, ' ')}`);
  }
  return lines.join('\n') + '\n';
}

function usableSocket(value: string | undefined): string | undefined {
  if (value === undefined || value.length < 2) return undefined;
  return value.startsWith('/') || value.startsWith('@') ? value : undefined;
}

export function createSdNotifier(opts: SdNotifierOptions = {}): SdNotifier {
  const env = opts.env ?? process.env;
  const socketPath = usableSocket(env['NOTIFY_SOCKET']);
  if (opts.unsetEnvironment ?? true) delete env['NOTIFY_SOCKET'];
  const transport = opts.transport ?? nativeSdNotifyTransport;
  const monotonicUs = opts.monotonicUs ?? defaultMonotonicUs;

  const notify = (fields: SdNotifyFields): boolean => {
    if (socketPath === undefined) return false;
    try {
      transport.send(socketPath, Buffer.from(formatSdNotify(fields), 'utf8'));
      return true;
    } catch (err) {
      opts.onError?.(err);
      return false;
    }
  };
  const withStatus = (fields: Record<string, string | number>, status: string | undefined): SdNotifyFields =>
    status === undefined ? fields : { ...fields, STATUS: status };

  return {
    enabled: socketPath !== undefined,
    socketPath,
    notify,
    ready: (status) => notify(withStatus({ READY: 1, MAINPID: process.pid }, status)),
    reloading: (status) => notify(withStatus({ RELOADING: 1, MONOTONIC_USEC: Math.floor(monotonicUs()) }, status)),
    stopping: (status) => notify(withStatus({ STOPPING: 1 }, status)),
    status: (text) => notify({ STATUS: text }),
    mainPid: (pid) => notify({ MAINPID: pid }),
  };
}
