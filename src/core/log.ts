/**
 * Logging: the pino root logger of the daemon, its child loggers, and where records go.
 *
 * Outputs (any combination; each pino record is parsed once and fanned out):
 *   - stdout, `json`: one pino JSON record per line (default when stdout is not a TTY: journald / shippers).
 *   - stdout, `text`: keepalived's syslog-style lines, e.g. `Keepalived_vrrp[4242]: (VI_1) Entering MASTER STATE`
 *     (chosen by `-l/--log-console`, and when stdout is a TTY). Log scrapers grep these phrases, so the
 *     message texts used by the daemon keep keepalived's wording; the `(VI_1) ` prefix comes from the
 *     `instance` binding of the child logger.
 *   - `-g FILE`: the same text lines appended to FILE.
 *   - syslog (syslog.ts): the text lines as datagrams to /dev/log, facility daemon or `-S`'s LOG_LOCALn.
 *   - `-D/--log-detail` adds the record's extra fields (`key=value`) to stdout/file text lines (not to syslog,
 *     whose lines stay keepalived's exact text) and enables `detail`.
 *
 * Which outputs the daemon turns on (`daemonLogOptions`), keepalived 2.2.7 being the reference (it always
 * logs to syslog unless -G; -l adds the console; -g adds a file):
 *   - syslog is on unless -G, except when stdout is the systemd journal (JOURNAL_STREAM matches fd 1)
 *     and stdout already carries every record: the journal would otherwise get each line twice
 *     (journald also owns /dev/log). Giving `-S` explicitly, or `-g` without `-l`, selects syslog even
 *     then, and stdout is left out when it is the journal, so the journal gets the lines once, as
 *     keepalived's `Keepalived_vrrp[pid]` syslog entries (grep, `journalctl -t`, rsyslog facility rules).
 *   - stdout: with -l always (text); otherwise unless -g is given or syslog was selected under the
 *     journal; text on a TTY, JSON otherwise. A daemon started without -n has stdout on /dev/null, so
 *     syslog is its real output there, as for keepalived.
 *   - `KTS_SYSLOG_SOCKET=PATH` (internal, tests) sends the syslog datagrams to PATH instead of /dev/log.
 *   - when /dev/log is missing (containers) one warning says so on the other outputs; -G silences it.
 *
 * Components (`vrrp`, `check`, `core`) map to keepalived's syslog idents (`Keepalived`, `Keepalived_vrrp`,
 * `Keepalived_healthcheckers`; `_NAME` appended with -s NAME / net_namespace, as 2.2.7 does); debug categories (`packet`, `fsm`,
 * `netlink`, `arp`, `checker`) are child loggers that log at `debug` only when the category is enabled.
 */
import { openSync, writeSync } from 'node:fs';
import { pino } from 'pino';
import type { Logger, DestinationStream } from 'pino';
import type { DebugCategory } from './debug-categories.js';
import { DEFAULT_SYSLOG_SOCKET, parseSyslogFacility, SyslogDestination } from './syslog.js';
import type { SyslogOutage, SyslogSend, SyslogStats } from './syslog.js';

export type { Logger } from 'pino';

export { DEBUG_CATEGORIES } from './debug-categories.js';
export type { DebugCategory } from './debug-categories.js';

/** keepalived's default log file for `-g` without a name. */
export const DEFAULT_LOG_FILE = '/tmp/keepalived.log';

/** Subsystem a log line belongs to; decides keepalived's ident in text mode. */
export type LogComponent = 'core' | 'vrrp' | 'check';

const IDENT: Readonly<Record<LogComponent, string>> = {
  core: 'Keepalived',
  vrrp: 'Keepalived_vrrp',
  check: 'Keepalived_healthcheckers',
};

/** Syslog output settings (see syslog.ts). */
export interface LogSyslogOptions {
  /** Facility code (`parseSyslogFacility` of -S). */
  readonly facility: number;
  /** Default /dev/log. */
  readonly socketPath?: string;
  /** Datagram sender (tests); default the native addon. */
  readonly send?: SyslogSend;
  /** Wall clock in ms (tests). */
  readonly now?: () => number;
}

