/**
 * GARP / unsolicited-NA announcer: turns "announce these VIPs N times on this interface" into frames
 * (garp-frame.ts, una-frame.ts) and paces them per interface the way keepalived's
 * `vrrp_garp_interval` / `vrrp_gna_interval` do: at most one gratuitous ARP per garp interval and one
 * NA per gna interval on each interface (ARP and NA are paced independently); with an interval of 0
 * everything is sent at once, synchronously. A burst sends each address `repeat` times in a row,
 * address after address — the order keepalived 2.2.7 uses (seen on the wire with
 * vrrp_garp_interval 0.2: .100, .100, .101, .101). The timing of the bursts
 * themselves (garp_master_delay, _repeat, _refresh) is the FSM's business; this module only moves
 * and paces frames. Time and I/O are injected (AnnouncerClock, FrameSender).
 */
import { buildGratuitousArp } from './garp-frame.js';
import { buildUnsolicitedNa } from './una-frame.js';
import type { FrameSender } from './packet-sender.js';

/** Minimal clock port (µs). `realAnnouncerClock` is the production implementation. */
export interface AnnouncerClock {
  nowUs(): number;
  schedule(delayUs: number, fn: () => void): { cancel(): void };
}

export const realAnnouncerClock: AnnouncerClock = {
  nowUs: () => Number(process.hrtime.bigint() / 1000n),
  schedule(delayUs, fn) {
    const t = setTimeout(fn, Math.ceil(delayUs / 1000));
    return { cancel: () => clearTimeout(t) };
  },
};

export interface AnnounceRequest {
  /** Who asked (instance name); `cancel(owner)` drops that owner's frames still queued. */
  readonly owner: string;
  readonly ifindex: number;
  /** Interface MAC, or the VMAC 00:00:5e:00:01:VRID (IPv6 …:02:VRID) with use_vmac. */
  readonly sourceMac: string;
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  /** Frames per address (garp_master_repeat); values < 1 send nothing. */
  readonly repeat: number;
  /** Router flag in NAs (interface forwards IPv6). */
  readonly router: boolean;
}

export interface AnnouncerOptions {
  readonly sender: FrameSender;
  readonly clock?: AnnouncerClock;
  /** vrrp_garp_interval in µs (0 = no pacing). */
  readonly garpIntervalUs?: number;
  /** vrrp_gna_interval in µs (0 = no pacing). */
  readonly gnaIntervalUs?: number;
  /** Per-interface intervals (keepalived `garp_group`), overriding the globals above. */
  readonly intervalsFor?: (ifindex: number) => { readonly garpUs?: number; readonly gnaUs?: number } | undefined;
  /** Called for every frame that failed to send; the announcer carries on. */
  readonly onError?: (err: unknown, frame: QueuedFrame) => void;
}

export interface QueuedFrame {
  readonly owner: string;
  readonly kind: 'garp' | 'una';
  readonly ifindex: number;
  readonly address: string;
  readonly frame: Buffer;
}

export interface AnnouncerStats {
  readonly garpSent: number;
  readonly unaSent: number;
  readonly sendErrors: number;
  readonly queued: number;
}

/** One pacing lane: (kind, ifindex). */
interface Lane {
  readonly queue: QueuedFrame[];
  lastSentUs: number | undefined;
  timer: { cancel(): void } | undefined;
}

export class GarpAnnouncer {
  readonly #sender: FrameSender;
  readonly #clock: AnnouncerClock;
  readonly #intervalUs: { readonly garp: number; readonly una: number };
  readonly #onError: ((err: unknown, frame: QueuedFrame) => void) | undefined;
  readonly #intervalsFor: AnnouncerOptions['intervalsFor'];
  readonly #lanes = new Map<string, Lane>();
  #garpSent = 0;
  #unaSent = 0;
  #sendErrors = 0;
  #closed = false;

  constructor(options: AnnouncerOptions) {
    this.#sender = options.sender;
    this.#clock = options.clock ?? realAnnouncerClock;
    this.#intervalUs = { garp: options.garpIntervalUs ?? 0, una: options.gnaIntervalUs ?? 0 };
    this.#onError = options.onError;
    this.#intervalsFor = options.intervalsFor;
  }

  /** Queue (and, when the lane is idle, send at once) one burst. Never throws on send errors. */
  announce(req: AnnounceRequest): void {
    if (this.#closed) return;
    for (const address of req.ipv4) {
      const frame = buildGratuitousArp({ sourceMac: req.sourceMac, address });
      for (let i = 0; i < req.repeat; i++) {
        this.#enqueue({ owner: req.owner, kind: 'garp', ifindex: req.ifindex, address, frame });
      }
    }
    for (const address of req.ipv6) {
      const frame = buildUnsolicitedNa({ sourceMac: req.sourceMac, address, router: req.router });
      for (let i = 0; i < req.repeat; i++) {
        this.#enqueue({ owner: req.owner, kind: 'una', ifindex: req.ifindex, address, frame });
      }
    }
  }

  /** Drop queued frames of one owner (e.g. the instance left MASTER), or all when omitted. */
  cancel(owner?: string): void {
    for (const lane of this.#lanes.values()) {
      const keep = owner === undefined ? [] : lane.queue.filter((f) => f.owner !== owner);
      lane.queue.splice(0, lane.queue.length, ...keep);
      if (lane.queue.length === 0 && lane.timer) {
        lane.timer.cancel();
        lane.timer = undefined;
      }
    }
  }

  stats(): AnnouncerStats {
    let queued = 0;
    for (const lane of this.#lanes.values()) queued += lane.queue.length;
    return { garpSent: this.#garpSent, unaSent: this.#unaSent, sendErrors: this.#sendErrors, queued };
  }

  close(): void {
    this.cancel();
    this.#closed = true;
  }

  #enqueue(frame: QueuedFrame): void {
    const key = `${frame.kind}:${frame.ifindex}`;
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = { queue: [], lastSentUs: undefined, timer: undefined };
      this.#lanes.set(key, lane);
    }
    lane.queue.push(frame);
    if (lane.timer === undefined) this.#drain(lane, frame.kind, frame.ifindex);
  }

  #intervalUsFor(kind: 'garp' | 'una', ifindex: number): number {
    const own = this.#intervalsFor?.(ifindex);
    const v = kind === 'garp' ? own?.garpUs : own?.gnaUs;
    return v ?? this.#intervalUs[kind];
  }

  #drain(lane: Lane, kind: 'garp' | 'una', ifindex: number): void {
    lane.timer = undefined;
    const intervalUs = this.#intervalUsFor(kind, ifindex);
    while (lane.queue.length > 0) {
      const now = this.#clock.nowUs();
      if (intervalUs > 0 && lane.lastSentUs !== undefined && now - lane.lastSentUs < intervalUs) {
        lane.timer = this.#clock.schedule(lane.lastSentUs + intervalUs - now, () => this.#drain(lane, kind, ifindex));
        return;
      }
      const frame = lane.queue.shift();
      if (frame === undefined) return;
      this.#transmit(frame);
      lane.lastSentUs = now;
    }
  }

  #transmit(item: QueuedFrame): void {
    try {
      this.#sender.sendFrame(item.ifindex, item.frame);
      if (item.kind === 'garp') this.#garpSent++;
      else this.#unaSent++;
    } catch (err) {
      this.#sendErrors++;
      this.#onError?.(err, item);
    }
  }
}
