/**
 * The checker engine: runs every configured health checker on its own timer (Clock port, so tests
 * drive time), feeds the outcomes through the retry logic (`checker-progress.ts`) into the pool
 * (`pool.ts`) and recomputes the desired IPVS table whenever the pool changes. No IPVS I/O here:
 * the caller receives the table (`onTable`) and the pool's effects (`onEffects`: notify scripts,
 * FIFO lines, log lines) and decides what to do with them (the worker applies / forwards them).
 *
 * Timing (keepalived check_api): first run after bootstrap delay + random(0..warmup); then
 * delay_loop after a concluded check, delay_before_retry between retries.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Checker, KeepalivedConfig, RealServer, VirtualServer } from '../config/model.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { ScriptCredentials } from '../io/notify/index.js';
import type { CheckObservation } from './check-stats.js';
import { afterAttempt, INITIAL_PROGRESS, type CheckerProgress } from './checker-progress.js';
import { computeDesiredTable, type DesiredTable } from './desired-table.js';
import { fmtRs, fmtTrio, fmtVs } from './format.js';
import { LvsPool, rsId, type PoolEffect, type PoolSnapshot } from './pool.js';
import { dnsProbe } from './probes/dns.js';
import { httpProbe } from './probes/http.js';
import { miscProbe } from './probes/misc.js';
import { pingProbe } from './probes/ping.js';
import { smtpProbe } from './probes/smtp.js';
import { tcpProbe } from './probes/tcp.js';
import { udpProbe } from './probes/udp.js';
import { endpointOf, type Probe, type ProbeOutcome } from './probes/types.js';
import { fileCheckSpec, fileStatus, parseTrackFileValue, type FileCheckSpec } from './track-file.js';
import { checkerAlertBody, smtpCheckFailureText } from '../core/smtp-alerts.js';

/** keepalived's BOOTSTRAP_DELAY: checkers start one second after the daemon. */
export const BOOTSTRAP_DELAY_US = 1_000_000;

export type CheckerKindSupported = 'TCP_CHECK' | 'HTTP_GET' | 'SSL_GET' | 'MISC_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK' | 'UDP_CHECK' | 'PING_CHECK';

export interface ProbeContext {
  readonly vs: VirtualServer;
  readonly rs: RealServer;
  readonly checker: Checker;
  readonly credentials: ScriptCredentials | undefined;
}

/** Builds the probe for a checker; null = not supported (none today). FILE_CHECK is file-driven, not probed. */
export function defaultProbeFactory(ctx: ProbeContext): Probe | null {
  const c = ctx.checker;
  switch (c.kind) {
    case 'TCP_CHECK':
      return tcpProbe(endpointOf(c, ctx.rs));
    case 'HTTP_GET':
    case 'SSL_GET':
      return httpProbe(endpointOf(c, ctx.rs), c);
    case 'MISC_CHECK':
      return miscProbe(c, ctx.credentials !== undefined ? { credentials: ctx.credentials } : {});
    case 'SMTP_CHECK':
      return smtpProbe(endpointOf(c, ctx.rs), c.heloName ?? 'localhost');
    case 'DNS_CHECK':
      return dnsProbe(endpointOf(c, ctx.rs), c.type, c.name);
    case 'UDP_CHECK':
      return udpProbe(endpointOf(c, ctx.rs), c);
    case 'PING_CHECK':
      return pingProbe(endpointOf(c, ctx.rs), c.bindIf !== null ? { bindIf: c.bindIf } : {});
    default:
      return null;
  }
}

export interface EngineOptions {
  readonly config: KeepalivedConfig;
  readonly clock: Clock;
  /** Pool effects (scripts, FIFO lines, log lines), in order. */
  readonly onEffects: (effects: readonly PoolEffect[]) => void;
  /** The desired table, at start and whenever it changes. */
  readonly onTable: (table: DesiredTable) => void;
  /** Every finished check attempt (result and duration), for metrics. */
  readonly onCheck?: (observation: CheckObservation) => void;
  /** Checker log lines (success/failure of a check). */
  readonly onLog?: (level: 'info' | 'warn' | 'debug', message: string) => void;
  readonly probeFactory?: (ctx: ProbeContext) => Probe | null;
  /** misc `user` / script_user → credentials; undefined = run as ourselves. */
  readonly credentialsFor?: (user: string, group: string | null) => ScriptCredentials | undefined;
  /** [0, 1) random for the warmup spread (tests pin it). */
  readonly random?: () => number;
  readonly bootstrapDelayUs?: number;
  /** `ha_suspend`: is this virtual-server address configured on the host? Default: always true. */
  readonly isLocalAddress?: (address: string) => boolean;
}