export interface LogOptions {
  /** stdout format: `text` = keepalived-style lines, `json` = pino records. Default: text on a TTY, json otherwise. */
  readonly format?: 'text' | 'json';
  /** `-D`: detailed logging (extra fields in text lines). */
  readonly detail?: boolean;
  /** Enabled debug categories (or `all`). */
  readonly debug?: readonly (DebugCategory | 'all')[];
  /** Minimum level for the root logger (default `info`, `debug` when any category is enabled). */
  readonly level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** `-g FILE`: text lines appended to this file. */
  readonly file?: string;
  /** Write to stdout (in `format`); default: only when no `file` is given. */
  readonly stdout?: boolean;
  /** Where to write in `format` (tests pass an in-memory sink); replaces stdout and `file`. */
  readonly destination?: { write(line: string): unknown };
  /** Also send every record to syslog; default off (the daemon's choice is `daemonLogOptions`). */
  readonly syslog?: LogSyslogOptions;
  /** pid shown in text lines (default process.pid). */
  readonly pid?: number;
  /** Appended to every ident in text and syslog lines (`_NAME` for namespace NAME); default none. */
  readonly identSuffix?: string;
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
  /** Syslog delivery counters; null when syslog output is off. */
  syslogStats(): SyslogStats | null;
  /**
   * Appends `_NAME` to every ident from now on (`Keepalived_vrrp_NAME[pid]`), as keepalived does when it
   * runs in network namespace NAME (after logging `Changing syslog ident to Keepalived_NAME`).
   */
  setIdentSuffix(suffix: string): void;
}

/** Fields pino itself writes, never shown as `key=value` details in text lines. */
const RESERVED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component', 'instance', 'vrid', 'category']);

/**
 * Turns one pino JSON record into a keepalived-style text line (without trailing newline).
 * Pure, exported for tests.
 */
