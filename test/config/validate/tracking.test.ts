import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/core/diagnostics.js';
import type { TrackFile, VrrpSyncGroup } from '../../../src/config/model.js';
import { ValidateCode, validateConfig } from '../../../src/config/validate/index.js';
import { at, config, instance, syncGroup, vrrpScript } from './model-helpers.js';

const ref = (name: string, weight: number | null = null) => ({ name, pos: at(9), weight, reverse: false });
const trackFile = (name: string, weight: number): TrackFile => ({ name, pos: at(3), file: '/tmp/x', weight, weightReverse: false, initFile: null, legacyKeyword: false });
const weighted = { ...vrrpScript('chk', '/bin/true'), weight: 10 };
const unweighted = vrrpScript('chk0', '/bin/true');

function messages(cfg: ReturnType<typeof config>): string[] {
  const sink = new DiagnosticSink();
  validateConfig(cfg, null, sink);
  return sink.items.filter((d) => d.severity !== 'security').map((d) => d.message);
}

describe('tracker weights keepalived ignores', () => {
  it('never tracks the own interface', () => {
    expect(messages(config({ vrrpInstances: [instance({ trackInterfaces: [ref('eth0')] })] }))).toEqual([
      '(VI_1) Ignoring track_interface eth0 since own interface',
    ]);
  });

  it('drops weighted trackers on the address owner', () => {
    const vi = instance({
      priority: 255,
      trackInterfaces: [ref('eth1', 10), ref('eth2')],
      trackScripts: [ref('chk'), ref('chk0', 5), ref('chk0')],
      trackFiles: [ref('tf'), ref('tf0', 3), ref('tf0')],
    });
    const cfg = config({ vrrpInstances: [vi], vrrpScripts: [weighted, unweighted], trackFiles: [trackFile('tf', 1), trackFile('tf0', 0)] });
    expect(messages(cfg)).toEqual([
      '(VI_1) ignoring eth1 tracked interface due to address owner',
      '(VI_1) ignoring tracked script chk with weights due to address_owner',
      '(VI_1) ignoring tracked script chk0 with weights due to address_owner',
      '(VI_1) ignoring weight from tracked file tf due to address_owner. specify weight 0',
      '(VI_1) ignoring tracked file tf0 with weight 3 due to address_owner',
    ]);
  });

  it('drops weighted trackers of sync group members unless sync_group_tracking_weight', () => {
    const members = [instance({ trackScripts: [ref('chk')], trackInterfaces: [ref('eth1', 5)] }), instance({ name: 'VI_2', virtualRouterId: 52 })];
    const group = syncGroup('G', ['VI_1', 'VI_2']);
    const base = { vrrpInstances: members, vrrpScripts: [weighted] };
    expect(messages(config({ ...base, syncGroups: [group] }))).toEqual([
      '(VI_1) ignoring eth1 tracked interface weight due to SYNC group',
      '(VI_1) ignoring tracked script chk with weights due to SYNC group',
    ]);
    const tolerant: VrrpSyncGroup = { ...group, syncGroupTrackingWeight: true };
    expect(messages(config({ ...base, syncGroups: [tolerant] }))).toEqual([]);
  });

  it('uses the sync-group wording before the owner wording', () => {
    const vi = instance({ priority: 255, trackScripts: [ref('chk')] });
    const cfg = config({ vrrpInstances: [vi, instance({ name: 'VI_2', virtualRouterId: 52 })], vrrpScripts: [weighted], syncGroups: [syncGroup('G', ['VI_1', 'VI_2'])] });
    const sink = new DiagnosticSink();
    validateConfig(cfg, null, sink);
    expect(sink.items.filter((d) => d.code === ValidateCode.SYNC_GROUP_TRACK_WEIGHT)).toHaveLength(1);
    expect(sink.items.filter((d) => d.code === ValidateCode.OWNER_TRACK_WEIGHT)).toHaveLength(0);
  });
});