interface Runner {
  readonly vsIndex: number;
  readonly rsIndex: number;
  readonly checkerIndex: number;
  readonly vs: VirtualServer;
  readonly rs: RealServer;
  readonly checker: Exclude<Checker, { kind: 'FILE_CHECK' }>;
  readonly probe: Probe;
  progress: CheckerProgress;
  timer: TimerHandle | undefined;
  abort: AbortController | undefined;
  attempts: number;
  lastOutcome: ProbeOutcome | null;
  suspended: boolean;
}

export interface CheckerStatus {
  readonly id: string;
  readonly kind: string;
  readonly target: string;
  readonly attempts: number;
  readonly retryIt: number;
  readonly lastOk: boolean | null;
  readonly lastReason: string | null;
}

export class CheckerEngine {
  readonly pool: LvsPool;
  private readonly runners: Runner[] = [];
  private readonly watchers: FSWatcher[] = [];
  private lastTableJson = '';
  private table: DesiredTable = { entries: [], problems: [] };
  private stopped = false;
  /** MISC_CHECK runners that reported once (keepalived mails a misc checker's first result). */
  private readonly miscReported = new WeakSet<Runner>();

  constructor(private readonly opts: EngineOptions) {
    this.pool = new LvsPool(opts.config.virtualServers);
  }

  /** `previous`: the configuration and pool state of the engine this one replaces (reload). */
  start(previous?: { readonly virtualServers: readonly VirtualServer[]; readonly pool: PoolSnapshot }): void {
    const log = this.opts.onLog ?? (() => {});
    const factory = this.opts.probeFactory ?? defaultProbeFactory;
    const random = this.opts.random ?? Math.random;
    const bootstrap = this.opts.bootstrapDelayUs ?? BOOTSTRAP_DELAY_US;
    const files: { id: string; index: number; spec: FileCheckSpec }[] = [];
    this.opts.config.virtualServers.forEach((vs, vsIndex) =>
      vs.realServers.forEach((rs, rsIndex) =>
        rs.checkers.forEach((checker, checkerIndex) => {
          if (checker.kind !== 'FILE_CHECK') return;
          const spec = fileCheckSpec(checker, this.opts.config.trackFiles);
          if (spec === null) log('warn', `FILE_CHECK for service ${fmtRs(rs, vs)} has no usable track_file - ignoring`);
          else files.push({ id: rsId(vsIndex, rsIndex), index: checkerIndex, spec });
        }),
      ),
    );
    for (const f of files) {
      const v = readTrackFile(f.spec.path);
      if (v !== undefined) this.pool.fileStatus(f.id, f.index, fileStatus(v, f.spec));
    }
    this.opts.onEffects(previous !== undefined ? this.pool.startFrom(previous) : this.pool.start());
    this.publishTable();
    this.watchFiles(files);
    this.opts.config.virtualServers.forEach((vs, vsIndex) => {
      vs.realServers.forEach((rs, rsIndex) => {
        rs.checkers.forEach((checker, checkerIndex) => {
          if (checker.kind === 'FILE_CHECK') return;
          // MISC_CHECK runs as its `user`, else as global script_user (else as ourselves).
          const su = this.opts.config.globalDefs.scriptUser;
          const own = checker.kind === 'MISC_CHECK' && checker.user !== null ? { user: checker.user, group: checker.group } : null;
          const who = checker.kind !== 'MISC_CHECK' ? null : (own ?? (su !== null ? { user: su.user, group: su.group } : null));
          const credentials = who !== null && this.opts.credentialsFor !== undefined ? this.opts.credentialsFor(who.user, who.group) : undefined;
          const probe = factory({ vs, rs, checker, credentials });
          if (probe === null) {
            log('warn', `${checker.kind} for service ${fmtRs(rs, vs)} is not supported - ignoring`);
            return;
          }
          const r: Runner = { vsIndex, rsIndex, checkerIndex, vs, rs, checker, probe, progress: INITIAL_PROGRESS, timer: undefined, abort: undefined, attempts: 0, lastOutcome: null, suspended: false };
          this.runners.push(r);
          log('info', `Activating healthchecker for service ${fmtRs(rs, vs)} for VS ${fmtVs(vs)}`);
          const warmup = checker.warmupUs !== null && checker.warmupUs > 0 ? Math.floor(checker.warmupUs * random()) : 0;
          this.schedule(r, bootstrap + warmup);
        });
      });
    });
  }

