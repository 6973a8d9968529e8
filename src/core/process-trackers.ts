/**
 * vrrp_track_process runner: counts the processes matching each tracked `vrrp_track_process`
 * (matcher: `vrrp/tracking/process-match.ts`), steps keepalived's quorum / fork_delay /
 * terminate_delay rules (`vrrp/tracking/process-quorum.ts`) and reports UP/DOWN changes to the
 * instances tracking the object ("Quorum gained|lost for tracked process NAME").
 *
 * Source of truth: polling /proc. keepalived relies on the netlink proc connector alone, but the
 * connector only answers in the initial network namespace — a subscription from any other namespace
 * is refused (ECONNREFUSED) and keepalived-ts commonly runs in one (containers, the lab, the
 * integration tests) — needs CAP_NET_ADMIN and drops events when flooded (ENOBUFS). So the counts
 * always come from /proc, and the connector (`proc-events.ts`), when it works, is only a wake-up:
 * an event that may change a count (a counted process exits / forks / execs / renames itself, or a
 * new exec or rename matches a tracker) triggers a scan within 1 ms, so failover does not wait for
 * the next poll; lost events (ENOBUFS) just trigger a scan. `process_monitor_rcv_bufs(_force)` are
 * accepted for compatibility and not applied (the socket uses a 256 KiB buffer).
 *
 * Polling cost and latency: every `pollIntervalUs` (default 100 ms: without the connector a death
 * is seen within one poll, well inside one advert interval) we list /proc (one getdents), read the
 * stat (and, for `full_command` trackers, the cmdline) of new pids, and re-read the stat of pids that
 * currently match (to see them die as zombies or exec into something else) and of young pids (seen
 * during the last `fullRescanUs`, to catch fork → exec). Every `fullRescanUs` (default 1 s) every
 * pid is re-read, which catches a long-lived process changing its comm or exec-ing in place
 * (measured on a 2-core host with ~100 pids: ≈0.45 ms per poll on average, < 0.5 % of a core).
 * A pid is identified with its start time, so pid reuse between two scans is a termination plus a
 * new process. A new matching process whose parent is counted by the same tracker is a fork
 * (fork_delay applies); any other new match is an exec (no delay). Within one scan exits are applied
 * before new matches, so a restart inside `terminate_delay` does not flap.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from './clock.js';
import type { TrackProcess } from '../config/model.js';
import type { TrackerObservation } from '../vrrp/tracking/priority.js';
import { commNameTooLong, parseProcStat, processMatches } from '../vrrp/tracking/process-match.js';
import type { ProcRecord } from '../vrrp/tracking/process-match.js';
import { initialQuorumState, stepProcessQuorum } from '../vrrp/tracking/process-quorum.js';
import type { ProcessCountEvent, ProcessQuorumState } from '../vrrp/tracking/process-quorum.js';
import { openProcEvents } from './proc-events.js';
import type { ProcEvent, ProcEventsHandle, ProcEventsHandlers } from './proc-events.js';

/** Where process information comes from (the real /proc, or recorded data in tests). */
export interface ProcSource {
  /** The pids (thread-group leaders) present now. */
  listPids(): readonly number[];
  /** /proc/PID/stat text, null when the process is gone. */
  readStat(pid: number): string | null;
  /** /proc/PID/cmdline text (NUL-separated), null when the process is gone. */
  readCmdline(pid: number): string | null;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The host's /proc. */
export function procFsSource(root = '/proc'): ProcSource {
  return {
    listPids: () => {
      try {
        return readdirSync(root)
          .filter((n) => n.charCodeAt(0) >= 49 && n.charCodeAt(0) <= 57 && /^\d+$/.test(n))
          .map((n) => Number(n));
      } catch {
        return [];
      }
    },
    readStat: (pid) => readOrNull(`${root}/${pid}/stat`),
    readCmdline: (pid) => readOrNull(`${root}/${pid}/cmdline`),
  };
}

export interface ProcessTrackersOptions {
  /** Default 100 ms. */
  readonly pollIntervalUs?: number;
  /** Re-read every pid this often; pids younger than this are re-read at every poll. Default 1 s. */
  readonly fullRescanUs?: number;
  /** Default: the host's /proc. */
  readonly source?: ProcSource;
  /** Process events used as a wake-up (default: the kernel's proc connector); null = polling only. */
  readonly procEvents?: ((h: ProcEventsHandlers) => ProcEventsHandle) | null;
}

/** Current state of one tracked process object (status document, tests). */
export interface ProcessTrackerStatus {
  readonly count: number;
  readonly haveQuorum: boolean;
  readonly delayPending: 'fork' | 'terminate' | null;
}

interface Entry {
  readonly rec: ProcRecord;
  /** Clock time the process was first seen. */
  readonly firstSeenUs: number;
}

interface Tracked {
  readonly cfg: TrackProcess & { readonly process: string };
  state: ProcessQuorumState;
  /** Counted pids → their start time. */
  matched: Map<number, string>;
  timer: TimerHandle | undefined;
}

const DEFAULT_POLL_US = 100_000;
const DEFAULT_FULL_RESCAN_US = 1_000_000;
/** Coalesces a burst of process events into one scan. */
const WAKE_DELAY_US = 1_000;

export class ProcessTrackers {
  private readonly tracked = new Map<string, Tracked>();
  private readonly entries = new Map<number, Entry>();
  private readonly source: ProcSource;
  private readonly pollUs: number;
  private readonly fullRescanUs: number;
  private readonly needCmdline: boolean;
  private readonly eventsFactory: ((h: ProcEventsHandlers) => ProcEventsHandle) | null;
  private lastFullUs: number;
  private pollTimer: TimerHandle | undefined;
  private wakeTimer: TimerHandle | undefined;
  private events: ProcEventsHandle | undefined;
  private running = false;

