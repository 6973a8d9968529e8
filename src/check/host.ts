/**
 * The checker host (main thread): starts the checker worker, talks to it through the validated
 * protocol (`protocol.ts`), supervises it (an unexpected exit restarts it with exponential
 * back-off, reset after a quiet minute), and performs the effects the worker asks for:
 * notify_up/notify_down/quorum_up/quorum_down scripts (as `script_user` or the script's own user)
 * and LVS notify FIFO lines (to `lvs_notify_fifo` and `notify_fifo`, unless the caller takes them);
 * `lvs_notify_fifo_script` is started on the LVS FIFO and stopped with the host (the shared
 * `notify_fifo_script` is the daemon's).
 *
 * Wiring from the daemon:
 *   const checkers = startCheckerHost({ config, logger: log.component('check'), ipvs: { keepOnStop: opts.dontReleaseIpvs } });
 *   SIGUSR1 → writeFileSync('/tmp/keepalived_check.data', await checkers.dump());
 *   SIGHUP → checkers.reload(newConfig);   shutdown → await checkers.stop();
 */
import { Worker } from 'node:worker_threads';
import type { KeepalivedConfig } from '../config/model.js';
import { FifoWriter, resolveScriptUser, runScript, startFifoScript, type ScriptCredentials, type ScriptHandle } from '../io/notify/index.js';
import { parseWorkerToMain, type CheckerSnapshot, type LogLevel, type MainToWorker, type WireEffect, type WorkerToMain } from './protocol.js';

/** The part of a (pino) logger the host uses. */
export interface CheckerLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export type CheckerHostEvent =
  | Exclude<WorkerToMain, { type: 'reply' } | { type: 'stopped' }>
  | { readonly type: 'worker-exit'; readonly code: number; readonly restartInMs: number | null };

