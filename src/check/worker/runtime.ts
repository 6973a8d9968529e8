/**
 * The checker worker's side of the protocol: waits for `start`, then runs the checker engine on the
 * real clock, keeps IPVS in line (kernel, or memory when the kernel has none — reported with one
 * log line), and forwards logs / notify effects / table changes to the main thread. Answers
 * `query` with a dump or a snapshot; `stop` ends the engine, removes our IPVS entries unless told
 * to keep them, and answers `stopped`. Messages that fail validation are reported and ignored.
 * Every check result, IPVS failure and real server change is aggregated (`check-stats.ts`) and
 * sent as one `stats` message per second. `debug-crash` (a debugging aid) makes the thread die of
 * an uncaught exception, so the host's supervisor can be exercised from outside.
 *
 * Takes a port (worker_threads parentPort or one end of a MessageChannel) so it also runs in-process.
 */
import { networkInterfaces } from 'node:os';
import type { KeepalivedConfig } from '../../config/model.js';
import { createRealClock } from '../../core/clock.js';
import { IpvsClient } from '../../io/netlink/ipvs-client.js';
import { resolveScriptUser } from '../../io/notify/index.js';
import { CheckStatsAggregator, realServerTable } from '../check-stats.js';
import { formatCheckerDump } from '../dump.js';
import { CheckerEngine } from '../engine.js';
import { IpvsSync, kernelBackend, memoryBackend, type IpvsBackend } from '../ipvs-sync.js';
import type { PoolEffect } from '../pool.js';
import { parseMainToWorker, type CheckerSnapshot, type LogLevel, type MainToWorker, type WorkerToMain } from '../protocol.js';

export interface WorkerPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off?(event: 'message', listener: (message: unknown) => void): unknown;
  close?(): void;
}

export interface RuntimeDeps {
  /** Opens the kernel backend; default IpvsClient.open(). Rejects when the kernel has no IPVS. */
  readonly openKernel?: () => Promise<IpvsBackend>;
  /** How often aggregated `stats` are sent; default 1000 ms. */
  readonly statsIntervalMs?: number;
}

/** Default period of the `stats` message. */
export const STATS_INTERVAL_MS = 1000;

