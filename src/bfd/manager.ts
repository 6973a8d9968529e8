/**
 * The daemon's BFD process equivalent: one session per `bfd_instance` (those that send events to
 * VRRP or the checkers), the shared listener, demultiplexing of received packets (Your Discriminator,
 * else neighbor/source address pair, RFC 5880 §6.8.6) with the GTSM check, and the session state as
 * seen by `track_bfd` (up only after an Up notified by the session, down otherwise, as keepalived's
 * vrrp_tracked_bfd starts down). Reload (`update`) keeps a session whose addresses and TTL settings
 * are unchanged — its state and discriminators survive, new timers are announced with a Poll —
 * and replaces the others. Logs use keepalived's words ("(NAME) Entering Up state").
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { BfdInstance } from '../config/model.js';
import { BfdSessionDriver, type BfdStateChange } from './driver.js';
import { formatBfdDump } from './dump.js';
import { BFD_DIAG_NAMES, BFD_STATE_NAMES, bfdTtlAcceptable, BfdState, decodeBfdPacket, encodeBfdPacket, type BfdDropReason } from './packet.js';
import type { BfdRandom, BfdSessionParams } from './session.js';
import type { BfdDatagram, BfdListener, BfdSender } from './transport.js';
import { openBfdListener, openBfdSender } from './transport.js';

/** Socket factory (real sockets by default; tests pass an in-memory one). */
export interface BfdIo {
  openListener(families: ReadonlySet<4 | 6>, onPacket: (d: BfdDatagram) => void, onError: (err: Error) => void): Promise<BfdListener>;
  openSender(neighborIp: string, sourceIp: string | null, ttl: number, onError: (err: Error) => void): Promise<BfdSender>;
}

export const realBfdIo: BfdIo = {
  openListener: openBfdListener,
  openSender: (n, s, ttl, onError) => openBfdSender(n, s, ttl, onError),
};

/** What status/JSON dumps show of a session. */
export interface BfdSessionStatus {
  readonly name: string;
  readonly neighbor: string;
  readonly source: string | null;
  readonly state: string;
  readonly remoteState: string;
  readonly localDiag: string;
  readonly localDiscr: number;
  readonly remoteDiscr: number;
  readonly txIntervalUs: number;
  readonly detectTimeUs: number;
  readonly trackedUp: boolean;
}

/** Retry delay for a sender whose source address cannot be bound yet. */
const SENDER_RETRY_US = 1_000_000;

interface Entry {
  inst: BfdInstance;
  readonly driver: BfdSessionDriver;
  sender: BfdSender | undefined;
  retry: TimerHandle | undefined;
  trackedUp: boolean;
  closed: boolean;
  lastSeenMs: number | null;
}

function sessionParams(b: BfdInstance): BfdSessionParams {
  return { desiredMinTxUs: b.minTxUs, requiredMinRxUs: b.minRxUs, idleTxUs: b.idleTxUs, detectMult: b.multiplier, passive: b.passive };
}

/** Fields whose change needs a new session (new sockets / demultiplexing keys). */
function identity(b: BfdInstance): string {
  return JSON.stringify([b.neighborIp.address, b.sourceIp?.address ?? null, b.ttl, b.maxHops]);
}

const familyOf = (b: BfdInstance): 4 | 6 => (b.neighborIp.family === 'inet' ? 4 : 6);

function sameIp(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.includes(':') && b.includes(':')) {
    try {
      return new URL(`http://[${a}]/`).hostname === new URL(`http://[${b}]/`).hostname;
    } catch {
      return false;
    }
  }
  return false;
}

