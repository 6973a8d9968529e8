/**
 * The composition root: `runDaemon(options)` loads the configuration, builds the io adapters (rtnetlink
 * channel + AddressManager + LinkWatcher, AF_PACKET GARP announcer, notify runner, one advert transport
 * per instance), starts one InstanceDriver per vrrp_instance (sync groups through SyncGroupDriver;
 * vrrp_script, track_file and track_interface through Trackers), starts the health-checker host when
 * virtual servers are configured, and serves signals until stopped:
 *
 *   SIGTERM/SIGINT  stop: priority-0 adverts from masters, VIPs removed (unless -V), notify_stop, exit 0
 *   SIGHUP          reload: re-read; on failure keep the running config; instances matched by
 *                   (VRID, family, interface, unicast/multicast) keep their state, VIP diffs applied live
 *   SIGUSR1/SIGUSR2 $TMPDIR/keepalived.data (+ keepalived_check.data), $TMPDIR/keepalived.stats
 *   SIGRTMIN+2      $TMPDIR/keepalived.json (keepalived's JSON layout); SIGRTMAX-1 stats dump + clear
 *
 * Startup removes configured VIPs left over from a previous run (the FSM's start effect). Link changes
 * drive FAULT; a VIP deleted by someone else while MASTER is re-added. Resolves with the exit code.
 *
 * Operations (src/ops, see src/ops/WIRING.md): the control socket answers `status` (--control-socket,
 * --control-group) and the debugging aid `debug-crash-checker`, Prometheus metrics with --metrics (checker
 * metrics from the worker's `stats` messages), the split-brain monitor fed by every driver, and
 * sd_notify READY=1 / RELOADING=1 / STOPPING=1 when NOTIFY_SOCKET is set.
 */
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { DaemonOptions } from '../cli/options.js';
import { loadConfig } from '../config/load.js';
import type { LoadResult } from '../config/load.js';
import { loadHostView } from '../io/host/index.js';
import { AddressManager, LinkWatcher, NetlinkChannel, listInterfaces, linkUsable } from '../io/netlink/index.js';
import type { HostInterface, LinkEvent } from '../io/netlink/index.js';
import { GarpAnnouncer, PacketSender } from '../io/arp/index.js';
import { AdvertSocketPool } from '../io/vrrp-socket/index.js';
import { formatDiagnostic } from './diagnostics.js';
import { createRealClock } from './clock.js';
import type { Clock } from './clock.js';
import { createRootLog, daemonLogOptions } from './log.js';
import type { RootLog } from './log.js';
import { debugCategoriesFromEnvValue } from './debug-categories.js';
import { stdoutIsJournal } from './syslog.js';
import { removePidFile, writePidFile } from './pidfile.js';
import { dataDumpPath, installSignalHandlers, jsonDumpPath, statsDumpPath } from './signals.js';
import { InstanceDriver } from './instance.js';
import { primaryAddress, resolveInstance, withSourceAddress, withSyncGroup } from './instance-config.js';
import { SyncGroupDriver } from './sync-group.js';
import { planReload } from './reload.js';
import type { ResolvedInstance } from './instance-config.js';
import { Notifier } from './notifier.js';
import { SmtpAlerter } from './smtp-alerter.js';
import { formatDataDump, formatStatsDump, writeDump } from './dumps.js';
import { buildKeepalivedJson, formatKeepalivedJson, writeJsonDump } from './json-dump.js';
import { Trackers } from './trackers.js';
import { startCheckerHost } from '../check/index.js';
import type { CheckerHost } from '../check/index.js';
import type { AdvertChannelFactory, GarpPort } from './ports.js';
import type { InstanceObserver } from './instance.js';
import { DEFAULT_CONTROL_SOCKET, startControlServer } from '../ops/control-socket.js';
import type { ControlServer } from '../ops/control-socket.js';
import { buildStatusDocument, instanceStatusFromFsm, virtualServerStatus } from '../ops/status-build.js';
import type { StatusDocument } from '../ops/status-schema.js';
import { countDrop, createKtsMetrics, forgetInstance, touchInstance } from '../ops/kts-metrics.js';
import { CheckerStatsSink } from '../ops/checker-metrics.js';
import type { KtsMetrics } from '../ops/kts-metrics.js';
import { recordVrrpStep } from '../ops/fsm-metrics.js';
import { parseMetricsAddress, startMetricsServer } from '../ops/metrics-server.js';
import type { MetricsServer } from '../ops/metrics-server.js';
import { SplitBrainMonitor } from '../ops/split-brain-monitor.js';
import { summarizeAdvert } from '../ops/advert-summary.js';
import { createSdNotifier } from '../ops/sd-notify.js';
import { canonicalIp } from '../vrrp/packet/index.js';
import { VmacManager } from '../io/netlink/index.js';
import { procSysctl, VmacSetup } from './vmac-setup.js';
import { openVmacAwareChannel } from './vmac-channel.js';
import { vmacChanged, withVmac } from './vmac-plan.js';
import { countingFrameSender } from './garp-count.js';
import type { SdNotifier } from '../ops/sd-notify.js';

