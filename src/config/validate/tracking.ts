/**
 * Tracker completion checks: weights keepalived ignores. An instance never tracks its own interface;
 * members of a sync group (without `sync_group_tracking_weight`) and the address owner (priority 255)
 * cannot have their priority changed, so weighted interface / script / file trackers are reported
 * and dropped (sync-group rule first, as keepalived does).
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { KeepalivedConfig, VrrpInstance } from '../model.js';
import { ValidateCode as C } from './codes.js';

export function validateTracking(cfg: KeepalivedConfig, sink: DiagnosticSink): void {
  const scriptWeight = new Map(cfg.vrrpScripts.map((s) => [s.name, s.weight] as const));
  const fileWeight = new Map(cfg.trackFiles.map((f) => [f.name, f.weight] as const));
  const groupOf = new Map<string, boolean>();
  for (const sg of cfg.syncGroups) for (const m of sg.members) if (!groupOf.has(m.name)) groupOf.set(m.name, sg.syncGroupTrackingWeight);

  for (const vi of cfg.vrrpInstances) {
    const ownIf = vi.interface?.name;
    const inGroup = groupOf.has(vi.name) && groupOf.get(vi.name) !== true;
    const owner = vi.priority === 255;
    checkInstance(vi, ownIf, inGroup, owner, scriptWeight, fileWeight, sink);
  }
}

function checkInstance(
  vi: VrrpInstance,
  ownIf: string | undefined,
  inGroup: boolean,
  owner: boolean,
  scriptWeight: ReadonlyMap<string, number>,
  fileWeight: ReadonlyMap<string, number>,
  sink: DiagnosticSink,
): void {
  const name = vi.name;
  for (const t of vi.trackInterfaces) {
    if (t.name === ownIf) {
      sink.error(C.TRACK_OWN_INTERFACE, `(${name}) Ignoring track_interface ${t.name} since own interface`, t.pos, 'track_interface');
      continue;
    }
    if (t.weight === null || t.weight === 0) continue;
    if (inGroup) sink.error(C.SYNC_GROUP_TRACK_WEIGHT, `(${name}) ignoring ${t.name} tracked interface weight due to SYNC group`, t.pos, 'track_interface');
    else if (owner) sink.error(C.OWNER_TRACK_WEIGHT, `(${name}) ignoring ${t.name} tracked interface due to address owner`, t.pos, 'track_interface');
  }
  for (const t of vi.trackScripts) {
    const own = scriptWeight.get(t.name);
    if (own === undefined) continue;
    const weight = t.weight ?? own;
    if (weight === 0) continue;
    if (inGroup) sink.error(C.SYNC_GROUP_TRACK_WEIGHT, `(${name}) ignoring tracked script ${t.name} with weights due to SYNC group`, t.pos, 'track_script');
    else if (owner) sink.error(C.OWNER_TRACK_WEIGHT, `(${name}) ignoring tracked script ${t.name} with weights due to address_owner`, t.pos, 'track_script');
  }
  for (const t of vi.trackFiles) {
    const own = fileWeight.get(t.name);
    if (own === undefined) continue;
    const why = inGroup ? 'SYNC group' : owner ? 'address_owner' : null;
    if (why === null) continue;
    const code = inGroup ? C.SYNC_GROUP_TRACK_WEIGHT : C.OWNER_TRACK_WEIGHT;
    if (t.weight === null && own !== 0)
      sink.error(code, `(${name}) ignoring weight from tracked file ${t.name} due to ${why}. specify weight 0`, t.pos, 'track_file');
    else if (t.weight !== null && t.weight !== 0)
      sink.error(code, `(${name}) ignoring tracked file ${t.name} with weight ${String(t.weight)} due to ${why}`, t.pos, 'track_file');
  }
}
