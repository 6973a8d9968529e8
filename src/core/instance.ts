/**
 * The instance driver: runs one `vrrp_instance` by feeding the pure FSM (`src/vrrp/fsm`) with events
 * (timer expiries on the Clock, decoded adverts, link changes, shutdown, reload) and executing the effects
 * it returns through the ports (advert channel, VIP programming, GARP, notify scripts and FIFO).
 *
 *   packet ─ decode (h4 codec) ─ instance checks ─┐
 *   clock (ONE timer: earliest FSM slot) ─────────┼─► step(state, event, nowUs) ─► effects ─► ports
 *   link / address events, shutdown, reload ──────┘
 *
 * Effects run strictly in FSM order through one promise queue (advert before VIPs, VIPs before GARP,
 * notify_stop awaited at shutdown). Dropped adverts are counted per reason and logged rate-limited.
 * A VIP deleted by someone else while we are MASTER is re-added and logged.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from './clock.js';
import { RateLimiter } from './log.js';
import type { ResolvedInstance, ResolvedVip } from './instance-config.js';
import type { AdvertChannel, AdvertChannelFactory, GarpPort, NotifyPort, ReceivedAdvertPacket, VipPort } from './ports.js';
import { createInstance, step, TIMER_KINDS } from '../vrrp/fsm/index.js';
import type { Effect, InstanceState, TimerKind, VrrpEvent, VrrpState } from '../vrrp/fsm/index.js';
import {
  authDataFromPassword, checkAdvertForInstance, checkUnicastSource, decodeAdvert, decodeIpv4Packet, encodeAdvert, ktsCodeOf,
  VRRP_IPV6_GROUP,
} from '../vrrp/packet/index.js';
import type { DropReason, VrrpAdvert } from '../vrrp/packet/index.js';
import { vipKey } from '../io/netlink/index.js';
import { createTrackingSet, observe as observeTracker, summarize, trackerKey } from '../vrrp/tracking/tracking-set.js';
import type { TrackingSet } from '../vrrp/tracking/tracking-set.js';
import { trackerContribution } from '../vrrp/tracking/priority.js';
import type { TrackerObservation } from '../vrrp/tracking/priority.js';
import type { TrackerKind } from '../vrrp/params.js';

/** Counters of one instance (SIGUSR2 dump, tests). */
export interface InstanceStats {
  advertsReceived: number;
  advertsSent: number;
  becameMaster: number;
  releasedMaster: number;
  priorityZeroReceived: number;
  priorityZeroSent: number;
  /** Adverts for other VRIDs seen on our socket (not errors). */
  otherVrid: number;
  /** Dropped adverts per drop code. */
  readonly drops: Record<string, number>;
  /** Accepted adverts with findings (address list, v3 interval) per warning code. */
  readonly warnings: Record<string, number>;
  sendErrors: number;
  vipsReadded: number;
  /** v2 adverts whose auth type keepalived does not know (not 0/1/2): its invalid_authtype; also in drops['auth-type']. */
  invalidAuthType: number;
}

export interface InstanceDeps {
  readonly clock: Clock;
  /** Component logger (`vrrp`); the driver binds `instance`/`vrid`. */
  readonly log: Logger;
  /** Optional debug-category loggers. */
  readonly packetLog?: Logger;
  readonly fsmLog?: Logger;
  readonly openChannel: AdvertChannelFactory;
  readonly addresses: VipPort;
  readonly garp: GarpPort;
  readonly notify: NotifyPort;
  /** false with `-V/--dont-release-vrrp`: leave VIPs in place on stop. */
  readonly releaseVipsOnStop: boolean;
  readonly observer?: InstanceObserver;
}

/** The last applied `transition` effect (status document). */
export interface LastTransition {
  readonly from: VrrpState;
  readonly to: VrrpState;
  readonly reason: string;
  readonly atUs: number;
}

/**
 * Operations observers (metrics, split-brain monitor): called synchronously, never change the driver.
 * `advertChecked` sees every advert for our VRID that got as far as the instance checks (accepted or not).
 */
export interface InstanceObserver {
  stepped?(name: string, after: InstanceState, effects: readonly Effect[]): void;
  advertAccepted?(name: string): void;
  dropped?(name: string, code: DropReason['code'] | 'unicast-src'): void;
  advertChecked?(
    name: string, after: InstanceState, srcAddr: string, advert: VrrpAdvert, verdict: ReturnType<typeof checkAdvertForInstance> | { readonly ok: true; readonly warnings: readonly [] },
  ): void;
}