export const DAEMON_VERSION = '0.1.0';

/** Process exit codes (keepalived's). */
export const DaemonExit = { OK: 0, FATAL: 1, CONFIG: 2 } as const;

/**
 * The root logger from the logging flags (outputs decided by log.ts `daemonLogOptions`): debug categories
 * from --debug-categories, else `KTS_DEBUG=packet,fsm,…|all`; `KTS_SYSLOG_SOCKET` (internal, tests)
 * replaces /dev/log.
 */
function createDaemonLog(opts: DaemonOptions): RootLog {
  const env = process.env;
  return createRootLog(
    daemonLogOptions({
      logConsole: opts.logConsole,
      logDetail: opts.logDetail,
      logFile: opts.logFile,
      noSyslog: opts.noSyslog,
      logFacility: opts.logFacility,
      debug: opts.debugCategories ?? debugCategoriesFromEnvValue(env['KTS_DEBUG']),
      stdoutIsTty: process.stdout.isTTY === true,
      stdoutIsJournal: stdoutIsJournal(env),
      ...(env['KTS_SYSLOG_SOCKET'] !== undefined ? { syslogSocket: env['KTS_SYSLOG_SOCKET'] } : {}),
    }),
  );
}

export interface DaemonHooks {
  /** Called once the daemon is running (tests). */
  readonly onReady?: (d: Daemon) => void;
  readonly log?: RootLog;
  readonly clock?: Clock;
}

/** Runs the daemon until SIGTERM/SIGINT (or `Daemon.requestStop()`); resolves with the exit code. */
export async function runDaemon(opts: DaemonOptions, hooks: DaemonHooks = {}): Promise<number> {
  const root = hooks.log ?? createDaemonLog(opts);
  const core = root.component('core');
  core.info(`Starting Keepalived-ts v${DAEMON_VERSION}`);
  if (opts.namespace !== null) {
    // keepalived 2.2.7 with -s NAME: this line, then every ident gets `_NAME` (Keepalived_vrrp_NAME[pid]).
    core.info(`Changing syslog ident to Keepalived_${opts.namespace}`);
    root.setIdentSuffix(`_${opts.namespace}`);
  }
  // -s NAME: the CLI (src/cli/namespace.ts) started this process inside /run/netns/NAME.
  if (opts.namespace !== null) core.info(`Running in network namespace ${opts.namespace}`);
  if (opts.umask !== null) process.umask(opts.umask);
  const sd = createSdNotifier({ onError: (err) => core.warn({ err }, 'sd_notify failed') });
  let metricsAddress: Parameters<typeof startMetricsServer>[1] | null = null;
  if (opts.metrics !== undefined && opts.metrics !== null) {
    const parsed = parseMetricsAddress(opts.metrics);
    if (!parsed.ok) {
      core.error({ code: parsed.code }, parsed.message);
      return DaemonExit.CONFIG;
    }
    metricsAddress = parsed.address;
  }

  const pidFiles = [opts.pidFile, ...(opts.checkOnly ? [] : [opts.vrrpPidFile])];
  try {
    for (const p of pidFiles) writePidFile(p);
  } catch (err) {
    core.error({ err }, (err as Error).message);
    return DaemonExit.FATAL;
  }
  const daemon = new Daemon(opts, root, hooks.clock ?? createRealClock(), { sd, metricsAddress });
  const uninstall = installSignalHandlers({
    stop: (sig) => {
      core.info(`Received ${sig}, stopping`);
      daemon.requestStop();
    },
    reload: () => daemon.requestReload(),
    dumpData: () => daemon.dumpData(),
    dumpStats: () => daemon.dumpStats(),
    dumpJson: () => daemon.dumpJson(),
    clearStats: () => daemon.clearStats(),
    realtimeUnavailable: (err) => core.warn({ err }, `JSON / STATS_CLEAR signals not handled: ${err.message}`),
  });
  let code: number = DaemonExit.OK;
  try {
    code = await daemon.run(hooks.onReady);
  } catch (err) {
    core.fatal({ err }, `daemon failed: ${(err as Error).message}`);
    code = DaemonExit.FATAL;
  } finally {
    uninstall();
    for (const p of pidFiles) removePidFile(p);
  }
  core.info(`Stopped Keepalived-ts v${DAEMON_VERSION}`);
  return code;
}

