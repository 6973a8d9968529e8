/** Size check for the builder: prints the build time (no timing assertion in unit tests). */
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/core/diagnostics.js';
import { buildModel } from '../../../src/config/build/index.js';
import type { ConfigNode } from '../../../src/config/source/tree.js';

const pos = { file: 'big.conf', line: 1 };
function node(keyword: string, args: string[] = [], children?: ConfigNode[]): ConfigNode {
  const n = { keyword, args, tokens: args.map((text) => ({ text, quoted: false })), pos };
  return children === undefined ? n : { ...n, children };
}

function bigTree(): ConfigNode[] {
  const out: ConfigNode[] = [node('global_defs', [], [node('router_id', ['big'])])];
  for (let i = 0; i < 1000; i++) {
    out.push(
      node('vrrp_instance', [`VI_${i}`], [
        node('state', ['BACKUP']),
        node('interface', ['eth0']),
        node('virtual_router_id', [String((i % 255) + 1)]),
        node('priority', ['100']),
        node('advert_int', ['1']),
        node('authentication', [], [node('auth_type', ['PASS']), node('auth_pass', ['secret'])]),
        node('virtual_ipaddress', [], [node(`10.${Math.floor(i / 250)}.${i % 250}.1/24`, ['dev', 'eth0'])]),
      ]),
    );
  }
  for (let v = 0; v < 100; v++) {
    const rs: ConfigNode[] = [];
    for (let r = 0; r < 100; r++) {
      rs.push(node('real_server', [`10.200.${v}.${r + 1}`, '80'], [node('weight', ['1']), node('TCP_CHECK', [], [node('connect_timeout', ['3'])])]));
    }
    out.push(node('virtual_server', [`10.100.0.${v + 1}`, '80'], [node('lb_algo', ['rr']), node('lb_kind', ['NAT']), node('protocol', ['TCP']), ...rs]));
  }
  return out;
}

describe('builder size', () => {
  it('builds 1000 instances and 100×100 real servers', () => {
    const tree = bigTree();
    buildModel(tree, new DiagnosticSink()); // warm-up
    const sink = new DiagnosticSink();
    const t0 = performance.now();
    const cfg = buildModel(tree, sink);
    const ms = performance.now() - t0;
    console.log(`[bench] buildModel: 1000 instances + 10000 real servers in ${ms.toFixed(1)} ms`);
    expect(sink.items.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(cfg.vrrpInstances).toHaveLength(1000);
    expect(cfg.virtualServers.reduce((n, v) => n + v.realServers.length, 0)).toBe(10000);
  });
});
