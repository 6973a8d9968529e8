/**
 * Syslog output: a pino destination that sends each log record as one datagram to the local syslog socket
 * (`/dev/log`), the way keepalived 2.2.7 logs through glibc's syslog(3).
 *
 * Wire format, as observed from keepalived 2.2.7 with a listener bound over /dev/log:
 *   `<30>Nov 25 12:25:22 Keepalived_vrrp[13355]: (VI_1) Entering MASTER STATE`
 * i.e. RFC 3164 `<PRI>` (facility * 8 + severity; daemon.info = 30, `-S 3` = local3 → 158 for info), the
 * local time as `Mmm dd hh:mm:ss` (day padded with a space), no host name, the ident with the pid, and
 * no trailing newline. keepalived logs almost everything at info; our severity comes from the pino level
 * (trace/debug → debug, info → info, warn → warning, error → err, fatal → crit).
 *
 * Never blocks, never throws: each datagram goes through a fresh non-blocking AF_UNIX socket (the native
 * addon's `unixDgramSend`; Node.js has no unix datagram sockets), so a restarted syslog daemon is picked up
 * by the next line without any reconnect logic. When the socket is missing or refuses (ENOENT,
 * ECONNREFUSED, EPROTOTYPE for a stream-only syslogd…) lines are counted as dropped and sending is retried
 * once per `retryMs`. A full receive queue (EAGAIN, a burst syslogd has not read yet; glibc would block
 * there) keeps the lines in a bounded backlog flushed from a timer, dropping only beyond `maxQueued`.
 * `onOutage` reports the start and the end of an outage so the daemon can say so once on its other outputs.
 *
 * Which outputs are on by default (stdout, -g file, syslog) is decided in log.ts (`daemonLogOptions`).
 */
import { fstatSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import { loadNative } from '../io/native/index.js';

/** Where glibc's syslog(3) (and so keepalived) sends its datagrams. */
export const DEFAULT_SYSLOG_SOCKET = '/dev/log';

/** How often sending is retried while the syslog socket is unavailable. */
export const DEFAULT_SYSLOG_RETRY_MS = 1000;

/** syslog facility codes (RFC 5424 table 1) that keepalived's -S can select. */
export const SYSLOG_FACILITY = {
  user: 1,
  daemon: 3,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;

/** syslog severities (RFC 5424). */
export const SyslogSeverity = {
  emerg: 0,
  alert: 1,
  crit: 2,
  err: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
} as const;
export type SyslogSeverity = (typeof SyslogSeverity)[keyof typeof SyslogSeverity];

/**
 * keepalived's `-S` argument to a facility code: `0`-`7` and `local0`-`local7` → LOG_LOCALn, `user`,
 * `daemon`; null (no -S) → daemon. Anything else → undefined (the CLI rejects it before).
 */
export function parseSyslogFacility(text: string | null): number | undefined {
  if (text === null) return SYSLOG_FACILITY.daemon;
  const digit = /^(?:local)?([0-7])$/.exec(text);
  if (digit !== null) return SYSLOG_FACILITY.local0 + Number(digit[1]);
  if (text === 'user') return SYSLOG_FACILITY.user;
  if (text === 'daemon') return SYSLOG_FACILITY.daemon;
  return undefined;
}

/** pino's numeric level (10 trace … 60 fatal) to a syslog severity. */
export function syslogSeverityForLevel(level: number): SyslogSeverity {
  if (level >= 60) return SyslogSeverity.crit;
  if (level >= 50) return SyslogSeverity.err;
  if (level >= 40) return SyslogSeverity.warning;
  if (level >= 30) return SyslogSeverity.info;
  return SyslogSeverity.debug;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** glibc's syslog timestamp (`%h %e %T`, local time): `Nov  5 09:03:07`. */
export function formatSyslogTimestamp(at: Date): string {
  const day = String(at.getDate()).padStart(2, ' ');
  return `${MONTHS[at.getMonth()] ?? 'Jan'} ${day} ${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
}

/** One datagram's text: `<PRI>Mmm dd hh:mm:ss LINE`, LINE being `Ident[pid]: message`. */
export function formatSyslogDatagram(facility: number, severity: SyslogSeverity, at: Date, line: string): string {
  return `<${facility * 8 + severity}>${formatSyslogTimestamp(at)} ${line}`;
}

/** Sends one datagram to the socket at `path`; throws an errno-coded error (ENOENT, EAGAIN…) on failure. */
export type SyslogSend = (path: string, data: Uint8Array) => unknown;

export interface SyslogStats {
  /** Datagrams accepted by the socket. */
  readonly sent: number;
  /** Lines not delivered (socket missing or refusing, backlog full, oversize, addon missing…). */
  readonly dropped: number;
  /** Lines waiting in the backlog for room in the socket's receive queue. */
  readonly queued: number;
  /** True while the socket is unavailable (lines are dropped, retried every retryMs). */
  readonly failing: boolean;
  /** errno name (or KTS_* code) of the last failure; null if none yet. */
  readonly lastError: string | null;
}

/** What became of one line. */
export type SyslogResult = 'sent' | 'queued' | 'dropped';

export type SyslogOutage =
  | { readonly kind: 'down'; readonly error: string; readonly socketPath: string }
  | { readonly kind: 'up'; readonly dropped: number; readonly socketPath: string };

export interface SyslogDestinationOptions {
  /** Facility code (SYSLOG_FACILITY; parseSyslogFacility for -S). */
  readonly facility: number;
  /** Socket path (default /dev/log; tests bind one in a temp dir). */
  readonly socketPath?: string;
  /** Turns a pino record into `Ident[pid]: message` (log.ts passes formatTextLine); default: the msg field. */
  readonly format?: (rec: Readonly<Record<string, unknown>>) => string;
  /** Datagram sender (default: the native addon's unixDgramSend). */
  readonly send?: SyslogSend;
  /** Wall clock in ms (timestamps and the retry pacing). */
  readonly now?: () => number;
  readonly retryMs?: number;
  /** Lines kept while the receive queue is full (default 1000); beyond that new lines are dropped. */
  readonly maxQueued?: number;
  /** Runs `fn` after `ms` without keeping the process alive (default an unref'd setTimeout; tests step it). */
  readonly schedule?: (fn: () => void, ms: number) => void;
  /** Start and end of an outage (called synchronously from write: defer any logging it does). */
  readonly onOutage?: (event: SyslogOutage) => void;
}

/** Errors meaning "nobody is listening there right now" (as opposed to a full queue or an oversize line). */
const OUTAGE_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EPROTOTYPE', 'EACCES', 'EPERM', 'ENOTDIR', 'KTS_NATIVE_MISSING']);

/** The receive queue is full for now: keep the line and retry shortly. */
const FULL_ERRORS = new Set(['EAGAIN', 'EWOULDBLOCK', 'ENOBUFS']);

/** Pause before retrying a backlog that met a full receive queue. */
const FLUSH_RETRY_MS = 10;

export const DEFAULT_SYSLOG_MAX_QUEUED = 1000;

function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return 'EIO';
}

const defaultSend: SyslogSend = (path, data) => loadNative().unixDgramSend(path, data);

const defaultSchedule = (fn: () => void, ms: number): void => void setTimeout(fn, ms).unref();

const encoder = new TextEncoder();

/**
 * A full receive queue (EAGAIN: Linux's net.unix.max_dgram_qlen is 10 unless systemd raised it to 512)
 * is a burst the syslog daemon has not read yet, not an outage: those lines wait in a bounded backlog,
 * in order, flushed every FLUSH_RETRY_MS from an unref'd timer (lines still waiting at process exit are
 * lost, as they would be in a congested syslogd).
 */
export class SyslogDestination implements DestinationStream {
  readonly socketPath: string;
  private readonly facility: number;
  private readonly format: (rec: Readonly<Record<string, unknown>>) => string;
  private readonly send: SyslogSend;
  private readonly now: () => number;
  private readonly retryMs: number;
  private readonly maxQueued: number;
  private readonly schedule: (fn: () => void, ms: number) => void;
  private readonly onOutage: ((event: SyslogOutage) => void) | undefined;
  private readonly backlog: Uint8Array[] = [];
  private flushScheduled = false;
  private sent = 0;
  private dropped = 0;
  private droppedInOutage = 0;
  private failing = false;
  private lastError: string | null = null;
  private retryAtMs = 0;

  constructor(opts: SyslogDestinationOptions) {
    this.facility = opts.facility;
    this.socketPath = opts.socketPath ?? DEFAULT_SYSLOG_SOCKET;
    this.format = opts.format ?? ((rec) => (typeof rec['msg'] === 'string' ? rec['msg'] : ''));
    this.send = opts.send ?? defaultSend;
    this.now = opts.now ?? Date.now;
    this.retryMs = opts.retryMs ?? DEFAULT_SYSLOG_RETRY_MS;
    this.maxQueued = opts.maxQueued ?? DEFAULT_SYSLOG_MAX_QUEUED;
    this.schedule = opts.schedule ?? defaultSchedule;
    this.onOutage = opts.onOutage;
  }

  /** pino DestinationStream: one or more newline-separated JSON records. */
  write(chunk: string): void {
    for (const raw of chunk.split('\n')) {
      if (raw.length === 0) continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        this.sendLine(30, raw);
        continue;
      }
      this.writeRecord(rec);
    }
  }

  /** Sends an already parsed pino record (log.ts's fan-out parses each record once for all outputs). */
  writeRecord(rec: Readonly<Record<string, unknown>>): void {
    const level = typeof rec['level'] === 'number' ? rec['level'] : 30;
    let line: string;
    try {
      line = this.format(rec);
    } catch {
      line = typeof rec['msg'] === 'string' ? rec['msg'] : '';
    }
    this.sendLine(level, line);
  }

  /** Sends `line` (`Ident[pid]: message`) at the pino `level`. */
  sendLine(level: number, line: string): SyslogResult {
    const nowMs = this.now();
    if (this.failing && nowMs < this.retryAtMs) {
      this.drop(1);
      return 'dropped';
    }
    const data = encoder.encode(formatSyslogDatagram(this.facility, syslogSeverityForLevel(level), new Date(nowMs), line));
    if (this.backlog.length > 0) {
      // Keep the order: behind the lines already waiting.
      if (this.backlog.length >= this.maxQueued) {
        this.drop(1);
        return 'dropped';
      }
      this.backlog.push(data);
      this.flush();
      return this.backlog.length === 0 ? 'sent' : 'queued';
    }
    const r = this.trySend(data, nowMs);
    if (r === 'full') {
      this.backlog.push(data);
      this.scheduleFlush();
      return 'queued';
    }
    if (r === 'sent') return 'sent';
    this.drop(1);
    return 'dropped';
  }

  stats(): SyslogStats {
    return { sent: this.sent, dropped: this.dropped, queued: this.backlog.length, failing: this.failing, lastError: this.lastError };
  }

  /** One send attempt; outage bookkeeping and reports. */
  private trySend(data: Uint8Array, nowMs: number): 'sent' | 'full' | 'outage' | 'error' {
    try {
      this.send(this.socketPath, data);
    } catch (err) {
      const code = errorCode(err);
      this.lastError = code;
      if (FULL_ERRORS.has(code)) return 'full';
      if (!OUTAGE_ERRORS.has(code)) return 'error';
      this.retryAtMs = nowMs + this.retryMs;
      if (!this.failing) {
        this.failing = true;
        this.report({ kind: 'down', error: code, socketPath: this.socketPath });
      }
      return 'outage';
    }
    this.sent++;
    if (this.failing) {
      this.failing = false;
      const dropped = this.droppedInOutage;
      this.droppedInOutage = 0;
      this.report({ kind: 'up', dropped, socketPath: this.socketPath });
    }
    return 'sent';
  }

  /** Sends the backlog in order until the queue is full again (then retries later) or it is empty. */
  private flush(): void {
    const nowMs = this.now();
    for (let data = this.backlog[0]; data !== undefined; data = this.backlog[0]) {
      const r = this.trySend(data, nowMs);
      if (r === 'full') {
        this.scheduleFlush();
        return;
      }
      if (r === 'outage') {
        this.drop(this.backlog.length);
        this.backlog.length = 0;
        return;
      }
      this.backlog.shift();
      if (r === 'error') this.drop(1);
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    try {
      this.schedule(() => {
        this.flushScheduled = false;
        this.flush();
      }, FLUSH_RETRY_MS);
    } catch {
      this.flushScheduled = false;
    }
  }

  private drop(n: number): void {
    this.dropped += n;
    if (this.failing) this.droppedInOutage += n;
  }

  private report(event: SyslogOutage): void {
    try {
      this.onOutage?.(event);
    } catch {
      // A failing observer must not turn a log call into an exception.
    }
  }
}

/**
 * True when fd 1 is the systemd journal's stream: systemd sets `JOURNAL_STREAM=<dev>:<inode>` of the
 * stdout/stderr socket it connected (sd_journal_stream_fd); a child that redirected its stdout differs.
 */
export function stdoutIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 1): boolean {
  const m = /^(\d+):(\d+)$/.exec(env['JOURNAL_STREAM'] ?? '');
  if (m === null) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(m[1] ?? '-1') && st.ino === BigInt(m[2] ?? '-1');
  } catch {
    return false;
  }
}