/** What a sync group coordinator offers its members (src/core/sync-group.ts). */
export interface GroupDispatcher {
  dispatch(member: string, ev: VrrpEvent): void;
}

const DROP_LOG_INTERVAL_US = 10_000_000;
/** Our own deletions are ignored by the "VIP deleted externally" check for this long. */
const OWN_REMOVAL_WINDOW_US = 2_000_000;
/** Retry period for an advert socket that could not be opened. */
const CHANNEL_RETRY_US = 1_000_000;

export class InstanceDriver {
  private fsm: InstanceState;
  private cfg: ResolvedInstance;
  private tracking: TrackingSet;
  private group: GroupDispatcher | undefined;
  /** Last (Σ weights, faults) fed to the FSM; '0|' = nothing tracked, healthy. */
  private lastTrackingKey = '0|';
  private channel: AdvertChannel | undefined;
  private channelRetry: TimerHandle | undefined;
  /** The last open of the advert socket failed (its error was logged once). */
  private channelFailing = false;
  private timer: TimerHandle | undefined;
  private armedAtUs: number | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  /** stop() came from a reload that removed the instance. */
  private deletedAtReload = false;
  private readonly ownRemovals = new Map<string, number>();
  private readonly dropLimiter = new RateLimiter(DROP_LOG_INTERVAL_US);
  private lastTransitionRec: LastTransition | null = null;
  private log: Logger;
  private fsmLog: Logger;
  private packetLog: Logger;
  readonly stats: InstanceStats = {
    advertsReceived: 0, advertsSent: 0, becameMaster: 0, releasedMaster: 0, priorityZeroReceived: 0, priorityZeroSent: 0,
    otherVrid: 0, drops: {}, warnings: {}, sendErrors: 0, vipsReadded: 0, invalidAuthType: 0,
  };

  constructor(
    config: ResolvedInstance,
    private readonly deps: InstanceDeps,
  ) {
    this.cfg = config;
    this.fsm = createInstance(config.params);
    this.tracking = createTrackingSet(config.params.trackers);
    this.log = deps.log.child({ instance: config.name, vrid: config.vrid });
    // FSM log messages already carry the "(VI_1) " prefix: no `instance` binding there.
    this.fsmLog = (deps.fsmLog ?? deps.log).child({ vrid: config.vrid });
    this.packetLog = (deps.packetLog ?? deps.log).child({ instance: config.name, vrid: config.vrid });
  }

  get name(): string {
    return this.cfg.name;
  }

  get config(): ResolvedInstance {
    return this.cfg;
  }

  get state(): VrrpState {
    return this.fsm.state;
  }

  get fsmState(): InstanceState {
    return this.fsm;
  }

  /** The last state change `{ from, to, reason, atUs }`, null before the first one. */
  get lastTransition(): LastTransition | null {
    return this.lastTransitionRec;
  }

  /** `--signum=STATS_CLEAR`: zeroes every counter in place (keepalived clears its vrrp_stats). */
  clearStats(): void {
    const st = this.stats;
    st.advertsReceived = st.advertsSent = st.becameMaster = st.releasedMaster = 0;
    st.priorityZeroReceived = st.priorityZeroSent = st.otherVrid = st.sendErrors = st.vipsReadded = st.invalidAuthType = 0;
    for (const k of Object.keys(st.drops)) delete st.drops[k];
    for (const k of Object.keys(st.warnings)) delete st.warnings[k];
  }

  /** Resolves once every effect queued so far has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Opens the advert channel and starts the FSM (BACKUP, or MASTER for an address owner). */
  start(linkUp: boolean): void {
    this.openChannel();
    this.refreshFaults('startup');
    if (!linkUp) this.dispatch({ type: 'interfaceChanged', ifname: this.cfg.ifname, up: false });
    // Sync group members are started together by their group (startGroup).
    if (this.group === undefined) this.dispatch({ type: 'start' });
  }

  /**
   * Makes this instance a member of a sync group: its events are stepped by the group coordinator,
   * which hands back the member's new FSM state and effects (`commitFromGroup`).
   */
  joinGroup(group: GroupDispatcher): void {
    this.group = group;
  }

