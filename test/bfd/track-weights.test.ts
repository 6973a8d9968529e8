import { describe, expect, it } from 'vitest';
import { paramsFromConfText } from '../vrrp/fsm/conf.js';
import { trackerContribution } from '../../src/vrrp/tracking/priority.js';

const conf = (refs: string): string => `
bfd_instance b_default {
  neighbor_ip 10.0.0.2
}
bfd_instance b_weighted {
  neighbor_ip 10.0.0.3
  weight -60
}
bfd_instance b_reverse {
  neighbor_ip 10.0.0.4
  weight 20 reverse
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 150
  track_bfd {
${refs}
  }
  virtual_ipaddress {
    10.0.0.100/24
  }
}
`;

describe('track_bfd weights from configuration to the tracker set', () => {
  it("uses the bfd_instance's weight (and reverse) unless the reference overrides it", () => {
    const { runtime } = paramsFromConfText(conf('    b_default\n    b_weighted\n    b_reverse\n    '));
    expect(runtime.instances[0]?.trackers).toEqual([
      { kind: 'bfd', name: 'b_default', weight: 0, reverse: false },
      { kind: 'bfd', name: 'b_weighted', weight: -60, reverse: false },
      { kind: 'bfd', name: 'b_reverse', weight: 20, reverse: true },
    ]);
    const over = paramsFromConfText(conf('    b_weighted weight -10\n    b_reverse weight 5 noreverse'));
    expect(over.runtime.instances[0]?.trackers).toEqual([
      { kind: 'bfd', name: 'b_weighted', weight: -10, reverse: false },
      { kind: 'bfd', name: 'b_reverse', weight: 5, reverse: false },
    ]);
  });

  it('a down session faults an unweighted tracker and moves a weighted one by its weight', () => {
    const { runtime } = paramsFromConfText(conf('    b_default\n    b_weighted'));
    const [unweighted, weighted] = runtime.instances[0]?.trackers ?? [];
    expect(trackerContribution(unweighted!, { kind: 'down' }).fault).not.toBeNull();
    expect(trackerContribution(unweighted!, { kind: 'up' }).fault).toBeNull();
    expect(trackerContribution(weighted!, { kind: 'down' })).toMatchObject({ weight: -60, fault: null });
    expect(trackerContribution(weighted!, { kind: 'up' })).toMatchObject({ weight: 0, fault: null });
  });
});