export function formatTextLine(rec: Readonly<Record<string, unknown>>, pid: number, detail: boolean, identSuffix = ''): string {
  const comp = typeof rec['component'] === 'string' && rec['component'] in IDENT ? (rec['component'] as LogComponent) : 'core';
  const ident = IDENT[comp] + identSuffix;
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

/** One output of the fan-out: gets the raw JSON line and, when some output needs it, the parsed record. */
interface RecordSink {
  /** True when this sink needs the parsed record (text and syslog outputs). */
  readonly parses: boolean;
  /** `rec` is undefined when the line is not JSON (or no sink parses). */
  record(raw: string, rec: Readonly<Record<string, unknown>> | undefined): void;
  /** Set on JSON sinks: takes pino's chunk as is (the single-output fast path). */
  readonly passthrough?: (chunk: string) => void;
}

/** Writes pino's JSON lines unchanged. */
function jsonSink(out: { write(line: string): unknown }): RecordSink {
  return { parses: false, record: (raw) => void out.write(`${raw}\n`), passthrough: (chunk) => void out.write(chunk) };
}

/** Rewrites each record into a keepalived-style text line. */
function textSink(out: { write(line: string): unknown }, pid: number, detail: boolean, suffix: () => string): RecordSink {
  return {
    parses: true,
    record: (raw, rec) => void out.write(`${rec === undefined ? raw : formatTextLine(rec, pid, detail, suffix())}\n`),
  };
}

function syslogSink(dest: SyslogDestination): RecordSink {
  return {
    parses: true,
    record: (raw, rec) => {
      if (rec === undefined) dest.sendLine(30, raw);
      else dest.writeRecord(rec);
    },
  };
}

/** The pino destination of the root logger: parses each record at most once and hands it to every sink. */
class FanoutDestination implements DestinationStream {
  private readonly parses: boolean;
  constructor(private readonly sinks: readonly RecordSink[]) {
    this.parses = sinks.some((s) => s.parses);
  }
  write(chunk: string): void {
    for (const raw of chunk.split('\n')) {
      if (raw.length === 0) continue;
      let rec: Record<string, unknown> | undefined;
      if (this.parses) {
        try {
          rec = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          rec = undefined;
        }
      }
      for (const sink of this.sinks) sink.record(raw, rec);
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
  const sinks: RecordSink[] = [];
  let identSuffix = opts.identSuffix ?? '';
  const suffix = (): string => identSuffix;
  const formatted = (out: { write(line: string): unknown }): RecordSink => (format === 'text' ? textSink(out, pid, detail, suffix) : jsonSink(out));
  if (opts.destination !== undefined) {
    sinks.push(formatted(opts.destination));
  } else {
    if (opts.stdout ?? opts.file === undefined) sinks.push(formatted(new FdWriter(1)));
    if (opts.file !== undefined) sinks.push(textSink(new FdWriter(openSync(opts.file, 'a')), pid, detail, suffix));
  }
  // The outage notice is logged from a later tick (`notice` below): the destination reports it from inside a write.
  const syslog =
    opts.syslog === undefined
      ? undefined
      : new SyslogDestination({
          facility: opts.syslog.facility,
          ...(opts.syslog.socketPath !== undefined ? { socketPath: opts.syslog.socketPath } : {}),
          ...(opts.syslog.send !== undefined ? { send: opts.syslog.send } : {}),
          ...(opts.syslog.now !== undefined ? { now: opts.syslog.now } : {}),
          // keepalived's exact line: scrapers anchor on it (`Entering MASTER STATE$`), and RHEL-style
          // setups run with -D by default, so the -D `[key=value]` details stay off syslog.
          format: (rec) => formatTextLine(rec, pid, false, identSuffix),
          onOutage: (event) => void setImmediate(() => notice(event)).unref(),
        });
  if (syslog !== undefined) sinks.push(syslogSink(syslog));
  const only = sinks.length === 1 ? sinks[0]?.passthrough : undefined;
  const dest: DestinationStream = only !== undefined ? { write: only } : new FanoutDestination(sinks);
  const level = opts.level ?? (debugSet.size > 0 ? 'debug' : 'info');
  const logger = pino({ level, base: { pid }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
  const core = logger.child({ component: 'core' });
  const notice = (event: SyslogOutage): void => {
    if (event.kind === 'down') {
      core.warn({ code: 'KTS_SYSLOG_UNAVAILABLE', socket: event.socketPath, error: event.error }, `syslog: cannot send to ${event.socketPath} (${event.error}); syslog lines are dropped until it is back (-G turns syslog off)`);
    } else {
      core.info({ socket: event.socketPath, dropped: event.dropped }, `syslog: sending to ${event.socketPath} again (${event.dropped} lines dropped)`);
    }
  };
  return {
    logger,
    detail,
    component: (c) => logger.child({ component: c }),
    category: (parent, cat) => parent.child({ category: cat }, { level: isDebugEnabled(cat) ? 'debug' : 'info' }),
    isDebugEnabled,
    syslogStats: () => syslog?.stats() ?? null,
    setIdentSuffix: (s) => {
      identSuffix = s;
    },
  };
}

/** What `daemonLogOptions` decides from: the daemon's logging flags and what fd 1 is. */
export interface DaemonLogInput {
  /** -l */
  readonly logConsole: boolean;
  /** -D */
  readonly logDetail: boolean;
  /** -g: '' = DEFAULT_LOG_FILE; null = none. */
  readonly logFile: string | null;
  /** -G */
  readonly noSyslog: boolean;
  /** -S as given; null = not given (daemon). */
  readonly logFacility: string | null;
  readonly debug: readonly DebugCategory[];
  readonly stdoutIsTty: boolean;
  /** fd 1 is the systemd journal (syslog.ts `stdoutIsJournal`). */
  readonly stdoutIsJournal: boolean;
  /** `KTS_SYSLOG_SOCKET` override of /dev/log (tests). */
  readonly syslogSocket?: string;
}

/** The daemon's outputs from its flags: the policy spelled out in this module's header. Pure. */
export function daemonLogOptions(input: DaemonLogInput): LogOptions {
  const file = input.logFile === null ? undefined : input.logFile === '' ? DEFAULT_LOG_FILE : input.logFile;
  const syslogAsked = input.logFacility !== null || (file !== undefined && !input.logConsole);
  const syslogOn = !input.noSyslog && (!input.stdoutIsJournal || syslogAsked);
  const stdout = input.logConsole || (file === undefined && !(syslogOn && input.stdoutIsJournal));
  const format = input.logConsole || input.stdoutIsTty ? 'text' : 'json';
  const facility = parseSyslogFacility(input.logFacility);
  return {
    format,
    detail: input.logDetail,
    debug: input.debug,
    stdout,
    ...(file !== undefined ? { file } : {}),
    ...(syslogOn && facility !== undefined
      ? { syslog: { facility, socketPath: input.syslogSocket !== undefined && input.syslogSocket !== '' ? input.syslogSocket : DEFAULT_SYSLOG_SOCKET } }
      : {}),
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