  /** Called by the group coordinator after a group step. */
  commitFromGroup(state: InstanceState, effects: readonly Effect[]): void {
    this.fsm = state;
    for (const e of effects) this.apply(e);
    this.deps.observer?.stepped?.(this.cfg.name, state, effects);
    this.rearm();
  }

  /** Interface of the instance went up/down (FAULT handling is the FSM's). */
  linkChanged(up: boolean): void {
    this.dispatch({ type: 'interfaceChanged', ifname: this.cfg.ifname, up });
  }

  /**
   * Current result of each tracker by `kind:name` (status document): up/down/unknown and the amount it
   * adds to the base priority now.
   */
  trackerResults(): ReadonlyMap<string, { readonly status: 'up' | 'down' | 'unknown'; readonly contribution: number }> {
    const out = new Map<string, { readonly status: 'up' | 'down' | 'unknown'; readonly contribution: number }>();
    for (const def of this.tracking.defs) {
      const key = trackerKey(def);
      const obs = this.tracking.observations[key] ?? { kind: 'unknown' as const };
      const c = trackerContribution(def, obs);
      const status = obs.kind === 'unknown' ? 'unknown' : c.fault !== null ? 'down' : obs.kind === 'value' ? (obs.value !== 0 || def.kind === 'file' ? 'up' : 'down') : obs.kind;
      out.set(key, { status, contribution: c.weight });
    }
    return out;
  }

  /** Tracker names of one kind this instance follows (track_interface, track_script, …). */
  trackedNames(kind: TrackerKind): readonly string[] {
    return this.tracking.defs.filter((d) => d.kind === kind).map((d) => d.name);
  }

  /**
   * A tracked object changed (interface up/down, vrrp_script result): re-summarises the tracking set
   * and, when Σ weights or the fault list changed, feeds `trackingChanged` to the FSM. Works before start.
   */
  observe(kind: TrackerKind, name: string, obs: TrackerObservation): void {
    const next = observeTracker(this.tracking, kind, name, obs);
    if (next === this.tracking) return;
    this.applyTracking(next, `track_${kind} ${name} ${obs.kind === 'value' ? `value ${obs.value}` : obs.kind}`);
  }

  private applyTracking(next: TrackingSet, cause: string): void {
    this.tracking = next;
    this.refreshFaults(cause);
  }

  /**
   * Feeds the FSM the tracker summary plus the driver's own fault: an instance without an advert source
   * address (no IPv4 on its interface yet, socket cannot open) stays in FAULT instead of becoming a
   * silent MASTER.
   */
  private refreshFaults(cause: string): void {
    const sum = summarize(this.tracking);
    const faults = [...sum.faultReasons];
    if (this.channel === undefined) faults.push(`no advert socket (no IPv${this.cfg.family} address on ${this.cfg.ifname}?)`);
    const key = `${sum.weightSum}|${faults.join('|')}`;
    if (key === this.lastTrackingKey) return;
    this.lastTrackingKey = key;
    this.dispatch({ type: 'trackingChanged', weightSum: sum.weightSum, faultReasons: faults, cause });
  }

  /**
   * Opens the advert socket. When that fails (an IPv6 link-local still tentative during DAD right after
   * the link came up) the instance stays in FAULT and the open is retried every CHANNEL_RETRY_US, logged
   * once per failure streak; success re-evaluates the FAULT. Without any source address the daemon
   * reopens when the interface gets one (Daemon.followPrimaryAddress).
   */
  private openChannel(): void {
    this.deps.clock.clearTimer(this.channelRetry);
    this.channelRetry = undefined;
    try {
      this.channel = this.deps.openChannel(
        this.cfg,
        (p) => this.handlePacket(p),
        (err) => this.log.error({ err }, 'advert socket error'),
      );
      if (this.channelFailing) this.log.info('advert socket opened');
      this.channelFailing = false;
    } catch (err) {
      this.channel = undefined;
      if (!this.channelFailing) this.log.error({ err }, `cannot open the advert socket: ${(err as Error).message}; retrying every ${CHANNEL_RETRY_US / 1_000_000} s`);
      this.channelFailing = true;
      // Without a source address there is nothing to retry: the daemon reopens when one appears.
      if (this.cfg.sourceAddress === null) return;
      this.channelRetry = this.deps.clock.setTimer(CHANNEL_RETRY_US, () => {
        this.channelRetry = undefined;
        if (this.stopping || this.channel !== undefined) return;
        this.openChannel();
        if (this.channel !== undefined) this.refreshFaults('advert socket opened');
      });
    }
  }

