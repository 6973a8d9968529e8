/**
 * Maps the typed configuration model (`src/config/model.ts`, after validation produced the
 * `EffectiveInstance`s) to the parameters the pure VRRP layer runs on: instance params, sync-group
 * params with their trackers, and `vrrp_script` rise/fall settings. Pure: types only from config.
 *
 * keepalived rules applied here:
 *  - a tracker reference's own `weight` overrides the tracked object's (track_script, track_file,
 *    track_process); track_interface / track_bfd default to unweighted;
 *  - references to undeclared objects are dropped (the validator reports them);
 *  - members of a sync group (unless the group sets `sync_group_tracking_weight`) and the address
 *    owner (priority 255) cannot have their priority moved, so keepalived 2.2.7's vrrp_complete_instance
 *    rewrites their weighted trackers (`restrictTrackers`): a weighted track_interface becomes unweighted
 *    (sync group) or is no longer tracked (owner); a weighted track_script or track_bfd is dropped; a
 *    track_file of the default weight 1 becomes unweighted, any other weight is dropped; track_process
 *    is left alone (no check for it there). The validator reports each of these;
 *  - a sync group's own trackers are added to each member (`withGroupTrackers`), weighted unless a
 *    member is the address owner;
 *  - `vrrp_strict`/`strict_mode` forces `lower_prio_no_advert`;
 *  - GARP lower-priority settings default to the master ones;
 *  - `notify_priority_changes` defaults to global `vrrp_notify_priority_changes`.
 * The tie-break address is the configured `unicast_src_ip`/`mcast_src_ip`; when null the daemon
 * must fill in the interface's primary address (host state, not configuration).
 */

import type { EffectiveInstance } from '../config/validate/index.js';
import type { GlobalDefs, KeepalivedConfig, VrrpInstance, VrrpSyncGroup, WeightedRef } from '../config/model.js';
import type { GarpParams, TrackerDef, TrackerKind, VrrpInstanceParams } from './params.js';
import type { SyncGroupParams } from './sync-group.js';
import type { ScriptTrackerParams } from './tracking/script-tracker.js';

const US_PER_S = 1_000_000;

export interface VrrpScriptRuntime extends ScriptTrackerParams {
  readonly intervalUs: number;
  readonly timeoutUs: number;
  /** argv of the script; null if the script line was missing/invalid. */
  readonly argv: readonly string[] | null;
  readonly user: string | null;
  readonly group: string | null;
}

export interface SyncGroupRuntime {
  readonly params: SyncGroupParams;
  /** Group-level trackers (unweighted: a failure faults every member). */
  readonly trackers: readonly TrackerDef[];
}

export interface VrrpRuntimeParams {
  readonly instances: readonly VrrpInstanceParams[];
  readonly syncGroups: readonly SyncGroupRuntime[];
  readonly scripts: readonly VrrpScriptRuntime[];
}

type ObjectWeights = ReadonlyMap<string, { readonly weight: number; readonly reverse: boolean }>;

function resolveRefs(
  kind: TrackerKind,
  refs: readonly WeightedRef[],
  objects: ObjectWeights | null,
  forceUnweighted: boolean,
): TrackerDef[] {
  const out: TrackerDef[] = [];
  for (const ref of refs) {
    let weight = 0;
    let reverse = ref.reverse;
    if (objects !== null) {
      const obj = objects.get(ref.name);
      if (obj === undefined) continue; // undeclared: keepalived ignores the reference
      weight = ref.weight ?? obj.weight;
      reverse = ref.weight !== null ? ref.reverse : obj.reverse;
    } else {
      weight = ref.weight ?? 0;
    }
    out.push({ kind, name: ref.name, weight: forceUnweighted ? 0 : weight, reverse });
  }
  return out;
}

/**
 * keepalived 2.2.7: an unset garp_lower_prio_delay/_repeat takes the global vrrp_garp_lower_prio_* value,
 * which itself defaults to the GLOBAL vrrp_garp_master_delay/_repeat (not the instance's); strict mode
 * forces both to 0.
 */
/** Why an instance's tracker weights cannot apply: sync group member, address owner, or neither. */
type WeightRestriction = 'sync-group' | 'address-owner' | null;

/** keepalived's vrrp_complete_instance rewrite of weighted trackers (see the module header). */
export function restrictTrackers(defs: readonly TrackerDef[], why: WeightRestriction): TrackerDef[] {
  if (why === null) return [...defs];
  const out: TrackerDef[] = [];
  for (const d of defs) {
    if (d.weight === 0 || d.kind === 'process') out.push(d);
    else if (d.kind === 'interface') {
      if (why === 'sync-group') out.push({ ...d, weight: 0 });
    } else if (d.kind === 'file' && d.weight === 1) out.push({ ...d, weight: 0 });
    // weighted script / bfd / file (weight ≠ 1): dropped
  }
  return out;
}

/**
 * keepalived 2.2.7 sync_group_tracking_init: a sync group's trackers (track_interface/script/file/
 * process/bfd inside vrrp_sync_group) are added to every member instance, with the group's weights. An
 * object the member already tracks itself keeps being tracked once: weighted, it takes the group's
 * weight; unweighted, it stays unweighted.
 */