/** The running daemon: io adapters and one driver per instance, keyed by reload identity. */
export class Daemon {
  private readonly core: Logger;
  private readonly vrrpLog: Logger;
  private readonly drivers = new Map<string, InstanceDriver>();
  private readonly groups: SyncGroupDriver[] = [];
  private netlink: NetlinkChannel | undefined;
  private addresses: AddressManager | undefined;
  private watcher: LinkWatcher | undefined;
  private sender: PacketSender | undefined;
  private announcer: GarpAnnouncer | undefined;
  /** use_vmac links and their sysctls (vmac-setup.ts). */
  private vmacs: VmacSetup | undefined;
  private notifier: Notifier | undefined;
  /** smtp_alert mails: VRRP states (logged as vrrp) and checker events (logged as check), like keepalived's two processes. */
  private readonly vrrpAlerts: SmtpAlerter;
  private readonly checkAlerts: SmtpAlerter;
  private readonly trackers: Trackers;
  private checkers: CheckerHost | undefined;
  private interfaces = new Map<number, HostInterface>();
  private config: LoadResult | undefined;
  private stopRequested: (() => void) | undefined;
  private readonly stopPromise: Promise<void>;
  private reloading: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly sd: SdNotifier | undefined;
  private readonly metricsAddress: Parameters<typeof startMetricsServer>[1] | null;
  private metrics: KtsMetrics | undefined;
  private metricsServer: MetricsServer | undefined;
  private control: ControlServer | undefined;
  private readonly splitBrain: SplitBrainMonitor;
  private readonly startedAtWallMs = Date.now();
  private lastReloadAtWallMs: number | null = null;
  private readonly observer: InstanceObserver;
  /** Check results/durations from the worker's `stats` messages (metrics and status timings). */
  private readonly checkerStats: CheckerStatsSink;
  /** Gratuitous ARP / unsolicited NA frames sent per instance name. */
  private readonly garpSent = new Map<string, number>();

  constructor(
    private readonly opts: DaemonOptions,
    private readonly root: RootLog,
    private readonly clock: Clock,
    ops: { readonly sd?: SdNotifier; readonly metricsAddress?: Parameters<typeof startMetricsServer>[1] | null } = {},
  ) {
    this.core = root.component('core');
    this.vrrpLog = root.component('vrrp');
    this.vrrpAlerts = new SmtpAlerter({ log: this.vrrpLog, logDetail: opts.logDetail });
    this.checkAlerts = new SmtpAlerter({ log: root.component('check'), logDetail: opts.logDetail });
    this.sd = ops.sd;
    this.metricsAddress = ops.metricsAddress ?? null;
    if (this.metricsAddress !== null) this.metrics = createKtsMetrics(DAEMON_VERSION);
    this.checkerStats = new CheckerStatsSink(this.metrics);
    this.splitBrain = new SplitBrainMonitor(clock, {
      log: (lvl, msg) => this.vrrpLog[lvl === 'warning' ? 'warn' : 'info'](msg),
      ...(this.metrics !== undefined ? { metrics: this.metrics } : {}),
    });
    this.observer = this.makeObserver();
    this.stopPromise = new Promise((res) => (this.stopRequested = res));
    this.trackers = new Trackers(
      clock,
      this.vrrpLog,
      () => this.drivers.values(),
      (name) => {
        const iface = [...this.interfaces.values()].find((i) => i.name === name);
        return iface === undefined ? undefined : linkUsable(iface.flags);
      },
      !opts.noBfd,
    );
  }

  /** Instances by name (tests, dumps). */
  get instances(): readonly InstanceDriver[] {
    return [...this.drivers.values()];
  }

  requestStop(): void {
    if (this.stopRequested === undefined) return;
    this.sd?.stopping();
    this.stopRequested();
    this.stopRequested = undefined;
  }

  requestReload(): void {
    this.sd?.reloading();
    this.reloading = this.reloading
      .then(() => this.reload())
      .catch((err: unknown) => this.core.error({ err }, 'reload failed'))
      .finally(() => {
        this.lastReloadAtWallMs = Date.now();
        this.sd?.ready();
      });
  }

  /** The metrics set (only with --metrics). */
  get metricsSet(): KtsMetrics | undefined {
    return this.metrics;
  }

  /** Feeds metrics and the split-brain monitor from the drivers (see src/ops/WIRING.md). */
  private makeObserver(): InstanceObserver {
    return {
      stepped: (name, after, effects) => {
        if (this.metrics !== undefined) recordVrrpStep(this.metrics, after, effects);
        for (const e of effects) if (e.type === 'transition') this.splitBrain.stateChanged(name, e.to);
      },
      advertAccepted: (name) => this.metrics?.vrrpAdvertsReceived.inc({ vrrp_instance: name }),
      dropped: (name, code) => {
        if (this.metrics !== undefined) countDrop(this.metrics, name, code);
      },
      advertChecked: (name, after, srcAddr, advert, verdict) =>
        this.splitBrain.advertReceived(name, after.state, after.effectivePriority, summarizeAdvert(srcAddr, advert, verdict)),
    };
  }

  /** The instance whose VIP list holds `address` (GARP/NA accounting). */
  private vipOwner(address: string): string | undefined {
    for (const d of this.drivers.values()) {
      if (d.config.vips.some((v) => v.address === address || canonicalIp(v.address) === address)) return d.name;
    }
    return undefined;
  }

  private configureSplitBrain(): void {
    this.splitBrain.configure(
      this.instances.map((d) => {
        const c = d.config;
        return {
          instance: c.name, vrid: c.vrid, version: c.version, adverIntervalCs: c.adverIntervalCs,
          unicastPeers: c.unicastPeers, ownAddresses: c.sourceAddress === null ? [] : [c.sourceAddress],
        };
      }),
    );
  }