  /** FILE_CHECK: watch each tracked file's directory (inotify) and feed new values to the pool. */
  private watchFiles(files: readonly { id: string; index: number; spec: FileCheckSpec }[]): void {
    const byDir = new Map<string, typeof files>();
    for (const f of files) byDir.set(dirname(f.spec.path), [...(byDir.get(dirname(f.spec.path)) ?? []), f]);
    for (const [dir, list] of byDir) {
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (this.stopped) return;
          for (const f of list) {
            if (name !== null && name !== basename(f.spec.path)) continue;
            const v = readTrackFile(f.spec.path);
            if (v === undefined) {
              this.opts.onLog?.('info', `Invalid number read from ${f.spec.path} - ignoring`);
              continue;
            }
            const fx = this.pool.fileStatus(f.id, f.index, fileStatus(v, f.spec));
            if (fx.length > 0) {
              this.opts.onEffects(fx);
              this.publishTable();
            }
          }
        });
        w.on('error', () => {});
        this.watchers.push(w);
      } catch {
        this.opts.onLog?.('warn', `Track file directory for ${list[0]?.spec.path ?? dir} does not exist - removing`);
      }
    }
  }

  /** Cancels every checker without touching the pool or the table (the engine is being replaced). */
  halt(): void {
    this.stopped = true;
    for (const w of this.watchers) w.close();
    for (const r of this.runners) {
      this.opts.clock.clearTimer(r.timer);
      r.abort?.abort();
    }
  }

  /** Stops every checker; returns the pool's shutdown effects (omega notifies). */
  stop(): readonly PoolEffect[] {
    if (this.stopped) return [];
    this.stopped = true;
    for (const w of this.watchers) w.close();
    for (const r of this.runners) {
      this.opts.clock.clearTimer(r.timer);
      r.abort?.abort();
    }
    // The table is not republished: at stop IPVS is either torn down whole or (-I) left as it is.
    return this.pool.stop();
  }

  desiredTable(): DesiredTable {
    return this.table;
  }

  poolSnapshot(): PoolSnapshot {
    return this.pool.snapshot();
  }

  checkers(): CheckerStatus[] {
    return this.runners.map((r) => ({
      id: `${rsId(r.vsIndex, r.rsIndex)}/${r.checkerIndex}`,
      kind: r.checker.kind,
      target: `${fmtRs(r.rs, r.vs)} of VS ${fmtVs(r.vs)}`,
      attempts: r.attempts,
      retryIt: r.progress.retryIt,
      lastOk: r.lastOutcome === null ? null : r.lastOutcome.ok,
      lastReason: r.lastOutcome !== null && !r.lastOutcome.ok ? r.lastOutcome.reason : null,
    }));
  }

  private schedule(r: Runner, delayUs: number): void {
    if (this.stopped) return;
    r.timer = this.opts.clock.setTimer(delayUs, () => void this.run(r));
  }

  /** ha_suspend: checks pause while the virtual server's address is not on this host (VRRP backup). */
  private suspended(r: Runner): boolean {
    const t = r.vs.target;
    if (!r.vs.haSuspend || t.kind !== 'ip' || this.opts.isLocalAddress === undefined) return false;
    const suspend = !this.opts.isLocalAddress(t.address);
    if (suspend !== r.suspended) {
      r.suspended = suspend;
      this.opts.onLog?.('info', `${suspend ? 'Dea' : 'A'}ctivating healthchecker for service ${fmtRs(r.rs, r.vs)} for VS ${fmtVs(r.vs)}`);
    }
    return suspend;
  }

  private async run(r: Runner): Promise<void> {
    r.timer = undefined;
    if (this.stopped) return;
    if (this.suspended(r)) {
      this.schedule(r, r.checker.delayLoopUs);
      return;
    }
    const ac = new AbortController();
    r.abort = ac;
    const startedUs = this.opts.clock.nowUs();
    let outcome: ProbeOutcome;
    try {
      outcome = await r.probe(ac.signal);
    } catch (err) {
      outcome = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    r.abort = undefined;
    if (this.stopped) return;
    r.attempts++;
    r.lastOutcome = outcome;
    this.opts.onCheck?.({
      id: `${rsId(r.vsIndex, r.rsIndex)}/${r.checkerIndex}`,
      kind: r.checker.kind,
      virtualServer: fmtVs(r.vs),
      realServer: fmtRs(r.rs, r.vs),
      ok: outcome.ok,
      durationUs: this.opts.clock.nowUs() - startedUs,
      atWallMs: Date.now(),
    });
    this.conclude(r, outcome);
  }

  private conclude(r: Runner, outcome: ProbeOutcome): void {
    const log = this.opts.onLog ?? (() => {});
    const c = r.checker;
    const id = rsId(r.vsIndex, r.rsIndex);
    const isUp = this.pool.checkerUp(id, r.checkerIndex) ?? true;
    const step = afterAttempt(
      r.progress,
      outcome.ok,
      { retry: c.retry, delayLoopUs: c.delayLoopUs, delayBeforeRetryUs: c.delayBeforeRetryUs },
      {
        isUp,
        retryWhileDown: c.kind === 'TCP_CHECK',
        // check_http: a server already known dead is re-checked after max(delay_before_retry, delay_loop)
        ...(c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' ? { downDelayUs: Math.max(c.delayBeforeRetryUs, c.delayLoopUs) } : {}),
      },
    );
    r.progress = step.next;
    for (const line of checkerLogLines(r, outcome, step.report, isUp)) log('info', line);
    const fx: PoolEffect[] = [];
    if (step.report !== null) {
      const rsWasAlive = this.pool.rsAlive(id);
      fx.push(...this.pool.checkerResult(id, r.checkerIndex, step.report === 'up'));
      const alert = this.checkerAlert(r, outcome, isUp, rsWasAlive);
      if (alert !== null) fx.push(alert);
    }
    if (outcome.ok && outcome.weight !== undefined) fx.push(...this.pool.setWeight(id, outcome.weight));
    // Every change the table depends on (alive, weight, quorum, sorry server) comes with an effect.
    if (fx.length > 0) {
      this.opts.onEffects(fx);
      this.publishTable();
    }
    this.schedule(r, step.nextDelayUs);
  }

  /**
   * smtp_alert for a concluded check: a checker that changed state (MISC_CHECK: also its first
   * result), with the checker's text; the main thread decides whether it mails.
   */
  private checkerAlert(r: Runner, outcome: ProbeOutcome, wasUp: boolean, rsWasAlive: boolean | undefined): PoolEffect | null {
    const id = rsId(r.vsIndex, r.rsIndex);
    const up = this.pool.checkerUp(id, r.checkerIndex);
    const alive = this.pool.rsAlive(id);
    const firstMisc = r.checker.kind === 'MISC_CHECK' && !this.miscReported.has(r);
    if (r.checker.kind === 'MISC_CHECK') this.miscReported.add(r);
    if (up === undefined || alive === undefined || (up === wasUp && !firstMisc)) return null;
    const c = r.checker;
    const reason = outcome.ok ? undefined : outcome.reason;
    const detail = c.kind === 'SMTP_CHECK' && reason !== undefined ? smtpCheckFailureText(reason, `[${c.connectIp?.address ?? r.rs.address}]:${c.connectPort ?? r.rs.port}`) : reason;
    const body = checkerAlertBody(c.kind, up, detail);
    return { kind: 'alert', alert: { kind: 'realserver', virtualServer: fmtVs(r.vs), realServer: fmtRs(r.rs, r.vs), alive, aliveChanged: alive !== rsWasAlive, body, smtpAlert: r.rs.smtpAlert } };
  }

  private publishTable(): void {
    const t = computeDesiredTable(this.opts.config.virtualServers, this.opts.config.virtualServerGroups, this.pool.snapshot());
    const json = JSON.stringify(t.entries);
    this.table = t;
    if (json === this.lastTableJson) return;
    this.lastTableJson = json;
    this.opts.onTable(t);
  }
}

/** The tracked file's value: 0 when missing or empty, undefined when out of range. */
function readTrackFile(path: string): number | undefined {
  try {
    return parseTrackFileValue(readFileSync(path, 'latin1').slice(0, 127));
  } catch {
    return 0;
  }
}

/** FMT_CHK: the address the checker connects to, with the virtual server's protocol. */
function fmtChk(r: Runner): string {
  const c = r.checker;
  return fmtTrio(c.connectIp?.address ?? r.rs.address, r.vs.protocol, c.connectPort ?? r.rs.port);
}

/** keepalived's per-checker log lines for one concluded attempt (check_tcp.c / check_udp.c / check_misc.c wording). */
function checkerLogLines(r: Runner, outcome: ProbeOutcome, report: 'up' | 'down' | null, wasUp: boolean): string[] {
  const c = r.checker;
  const target = fmtChk(r);
  const reason = outcome.ok ? '' : outcome.reason;
  const hadRun = r.attempts > 1;
  const out: string[] = [];
  switch (c.kind) {
    case 'TCP_CHECK':
    case 'UDP_CHECK': {
      const proto = c.kind === 'TCP_CHECK' ? 'TCP' : 'UDP';
      if (!outcome.ok && wasUp && c.logAllFailures) out.push(`${proto} connection to ${target} ${reason.includes('timeout') ? 'timedout' : 'failed'}.`);
      if (report === 'up' && (!wasUp || !hadRun)) out.push(`${proto} connection to ${target} success.`);
      if (report === 'down' && (wasUp || !hadRun)) out.push(c.retry > 0 && hadRun ? `${c.kind} on service ${target} failed after ${c.retry} retries.` : `${c.kind} on service ${target} failed.`);
      return out;
    }
    case 'MISC_CHECK': {
      const script = `Misc check to [${r.rs.address}] for [${c.miscPath?.argv[0] ?? ''}]`;
      if (report === 'up' && (!wasUp || !hadRun)) out.push(`${script} succeeded.`);
      if (report === 'down' && wasUp) out.push(reason === 'timed out' ? `${script} timed out.` : `${script} failed (${reason}).`);
      return out;
    }
    case 'HTTP_GET':
    case 'SSL_GET':
      if (!outcome.ok && (wasUp || !hadRun) && c.logAllFailures) out.push(`HTTP_CHECK on service ${target}: ${reason}`);
      if (report === 'up' && !wasUp) {
        for (const u of c.urls) out.push(`${u.regex !== null ? 'Regex match' : u.digest !== null ? 'MD5 digest' : 'HTTP status code'} success to ${target} url(${u.path ?? '/'})`);
      }
      if (report === 'up' && (!wasUp || !hadRun)) out.push(`Remote Web server ${target} succeed on service.`);
      if (report === 'down' && (wasUp || !hadRun)) out.push(c.retry > 0 && hadRun ? `HTTP_CHECK on service ${target} failed after ${c.retry} retries.` : `HTTP_CHECK on service ${target} failed.`);
      return out;
    case 'PING_CHECK': {
      // check_ping.c: FMT_CHK is the real server itself in 2.2.7 (connect_ip is not shown).
      const rs = fmtRs(r.rs, r.vs);
      if (!outcome.ok && wasUp && c.logAllFailures) out.push(reason.startsWith('timeout') ? `ICMP connection to address ${rs} timeout.` : `ICMP connection to ${rs} of ${fmtVs(r.vs)} failed.`);
      if (report === 'up' && (!wasUp || !hadRun)) out.push(`ICMP connection to ${rs} success.`);
      if (report === 'down' && (wasUp || !hadRun)) out.push(c.retry > 0 && hadRun ? `ICMP CHECK on service ${rs} of ${fmtVs(r.vs)} failed after ${c.retry} retries.` : `ICMP CHECK on service ${rs} failed.`);
      return out;
    }
    default: {
      const what = { SMTP_CHECK: 'SMTP_CHECK', DNS_CHECK: 'DNS_CHECK' }[c.kind];
      if (!outcome.ok && wasUp) out.push(`${what} (${target}) ${reason}`);
      if (report === 'up' && !wasUp) out.push(`${what} on service ${target} succeeded.`);
      if (report === 'down' && wasUp) out.push(`${what} on service ${target} failed.`);
      return out;
    }
  }
}