export class BfdManager {
  private readonly entries = new Map<string, Entry>();
  private listener: BfdListener | undefined;
  private listenerFamilies = '';
  private started = false;
  private readonly drops = new Map<BfdDropReason | 'ttl' | 'no-session', number>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    /** A session's client-visible state changed (track_bfd). */
    private readonly onChange: (name: string, up: boolean) => void,
    private readonly io: BfdIo = realBfdIo,
    private readonly random: () => number = Math.random,
  ) {}

  /** (Re)configures the sessions: unchanged ones keep running, changed timers are renegotiated. */
  async update(instances: readonly BfdInstance[]): Promise<void> {
    const wanted = new Map(instances.map((b) => [b.name, b] as const));
    for (const [name, e] of this.entries) {
      const next = wanted.get(name);
      if (next === undefined || identity(next) !== identity(e.inst)) {
        this.closeEntry(e);
        this.entries.delete(name);
        if (e.trackedUp) this.onChange(name, false);
      }
    }
    for (const b of instances) {
      const e = this.entries.get(b.name);
      if (e !== undefined) {
        if (JSON.stringify(sessionParams(b)) !== JSON.stringify(sessionParams(e.inst))) e.driver.reconfigure(sessionParams(b));
        e.inst = b;
        continue;
      }
      this.entries.set(b.name, this.createEntry(b));
    }
    if (this.started) await this.syncListener();
    if (this.started) for (const e of this.entries.values()) if (e.sender === undefined && e.retry === undefined) void this.openSender(e);
  }

  async start(): Promise<void> {
    this.started = true;
    await this.syncListener();
    await Promise.all([...this.entries.values()].map((e) => this.openSender(e)));
  }

  stop(): void {
    this.started = false;
    for (const e of this.entries.values()) this.closeEntry(e);
    this.entries.clear();
    this.listener?.close();
    this.listener = undefined;
    this.listenerFamilies = '';
  }

  /** up/down for track_bfd; a name without a session (dropped by the BFD config) stays down. */
  isUp(name: string): boolean {
    return this.entries.get(name)?.trackedUp ?? false;
  }

  names(): readonly string[] {
    return [...this.entries.keys()];
  }

  status(): readonly BfdSessionStatus[] {
    return [...this.entries.values()].map((e) => {
      const v = e.driver.session.view();
      return {
        name: e.inst.name,
        neighbor: e.inst.neighborIp.address,
        source: e.inst.sourceIp?.address ?? null,
        state: BFD_STATE_NAMES[v.sessionState],
        remoteState: BFD_STATE_NAMES[v.remoteSessionState],
        localDiag: BFD_DIAG_NAMES[v.localDiag] ?? String(v.localDiag),
        localDiscr: v.localDiscr,
        remoteDiscr: v.remoteDiscr,
        txIntervalUs: v.txIntervalUs,
        detectTimeUs: v.detectTimeUs,
        trackedUp: e.trackedUp,
      };
    });
  }

  /** Packets dropped before reaching a session, by reason. */
  dropCounts(): ReadonlyMap<string, number> {
    return this.drops;
  }

  /** Entry point of the listener (public for tests). */
  handleDatagram(d: BfdDatagram): void {
    const r = decodeBfdPacket(d.payload);
    if (!r.ok) return this.drop(r.reason, `${d.source}: ${r.detail}`);
    const p = r.packet;
    let e: Entry | undefined;
    if (p.yourDiscr !== 0) {
      for (const x of this.entries.values()) if (x.driver.session.view().localDiscr === p.yourDiscr) e = x;
    } else {
      for (const x of this.entries.values()) {
        if (!sameIp(x.inst.neighborIp.address, d.source)) continue;
        if (x.inst.sourceIp !== null && d.destination !== undefined && !sameIp(x.inst.sourceIp.address, d.destination)) continue;
        e = x;
        break;
      }
    }
    if (e === undefined) return this.drop('no-session', `${d.source}: no session for discriminator ${p.yourDiscr}`);
    if (!bfdTtlAcceptable(d.ttl, e.inst.ttl, e.inst.maxHops)) {
      return this.drop('ttl', `(${e.inst.name}) Packet ${d.family === 4 ? 'ttl' : 'hop_limit'}(${d.ttl ?? 0}) < ${e.inst.ttl - e.inst.maxHops} - discarding`);
    }
    e.lastSeenMs = Date.now();
    e.driver.receive(p);
  }

  /** keepalived_bfd.data text (SIGUSR1); empty when there is no session. */
  dumpText(now: Date = new Date()): string {
    if (this.entries.size === 0) return '';
    return formatBfdDump([...this.entries.values()].map((e) => ({ inst: e.inst, view: e.driver.session.view(), lastSeenMs: e.lastSeenMs })), now);
  }

  private drop(reason: BfdDropReason | 'ttl' | 'no-session', detail: string): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
    this.log.debug({ reason }, `BFD packet dropped: ${detail}`);
  }

  private createEntry(b: BfdInstance): Entry {
    const rnd: BfdRandom = {
      fraction: this.random,
      discriminator: () => this.freshDiscriminator(),
    };
    const entry: Entry = {
      inst: b,
      sender: undefined,
      retry: undefined,
      trackedUp: false,
      closed: false,
      lastSeenMs: null,
      driver: new BfdSessionDriver(
        sessionParams(b),
        rnd,
        this.clock,
        (fields) => entry.sender?.send(encodeBfdPacket(fields)),
        (c) => this.stateChanged(entry, c),
      ),
    };
    return entry;
  }

  private freshDiscriminator(): number {
    const used = new Set([...this.entries.values()].map((e) => e.driver.session.view().localDiscr));
    for (;;) {
      const d = 1 + Math.floor(this.random() * 0xfffffffe);
      if (!used.has(d)) return d;
    }
  }

  private stateChanged(e: Entry, c: BfdStateChange): void {
    const name = e.inst.name;
    if (c.to === BfdState.Up) this.log.info(`(${name}) Entering Up state`);
    else if (c.to === BfdState.Down && c.from === BfdState.Up) {
      this.log.warn(`(${name}) Entering Down state (Local diagnostic - ${BFD_DIAG_NAMES[c.diag] ?? c.diag}, Remote diagnostic - ${BFD_DIAG_NAMES[c.remoteDiag] ?? c.remoteDiag})`);
    } else this.log.debug(`(${name}) Entering ${BFD_STATE_NAMES[c.to]} state`);
    if (!c.notify) return;
    const up = c.to === BfdState.Up;
    if (up === e.trackedUp) return;
    e.trackedUp = up;
    this.onChange(name, up);
  }

  private async openSender(e: Entry): Promise<void> {
    if (e.closed || e.sender !== undefined) return;
    try {
      const s = await this.io.openSender(e.inst.neighborIp.address, e.inst.sourceIp?.address ?? null, e.inst.ttl, (err) =>
        this.log.debug({ err }, `(${e.inst.name}) BFD send error`),
      );
      if (e.closed) {
        s.close();
        return;
      }
      e.sender = s;
      e.driver.start();
    } catch (err) {
      if (e.retry === undefined) this.log.error({ err }, `(${e.inst.name}) cannot open the BFD socket, retrying every second`);
      e.retry = this.clock.setTimer(SENDER_RETRY_US, () => {
        e.retry = undefined;
        void this.openSender(e);
      });
    }
  }

  private closeEntry(e: Entry): void {
    e.closed = true;
    e.driver.stop();
    this.clock.clearTimer(e.retry);
    e.retry = undefined;
    e.sender?.close();
    e.sender = undefined;
  }

  private async syncListener(): Promise<void> {
    const families = new Set([...this.entries.values()].map((e) => familyOf(e.inst)));
    const key = [...families].sort().join(',');
    if (key === this.listenerFamilies && this.listener !== undefined) return;
    this.listener?.close();
    this.listener = undefined;
    this.listenerFamilies = '';
    if (families.size === 0) return;
    try {
      this.listener = await this.io.openListener(families, (d) => this.handleDatagram(d), (err) => this.log.warn({ err }, 'BFD listener error'));
      this.listenerFamilies = key;
    } catch (err) {
      this.log.error({ err }, `cannot listen for BFD on UDP port 3784: ${String(err)}`);
    }
  }
}