  /** The `status` control command's answer (src/ops/status-schema.ts). */
  async statusDocument(): Promise<StatusDocument> {
    const snapshot = this.checkers === undefined ? undefined : await this.checkers.snapshot().catch(() => undefined);
    const time = { nowUs: this.clock.nowUs(), nowWallMs: Date.now() };
    const instances = this.instances.map((d) =>
      instanceStatusFromFsm(d.fsmState, {
        time,
        lastTransition: d.lastTransition,
        trackers: d.trackerResults(),
        splitBrain: this.splitBrain.findings(d.name),
        ownAddress: d.config.sourceAddress,
        stats: {
          advertsSent: d.stats.advertsSent,
          advertsReceived: d.stats.advertsReceived,
          advertsDropped: Object.values(d.stats.drops).reduce((a, b) => a + b, 0),
          garpSent: this.garpSent.get(d.name) ?? 0,
        },
      }),
    );
    const syncGroups = this.groups.map((g) => {
      const members = this.instances.filter((d) => d.config.params.syncGroup === g.name);
      return { name: g.name, state: members[0]?.state ?? 'INIT', members: members.map((m) => m.name) };
    });
    const vss = this.config?.config.virtualServers ?? [];
    return buildStatusDocument({
      version: DAEMON_VERSION,
      time,
      pid: process.pid,
      startedAtWallMs: this.startedAtWallMs,
      configFile: this.opts.configFile,
      lastReloadAtWallMs: this.lastReloadAtWallMs,
      instances,
      syncGroups,
      virtualServers: vss.map((vs, i) => virtualServerStatus(vs, i, snapshot?.pool.virtualServers[i], snapshot?.checkers ?? [], time, this.checkerStats.timings())),
    });
  }

  private async startOps(): Promise<void> {
    if (this.metrics !== undefined && this.metricsAddress !== null) {
      try {
        this.metricsServer = await startMetricsServer(this.metrics.registry, this.metricsAddress);
        this.core.info(`metrics served on ${this.metricsAddress.host}:${this.metricsAddress.port}`);
      } catch (err) {
        this.core.error({ err }, `cannot serve metrics: ${(err as Error).message}`);
      }
    }
    try {
      this.control = await startControlServer({
        path: this.opts.controlSocket ?? DEFAULT_CONTROL_SOCKET,
        group: this.opts.controlGroup ?? null,
        handlers: {
          status: () => this.statusDocument(),
          // Debugging aid (`keepalived-ts ctl debug-crash-checker`): a real crash of the checker worker thread.
          'debug-crash-checker': () => {
            const checkers = this.checkers;
            if (checkers === undefined || !checkers.debugCrash()) throw new Error('no health-checker worker is running');
            return { crashed: true, generation: checkers.generation };
          },
        },
      });
    } catch (err) {
      this.core.error({ err }, `control socket disabled: ${(err as Error).message}`);
    }
  }

  dumpData(): void {
    const path = dataDumpPath();
    if (!this.opts.checkOnly) {
      const err = writeDump(path, formatDataDump(this.instances));
      if (err !== undefined) this.core.error(`cannot write ${path}: ${err}`);
      else this.core.info(`Data dump written to ${path}`);
      const bfd = this.trackers.bfdDump();
      const bfdPath = join(dirname(path), 'keepalived_bfd.data');
      const bfdErr = bfd === '' ? undefined : writeDump(bfdPath, bfd);
      if (bfdErr !== undefined) this.core.error(`cannot write ${bfdPath}: ${bfdErr}`);
    }
    const checkers = this.checkers;
    if (checkers !== undefined) {
      const checkPath = join(dirname(path), 'keepalived_check.data');
      checkers
        .dump()
        .then((text) => {
          const err = writeDump(checkPath, text);
          if (err !== undefined) this.core.error(`cannot write ${checkPath}: ${err}`);
        })
        .catch((err: unknown) => this.core.error({ err }, 'checker dump failed'));
    }
  }

  /** `--signum=JSON`: $TMPDIR/keepalived.json in keepalived 2.2.7's layout; nothing without VRRP instances. */
  dumpJson(): void {
    const drivers = this.instances;
    if (drivers.length === 0) return;
    this.vrrpLog.info(`Printing VRRP as json for process(${process.pid}) on signal`);
    const configured = new Map((this.config?.instances ?? []).map((e) => [e.instance.name, e.instance] as const));
    const doc = buildKeepalivedJson(
      drivers.map((d) => ({ view: d, configured: configured.get(d.name) })),
      {
        nowUs: this.clock.nowUs(),
        nowWallMs: Date.now(),
        startedAtWallMs: this.startedAtWallMs,
        ...(this.config !== undefined ? { globalDefs: this.config.config.globalDefs, vrrpScripts: this.config.config.vrrpScripts } : {}),
      },
    );
    const path = jsonDumpPath();
    const err = writeJsonDump(path, formatKeepalivedJson(doc));
    if (err !== undefined) this.core.error(`cannot write ${path}: ${err}`);
  }

