import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { instanceKey, resolveInstance, withSyncGroup } from '../../src/core/instance-config.js';
import type { HostInterface } from '../../src/io/netlink/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-ic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(text: string): Promise<Awaited<ReturnType<typeof loadConfig>>> {
  const p = join(dir, `c${Math.random().toString(16).slice(2)}.conf`);
  writeFileSync(p, text);
  return loadConfig(p, { host: null });
}

const eth0: HostInterface = {
  index: 2, name: 'eth0', up: true, running: true, mtu: 1500, mac: '02:00:00:00:00:02', flags: 0x1043,
  addresses: [
    { family: 4, address: '10.1.0.200', prefixLen: 24, scope: 0, flags: 0 },
    { family: 4, address: '10.1.0.5', prefixLen: 24, scope: 0, flags: 0 },
  ],
};
const eth1: HostInterface = { ...eth0, index: 3, name: 'eth1', mac: '02:00:00:00:00:03', addresses: [] };

describe('resolveInstance', () => {
  it('maps VIPs to netlink specs, picks the primary address (not a VIP) and builds the reload key', async () => {
    const res = await load(`vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 7
  priority 120
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass longpassword
  }
  virtual_ipaddress {
    10.1.0.200/24 label eth0:vip
    10.2.0.1/32 dev eth1 scope link
  }
}
`);
    const eff = res.instances[0]!;
    const { instance, skipped } = resolveInstance(eff, res.config, [eth0, eth1]);
    expect(skipped).toEqual([]);
    expect(instance.sourceAddress).toBe('10.1.0.5');
    expect(instance.params.primaryAddress).toBe('10.1.0.5');
    expect(instance.authType).toBe(1);
    expect(instance.authPass).toBe('longpass');
    expect(instance.key).toBe(instanceKey(7, 4, 'eth0', false));
    expect(instance.vips.map((v) => [v.address, v.ifname, v.spec.ifindex, v.spec.prefixLen])).toEqual([
      ['10.1.0.200', 'eth0', 2, 24],
      ['10.2.0.1', 'eth1', 3, 32],
    ]);
    expect(instance.vips[0]!.spec.label).toBe('eth0:vip');
    expect(instance.vips[1]!.spec.scope).toBe(253);
    expect(instance.params.vips).toEqual(['10.1.0.200', '10.2.0.1']);
    expect(instance.params.basePriority).toBe(120);
  });

  it('unicast instances get their own key and peers; unknown interfaces are refused; sync group can be cleared', async () => {
    const res = await load(`vrrp_sync_group G { group { VI_1 VI_2 } }
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 8
  unicast_src_ip 10.1.0.5
  unicast_peer {
    10.1.0.6
  }
  virtual_ipaddress {
    10.1.0.100 dev eth9
  }
}
vrrp_instance VI_2 {
  interface eth9
  virtual_router_id 9
  virtual_ipaddress {
    10.1.0.101
  }
}
`);
    const { instance, skipped } = resolveInstance(res.instances[0]!, res.config, [eth0]);
    expect(instance.unicastPeers).toEqual(['10.1.0.6']);
    expect(instance.key).toBe(instanceKey(8, 4, 'eth0', true));
    expect(skipped).toEqual(['10.1.0.100']);
    expect(instance.params.syncGroup).toBe('G');
    expect(withSyncGroup(instance, null).params.syncGroup).toBeNull();
    expect(() => resolveInstance(res.instances[1]!, res.config, [eth0])).toThrow(/eth9 does not exist/);
  });
});
