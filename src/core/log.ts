/**
 * Logging: the pino root logger of the daemon and its child loggers.
 *
 * Output modes
 *   - `json`: one pino JSON record per line (default when stdout is not a TTY: journald / log shippers).
 *   - `text`: keepalived's syslog-style lines, e.g. `Keepalived_vrrp[4242]: (VI_1) Entering MASTER STATE`
 *     (chosen by `-l/--log-console`, and when stdout is a TTY). Log scrapers grep these phrases, so the
 *     message texts used by the daemon keep keepalived's wording; the `(VI_1) ` prefix comes from the
 *     `instance` binding of the child logger.
 *   - `-D/--log-detail` adds the record's extra fields (`key=value`) to text lines and enables `detail`.
 *
 * Components (`vrrp`, `check`, `core`) map to keepalived's syslog idents; debug categories (`packet`, `fsm`,
 * `netlink`, `arp`, `checker`) are child loggers that log at `debug` only when the category is enabled.
 */
import { openSync, writeSync } from 'node:fs';
import { pino } from 'pino';
import type { Logger, DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Debug categories that can be switched on individually. */
export const DEBUG_CATEGORIES = ['packet', 'fsm', 'netlink', 'arp', 'checker'] as const;
export type DebugCategory = (typeof DEBUG_CATEGORIES)[number];

/** Subsystem a log line belongs to; decides keepalived's ident in text mode. */
export type LogComponent = 'core' | 'vrrp' | 'check';

const IDENT: Readonly<Record<LogComponent, string>> = {
  core: 'Keepalived',
  vrrp: 'Keepalived_vrrp',
  check: 'Keepalived_healthcheckers',
};

export interface LogOptions {
  /** `text` = keepalived-style lines, `json` = pino records. Default: text on a TTY, json otherwise. */
  readonly format?: 'text' | 'json';
  /** `-D`: detailed logging (extra fields in text lines). */
  readonly detail?: boolean;
  /** Enabled debug categories (or `all`). */
  readonly debug?: readonly (DebugCategory | 'all')[];
  /** Minimum level for the root logger (default `info`, `debug` when any category is enabled). */
  readonly level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** `-g FILE`: write to this file instead of stdout. */
  readonly file?: string;
  /** Where to write (tests pass an in-memory sink); overrides `file`. */
  readonly destination?: { write(line: string): unknown };
  /** pid shown in text lines (default process.pid). */
  readonly pid?: number;
}

/** The daemon's root logger plus the settings children need. */
export interface RootLog {
  readonly logger: Logger;
  readonly detail: boolean;
  /** Child logger for one component (`Keepalived_vrrp` ident in text mode). */
  component(c: LogComponent): Logger;
  /** Child logger for a debug category: logs at debug when the category is enabled, else at info. */
  category(parent: Logger, cat: DebugCategory): Logger;
  isDebugEnabled(cat: DebugCategory): boolean;
}

/** Fields pino itself writes, never shown as `key=value` details in text lines. */
const RESERVED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component', 'instance', 'vrid', 'category']);

/**
 * Turns one pino JSON record into a keepalived-style text line (without trailing newline).
 * Pure, exported for tests.
 */
export function formatTextLine(rec: Readonly<Record<string, unknown>>, pid: number, detail: boolean): string {
  const comp = typeof rec['component'] === 'string' && rec['component'] in IDENT ? (rec['component'] as LogComponent) : 'core';
  const ident = IDENT[comp];
  const instance = typeof rec['instance'] === 'string' ? `(${rec['instance']}) ` : '';
  const msg = typeof rec['msg'] === 'string' ? rec['msg'] : '';
  let line = `${ident}[${pid}]: ${instance}${msg}`;
  if (detail) {
    const extras: string[] = [];
    for (const [k, v] of Object.entries(rec)) {
      if (RESERVED.has(k)) continue;
      if (k === 'err' && typeof v === 'object' && v !== null && 'message' in v) {
        extras.push(`err=${JSON.stringify((v as { message: unknown }).message)}`);
        continue;
      }
      extras.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    if (extras.length > 0) line += ` [${extras.join(' ')}]`;
  } else if (typeof rec['err'] === 'object' && rec['err'] !== null && 'message' in rec['err']) {
    line += `: ${String((rec['err'] as { message: unknown }).message)}`;
  }
  return line;
}

/** A pino destination that rewrites each JSON record into a text line. */
class TextDestination implements DestinationStream {
  constructor(
    private readonly out: { write(line: string): unknown },
    private readonly pid: number,
    private readonly detail: boolean,
  ) {}
  write(chunk: string): void {
    for (const raw of chunk.split('\n')) {
      if (raw.length === 0) continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        this.out.write(`${raw}\n`);
        continue;
      }
      this.out.write(`${formatTextLine(rec, this.pid, this.detail)}\n`);
    }
  }
}

/** Synchronous writer on a file descriptor (stdout or -g file): log lines must not be lost on exit. */
class FdWriter {
  constructor(private readonly fd: number) {}
  write(line: string): void {
    try {
      writeSync(this.fd, line);
    } catch {
      // EAGAIN/EPIPE on a closed console: dropping a log line is better than crashing the daemon.
    }
  }
}

export function createRootLog(opts: LogOptions = {}): RootLog {
  const pid = opts.pid ?? process.pid;
  const detail = opts.detail ?? false;
  const debugSet = new Set<string>(opts.debug ?? []);
  const all = debugSet.has('all');
  const isDebugEnabled = (cat: DebugCategory): boolean => all || debugSet.has(cat);
  const format = opts.format ?? (process.stdout.isTTY ? 'text' : 'json');
  const sink: { write(line: string): unknown } =
    opts.destination ?? (opts.file !== undefined ? new FdWriter(openSync(opts.file, 'a')) : new FdWriter(1));
  const dest: DestinationStream = format === 'text' ? new TextDestination(sink, pid, detail) : { write: (s: string) => void sink.write(s) };
  const level = opts.level ?? (debugSet.size > 0 ? 'debug' : 'info');
  const logger = pino({ level, base: { pid }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
  return {
    logger,
    detail,
    component: (c) => logger.child({ component: c }),
    category: (parent, cat) => parent.child({ category: cat }, { level: isDebugEnabled(cat) ? 'debug' : 'info' }),
    isDebugEnabled,
  };
}

/** A logger that discards everything (unit tests of modules that take a logger). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Logs at most once per `intervalUs` per key (keepalived's "log_rate_limited_error"): returns true when the
 * caller should log now. The count of suppressed events since the last log is returned via `suppressed`.
 */
export class RateLimiter {
  private readonly last = new Map<string, { atUs: number; suppressed: number }>();
  constructor(private readonly intervalUs: number) {}
  check(key: string, nowUs: number): { readonly log: boolean; readonly suppressed: number } {
    const e = this.last.get(key);
    if (e === undefined || nowUs - e.atUs >= this.intervalUs) {
      const suppressed = e?.suppressed ?? 0;
      this.last.set(key, { atUs: nowUs, suppressed: 0 });
      return { log: true, suppressed };
    }
    e.suppressed++;
    return { log: false, suppressed: e.suppressed };
  }
}