  /** Netlink saw an address disappear: re-add it if it is one of our VIPs and we are MASTER. */
  addressRemoved(ifindex: number, address: string, prefixLen: number): void {
    const vip = this.cfg.vips.find((v) => v.spec.ifindex === ifindex && v.address === address && (v.spec.prefixLen ?? prefixLen) === prefixLen);
    if (vip === undefined) return;
    const key = vipKey(vip.spec);
    const own = this.ownRemovals.get(key);
    if (own !== undefined && this.deps.clock.nowUs() - own < OWN_REMOVAL_WINDOW_US) return;
    if (this.stopping || this.fsm.state !== 'MASTER' || !this.fsm.vipsSet) return;
    this.log.warn({ address, ifname: vip.ifname }, `VIP ${address} was deleted externally while MASTER, re-adding it`);
    this.stats.vipsReadded++;
    this.enqueue(async () => {
      await this.addVip(vip);
      this.deps.garp.announce(this.garpRequest([vip], 1));
    });
  }

  /**
   * Sends the priority-0 goodbye (if MASTER), removes VIPs (unless -V), runs notify_stop; closes the socket.
   * `deletedAtReload`: a SIGHUP removed the instance — keepalived's FAULT (or DELETED) notifies instead of STOP.
   */
  async stop(opts: { readonly deletedAtReload?: boolean } = {}): Promise<void> {
    if (this.stopping) return this.queue;
    this.deletedAtReload = opts.deletedAtReload === true;
    this.dispatch(opts.deletedAtReload === true ? { type: 'shutdown', deletedAtReload: true } : { type: 'shutdown' });
    this.stopping = true;
    await this.queue;
    this.clearTimer();
    this.deps.clock.clearTimer(this.channelRetry);
    this.channelRetry = undefined;
    this.deps.garp.cancel(this.cfg.name);
    this.channel?.close();
    this.channel = undefined;
  }

  /**
   * SIGHUP: takes the new configuration of the same instance (same reload key). VIP differences are
   * applied in place while MASTER (no state change); a changed priority goes through the FSM.
   */
  reconfigure(next: ResolvedInstance, reopenChannel: boolean): void {
    const prev = this.cfg;
    const prevKeys = new Map(prev.vips.map((v) => [vipKey(v.spec), v] as const));
    const nextKeys = new Map(next.vips.map((v) => [vipKey(v.spec), v] as const));
    const removed = [...prevKeys].filter(([k]) => !nextKeys.has(k)).map(([, v]) => v);
    const added = [...nextKeys].filter(([k]) => !prevKeys.has(k)).map(([, v]) => v);
    this.cfg = next;
    this.log = this.deps.log.child({ instance: next.name, vrid: next.vrid });
    this.fsm = { ...this.fsm, params: next.params };
    this.applyTracking({ defs: next.params.trackers, observations: this.tracking.observations }, 'reload');
    if (reopenChannel) {
      this.channel?.close();
      this.channel = undefined;
      this.openChannel();
    }
    this.refreshFaults('reload');
    if (this.fsm.vipsSet && (removed.length > 0 || added.length > 0)) {
      this.log.info({ added: added.map((v) => v.address), removed: removed.map((v) => v.address) }, 'reload: updating VIPs');
      this.enqueue(async () => {
        for (const v of removed) await this.removeVip(v);
        for (const v of added) await this.addVip(v);
        if (added.length > 0) this.deps.garp.announce(this.garpRequest(added, next.params.garp.masterRepeat));
      });
    }
    if (next.params.basePriority !== prev.params.basePriority) {
      this.dispatch({ type: 'reloadPriority', basePriority: next.params.basePriority });
    }
  }

  // --- receive ------------------------------------------------------------------------------