export function withGroupTrackers(own: readonly TrackerDef[], group: readonly TrackerDef[]): TrackerDef[] {
  const out = [...own];
  for (const g of group) {
    const i = out.findIndex((d) => d.kind === g.kind && d.name === g.name);
    const mine = out[i];
    if (mine === undefined) out.push(g);
    else if (mine.weight !== 0) out[i] = { ...mine, weight: g.weight, reverse: g.reverse };
  }
  return out;
}

function garpParams(vi: VrrpInstance, g: GlobalDefs, strict: boolean): GarpParams {
  return {
    masterDelayUs: vi.garpMasterDelaySec * US_PER_S,
    masterRepeat: vi.garpMasterRepeat,
    masterRefreshUs: vi.garpMasterRefreshSec * US_PER_S,
    masterRefreshRepeat: vi.garpMasterRefreshRepeat,
    lowerPrioDelayUs: strict ? 0 : (vi.garpLowerPrioDelaySec ?? g.vrrpGarpMasterDelaySec) * US_PER_S,
    lowerPrioRepeat: strict ? 0 : (vi.garpLowerPrioRepeat ?? g.vrrpGarpMasterRepeat),
  };
}

export function vrrpParamsFromConfig(cfg: KeepalivedConfig, effective: readonly EffectiveInstance[]): VrrpRuntimeParams {
  const g = cfg.globalDefs;
  const scripts: ObjectWeights = new Map(cfg.vrrpScripts.map((s) => [s.name, { weight: s.weight, reverse: s.weightReverse }]));
  const files: ObjectWeights = new Map(cfg.trackFiles.map((f) => [f.name, { weight: f.weight, reverse: f.weightReverse }]));
  const processes: ObjectWeights = new Map(cfg.trackProcesses.map((p) => [p.name, { weight: p.weight, reverse: p.weightReverse }]));

  const groupOf = new Map<string, VrrpSyncGroup>();
  for (const sg of cfg.syncGroups) for (const m of sg.members) groupOf.set(m.name, sg);

  const trackersOf = (
    src: Pick<VrrpInstance, 'trackScripts' | 'trackInterfaces' | 'trackFiles' | 'trackProcesses' | 'trackBfds'>,
    unweighted: boolean,
  ): TrackerDef[] => [
    ...resolveRefs('interface', src.trackInterfaces, null, unweighted),
    ...resolveRefs('script', src.trackScripts, scripts, unweighted),
    ...resolveRefs('file', src.trackFiles, files, unweighted),
    ...resolveRefs('process', src.trackProcesses, processes, unweighted),
    ...resolveRefs('bfd', src.trackBfds, null, unweighted),
  ];

  const priorityOf = new Map(cfg.vrrpInstances.map((vi) => [vi.name, vi.priority] as const));
  /** keepalived clears the weights of a group's trackers when a member is the address owner. */
  const groupHasOwner = (sg: VrrpSyncGroup): boolean => sg.members.some((m) => priorityOf.get(m.name) === 255);

  const instances: VrrpInstanceParams[] = effective.map((e) => {
    const vi = e.instance;
    const sg = groupOf.get(vi.name) ?? null;
    const strict = vi.strictMode || g.vrrpStrict;
    const src = vi.unicastSrcIp ?? vi.mcastSrcIp;
    return {
      name: vi.name,
      vrid: vi.virtualRouterId ?? 0,
      family: e.family,
      version: e.version,
      basePriority: vi.priority,
      adverIntervalCs: e.adverIntervalCs,
      initialState: vi.state,
      preempt: !e.nopreempt,
      preemptDelayUs: e.preemptDelayUs,
      garp: garpParams(vi, g, strict),
      downTimerAdverts: vi.downTimerAdverts,
      lowerPrioNoAdvert: vi.lowerPrioNoAdvert || strict,
      higherPrioSendAdvert: vi.higherPrioSendAdvert && !strict,
      notifyPriorityChanges: vi.notifyPriorityChanges ?? g.vrrpNotifyPriorityChanges,
      notifyDeleted: vi.notifyDeleted,
      primaryAddress: src?.address ?? null,
      interfaceName: vi.interface?.name ?? null,
      trackPrimaryInterface: !vi.dontTrackPrimary,
      vips: vi.virtualIpAddresses.filter((v) => v.family === e.family).map((v) => v.address),
      excludedVips: vi.virtualIpAddressesExcluded.map((v) => v.address),
      trackers: withGroupTrackers(
        restrictTrackers(
          trackersOf(vi, false),
          sg !== null && !sg.syncGroupTrackingWeight ? 'sync-group' : vi.priority === 255 ? 'address-owner' : null,
        ),
        sg === null ? [] : trackersOf(sg, groupHasOwner(sg)),
      ),
      syncGroup: sg?.name ?? null,
    };
  });

  const known = new Set(instances.map((i) => i.name));
  const syncGroups: SyncGroupRuntime[] = cfg.syncGroups
    .map((sg) => ({
      params: { name: sg.name, members: sg.members.map((m) => m.name).filter((n) => known.has(n)) },
      trackers: trackersOf(sg, true),
    }))
    .filter((s) => s.params.members.length > 0);

  const scriptRuntime: VrrpScriptRuntime[] = cfg.vrrpScripts.map((s) => ({
    name: s.name,
    rise: s.rise,
    fall: s.fall,
    initFail: s.initFail,
    intervalUs: s.intervalUs,
    timeoutUs: s.timeoutUs,
    argv: s.script?.argv ?? null,
    user: s.user,
    group: s.group,
  }));

  return { instances, syncGroups, scripts: scriptRuntime };
}
