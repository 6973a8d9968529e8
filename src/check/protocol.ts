/**
 * The one message protocol between the main thread (checker host) and the checker worker,
 * versioned (`v`) and validated on receipt by hand-written guards: anything that does not parse
 * is dropped and reported, never trusted. Both directions carry plain data only (structured clone).
 *
 *   main → worker : start {config, options} · reload {config} · query {id, what: dump|snapshot} · stop {keepIpvs}
 *                   · debug-crash (debugging aid: the worker throws an uncaught exception)
 *   worker → main : ready {ipvs} · log {level, message} · effect {script|fifo} · table {services, dests}
 *                   · reply {id, dump | snapshot} · stats {CheckerStats, about once a second} · stopped
 *
 * The configuration inside `start` is checked at the level the worker relies on (virtual
 * servers / groups / global_defs present with the right container types); its contents come from
 * our own builder on the other side of the channel.
 */
import type { KeepalivedConfig } from '../config/model.js';
import type { IpvsServiceEntry } from '../io/netlink/ipvs-types.js';
import { CHECK_DURATION_BUCKETS_S, IPVS_OPS, type CheckerStats, type IpvsOpName } from './check-stats.js';
import type { CheckerStatus } from './engine.js';
import type { PoolSnapshot } from './pool.js';
import { isCheckerAlert, type CheckerAlert } from '../core/smtp-alerts.js';

export const CHECKER_PROTOCOL_VERSION = 1;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface WorkerStartOptions {
  /** `kernel`: program IPVS (falls back to memory when the kernel has none); `memory`: never touch the kernel. */
  readonly ipvs: 'kernel' | 'memory';
  /** null = keepalived's 1 s bootstrap delay. */
  readonly bootstrapDelayUs: number | null;
}

export type MainToWorker =
  | { readonly v: 1; readonly type: 'start'; readonly config: KeepalivedConfig; readonly options: WorkerStartOptions }
  | { readonly v: 1; readonly type: 'query'; readonly id: number; readonly what: 'dump' | 'snapshot' }
  | { readonly v: 1; readonly type: 'reload'; readonly config: KeepalivedConfig }
  | { readonly v: 1; readonly type: 'stop'; readonly keepIpvs: boolean }
  /** Debugging aid (`keepalived-ts ctl debug-crash-checker`): the worker crashes for real. */
  | { readonly v: 1; readonly type: 'debug-crash' };

export type WireEffect =
  | {
      readonly kind: 'script';
      readonly reason: 'notify_up' | 'notify_down' | 'quorum_up' | 'quorum_down';
      readonly subject: string;
      readonly argv: readonly string[];
      readonly user: string | null;
      readonly group: string | null;
    }
  | { readonly kind: 'fifo'; readonly line: string }
  /** smtp_alert event: the main thread decides and sends the mail. */
  | { readonly kind: 'alert'; readonly alert: CheckerAlert };

export interface CheckerSnapshot {
  readonly ipvs: { readonly backend: 'kernel' | 'memory'; readonly opsApplied: number; readonly opsFailed: number };
  readonly pool: PoolSnapshot;
  readonly checkers: readonly CheckerStatus[];
  /** What we want in IPVS. */
  readonly desired: readonly IpvsServiceEntry[];
  /** What the backend holds after the last sync. */
  readonly applied: readonly IpvsServiceEntry[];
}

export type WorkerToMain =
  | { readonly v: 1; readonly type: 'ready'; readonly ipvs: 'kernel' | 'memory' }
  | { readonly v: 1; readonly type: 'log'; readonly level: LogLevel; readonly message: string }
  | { readonly v: 1; readonly type: 'effect'; readonly effect: WireEffect }
  | { readonly v: 1; readonly type: 'table'; readonly services: number; readonly dests: number }
  | { readonly v: 1; readonly type: 'reply'; readonly id: number; readonly dump: string }
  | { readonly v: 1; readonly type: 'reply'; readonly id: number; readonly snapshot: CheckerSnapshot }
  | { readonly v: 1; readonly type: 'stats'; readonly stats: CheckerStats }
  | { readonly v: 1; readonly type: 'stopped' };

// ---- guards -------------------------------------------------------------------------------------

type Rec = Readonly<Record<string, unknown>>;

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
const isStrOrNull = (x: unknown): x is string | null => x === null || isStr(x);
function isArrOf<T>(x: unknown, el: (e: unknown) => e is T): x is readonly T[] {
  return Array.isArray(x) && x.every(el);
}
const isLevel = (x: unknown): x is LogLevel => x === 'debug' || x === 'info' || x === 'warn' || x === 'error';

