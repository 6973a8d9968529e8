/**
 * Builders from the daemon's own state to status-document sections, so the daemon's `status`
 * control handler is a few lines: FSM `InstanceState` (+ what only the daemon knows: last transition
 * time, tracker results, split-brain findings, counters) → `StatusInstance`; checker `PoolSnapshot`
 * + `CheckerStatus` list + configuration → `StatusVirtualServer`.
 *
 * Monotonic instants (µs, the daemon Clock) become wall-clock ISO strings through one
 * `TimeMapping` taken when the document is built.
 */

import type { CheckerStatus } from '../check/engine.js';
import { fmtVs } from '../check/format.js';
import type { VsSnapshot } from '../check/pool.js';
import type { VirtualServer } from '../config/model.js';
import { faultReasons } from '../vrrp/fsm/machine.js';
import type { InstanceState, VrrpState } from '../vrrp/fsm/types.js';
import type { SplitBrainFinding } from './split-brain.js';
import {
  STATUS_SCHEMA_VERSION,
  monotonicToIso,
  type StatusAddress,
  type StatusCheck,
  type StatusDocument,
  type StatusInstance,
  type StatusInstanceStats,
  type StatusTracker,
  type StatusVirtualServer,
  type UpDown,
} from './status-schema.js';

/** A simultaneous reading of the monotonic clock and the wall clock. */
export interface TimeMapping {
  readonly nowUs: number;
  readonly nowWallMs: number;
}

export interface TransitionRecord {
  readonly from: VrrpState;
  readonly to: VrrpState;
  readonly reason: string;
  readonly atUs: number;
}

/** Current result of one tracker of the instance, by `kind:name` (see `trackerKey`). */
export interface TrackerResult {
  readonly status: UpDown;
  /** Priority contribution now (weight, scaled file value, or 0). */
  readonly contribution: number;
}

export interface InstanceStatusExtras {
  readonly time: TimeMapping;
  readonly lastTransition: TransitionRecord | null;
  readonly trackers?: ReadonlyMap<string, TrackerResult>;
  readonly splitBrain?: readonly SplitBrainFinding[];
  readonly stats?: StatusInstanceStats;
  /** Our own address, shown as the master when we are MASTER (defaults to params.primaryAddress). */
  readonly ownAddress?: string | null;
}

export function trackerKey(kind: string, name: string): string {
  return `${kind}:${name}`;
}

/** "10.0.0.1/24 dev eth0" style text or a bare address → StatusAddress. */
export function parseVipText(text: string): StatusAddress {
  const words = text.trim().split(/\s+/);
  const [addr = '', len] = (words[0] ?? '').split('/');
  const devAt = words.indexOf('dev');
  return {
    address: addr,
    prefixLength: len !== undefined && /^\d+$/.test(len) ? Number(len) : null,
    interface: devAt >= 0 ? (words[devAt + 1] ?? null) : null,
  };
}

export function instanceStatusFromFsm(s: InstanceState, x: InstanceStatusExtras): StatusInstance {
  const p = s.params;
  const trackers: StatusTracker[] = p.trackers.map((t) => {
    const r = x.trackers?.get(trackerKey(t.kind, t.name));
    return { type: t.kind, name: t.name, weight: t.weight, status: r?.status ?? 'unknown', contribution: r?.contribution ?? 0 };
  });
  const own = x.ownAddress ?? p.primaryAddress;
  const master =
    s.state === 'MASTER' ? { address: own, priority: s.effectivePriority } : { address: s.masterAddr, priority: s.masterPriority };
  const iso = (us: number): string => monotonicToIso(us, x.time.nowUs, x.time.nowWallMs);
  return {
    name: p.name,
    vrid: p.vrid,
    family: p.family === 'inet6' ? 6 : 4,
    version: p.version,
    interface: p.interfaceName ?? '',
    state: s.state,
    priority: { base: s.basePriority, effective: s.effectivePriority },
    master,
    advertIntervalCs: p.adverIntervalCs,
    masterAdverIntervalCs: s.masterAdverIntervalCs,
    vips: p.vips.map(parseVipText),
    excludedVips: p.excludedVips.map(parseVipText),
    vipsInstalled: s.vipsSet,
    lastTransition:
      x.lastTransition === null
        ? null
        : { from: x.lastTransition.from, to: x.lastTransition.to, reason: x.lastTransition.reason, at: iso(x.lastTransition.atUs) },
    transitions: s.transitions,
    trackers,
    faults: [...faultReasons(s)],
    syncGroup: p.syncGroup,
    splitBrain: (x.splitBrain ?? []).map((f) => ({ kind: f.kind, peer: f.peer, since: iso(f.sinceUs), detail: f.detail })),
    ...(x.stats !== undefined ? { stats: x.stats } : {}),
  };
}