  /** `--signum=STATS_CLEAR`: the stats dump, then every instance's counters zeroed (keepalived's order). */
  clearStats(): void {
    this.vrrpLog.info(`Printing and clearing VRRP stats for process(${process.pid}) on signal`);
    this.dumpStats();
    for (const d of this.instances) d.clearStats();
  }

  dumpStats(): void {
    const path = statsDumpPath();
    const err = writeDump(path, formatStatsDump(this.instances));
    if (err !== undefined) this.core.error(`cannot write ${path}: ${err}`);
    else this.core.info(`Stats dump written to ${path}`);
  }

  async run(onReady?: (d: Daemon) => void): Promise<number> {
    const loaded = await this.load();
    if (loaded === undefined) return DaemonExit.CONFIG;
    const confNs = loaded.config.globalDefs.netNamespace;
    if (confNs !== null && this.opts.namespace !== null && confNs !== this.opts.namespace) {
      this.core.info(`Overriding config net_namespace '${confNs}' with command line namespace '${this.opts.namespace}'`);
    }
    this.config = loaded;
    this.vrrpAlerts.configure(loaded.config);
    this.checkAlerts.configure(loaded.config);
    if (!this.opts.checkOnly) await this.startVrrp(loaded);
    if (!this.opts.vrrpOnly) this.updateCheckers(loaded);
    this.configureSplitBrain();
    await this.startOps();
    onReady?.(this);
    this.sd?.ready();
    // Keeps the event loop alive even when no socket is referenced (e.g. no VRRP instance configured).
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await this.stopPromise;
    clearInterval(keepAlive);
    await this.reloading;
    await this.shutdown();
    return DaemonExit.OK;
  }

  /** Reads + validates the configuration; undefined (after logging) when it cannot be run. */
  private async load(): Promise<LoadResult | undefined> {
    let res: LoadResult;
    try {
      const host = this.opts.noHostChecks ? null : await loadHostView();
      res = await loadConfig(this.opts.configFile, { configId: this.opts.configId, allConfig: this.opts.allConfig, host });
    } catch (err) {
      this.core.error({ err }, `cannot load configuration ${this.opts.configFile}: ${(err as Error).message}`);
      return undefined;
    }
    if (res.files.length === 0) {
      this.core.error({ code: 'KTS_CONFIG_NOT_FOUND' }, `configuration file ${this.opts.configFile} not found or not readable`);
      return undefined;
    }
    let fatal = false;
    for (const d of res.diagnostics) {
      const text = formatDiagnostic(d);
      if (d.severity === 'fatal') {
        fatal = true;
        this.core.error({ code: d.code }, text);
      } else if (d.severity === 'info') this.core.debug({ code: d.code }, text);
      else this.core.warn({ code: d.code }, text);
    }
    if (fatal) {
      this.core.error(`configuration ${this.opts.configFile} cannot be run`);
      return undefined;
    }
    return res;
  }

  private async refreshInterfaces(): Promise<HostInterface[]> {
    const list = await listInterfaces(this.netlink !== undefined ? { channel: this.netlink } : {});
    this.interfaces = new Map(list.map((i) => [i.index, i] as const));
    return list;
  }

  private resolveAll(loaded: LoadResult, ifaces: readonly HostInterface[]): Map<string, ResolvedInstance> {
    const out = new Map<string, ResolvedInstance>();
    for (const eff of loaded.instances) {
      const vi = eff.instance;
      if (vi.useVmacAddr || [...vi.virtualIpAddresses, ...vi.virtualIpAddressesExcluded].some((a) => a.useVmac)) {
        this.core.warn({ code: 'KTS_VMAC_ADDR_UNSUPPORTED' }, `(${vi.name}) use_vmac_addr / use_vmac on an address are not supported yet: those VIPs stay on their own interface`);
      }
      try {
        const { instance, skipped } = resolveInstance(eff, loaded.config, ifaces);
        for (const s of skipped) this.core.warn(`(${vi.name}) VIP ${s} skipped (unknown interface or other family)`);
        if (out.has(instance.key)) {
          this.core.error(`(${vi.name}) duplicate VRID ${instance.vrid} on ${instance.ifname}, instance ignored`);
          continue;
        }
        out.set(instance.key, instance);
      } catch (err) {
        this.core.error({ err }, (err as Error).message);
      }
    }
    // A sync group needs at least two running members (keepalived drops 1-member groups with a warning).
    const running = new Map<string, number>();
    for (const i of out.values()) if (i.params.syncGroup !== null) running.set(i.params.syncGroup, (running.get(i.params.syncGroup) ?? 0) + 1);
    for (const [key, i] of out) {
      const g = i.params.syncGroup;
      if (g !== null && (running.get(g) ?? 0) < 2) {
        this.core.warn(`(${i.name}) sync group ${g} has fewer than two running members, the instance runs on its own`);
        out.set(key, withSyncGroup(i, null));
      }
    }
    return out;
  }