/** What the host needs from a worker (node's Worker; tests may wrap it). */
export interface WorkerLike {
  postMessage(message: MainToWorker): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

export interface CheckerHostOptions {
  readonly config: KeepalivedConfig;
  readonly logger: CheckerLogger;
  readonly ipvs?: {
    /** `kernel` (default): program IPVS when the kernel has it; `memory`: never touch the kernel. */
    readonly mode?: 'kernel' | 'memory';
    /** `-I` / `--dont-release-ipvs`: leave our IPVS entries in place at stop. */
    readonly keepOnStop?: boolean;
  };
  /** Every worker event (logs, effects, table changes, restarts), after the host's own handling. */
  readonly onEvent?: (event: CheckerHostEvent) => void;
  /** false: do not run notify scripts / write FIFO lines here (the caller does it from onEvent). Default true. */
  readonly runEffects?: boolean;
  /** Worker entry (default `./worker/worker-main.js` next to this module). */
  readonly workerUrl?: URL;
  /** Creates the worker (tests); default `new Worker(workerUrl)`. */
  readonly createWorker?: (url: URL) => WorkerLike;
  readonly restart?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Override keepalived's 1 s bootstrap delay before the first checks (tests). */
  readonly bootstrapDelayUs?: number;
  /** How long stop() waits for the worker to clean up before terminating it. Default 5000 ms. */
  readonly stopTimeoutMs?: number;
}

export interface CheckerHost {
  /** SIGHUP: switch to a new configuration, keeping the state of unchanged servers. */
  reload(config: KeepalivedConfig): void;
  /** Stops the checkers (removing our IPVS entries unless keepOnStop) and the worker. */
  stop(): Promise<void>;
  /** SIGUSR1 text (`/tmp/keepalived_check.data`). */
  dump(): Promise<string>;
  snapshot(): Promise<CheckerSnapshot>;
  /** Workers started so far (1 + restarts). */
  readonly generation: number;
  /**
   * Debugging aid (`keepalived-ts ctl debug-crash-checker`): asks the worker to die of an uncaught
   * exception, so the supervisor restarts it. false when no worker is running.
   */
  debugCrash(): boolean;
}

export class CheckerHostError extends Error {
  constructor(
    readonly code: 'KTS_CHECKER_STOPPED' | 'KTS_CHECKER_TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'CheckerHostError';
  }
}

const QUIET_RESET_MS = 60_000;

export function startCheckerHost(opts: CheckerHostOptions): CheckerHost {
  const log = opts.logger;
  let config = opts.config;
  const url = opts.workerUrl ?? new URL('./worker/worker-main.js', import.meta.url);
  const create = opts.createWorker ?? ((u: URL): WorkerLike => new Worker(u) as unknown as WorkerLike);
  const initialDelay = opts.restart?.initialDelayMs ?? 1000;
  const maxDelay = opts.restart?.maxDelayMs ?? 30_000;
  const runEffects = opts.runEffects ?? true;
  const fifos = new Map<string, FifoWriter>();
  const pending = new Map<number, { resolve: (m: Extract<WorkerToMain, { type: 'reply' }>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let worker: WorkerLike | undefined;
  let generation = 0;
  let delayMs = initialDelay;
  let startedAt = 0;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let stoppedResolve: (() => void) | undefined;

  const emit = (e: CheckerHostEvent): void => {
    try {
      opts.onEvent?.(e);
    } catch (err) {
      log.error(`checker event listener failed: ${String(err)}`);
    }
  };

  const logAt = (level: LogLevel, message: string): void => {
    log[level](message);
  };

  const credentialsFor = (user: string | null, group: string | null): ScriptCredentials | undefined => {
    const su = config.globalDefs.scriptUser;
    const u = user ?? su?.user ?? null;
    if (u === null) return undefined;
    try {
      return resolveScriptUser(u, (user !== null ? group : su?.group) ?? undefined);
    } catch (err) {
      log.error(`cannot resolve script user ${u}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };

  const fifoPaths = (): string[] => {
    const g = config.globalDefs;
    return [...new Set([g.lvsNotifyFifo?.path, g.notifyFifo?.path].filter((p): p is string => p !== undefined))];
  };

  /** The LVS FIFO is ours (created if missing); the shared notify_fifo belongs to the daemon, which
   *  creates (and removes) it: we only write to it once it exists. */
  const fifoFor = (p: string): FifoWriter | undefined => {
    let w = fifos.get(p);
    if (w === undefined) {
      const create = p === config.globalDefs.lvsNotifyFifo?.path;
      try {
        w = new FifoWriter(p, { create, onError: (err) => log.error(`notify FIFO ${p}: ${err.message}`) });
        fifos.set(p, w);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || create) log.error(`cannot open notify FIFO ${p}: ${String(err)}`);
      }
    }
    return w;
  };

  let fifoScript: ScriptHandle | undefined;
  const startLvsFifoScript = (): void => {
    const g = config.globalDefs;
    if (!runEffects || g.lvsNotifyFifo === null || g.lvsNotifyFifoScript === null) return;
    if (fifoFor(g.lvsNotifyFifo.path) === undefined) return;
    const creds = credentialsFor(g.lvsNotifyFifoScript.user, g.lvsNotifyFifoScript.group);
    fifoScript = startFifoScript(g.lvsNotifyFifoScript.argv, g.lvsNotifyFifo.path, creds !== undefined ? { credentials: creds } : {});
  };

  const perform = (e: WireEffect): void => {
    // smtp_alert events are the daemon's (onEvent).
    if (!runEffects || e.kind === 'alert') return;
    if (e.kind === 'fifo') {
      for (const p of fifoPaths()) fifoFor(p)?.write(e.line);
      return;
    }
    const creds = credentialsFor(e.user, e.group);
    const h = runScript(e.argv, creds !== undefined ? { credentials: creds } : {});
    void h.result.then((r) => {
      if (r.status === 'failed-to-start') log.error(`${e.reason} script for ${e.subject} could not start: ${r.message}`);
    });
  };

  const onMessage = (raw: unknown): void => {
    const m = parseWorkerToMain(raw);
    if (m === null) {
      log.error(`checker host: invalid message from the worker ignored`);
      return;
    }
    switch (m.type) {
      case 'reply': {
        const p = pending.get(m.id);
        pending.delete(m.id);
        p?.resolve(m);
        return;
      }
      case 'stopped':
        stoppedResolve?.();
        return;
      case 'log':
        logAt(m.level, m.message);
        break;
      case 'effect':
        perform(m.effect);
        break;
      case 'ready':
        log.info(`Health checkers started (IPVS: ${m.ipvs === 'kernel' ? 'kernel' : 'in memory only'})`);
        break;
      case 'table':
      case 'stats':
        break;
    }
    emit(m);
  };

  const spawn = (): void => {
    generation++;
    startedAt = Date.now();
    const w = create(url);
    worker = w;
    w.on('message', onMessage);
    w.on('error', (err) => log.error(`checker worker error: ${err.message}`));
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = undefined;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new CheckerHostError('KTS_CHECKER_STOPPED', 'checker worker exited'));
      }
      stoppedResolve?.();
      if (stopping) return;
      if (Date.now() - startedAt > QUIET_RESET_MS) delayMs = initialDelay;
      const wait = delayMs;
      delayMs = Math.min(maxDelay, delayMs * 2);
      log.error(`Healthcheck child process exited with status ${code} - restarting in ${wait} ms`);
      emit({ type: 'worker-exit', code, restartInMs: wait });
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (!stopping) spawn();
      }, wait);
    });
    w.postMessage({
      v: 1,
      type: 'start',
      config,
      options: { ipvs: opts.ipvs?.mode ?? 'kernel', bootstrapDelayUs: opts.bootstrapDelayUs ?? null },
    });
  };

  const query = (what: 'dump' | 'snapshot'): Promise<Extract<WorkerToMain, { type: 'reply' }>> => {
    const w = worker;
    if (w === undefined || stopping) return Promise.reject(new CheckerHostError('KTS_CHECKER_STOPPED', 'checker worker is not running'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new CheckerHostError('KTS_CHECKER_TIMEOUT', `checker worker did not answer the ${what} query`));
      }, 5000);
      pending.set(id, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      w.postMessage({ v: 1, type: 'query', id, what });
    });
  };

  startLvsFifoScript();
  spawn();

  return {
    get generation() {
      return generation;
    },
    async dump() {
      const r = await query('dump');
      return 'dump' in r ? r.dump : '';
    },
    async snapshot() {
      const r = await query('snapshot');
      if ('snapshot' in r) return r.snapshot;
      throw new CheckerHostError('KTS_CHECKER_STOPPED', 'unexpected reply to a snapshot query');
    },
    debugCrash() {
      if (worker === undefined || stopping) return false;
      log.warn('debug-crash-checker: asking the checker worker to crash (debugging aid)');
      worker.postMessage({ v: 1, type: 'debug-crash' });
      return true;
    },
    reload(newConfig) {
      config = newConfig;
      worker?.postMessage({ v: 1, type: 'reload', config: newConfig });
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      const w = worker;
      if (w !== undefined) {
        const done = new Promise<void>((resolve) => (stoppedResolve = resolve));
        w.postMessage({ v: 1, type: 'stop', keepIpvs: opts.ipvs?.keepOnStop ?? false });
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.stopTimeoutMs ?? 5000)))]);
        clearTimeout(timer);
        // Let queued effect messages (omega notifies) arrive before the thread goes.
        await new Promise((r) => setImmediate(r));
        await w.terminate();
      }
      fifoScript?.kill();
      for (const f of fifos.values()) f.close();
      fifos.clear();
    },
  };
}