function isConfig(x: unknown): x is KeepalivedConfig {
  return isRec(x) && isRec(x['globalDefs']) && isArrOf(x['virtualServers'], isRec) && isArrOf(x['virtualServerGroups'], isRec);
}

function isStartOptions(x: unknown): x is WorkerStartOptions {
  return isRec(x) && (x['ipvs'] === 'kernel' || x['ipvs'] === 'memory') && (x['bootstrapDelayUs'] === null || isNum(x['bootstrapDelayUs']));
}

function isWireEffect(x: unknown): x is WireEffect {
  if (!isRec(x)) return false;
  if (x['kind'] === 'fifo') return isStr(x['line']);
  if (x['kind'] === 'alert') return isCheckerAlert(x['alert']);
  return (
    x['kind'] === 'script' &&
    (x['reason'] === 'notify_up' || x['reason'] === 'notify_down' || x['reason'] === 'quorum_up' || x['reason'] === 'quorum_down') &&
    isStr(x['subject']) &&
    isArrOf(x['argv'], isStr) &&
    isStrOrNull(x['user']) &&
    isStrOrNull(x['group'])
  );
}

function isService(x: unknown): boolean {
  return (
    isRec(x) &&
    (x['family'] === 'inet' || x['family'] === 'inet6') &&
    (x['protocol'] === null || x['protocol'] === 'TCP' || x['protocol'] === 'UDP' || x['protocol'] === 'SCTP') &&
    isStrOrNull(x['address']) &&
    isNum(x['port']) &&
    isNum(x['fwmark']) &&
    isStr(x['scheduler']) &&
    isNum(x['flags']) &&
    isNum(x['timeoutSec']) &&
    isNum(x['netmask']) &&
    isStrOrNull(x['peName'])
  );
}

function isDest(x: unknown): boolean {
  return isRec(x) && isStr(x['address']) && isNum(x['port']) && isStr(x['forwarding']) && isNum(x['weight']) && isNum(x['upperThreshold']) && isNum(x['lowerThreshold']);
}

function isEntry(x: unknown): x is IpvsServiceEntry {
  return isRec(x) && isService(x['service']) && Array.isArray(x['dests']) && x['dests'].every(isDest);
}

function isRsSnapshot(x: unknown): boolean {
  return isRec(x) && isStr(x['id']) && isBool(x['alive']) && isNum(x['effectiveWeight']) && isNum(x['failedCheckers']) && isArrOf(x['checkersUp'], isBool);
}

function isVsSnapshot(x: unknown): boolean {
  return (
    isRec(x) &&
    isNum(x['index']) &&
    isStr(x['name']) &&
    isBool(x['quorumUp']) &&
    isBool(x['sorryAlive']) &&
    isNum(x['weightSum']) &&
    Array.isArray(x['realServers']) &&
    x['realServers'].every(isRsSnapshot)
  );
}

function isCheckerStatus(x: unknown): x is CheckerStatus {
  return (
    isRec(x) &&
    isStr(x['id']) &&
    isStr(x['kind']) &&
    isStr(x['target']) &&
    isNum(x['attempts']) &&
    isNum(x['retryIt']) &&
    (x['lastOk'] === null || isBool(x['lastOk'])) &&
    isStrOrNull(x['lastReason'])
  );
}

export function isCheckerSnapshot(x: unknown): x is CheckerSnapshot {
  if (!isRec(x)) return false;
  const ipvs = x['ipvs'];
  const pool = x['pool'];
  return (
    isRec(ipvs) &&
    (ipvs['backend'] === 'kernel' || ipvs['backend'] === 'memory') &&
    isNum(ipvs['opsApplied']) &&
    isNum(ipvs['opsFailed']) &&
    isRec(pool) &&
    Array.isArray(pool['virtualServers']) &&
    pool['virtualServers'].every(isVsSnapshot) &&
    isArrOf(x['checkers'], isCheckerStatus) &&
    isArrOf(x['desired'], isEntry) &&
    isArrOf(x['applied'], isEntry)
  );
}

const isCount = (x: unknown): x is number => isNum(x) && x >= 0 && Number.isInteger(x);
const isIpvsOp = (x: unknown): x is IpvsOpName => (IPVS_OPS as readonly unknown[]).includes(x);