  private async startVrrp(loaded: LoadResult): Promise<void> {
    this.netlink = NetlinkChannel.open({ keepAlive: false });
    this.addresses = new AddressManager(this.netlink);
    const nl = this.netlink;
    this.vmacs = new VmacSetup({
      links: new VmacManager(nl), sysctl: procSysctl, log: this.vrrpLog, listInterfaces: () => listInterfaces({ channel: nl }), addresses: this.addresses,
    });
    this.watcher = new LinkWatcher();
    this.watcher.onEvent((e) => this.onLinkEvent(e));
    await this.watcher.start();
    const ifaces = await this.refreshInterfaces();
    try {
      this.sender = new PacketSender();
      const g = loaded.config.globalDefs;
      this.announcer = new GarpAnnouncer({
        sender: countingFrameSender(this.sender, (a) => this.vipOwner(a), (owner) => {
          this.garpSent.set(owner, (this.garpSent.get(owner) ?? 0) + 1);
          this.metrics?.vrrpGarpSent.inc({ vrrp_instance: owner });
        }),
        garpIntervalUs: g.vrrpGarpIntervalUs,
        gnaIntervalUs: g.vrrpGnaIntervalUs,
        onError: (err, f) => this.root.category(this.vrrpLog, 'arp').warn({ err, address: f.address }, `gratuitous ${f.kind} for ${f.address} failed`),
      });
    } catch (err) {
      this.core.error({ err }, `gratuitous ARP disabled: ${(err as Error).message}`);
    }
    this.notifier = new Notifier(loaded.config.globalDefs, this.vrrpLog, this.vrrpAlerts);
    const resolved = await this.bindVmacs(this.resolveAll(loaded, ifaces), ifaces);
    this.trackers.update(loaded.config, loaded.instances, resolved);
    const created = [...resolved.values()].map((inst) => this.createDriver(inst));
    this.formGroups(loaded, created);
    const delayUs = loaded.config.globalDefs.vrrpStartupDelayUs;
    if (delayUs > 0) {
      this.core.info(`vrrp_startup_delay: waiting ${(delayUs / 1e6).toFixed(3)} s before starting the instances`);
      await new Promise<void>((res) => this.clock.setTimer(delayUs, res));
    }
    for (const d of created) this.startDriver(d);
    for (const g of this.groups) g.start();
    this.trackers.start();
    this.core.info(`VRRP started: ${this.drivers.size} instance(s)`);
  }

  private garpPort(): GarpPort {
    return this.announcer ?? { announce: () => undefined, cancel: () => undefined };
  }

  /** Advert sockets shared by instances set up alike; adverts dispatched by VRID (io/vrrp-socket/pool.ts). */
  private readonly advertSockets = new AdvertSocketPool();

  /** Opens the advert channel of an instance as it is configured at the time of the call. */
  private readonly openChannel: AdvertChannelFactory = (inst, onPacket, onError) =>
    openVmacAwareChannel(inst, {
      family: inst.family,
      interfaceName: inst.ifname,
      ...(inst.sourceAddress !== null ? { sourceAddress: inst.sourceAddress } : {}),
      multicastGroup: inst.multicastGroup,
      unicastPeers: inst.unicastPeers,
      ...(inst.unicastTtl !== null ? { ttl: inst.unicastTtl } : {}),
      onPacket,
      onError,
    }, (o) => this.advertSockets.open(o, inst.vrid));

  /**
   * use_vmac: each instance that wants a VMAC is put on it (made, or a leftover adopted); an instance
   * whose VMAC cannot be made is not run. The interface table is re-read so new links have a state.
   */
  private async bindVmacs(instances: Map<string, ResolvedInstance>, ifaces: readonly HostInterface[]): Promise<Map<string, ResolvedInstance>> {
    const vmacs = this.vmacs;
    if (vmacs === undefined || ![...instances.values()].some((i) => i.vmac !== undefined)) return instances;
    const out = new Map<string, ResolvedInstance>();
    for (const [key, inst] of instances) {
      try {
        out.set(key, await vmacs.bind(inst, ifaces));
      } catch (err) {
        this.vrrpLog.error({ err, code: 'KTS_VMAC_CREATE' }, `${(err as Error).message}; instance not started`);
      }
    }
    await this.refreshInterfaces();
    return out;
  }

  /** Our VMAC was deleted under a running instance: FAULT, a new VMAC, then the link state decides. */
  private async vmacDeleted(key: string): Promise<void> {
    const vmacs = this.vmacs;
    const d = this.drivers.get(key);
    if (vmacs === undefined) return;
    d?.linkChanged(false);
    try {
      const link = await vmacs.recreate(key);
      if (link === undefined || d === undefined || this.stopped) return;
      d.reconfigure(withVmac(d.config, link), true);
      await this.refreshInterfaces();
      const iface = this.interfaces.get(link.ifindex);
      d.linkChanged(iface !== undefined && linkUsable(iface.flags));
    } catch (err) {
      this.vrrpLog.error({ err, code: 'KTS_VMAC_CREATE' }, `(${d?.name ?? key}) cannot recreate its VMAC: ${(err as Error).message}`);
    }
  }

