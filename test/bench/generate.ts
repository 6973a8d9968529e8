/** Generates the benchmark configuration: N vrrp_instances and V virtual_servers × R real_servers. */

export interface BenchShape {
  readonly instances: number;
  readonly virtualServers: number;
  readonly realServersPerVs: number;
  /** Interfaces the instances are spread over (255 VRIDs per interface and family). */
  readonly interfaces: readonly string[];
}

export const DEFAULT_SHAPE: BenchShape = {
  instances: 1000,
  virtualServers: 100,
  realServersPerVs: 100,
  interfaces: ['eth0', 'eth1', 'ens33', 'ens8'],
};

export function generateConfig(shape: BenchShape = DEFAULT_SHAPE): string {
  const out: string[] = ['global_defs {', '    router_id bench', '}', ''];
  for (let i = 0; i < shape.instances; i++) {
    const ifname = shape.interfaces[Math.floor(i / 250) % shape.interfaces.length] ?? 'eth0';
    const vrid = (i % 250) + 1;
    out.push(
      `vrrp_instance VI_${i} {`,
      '    state BACKUP',
      `    interface ${ifname}`,
      `    virtual_router_id ${vrid}`,
      `    priority ${100 + (i % 50)}`,
      '    advert_int 1',
      '    virtual_ipaddress {',
      `        10.${100 + Math.floor(i / 250)}.${i % 250}.1/24`,
      '    }',
      '}',
    );
  }
  for (let v = 0; v < shape.virtualServers; v++) {
    out.push(`virtual_server 172.16.${v}.1 80 {`, '    delay_loop 10', '    lvs_sched wlc', '    lvs_method NAT', '    protocol TCP');
    for (let r = 0; r < shape.realServersPerVs; r++) {
      out.push(
        `    real_server 192.168.${v}.${r + 1} 8080 {`,
        '        weight 1',
        '        TCP_CHECK {',
        '            connect_timeout 3',
        '        }',
        '    }',
      );
    }
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}
