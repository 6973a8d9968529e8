/** Size check for a large configuration; prints the time taken (no timing assertion). */
import { describe, expect, it } from 'vitest';
import { read } from './helpers.js';

function bigConfig(instances: number): string {
  const parts: string[] = ['global_defs {\n  router_id LB1 # comment\n}\n$IF=eth0\n'];
  for (let i = 1; i <= instances; i++) {
    parts.push(`vrrp_instance VI_${i} {
    state BACKUP
    interface $IF
    virtual_router_id ${i % 255}
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass "secret"
    }
    virtual_ipaddress {
        10.${i >> 8}.${i & 255}.1/24 dev eth0 label eth0:${i}
    }
    track_script { chk_${i} }
    notify "/usr/local/bin/notify.sh VI_${i}"
}
`);
  }
  return parts.join('');
}

describe('reader performance', () => {
  it('reads a 1000-instance configuration', () => {
    const text = bigConfig(1000);
    read(text); // warm up
    const t0 = performance.now();
    const r = read(text);
    const ms = performance.now() - t0;
    console.log(`[bench] config reader: 1000 vrrp_instances, ${text.length} bytes, ${ms.toFixed(1)} ms`);
    expect(r.diagnostics).toEqual([]);
    expect(r.nodes.length).toBe(1001);
    expect(r.nodes[1000]!.children!.length).toBe(9);
    expect(r.nodes[500]!.children![1]!.args).toEqual(['eth0']);
  });

  it('generates 1000 instances from one ~SEQ line', () => {
    const t0 = performance.now();
    const r = read('~SEQ(i,1,1000) vrrp_instance VI_$i { virtual_router_id $i }\n');
    console.log(`[bench] config reader: ~SEQ of 1000 blocks, ${(performance.now() - t0).toFixed(1)} ms`);
    expect(r.nodes.length).toBe(1000);
    expect(r.nodes[999]!.children![0]!.args).toEqual(['1000']);
  });
});