  constructor(
    processes: readonly TrackProcess[],
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onChange: (name: string, obs: TrackerObservation) => void,
    opts: ProcessTrackersOptions = {},
  ) {
    this.source = opts.source ?? procFsSource();
    this.pollUs = Math.max(1000, opts.pollIntervalUs ?? DEFAULT_POLL_US);
    this.fullRescanUs = Math.max(this.pollUs, opts.fullRescanUs ?? DEFAULT_FULL_RESCAN_US);
    this.eventsFactory = opts.procEvents === undefined ? (h) => openProcEvents(h) : opts.procEvents;
    this.lastFullUs = clock.nowUs();
    for (const p of processes) {
      const proc = p.process;
      if (proc === null) continue;
      const cfg = { ...p, process: proc };
      if (commNameTooLong(cfg)) {
        log.warn({ code: 'KTS_TRACK_PROCESS_COMM' }, `track_process ${p.name}: process name '${proc}' is longer than the kernel's 15-character process name and can never match; use full_command`);
      }
      this.tracked.set(p.name, { cfg, state: initialQuorumState(cfg, 0), matched: new Map(), timer: undefined });
    }
    this.needCmdline = [...this.tracked.values()].some((t) => t.cfg.fullCommand);
    if (this.tracked.size > 0) this.initialScan();
  }

  /** Names of the tracked process objects. */
  get names(): readonly string[] {
    return [...this.tracked.keys()];
  }

  observation(name: string): TrackerObservation {
    const t = this.tracked.get(name);
    if (t === undefined) return { kind: 'unknown' };
    return { kind: t.state.haveQuorum ? 'up' : 'down' };
  }

  status(name: string): ProcessTrackerStatus | undefined {
    const t = this.tracked.get(name);
    return t === undefined ? undefined : { count: t.state.count, haveQuorum: t.state.haveQuorum, delayPending: t.state.timer };
  }

  start(): void {
    if (this.running || this.tracked.size === 0) return;
    this.running = true;
    this.schedule();
    if (this.eventsFactory !== null) {
      this.events = this.eventsFactory({
        onEvent: (ev) => this.onProcEvent(ev),
        onUnavailable: (reason) => this.log.info(`track_process: no kernel process events (${reason}); polling /proc every ${this.pollUs / 1000} ms`),
        onOverrun: () => this.wake(),
      });
    }
  }

  stop(): void {
    this.running = false;
    this.events?.close();
    this.events = undefined;
    this.clock.clearTimer(this.pollTimer);
    this.pollTimer = undefined;
    this.clock.clearTimer(this.wakeTimer);
    this.wakeTimer = undefined;
    for (const t of this.tracked.values()) {
      this.clock.clearTimer(t.timer);
      t.timer = undefined;
    }
  }

  /** One poll now (the timer calls this; tests too). */
  scan(): void {
    const nowUs = this.clock.nowUs();
    const full = nowUs - this.lastFullUs >= this.fullRescanUs;
    if (full) this.lastFullUs = nowUs;
    const prevMatched = new Map<string, ReadonlyMap<number, string>>();
    for (const [name, t] of this.tracked) prevMatched.set(name, t.matched);
    const present = new Set(this.source.listPids());
    for (const pid of this.entries.keys()) if (!present.has(pid)) this.entries.delete(pid);
    const hot = new Set<number>();
    for (const t of this.tracked.values()) for (const pid of t.matched.keys()) hot.add(pid);
    for (const pid of present) {
      const e = this.entries.get(pid);
      const young = e === undefined || nowUs - e.firstSeenUs <= this.fullRescanUs;
      if (!full && !young && !hot.has(pid)) continue;
      const rec = this.read(pid, e?.rec, full || young);
      if (rec === null) {
        this.entries.delete(pid);
        continue;
      }
      this.entries.set(pid, { rec, firstSeenUs: e !== undefined && e.rec.startTime === rec.startTime ? e.firstSeenUs : nowUs });
    }
    for (const [name, t] of this.tracked) this.apply(t, prevMatched.get(name) ?? new Map());
  }