  handlePacket(pkt: ReceivedAdvertPacket): void {
    if (this.stopping) return;
    const unicast = this.cfg.unicastPeers.length > 0;
    const ttlRange = unicast ? { min: 0, max: 255 } : undefined;
    let advert: VrrpAdvert;
    let srcAddr: string;
    let hops = pkt.ttl;
    if (pkt.family === 4) {
      const d = decodeIpv4Packet(pkt.bytes, { ...(ttlRange ? { ttlRange } : {}), multicastGroup: this.cfg.multicastGroup });
      if (!d.ok) return this.drop(d.drop, pkt.source);
      advert = d.advert;
      srcAddr = d.ip.src;
      hops = d.ip.ttl;
    } else {
      const d = decodeAdvert(pkt.bytes, {
        family: 6, srcAddr: pkt.source, dstAddr: pkt.destination ?? VRRP_IPV6_GROUP,
        ...(pkt.ttl !== undefined ? { hopLimit: pkt.ttl } : {}), ...(ttlRange ? { ttlRange } : {}),
      });
      if (!d.ok) return this.drop(d.drop, pkt.source);
      advert = d.advert;
      srcAddr = pkt.source;
    }
    if (unicast && this.cfg.checkUnicastSrc) {
      // check_unicast_src: a configured peer, within its min_ttl/max_ttl window (keepalived ip_ttl_err).
      const peers = this.cfg.unicastPeerTtl ?? this.cfg.unicastPeers.map((address) => ({ address, minTtl: 0, maxTtl: 255 }));
      const v = checkUnicastSource(srcAddr, hops, peers);
      if (!v.ok && v.code === 'unicast-src') {
        if (advert.vrid === this.cfg.vrid) this.deps.observer?.advertChecked?.(this.cfg.name, this.fsm, srcAddr, advert, { ok: true, warnings: [] });
        return this.drop({ code: 'unicast-src', detail: v.detail }, srcAddr);
      }
      if (!v.ok && advert.vrid === this.cfg.vrid) return this.drop({ code: 'ttl', detail: v.detail }, srcAddr);
    }
    const chk = checkAdvertForInstance(advert, {
      vrid: this.cfg.vrid,
      version: this.cfg.version,
      authType: this.cfg.authType,
      authPass: this.cfg.authPass,
      ...(this.cfg.version === 2 ? { adverIntS: Math.round(this.cfg.adverIntervalCs / 100) } : { adverIntCs: this.cfg.adverIntervalCs }),
      addresses: this.fsm.params.vips,
      skipAddressCheck: this.cfg.skipCheckAdvAddr && this.fsm.state === 'BACKUP' && this.fsm.masterAddr === srcAddr,
    });
    if (!chk.ok && chk.drop.code === 'vrid') {
      this.stats.otherVrid++;
      return;
    }
    this.deps.observer?.advertChecked?.(this.cfg.name, this.fsm, srcAddr, advert, chk);
    if (!chk.ok && chk.drop.code === 'auth-type' && advert.version === 2 && advert.authType > 2) this.stats.invalidAuthType++;
    if (!chk.ok) return this.drop(chk.drop, srcAddr);
    for (const w of chk.warnings) {
      this.stats.warnings[w.code] = (this.stats.warnings[w.code] ?? 0) + 1;
      const rl = this.dropLimiter.check(`w:${w.code}`, this.deps.clock.nowUs());
      if (rl.log) this.log.warn({ code: ktsCodeOf(w.code), from: srcAddr, suppressed: rl.suppressed }, `advert from ${srcAddr}: ${w.detail}`);
    }
    this.stats.advertsReceived++;
    this.deps.observer?.advertAccepted?.(this.cfg.name);
    if (advert.priority === 0) this.stats.priorityZeroReceived++;
    this.packetLog.debug({ from: srcAddr, priority: advert.priority }, 'advert received');
    this.dispatch({
      type: 'advertReceived',
      priority: advert.priority,
      adverIntervalCs: advert.version === 3 ? advert.maxAdverIntCs : advert.adverIntS * 100,
      srcAddr,
      version: advert.version,
    });
  }

  /** Counts and logs (rate-limited per code) a dropped advert: codec/instance ladder codes, or ours. */
  private drop(reason: DropReason | { readonly code: 'unicast-src'; readonly detail: string }, from: string): void {
    this.stats.drops[reason.code] = (this.stats.drops[reason.code] ?? 0) + 1;
    this.deps.observer?.dropped?.(this.cfg.name, reason.code);
    const rl = this.dropLimiter.check(reason.code, this.deps.clock.nowUs());
    if (rl.log) {
      const code = reason.code === 'unicast-src' ? 'KTS_VRRP_RX_UNICAST_SRC' : ktsCodeOf(reason.code);
      this.log.warn({ code, from, suppressed: rl.suppressed }, `advert from ${from} dropped: ${reason.detail}`);
    }
  }

  // --- FSM plumbing -------------------------------------------------------------------------

