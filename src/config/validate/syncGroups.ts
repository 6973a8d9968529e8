/**
 * vrrp_sync_group completion checks: members must name existing instances, an instance belongs to at
 * most one group, and a group left with fewer than two members is reported (keepalived keeps it but
 * warns that it "probably isn't what you want").
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { KeepalivedConfig } from '../model.js';
import { ValidateCode as C } from './codes.js';

export function validateSyncGroups(cfg: KeepalivedConfig, sink: DiagnosticSink): void {
  const instances = new Set(cfg.vrrpInstances.map((vi) => vi.name));
  const groupOf = new Map<string, string>();
  for (const sg of cfg.syncGroups) {
    let members = 0;
    for (const m of sg.members) {
      if (!instances.has(m.name)) {
        sink.error(C.SYNC_GROUP_UNKNOWN_MEMBER, `Virtual router ${m.name} specified in sync group ${sg.name} doesn't exist - ignoring`, m.pos, 'group');
        continue;
      }
      const other = groupOf.get(m.name);
      if (other !== undefined) {
        sink.error(C.SYNC_GROUP_MEMBER_TWICE, `Virtual router ${m.name} cannot exist in more than one sync group; ignoring ${sg.name}`, m.pos, 'group');
        continue;
      }
      groupOf.set(m.name, sg.name);
      members++;
    }
    if (members === 0)
      sink.error(C.SYNC_GROUP_TOO_SMALL, `Sync group ${sg.name}, no matching virtual router found in group declaration - removing`, sg.pos, 'vrrp_sync_group');
    else if (members === 1)
      sink.error(C.SYNC_GROUP_TOO_SMALL, `Sync group ${sg.name} has only ${members} virtual router(s) - this probably isn't what you want`, sg.pos, 'vrrp_sync_group');
  }
}