  /** Creates a driver (not started yet). */
  private createDriver(inst: ResolvedInstance): InstanceDriver {
    if (this.addresses === undefined || this.notifier === undefined) throw new Error('VRRP io is not initialised');
    return new InstanceDriver(inst, {
      clock: this.clock,
      log: this.vrrpLog,
      packetLog: this.root.category(this.vrrpLog, 'packet'),
      fsmLog: this.root.category(this.vrrpLog, 'fsm'),
      openChannel: this.openChannel,
      addresses: this.addresses,
      garp: this.garpPort(),
      notify: this.notifier,
      releaseVipsOnStop: !this.opts.dontReleaseVrrp,
      observer: this.observer,
    });
  }

  /** Creates one coordinator per vrrp_sync_group whose members all run (before the members start). */
  private formGroups(loaded: LoadResult, created: readonly InstanceDriver[]): void {
    if (this.notifier === undefined) return;
    for (const sg of loaded.config.syncGroups) {
      const members = created.filter((d) => d.config.params.syncGroup === sg.name);
      if (members.length < 2) continue;
      if (sg.trackInterfaces.length + sg.trackScripts.length + sg.trackFiles.length + sg.trackProcesses.length + sg.trackBfds.length > 0) {
        this.core.warn(`sync group ${sg.name}: group-level trackers are not supported by the daemon yet and are ignored`);
      }
      this.groups.push(new SyncGroupDriver(sg.name, members, sg.notify, this.clock, this.vrrpLog, this.notifier));
      this.core.info(`sync group ${sg.name}: ${members.map((m) => m.name).join(', ')}`);
    }
  }

  /**
   * Starts a driver: its FSM start first removes configured VIPs left over by a previous run. Members
   * of a sync group open their socket here and are started by their group.
   */
  private startDriver(driver: InstanceDriver): void {
    const inst = driver.config;
    const iface = this.interfaces.get(inst.ifindex);
    this.trackers.seed(driver);
    try {
      driver.start(iface === undefined ? false : linkUsable(iface.flags));
      this.drivers.set(inst.key, driver);
      if (this.metrics !== undefined) touchInstance(this.metrics, inst.name);
    } catch (err) {
      this.vrrpLog.error({ err, instance: inst.name }, `(${inst.name}) cannot start: ${(err as Error).message}`);
    }
  }

  private onLinkEvent(e: LinkEvent): void {
    switch (e.kind) {
      case 'link-up':
      case 'link-down': {
        this.root.category(this.core, 'netlink').debug({ ifname: e.name }, `netlink: ${e.name} ${e.kind}`);
        for (const d of this.drivers.values()) if (d.config.ifindex === e.ifindex) d.linkChanged(e.kind === 'link-up');
        this.trackers.linkChanged(e.name, e.kind === 'link-up');
        return;
      }
      case 'address-added':
      case 'address-removed': {
        const iface = this.interfaces.get(e.ifindex);
        if (iface !== undefined) {
          const others = iface.addresses.filter((a) => a.address !== e.address);
          const addresses = e.kind === 'address-added'
            ? [...others, { family: e.family, address: e.address, prefixLen: e.prefixLen, scope: 0, flags: 0 }]
            : others;
          this.interfaces.set(e.ifindex, { ...iface, addresses });
        }
        if (e.kind === 'address-removed') for (const d of this.drivers.values()) d.addressRemoved(e.ifindex, e.address, e.prefixLen);
        this.followPrimaryAddress(e.ifindex);
        return;
      }
      case 'link-removed': {
        const key = this.vmacs?.ownerOf(e.ifindex);
        if (key !== undefined && !this.stopped) void this.vmacDeleted(key);
        return;
      }
      case 'resync-needed':
        this.core.warn(`netlink notifications lost (${e.reason}); link state re-read`);
        return;
      default:
        return;
    }
  }

  /** Starts the health-checker host (worker thread) when virtual servers are configured, or reloads it. */
  private updateCheckers(loaded: LoadResult): void {
    if (this.checkers !== undefined) {
      this.checkerStats.configurationChanged();
      this.checkers.reload(loaded.config);
      return;
    }
    if (loaded.config.virtualServers.length === 0) return;
    try {
      this.checkers = startCheckerHost({
        config: loaded.config,
        logger: this.root.component('check'),
        ipvs: { keepOnStop: this.opts.dontReleaseIpvs },
        onEvent: (e) => {
          if (e.type === 'stats') this.checkerStats.apply(e.stats, { nowUs: this.clock.nowUs(), nowWallMs: Date.now() });
          else if (e.type === 'effect' && e.effect.kind === 'alert') this.checkAlerts.checker(e.effect.alert);
          else if (e.type === 'worker-exit') this.checkerStats.workerExited();
        },
      });
      this.core.info(`health checkers started: ${loaded.config.virtualServers.length} virtual server(s)`);
    } catch (err) {
      this.core.error({ err }, `cannot start the health checkers: ${(err as Error).message}`);
    }
  }