  private dispatch(ev: VrrpEvent): void {
    if (this.stopping) return;
    if (this.group !== undefined) {
      this.group.dispatch(this.cfg.name, ev);
      return;
    }
    const r = step(this.fsm, ev, this.deps.clock.nowUs());
    this.fsm = r.state;
    for (const e of r.effects) this.apply(e);
    this.deps.observer?.stepped?.(this.cfg.name, r.state, r.effects);
    this.rearm();
  }

  /** One Clock timer per instance, armed for the earliest pending FSM timer slot. */
  private rearm(): void {
    let earliest: number | undefined;
    for (const k of TIMER_KINDS) {
      const slot = this.fsm.timers[k];
      if (slot !== undefined && (earliest === undefined || slot.atUs < earliest)) earliest = slot.atUs;
    }
    if (earliest === this.armedAtUs && this.timer !== undefined) return;
    this.clearTimer();
    if (earliest === undefined || this.stopping) return;
    this.armedAtUs = earliest;
    this.timer = this.deps.clock.setTimer(earliest - this.deps.clock.nowUs(), () => this.onTimer());
  }

  private clearTimer(): void {
    this.deps.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.armedAtUs = undefined;
  }

  private onTimer(): void {
    this.timer = undefined;
    this.armedAtUs = undefined;
    const now = this.deps.clock.nowUs();
    const due: { kind: TimerKind; atUs: number; generation: number }[] = [];
    for (const k of TIMER_KINDS) {
      const slot = this.fsm.timers[k];
      if (slot !== undefined && slot.atUs <= now) due.push({ kind: k, ...slot });
    }
    due.sort((a, b) => a.atUs - b.atUs);
    for (const d of due) {
      if (this.fsm.timers[d.kind]?.generation === d.generation) this.dispatch({ type: 'timerFired', kind: d.kind, generation: d.generation });
    }
    this.rearm();
  }

  private enqueue(job: () => Promise<void> | void): void {
    this.queue = this.queue.then(job).catch((err: unknown) => this.log.error({ err }, 'instance effect failed'));
  }

  private apply(e: Effect): void {
    switch (e.type) {
      case 'setTimer':
      case 'cancelTimer':
        return; // the FSM state holds the slots; rearm() follows every dispatch
      case 'log': {
        const level = e.level === 'warning' ? 'warn' : e.level;
        if (level === 'debug') this.fsmLog.debug({ reason: e.reason }, e.msg);
        else this.fsmLog[level]({ reason: e.reason }, e.msg);
        return;
      }
      case 'transition':
        this.lastTransitionRec = { from: e.from, to: e.to, reason: e.reason, atUs: this.deps.clock.nowUs() };
        if (e.to === 'MASTER') this.stats.becameMaster++;
        if (e.from === 'MASTER') this.stats.releasedMaster++;
        this.fsmLog.debug({ from: e.from, to: e.to, reason: e.reason }, `(${this.cfg.name}) ${e.from} -> ${e.to}`);
        return;
      case 'sendAdvert': {
        const priority = e.priority;
        const intervalCs = e.adverIntervalCs;
        this.enqueue(() => this.sendAdvert(priority, intervalCs));
        return;
      }
      case 'addVips':
        this.enqueue(async () => {
          for (const v of this.cfg.vips) await this.addVip(v);
        });
        return;
      case 'removeVips':
        this.enqueue(async () => {
          // -V keeps VIPs at a daemon stop, not when a reload deleted the instance.
          if (this.stopping && !this.deletedAtReload && !this.deps.releaseVipsOnStop) return;
          for (const v of this.cfg.vips) await this.removeVip(v);
        });
        return;
      case 'sendGarpBurst': {
        const count = e.count;
        this.enqueue(() => {
          if (this.cfg.vips.length === 0) return;
          this.log.info(`Sending/queueing gratuitous ARPs on ${this.cfg.ifname} for ${this.cfg.vips.map((v) => v.address).join(', ')}`);
          this.deps.garp.announce(this.garpRequest(this.cfg.vips, count));
        });
        return;
      }
      case 'notify': {
        const n = this.cfg.notify;
        const script =
          e.state === 'MASTER' ? n.master : e.state === 'BACKUP' ? n.backup : e.state === 'FAULT' ? n.fault : e.state === 'STOP' ? n.stop : e.state === 'DELETED' ? (n.deleted ?? null) : null;
        const wait = e.state === 'STOP';
        const args = e.args;
        const { scope, name, state } = e;
        this.enqueue(async () => {
          const runs: Promise<void>[] = [];
          if (script !== null) runs.push(this.deps.notify.runScript(script, [], { wait, what: `notify_${e.state.toLowerCase()}` }));
          if (n.generic !== null) runs.push(this.deps.notify.runScript(n.generic, args, { wait, what: 'notify' }));
          this.deps.notify.stateNotify?.(scope, name, state);
          if (wait) await Promise.all(runs);
        });
        return;
      }
      case 'notifyEvent': {
        const script = this.cfg.notify.masterRxLowerPri;
        if (script !== null) this.enqueue(() => void this.deps.notify.runScript(script, [], { wait: false, what: 'notify_master_rx_lower_pri' }));
        return;
      }
      case 'fifoLine': {
        const line = e.line;
        this.enqueue(() => this.deps.notify.writeFifo(line));
        return;
      }
    }
  }