function isCheckStatsEntry(x: unknown): x is unknown {
  return (
    isRec(x) &&
    isStr(x['id']) &&
    isStr(x['kind']) &&
    isStr(x['virtualServer']) &&
    isStr(x['realServer']) &&
    isCount(x['successes']) &&
    isCount(x['failures']) &&
    isBool(x['lastOk']) &&
    isNum(x['lastDurationUs']) &&
    x['lastDurationUs'] >= 0 &&
    isNum(x['lastAtWallMs'])
  );
}

function isDurationStats(x: unknown): x is unknown {
  return (
    isRec(x) &&
    isStr(x['kind']) &&
    isArrOf(x['bucketCounts'], isCount) &&
    x['bucketCounts'].length === CHECK_DURATION_BUCKETS_S.length + 1 &&
    isNum(x['sumS']) &&
    x['sumS'] >= 0 &&
    isCount(x['count'])
  );
}

function isRsState(x: unknown): x is unknown {
  return isRec(x) && isStr(x['virtualServer']) && isStr(x['realServer']) && isBool(x['alive']) && isNum(x['weight']);
}

/** The payload of a `stats` message (counts are non-negative integers, histograms have the agreed bucket count). */
export function isCheckerStats(x: unknown): x is CheckerStats {
  return (
    isRec(x) &&
    isArrOf(x['checks'], isCheckStatsEntry) &&
    isArrOf(x['durations'], isDurationStats) &&
    isArrOf(x['ipvsErrors'], (e: unknown): e is unknown => isRec(e) && isIpvsOp(e['op']) && isCount(e['count'])) &&
    isArrOf(x['rsTransitions'], (e: unknown): e is unknown => isRec(e) && isStr(e['virtualServer']) && isStr(e['realServer']) && isCount(e['up']) && isCount(e['down'])) &&
    (x['realServers'] === null || isArrOf(x['realServers'], isRsState))
  );
}

/** Validates a message arriving in the worker; null = reject. */
export function parseMainToWorker(x: unknown): MainToWorker | null {
  if (!isRec(x) || x['v'] !== CHECKER_PROTOCOL_VERSION) return null;
  switch (x['type']) {
    case 'start':
      return isConfig(x['config']) && isStartOptions(x['options']) ? { v: 1, type: 'start', config: x['config'], options: x['options'] } : null;
    case 'query':
      return isNum(x['id']) && (x['what'] === 'dump' || x['what'] === 'snapshot') ? { v: 1, type: 'query', id: x['id'], what: x['what'] } : null;
    case 'reload':
      return isConfig(x['config']) ? { v: 1, type: 'reload', config: x['config'] } : null;
    case 'stop':
      return isBool(x['keepIpvs']) ? { v: 1, type: 'stop', keepIpvs: x['keepIpvs'] } : null;
    case 'debug-crash':
      return { v: 1, type: 'debug-crash' };
    default:
      return null;
  }
}

/** Validates a message arriving in the main thread; null = reject. */
export function parseWorkerToMain(x: unknown): WorkerToMain | null {
  if (!isRec(x) || x['v'] !== CHECKER_PROTOCOL_VERSION) return null;
  switch (x['type']) {
    case 'ready':
      return x['ipvs'] === 'kernel' || x['ipvs'] === 'memory' ? { v: 1, type: 'ready', ipvs: x['ipvs'] } : null;
    case 'log':
      return isLevel(x['level']) && isStr(x['message']) ? { v: 1, type: 'log', level: x['level'], message: x['message'] } : null;
    case 'effect':
      return isWireEffect(x['effect']) ? { v: 1, type: 'effect', effect: x['effect'] } : null;
    case 'table':
      return isNum(x['services']) && isNum(x['dests']) ? { v: 1, type: 'table', services: x['services'], dests: x['dests'] } : null;
    case 'reply': {
      const id = x['id'];
      if (!isNum(id)) return null;
      if (isStr(x['dump'])) return { v: 1, type: 'reply', id, dump: x['dump'] };
      return isCheckerSnapshot(x['snapshot']) ? { v: 1, type: 'reply', id, snapshot: x['snapshot'] } : null;
    }
    case 'stats':
      return isCheckerStats(x['stats']) ? { v: 1, type: 'stats', stats: x['stats'] } : null;
    case 'stopped':
      return { v: 1, type: 'stopped' };
    default:
      return null;
  }
}