  /**
   * Instances whose advert source is the interface's primary address follow it: an instance started
   * before its interface had an address (DHCP) gets one, a removed primary is replaced by the next.
   */
  private followPrimaryAddress(ifindex: number): void {
    const iface = this.interfaces.get(ifindex);
    if (iface === undefined) return;
    for (const d of this.drivers.values()) {
      const c = d.config;
      // A VMAC holds no address of its own: the advert source follows the base interface.
      if ((c.vmac?.baseIfindex ?? c.ifindex) !== ifindex || c.sourceConfigured) continue;
      const vipSet = new Set(c.vips.map((v) => v.address));
      const current = c.sourceAddress;
      if (current !== null && iface.addresses.some((a) => a.address === current)) continue;
      const next = primaryAddress(iface, c.family, vipSet);
      if (next === current) continue;
      this.vrrpLog.info({ instance: c.name }, `(${c.name}) advert source address ${current ?? '(none)'} -> ${next ?? '(none)'}`);
      d.reconfigure(withSourceAddress(c, next), true);
    }
  }

  /** SIGHUP. */
  private async reload(): Promise<void> {
    if (this.stopped) return;
    this.core.info('Reloading configuration');
    const loaded = await this.load();
    if (loaded === undefined) {
      this.core.error('reload failed: keeping the running configuration');
      return;
    }
    // keepalived refuses a reload that changes net_namespace (an -s NAME overrides the file's value).
    const nsBefore = this.config?.config.globalDefs.netNamespace ?? null;
    const nsAfter = loaded.config.globalDefs.netNamespace;
    if (nsAfter !== nsBefore && (this.opts.namespace === null || this.opts.namespace === nsBefore)) {
      this.core.error({ code: 'KTS_RELOAD_NAMESPACE' }, 'Cannot change network namespace at a reload - please restart keepalived-ts');
      return;
    }
    this.config = loaded;
    this.vrrpAlerts.configure(loaded.config);
    this.checkAlerts.configure(loaded.config);
    if (!this.opts.vrrpOnly) this.updateCheckers(loaded);
    if (this.opts.checkOnly) {
      this.core.info('Reload finished');
      return;
    }
    const ifaces = await this.refreshInterfaces();
    const resolvedNext = this.resolveAll(loaded, ifaces);
    // An instance whose VMAC changed (added, removed, renamed, other MAC or xmit) restarts as a new one.
    for (const [key, d] of [...this.drivers]) {
      const n = resolvedNext.get(key);
      if (n === undefined || !vmacChanged(d.config.vmac, n.vmac)) continue;
      this.vrrpLog.info(`(${d.name}) use_vmac changed by reload, restarting the instance`);
      await d.stop();
      this.drivers.delete(key);
      await this.vmacs?.release(key);
    }
    const next = await this.bindVmacs(resolvedNext, ifaces);
    this.trackers.update(loaded.config, loaded.instances, next);
    const plan = planReload(new Map([...this.drivers].map(([k, d]) => [k, d.config] as const)), next);
    for (const key of plan.stop) {
      const d = this.drivers.get(key);
      if (d === undefined) continue;
      this.vrrpLog.info(`(${d.name}) removed by reload, stopping`);
      await d.stop({ deletedAtReload: true });
      this.drivers.delete(key);
      await this.vmacs?.release(key);
      if (this.metrics !== undefined) forgetInstance(this.metrics, d.name);
    }
    for (const name of plan.groupDeferred) this.core.warn(`(${name}) added by reload: its sync group membership takes effect after a restart`);
    for (const inst of plan.start) this.startDriver(this.createDriver(inst));
    for (const u of plan.update) this.drivers.get(u.key)?.reconfigure(u.next, u.reopenChannel);
    this.configureSplitBrain();
    this.core.info('Reload finished');
  }

  private async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.vrrpAlerts.shutdown();
    this.checkAlerts.shutdown();
    const control = this.control?.close().catch((err: unknown) => this.core.error({ err }, 'control socket close failed'));
    this.trackers.stop();
    const checkersStopped = this.checkers?.stop().catch((err: unknown) => this.core.error({ err }, 'checker stop failed'));
    await Promise.all(this.instances.map((d) => d.stop()));
    await checkersStopped;
    if (!this.opts.dontReleaseVrrp && this.addresses !== undefined) {
      const r = await this.addresses.removeOwned();
      for (const f of r.failed) this.core.error({ err: f.error }, `cannot remove VIP ${f.vip.address}`);
    }
    // With -V the VIPs stay, and so do the VMACs holding them.
    if (!this.opts.dontReleaseVrrp) await this.vmacs?.releaseAll();
    this.advertSockets.closeAll();
    this.watcher?.stop();
    this.announcer?.close();
    this.sender?.close();
    this.notifier?.close();
    this.netlink?.close();
    this.splitBrain.stop();
    await control;
    await this.metricsServer?.close().catch((err: unknown) => this.core.error({ err }, 'metrics server close failed'));
  }
}