  // --- effect implementations ---------------------------------------------------------------

  private async sendAdvert(priority: number, intervalCs: number): Promise<void> {
    const channel = this.channel;
    const src = this.cfg.sourceAddress;
    if (channel === undefined) return;
    if (src === null) {
      const rl = this.dropLimiter.check('no-source', this.deps.clock.nowUs());
      if (rl.log) this.log.error({ code: 'KTS_INSTANCE_NO_SOURCE' }, `cannot send adverts: no IPv${this.cfg.family} address on ${this.cfg.ifname}`);
      return;
    }
    const addresses = this.fsm.params.vips;
    const advert: VrrpAdvert =
      this.cfg.version === 2
        ? {
            version: 2, type: 1, vrid: this.cfg.vrid, priority, addrCount: addresses.length, checksum: 0, addresses,
            authType: this.cfg.authType, adverIntS: Math.max(1, Math.round(intervalCs / 100)),
            ...(this.cfg.authType === 1 ? { authData: authDataFromPassword(this.cfg.authPass) } : {}),
          }
        : { version: 3, type: 1, vrid: this.cfg.vrid, priority, addrCount: addresses.length, checksum: 0, addresses, maxAdverIntCs: intervalCs };
    const family = this.cfg.family;
    const outcomes = await channel.sendToAll((dst) => encodeAdvert(advert, { family, srcAddr: src, dstAddr: dst }));
    // keepalived's advert_sent / pri_zero_sent: one per advert, however many unicast peers it went to.
    this.stats.advertsSent++;
    if (priority === 0) this.stats.priorityZeroSent++;
    for (const o of outcomes) {
      if (!o.ok) {
        this.stats.sendErrors++;
        const rl = this.dropLimiter.check('send', this.deps.clock.nowUs());
        if (rl.log) this.log.error({ err: o.error, to: o.destination, suppressed: rl.suppressed }, `failed to send advert to ${o.destination}`);
      }
    }
    this.packetLog.debug({ priority, to: outcomes.map((o) => o.destination) }, 'advert sent');
  }

  private async addVip(v: ResolvedVip): Promise<void> {
    // From now on a deletion of this address is not ours.
    this.ownRemovals.delete(vipKey(v.spec));
    try {
      await this.deps.addresses.add(v.spec);
    } catch (err) {
      this.log.error({ err, address: v.address }, `cannot add VIP ${v.address} on ${v.ifname}`);
    }
  }

  private async removeVip(v: ResolvedVip): Promise<void> {
    this.ownRemovals.set(vipKey(v.spec), this.deps.clock.nowUs());
    try {
      await this.deps.addresses.remove(v.spec);
    } catch (err) {
      this.log.error({ err, address: v.address }, `cannot remove VIP ${v.address} from ${v.ifname}`);
    }
  }

  private garpRequest(vips: readonly ResolvedVip[], repeat: number): Parameters<GarpPort['announce']>[0] {
    return {
      owner: this.cfg.name,
      ifindex: this.cfg.ifindex,
      sourceMac: this.cfg.mac,
      ipv4: vips.filter((v) => v.family === 4 && v.spec.ifindex === this.cfg.ifindex).map((v) => v.address),
      ipv6: vips.filter((v) => v.family === 6 && v.spec.ifindex === this.cfg.ifindex).map((v) => v.address),
      repeat,
      router: false,
    };
  }
}
