/**
 * keepalived.conf text for the lab benchmarks: vrrp_instance blocks (v2 whole-second or v3 centisecond
 * adverts) and HTTP_GET virtual_servers, identical for keepalived-ts and keepalived 2.2.7.
 */

export interface BenchInstance {
  readonly name: string;
  readonly vrid: number;
  readonly priority: number;
  readonly state: 'MASTER' | 'BACKUP';
  /** advert_int in seconds (v2 needs whole seconds; v3 allows centiseconds). */
  readonly advertIntS: number;
  readonly version: 2 | 3;
  readonly iface: string;
  /** Addresses with prefix, e.g. `10.61.0.200/24`. */
  readonly vips: readonly string[];
}

export interface BenchVirtualServer {
  readonly ip: string;
  readonly port: number;
  /** delay_loop in seconds (fractions allowed). */
  readonly delayLoopS: number;
  readonly realServers: readonly { readonly ip: string; readonly port: number }[];
  /** URL path checked with HTTP_GET (status 200 expected). */
  readonly path: string;
}

export function globalDefs(routerId: string): string[] {
  return ['global_defs {', `    router_id ${routerId}`, '}', ''];
}

export function instanceBlock(i: BenchInstance): string[] {
  return [
    `vrrp_instance ${i.name} {`,
    `    state ${i.state}`,
    `    interface ${i.iface}`,
    `    virtual_router_id ${i.vrid}`,
    `    priority ${i.priority}`,
    `    advert_int ${i.advertIntS}`,
    `    version ${i.version}`,
    '    virtual_ipaddress {',
    ...i.vips.map((v) => `        ${v}`),
    '    }',
    '}',
    '',
  ];
}

export function virtualServerBlock(vs: BenchVirtualServer): string[] {
  const out = [
    `virtual_server ${vs.ip} ${vs.port} {`,
    `    delay_loop ${vs.delayLoopS}`,
    '    lb_algo rr',
    '    lb_kind NAT',
    '    protocol TCP',
  ];
  for (const rs of vs.realServers) {
    out.push(
      `    real_server ${rs.ip} ${rs.port} {`,
      '        weight 1',
      '        HTTP_GET {',
      '            url {',
      `                path ${vs.path}`,
      '                status_code 200',
      '            }',
      '            connect_timeout 1',
      '            retry 0',
      '        }',
      '    }',
    );
  }
  out.push('}', '');
  return out;
}

/** `vsCount` virtual servers sharing `rsCount` HTTP real servers on `rsIp`, ports from `firstPort`. */
export function httpVirtualServers(vsCount: number, rsCount: number, rsIp: string, firstPort: number, vipBase: string, delayLoopS: number): BenchVirtualServer[] {
  const perVs = Math.ceil(rsCount / vsCount);
  return Array.from({ length: vsCount }, (_, v) => ({
    ip: `${vipBase}.${v + 1}`, port: 80, delayLoopS, path: '/',
    realServers: Array.from({ length: Math.min(perVs, rsCount - v * perVs) }, (_, r) => ({ ip: rsIp, port: firstPort + v * perVs + r })),
  }));
}

/** A whole configuration: global_defs, the instances, then the virtual servers. */
export function benchConf(routerId: string, instances: readonly BenchInstance[], virtualServers: readonly BenchVirtualServer[] = []): string {
  return [...globalDefs(routerId), ...instances.flatMap(instanceBlock), ...virtualServers.flatMap(virtualServerBlock)].join('\n');
}