/** Extra per-check timing the daemon may keep (by CheckerStatus id `vs/rs/checker`). */
export interface CheckTiming {
  readonly lastCheckedAtUs: number;
  readonly lastDurationMs: number;
}

export function virtualServerStatus(
  vs: VirtualServer,
  vsIndex: number,
  snap: VsSnapshot | undefined,
  checkers: readonly CheckerStatus[],
  time: TimeMapping,
  timings?: ReadonlyMap<string, CheckTiming>,
): StatusVirtualServer {
  const t = vs.target;
  const byId = new Map(checkers.map((c) => [c.id, c]));
  return {
    name: fmtVs(vs),
    address: t.kind === 'ip' ? t.address : null,
    port: t.kind === 'ip' ? t.port : null,
    fwmark: t.kind === 'fwmark' ? t.fwmark : null,
    group: t.kind === 'group' ? t.group.name : null,
    protocol: t.kind === 'fwmark' ? null : vs.protocol,
    scheduler: vs.lvsSched,
    quorum: { required: vs.quorum, up: snap?.quorumUp ?? true, aliveWeight: snap?.weightSum ?? 0 },
    sorryServer: vs.sorryServer === null ? null : { address: vs.sorryServer.address, port: vs.sorryServer.port, active: snap?.sorryAlive ?? false },
    realServers: vs.realServers.map((rs, rsIndex) => {
      const rsSnap = snap?.realServers[rsIndex];
      const checks: StatusCheck[] = rs.checkers.map((c, k) => {
        const id = `${vsIndex}/${rsIndex}/${k}`;
        const st = byId.get(id);
        const up = rsSnap?.checkersUp[k];
        const timing = timings?.get(id);
        return {
          type: c.kind,
          status: up === undefined ? 'unknown' : up ? 'up' : 'down',
          lastCheckedAt: timing === undefined ? null : monotonicToIso(timing.lastCheckedAtUs, time.nowUs, time.nowWallMs),
          lastDurationMs: timing?.lastDurationMs ?? null,
          detail: st?.lastReason ?? null,
        };
      });
      return {
        address: rs.address,
        port: rs.port,
        configuredWeight: rs.weight,
        // A dead real server is out of IPVS (or inhibited at weight 0).
        weight: rsSnap?.alive === true ? rsSnap.effectiveWeight : 0,
        alive: rsSnap?.alive ?? false,
        checks,
      };
    }),
  };
}

export interface DocumentParts {
  readonly version: string;
  readonly time: TimeMapping;
  readonly pid: number;
  readonly startedAtWallMs: number;
  readonly configFile: string | null;
  readonly lastReloadAtWallMs: number | null;
  readonly instances: readonly StatusInstance[];
  readonly syncGroups?: StatusDocument['vrrp']['syncGroups'];
  readonly virtualServers: readonly StatusVirtualServer[];
}

export function buildStatusDocument(parts: DocumentParts): StatusDocument {
  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    generator: { name: 'keepalived-ts', version: parts.version },
    generatedAt: new Date(parts.time.nowWallMs).toISOString(),
    daemon: {
      pid: parts.pid,
      startedAt: new Date(parts.startedAtWallMs).toISOString(),
      configFile: parts.configFile,
      lastReloadAt: parts.lastReloadAtWallMs === null ? null : new Date(parts.lastReloadAtWallMs).toISOString(),
    },
    vrrp: { instances: parts.instances, syncGroups: parts.syncGroups ?? [] },
    virtualServers: parts.virtualServers,
  };
}