  private initialScan(): void {
    for (const pid of this.source.listPids()) {
      const rec = this.read(pid, undefined, true);
      if (rec !== null) this.entries.set(pid, { rec, firstSeenUs: this.lastFullUs });
    }
    for (const t of this.tracked.values()) {
      t.matched = this.matchesOf(t);
      t.state = initialQuorumState(t.cfg, t.matched.size);
      this.log.info(`track_process ${t.cfg.name}: ${t.matched.size} matching process(es), quorum ${t.state.haveQuorum ? 'achieved' : 'not achieved'}`);
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.pollTimer = this.clock.setTimer(this.pollUs, () => {
      try {
        this.scan();
      } catch (err) {
        this.log.error({ err }, 'track_process: scan failed');
      }
      this.schedule();
    });
  }

  /** Is `pid` counted by some tracker? */
  private counted(pid: number): boolean {
    for (const t of this.tracked.values()) if (t.matched.has(pid)) return true;
    return false;
  }

  /**
   * A kernel process event: scans at once when it may change a count (a counted process exits, forks,
   * execs or renames itself; a new exec or rename matches some tracker). Thread events are ignored.
   */
  private onProcEvent(ev: ProcEvent): void {
    if (!this.running) return;
    switch (ev.kind) {
      case 'ack':
        this.log.debug('track_process: kernel process events confirmed');
        return;
      case 'exit':
        if (ev.pid === ev.tgid && this.counted(ev.tgid)) this.wake();
        return;
      case 'fork':
        if (ev.childPid === ev.childTgid && this.counted(ev.parentTgid)) this.wake();
        return;
      case 'comm':
        if (ev.pid !== ev.tgid) return;
        if (this.counted(ev.tgid) || [...this.tracked.values()].some((t) => !t.cfg.fullCommand && t.cfg.process === ev.comm)) this.wake();
        return;
      case 'exec': {
        if (ev.pid !== ev.tgid) return;
        if (this.counted(ev.tgid)) return this.wake();
        const rec = this.read(ev.tgid, undefined, true);
        if (rec !== null && [...this.tracked.values()].some((t) => processMatches(t.cfg, rec))) this.wake();
        return;
      }
    }
  }

  private wake(): void {
    if (!this.running || this.wakeTimer !== undefined) return;
    this.wakeTimer = this.clock.setTimer(WAKE_DELAY_US, () => {
      this.wakeTimer = undefined;
      try {
        this.scan();
      } catch (err) {
        this.log.error({ err }, 'track_process: scan failed');
      }
    });
  }

  /**
   * Reads one pid. The cmdline (only needed by full_command trackers) is re-read when `refreshCmdline`
   * (new, young or full-rescan pid) or when the process is not the one `prev` describes any more.
   */
  private read(pid: number, prev: ProcRecord | undefined, refreshCmdline: boolean): ProcRecord | null {
    const statText = this.source.readStat(pid);
    if (statText === null) return null;
    const st = parseProcStat(statText);
    if (st === null) return null;
    let cmdline: string | null = null;
    if (this.needCmdline) {
      const same = prev !== undefined && prev.startTime === st.startTime && prev.comm === st.comm;
      cmdline = same && !refreshCmdline ? (prev.cmdline ?? this.source.readCmdline(pid)) : this.source.readCmdline(pid);
    }
    return { pid, ppid: st.ppid, comm: st.comm, state: st.state, startTime: st.startTime, cmdline };
  }

  private matchesOf(t: Tracked): Map<number, string> {
    const out = new Map<number, string>();
    for (const [pid, e] of this.entries) if (processMatches(t.cfg, e.rec)) out.set(pid, e.rec.startTime);
    return out;
  }

  private apply(t: Tracked, prev: ReadonlyMap<number, string>): void {
    const now = this.matchesOf(t);
    const events: ProcessCountEvent[] = [];
    for (const [pid, start] of prev) {
      if (now.get(pid) === start) continue;
      const e = this.entries.get(pid);
      const alive = e !== undefined && e.rec.startTime === start && e.rec.state !== 'Z' && e.rec.state !== 'X';
      events.push(alive ? 'unmatch' : 'exit');
    }
    for (const [pid, start] of now) {
      if (prev.get(pid) === start) continue;
      const ppid = this.entries.get(pid)?.rec.ppid;
      const forked = ppid !== undefined && ppid !== pid && (prev.has(ppid) || now.has(ppid));
      events.push(forked ? 'fork' : 'exec');
    }
    t.matched = now;
    for (const ev of events) this.step(t, ev);
  }

  private step(t: Tracked, ev: ProcessCountEvent): void {
    const s = stepProcessQuorum(t.cfg, t.state, ev);
    t.state = s.state;
    if (s.cancelTimer || s.armTimer !== null) {
      this.clock.clearTimer(t.timer);
      t.timer = undefined;
    }
    if (s.armTimer !== null) {
      t.timer = this.clock.setTimer(s.armTimer.delayUs, () => {
        t.timer = undefined;
        if (this.running) this.step(t, 'timer');
      });
    }
    if (s.changed) {
      this.log.info(`Quorum ${t.state.haveQuorum ? 'gained' : 'lost'} for tracked process ${t.cfg.name}`);
      this.onChange(t.cfg.name, this.observation(t.cfg.name));
    }
  }
}