export function runCheckerWorker(port: WorkerPort, deps: RuntimeDeps = {}): void {
  let engine: CheckerEngine | undefined;
  let sync: IpvsSync | undefined;
  let config: KeepalivedConfig | undefined;
  let stopping = false;
  const post = (m: WorkerToMain): void => port.postMessage(m);
  const log = (level: LogLevel, message: string): void => post({ v: 1, type: 'log', level, message });
  const stats = new CheckStatsAggregator();
  let statsTimer: NodeJS.Timeout | undefined;
  const flushStats = (): void => {
    const s = stats.flush();
    if (s !== null) post({ v: 1, type: 'stats', stats: s });
  };
  /** Feeds the current real server table to the aggregator (after every pool change). */
  const noteRealServers = (): void => {
    if (engine !== undefined && config !== undefined) stats.setRealServers(realServerTable(config.virtualServers, engine.poolSnapshot()));
  };

  const forward = (fx: readonly PoolEffect[]): void => {
    for (const e of fx) {
      if (e.kind === 'log') log(e.level, e.message);
      else if (e.kind === 'fifo') post({ v: 1, type: 'effect', effect: { kind: 'fifo', line: e.line } });
      else if (e.kind === 'alert') post({ v: 1, type: 'effect', effect: { kind: 'alert', alert: e.alert } });
      else post({ v: 1, type: 'effect', effect: { kind: 'script', reason: e.reason, subject: e.subject, argv: e.script.argv, user: e.script.user, group: e.script.group } });
    }
  };

  const snapshot = (): CheckerSnapshot => ({
    ipvs: { backend: sync?.backend.kind ?? 'memory', opsApplied: sync?.opsApplied ?? 0, opsFailed: sync?.opsFailed ?? 0 },
    pool: engine?.poolSnapshot() ?? { virtualServers: [] },
    checkers: engine?.checkers() ?? [],
    desired: engine?.desiredTable().entries.map((e) => ({ service: e.service, dests: e.dests })) ?? [],
    applied: [...(sync?.table() ?? [])],
  });

  let bootstrapDelayUs: number | null = null;
  const makeEngine = (cfg: KeepalivedConfig, s: IpvsSync): CheckerEngine =>
    new CheckerEngine({
      config: cfg,
      clock: createRealClock(),
      ...(bootstrapDelayUs !== null ? { bootstrapDelayUs } : {}),
      onEffects: (fx) => {
        forward(fx);
        noteRealServers();
      },
      onCheck: (o) => stats.recordCheck(o),
      isLocalAddress: localAddressLookup(),
      credentialsFor: (user, group) => {
        try {
          return resolveScriptUser(user, group ?? undefined);
        } catch (err) {
          log('error', `MISC_CHECK user ${user}: ${err instanceof Error ? err.message : String(err)} - running the script as ourselves`);
          return undefined;
        }
      },
      onLog: (level, message) => log(level, message),
      onTable: (t) => {
        for (const p of t.problems) log('warn', p);
        void s.sync(t.entries).then(() => {
          let dests = 0;
          for (const x of t.entries) dests += x.dests.length;
          post({ v: 1, type: 'table', services: t.entries.length, dests });
        });
      },
    });

  const start = async (m: Extract<MainToWorker, { type: 'start' }>): Promise<void> => {
    config = m.config;
    bootstrapDelayUs = m.options.bootstrapDelayUs;
    let backend: IpvsBackend = memoryBackend();
    if (m.options.ipvs === 'kernel') {
      log('info', 'Initializing ipvs');
      try {
        backend = await (deps.openKernel ?? (async () => kernelBackend(await IpvsClient.open())))();
      } catch (err) {
        log('warn', `IPVS: Can't initialize ipvs: ${err instanceof Error ? err.message : String(err)} - health checkers keep running, the IPVS table is kept in memory only`);
      }
    }
    const s = new IpvsSync(backend, log, (op) => stats.recordIpvsError(op));
    sync = s;
    const e = makeEngine(m.config, s);
    engine = e;
    e.start();
    noteRealServers();
    post({ v: 1, type: 'ready', ipvs: backend.kind });
    statsTimer = setInterval(flushStats, deps.statsIntervalMs ?? STATS_INTERVAL_MS);
    statsTimer.unref();
  };

  /** SIGHUP: a new engine for the new configuration, starting from the old one's state. */
  const reload = (newConfig: KeepalivedConfig): void => {
    const old = engine;
    if (old === undefined || sync === undefined || config === undefined) return;
    const previous = { virtualServers: config.virtualServers, pool: old.poolSnapshot() };
    old.halt();
    config = newConfig;
    const e = makeEngine(newConfig, sync);
    engine = e;
    e.start(previous);
    stats.retainOnly(realServerTable(newConfig.virtualServers, e.poolSnapshot()));
    noteRealServers();
    log('info', 'Health checkers reloaded');
  };

  const stop = async (keepIpvs: boolean): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(statsTimer);
    if (engine !== undefined) forward(engine.stop());
    flushStats();
    if (sync !== undefined) {
      if (!keepIpvs) await sync.teardown();
      sync.backend.close();
    }
    post({ v: 1, type: 'stopped' });
    port.off?.('message', onMessage);
    port.close?.();
  };

  const onMessage = (raw: unknown): void => {
    const m = parseMainToWorker(raw);
    if (m === null) {
      log('error', `checker worker: invalid message ignored: ${JSON.stringify(raw)?.slice(0, 200) ?? String(raw)}`);
      return;
    }
    switch (m.type) {
      case 'start':
        if (engine === undefined && !stopping) void start(m);
        return;
      case 'query':
        if (m.what === 'snapshot') post({ v: 1, type: 'reply', id: m.id, snapshot: snapshot() });
        else post({ v: 1, type: 'reply', id: m.id, dump: config === undefined ? '' : formatCheckerDump(config, snapshot()) });
        return;
      case 'stop':
        void stop(m.keepIpvs);
        return;
      case 'reload':
        if (!stopping) reload(m.config);
        return;
      case 'debug-crash':
        log('error', 'checker worker: debug-crash requested - throwing an uncaught exception on purpose');
        setImmediate(() => {
          throw new Error('debug-crash-checker: deliberate checker worker crash (debugging aid)');
        });
        return;
    }
  };
  port.on('message', onMessage);
}

/** Host addresses for ha_suspend, re-read at most once a second. */
function localAddressLookup(): (address: string) => boolean {
  let cached = new Set<string>();
  let readAt = -Infinity;
  return (address) => {
    const now = Date.now();
    if (now - readAt > 1000) {
      readAt = now;
      cached = new Set(Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address)));
    }
    return cached.has(address);
  };
}
