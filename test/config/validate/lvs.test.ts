import { describe, expect, it } from 'vitest';
import { DiagnosticSink, exitCodeFor } from '../../../src/core/diagnostics.js';
import { ValidateCode, lvsExplicitSettings, validateConfig } from '../../../src/config/validate/index.js';
import type { ConfigNode } from '../../../src/config/source/tree.js';
import { at, config, realServer, virtualServer } from './model-helpers.js';

function codes(cfg: ReturnType<typeof config>, tree?: readonly ConfigNode[]) {
  const sink = new DiagnosticSink();
  validateConfig(cfg, null, sink, tree !== undefined ? { tree } : {});
  return sink.items;
}

const node = (keyword: string, line: number, children?: ConfigNode[]): ConfigNode => ({
  keyword,
  args: [],
  tokens: [],
  pos: at(line),
  ...(children !== undefined ? { children } : {}),
});

describe('virtual server checks', () => {
  it('ignores a virtual server without real servers', () => {
    const items = codes(config({ virtualServers: [virtualServer('10.0.0.1', 80, [])] }));
    expect(items.map((d) => d.message)).toEqual(['Virtual server [10.0.0.1]:tcp:80 has no real servers - ignoring']);
    expect(exitCodeFor(items)).toBe(5);
  });

  it('skips real and sorry servers of the other family', () => {
    const vs = virtualServer('10.0.0.1', 80, [realServer('2001:db8::2', 80), realServer('10.0.0.2', 80, 25)], {
      sorryServer: { address: '2001:db8::9', family: 'inet6', port: 80, pos: at(18) },
    });
    expect(codes(config({ virtualServers: [vs] })).map((d) => d.code)).toEqual([ValidateCode.LVS_RS_FAMILY, ValidateCode.LVS_SORRY_FAMILY]);
  });

  it('removes duplicated real servers', () => {
    const vs = virtualServer('10.0.0.1', 80, [realServer('10.0.0.2', 80), realServer('10.0.0.2', 80, 25)]);
    expect(codes(config({ virtualServers: [vs] })).map((d) => d.message)).toEqual([
      'VS [10.0.0.1]:tcp:80: real server [10.0.0.2]:tcp:80 is duplicated - removing second rs',
    ]);
  });

  it('clears real server ports of fwmark services', () => {
    const vs = virtualServer('0.0.0.0', 0, [realServer('10.0.0.2', 80)], { target: { kind: 'fwmark', fwmark: 9, family: null }, protocolConfigured: false });
    expect(codes(config({ virtualServers: [vs] })).map((d) => d.code)).toEqual([ValidateCode.LVS_FWMARK_RS_PORT]);
  });

  it('reports the scheduler and forwarding defaults when the tree shows they were not set', () => {
    // Without the builder's flags the validator falls back to the tree.
    const { lvsSchedConfigured: _sched, forwardingConfigured: _fwd, ...vs } = virtualServer('10.0.0.1', 80, [realServer('10.0.0.2', 80)]);
    const bare = [node('virtual_server', 15, [node('protocol', 16)])];
    expect(codes(config({ virtualServers: [vs] }), bare).map((d) => d.code)).toEqual([ValidateCode.LVS_NO_SCHEDULER, ValidateCode.LVS_NO_FORWARDING]);
    const explicit = [node('virtual_server', 15, [node('lb_algo', 16), node('lvs_method', 17), node('protocol', 18)])];
    expect(codes(config({ virtualServers: [vs] }), explicit)).toEqual([]);
    expect(lvsExplicitSettings(explicit).schedulerAt.has('test.conf:15')).toBe(true);
  });

  it('reports a missing protocol, naming the service with protocol none', () => {
    const vs = virtualServer('10.0.0.1', 80, [realServer('10.0.0.2', 80)], { protocol: 'UDP', protocolConfigured: false });
    expect(codes(config({ virtualServers: [vs] })).map((d) => d.message)).toEqual(['Virtual server [10.0.0.1]:none:80: no protocol set - defaulting to UDP']);
  });

  it('reports a protocol on a fwmark service', () => {
    const vs = virtualServer('0.0.0.0', 0, [realServer('10.0.0.2', 0)], { target: { kind: 'fwmark', fwmark: 1, family: null }, protocolConfigured: true });
    expect(codes(config({ virtualServers: [vs] })).map((d) => d.message)).toEqual([
      'Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored',
    ]);
    expect(codes(config({ virtualServers: [{ ...vs, protocolConfigured: false }] }))).toEqual([]);
  });

  it('names group services [NAME]:0 and ignores services on undeclared groups', () => {
    const target = { kind: 'group' as const, group: { name: 'G', pos: at(15) } };
    const vs = virtualServer('0.0.0.0', 0, [], { target });
    expect(codes(config({ virtualServers: [vs] }))).toEqual([]);
    const declared = config({ virtualServers: [vs], virtualServerGroups: [{ name: 'G', pos: at(1), entries: [] }] });
    expect(codes(declared).map((d) => d.message)).toEqual(['Virtual server [G]:0 has no real servers - ignoring']);
  });

  it('caps hysteresis below quorum', () => {
    const vs = virtualServer('10.0.0.1', 80, [realServer('10.0.0.2', 80), realServer('10.0.0.3', 80, 25)], { quorum: 2, hysteresis: 5 });
    expect(codes(config({ virtualServers: [vs] })).map((d) => d.message)).toEqual([
      'Virtual server [10.0.0.1]:tcp:80: hysteresis 5 >= quorum 2; setting hysteresis to 1',
    ]);
  });

  it('reduces quorum to the total real server weight, then checks hysteresis against it', () => {
    const rs = [realServer('10.0.0.2', 80, 20, { weight: 2 }), realServer('10.0.0.3', 80, 25, { weight: 0 })];
    expect(codes(config({ virtualServers: [virtualServer('10.0.0.1', 80, rs, { quorum: 5, hysteresis: 2 })] })).map((d) => d.message)).toEqual([
      'Warning - quorum 5 for [10.0.0.1]:tcp:80 exceeds total weight of real servers 2, reducing quorum to 2',
      'Virtual server [10.0.0.1]:tcp:80: hysteresis 2 >= quorum 2; setting hysteresis to 1',
    ]);
  });

  it('prefers the model flags over the tree', () => {
    const vs = virtualServer('10.0.0.1', 80, [realServer('10.0.0.2', 80)], { lvsSchedConfigured: false, forwardingConfigured: true });
    expect(codes(config({ virtualServers: [vs] })).map((d) => d.code)).toEqual([ValidateCode.LVS_NO_SCHEDULER]);
  });
});
