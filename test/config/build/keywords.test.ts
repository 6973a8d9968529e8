import { describe, expect, it } from 'vitest';
import { bfdHandlerNames } from '../../../src/config/build/bfd.js';
import { checkHandlerNames } from '../../../src/config/build/check.js';
import { globalHandlerNames } from '../../../src/config/build/global.js';
import { rootHandlerNames } from '../../../src/config/build/index.js';
import { trackerHandlerNames } from '../../../src/config/build/trackers.js';
import { vrrpHandlerNames } from '../../../src/config/build/vrrp.js';
import { allKeywordTables, rootKeywords, type KeywordTable } from '../../../src/config/keywords/index.js';
import { build } from './helpers.js';

const handlerSets: Record<string, ReadonlySet<string>> = {
  root: rootHandlerNames,
  bfd_instance: bfdHandlerNames,
  global_defs: globalHandlerNames,
  ...trackerHandlerNames,
  ...vrrpHandlerNames,
  ...checkHandlerNames,
};

function supportedNames(t: KeywordTable): string[] {
  return [...t.keywords.values()].filter((s) => s.supported).map((s) => s.aliasOf ?? s.name);
}

describe('keyword tables', () => {
  it('every supported keyword has a handler and every handler a keyword', () => {
    for (const t of allKeywordTables()) {
      const h = handlerSets[t.block];
      const supported = supportedNames(t);
      if (h === undefined) {
        // only tables reached through blocks keepalived-ts does not model
        expect(['SSL', 'track_group', 'garp_group', 'host', 'BFD_CHECK'], t.block).toContain(t.block);
        continue;
      }
      for (const n of supported) expect(h.has(n), `${t.block}: ${n}`).toBe(true);
      for (const n of h) expect(t.keywords.has(n), `${t.block} handler ${n}`).toBe(true);
    }
  });

  it('knows every root block of keepalived 2.2.7', () => {
    for (const k of ['global_defs', 'vrrp_instance', 'vrrp_script', 'vrrp_sync_group', 'track_file', 'vrrp_track_file', 'vrrp_track_process', 'static_ipaddress', 'static_routes', 'static_rules', 'virtual_server', 'virtual_server_group', 'bfd_instance', 'garp_group', 'track_group', 'linkbeat_interfaces', 'interface_up_down_delays', 'SSL', 'net_namespace', 'instance']) {
      expect(rootKeywords.keywords.has(k), k).toBe(true);
    }
  });

  it('maps legacy spellings to the modern keyword', () => {
    const vs = rootKeywords.keywords.get('virtual_server')?.sub;
    expect(vs?.keywords.get('lb_algo')?.aliasOf).toBe('lvs_sched');
    expect(vs?.keywords.get('lb_kind')?.aliasOf).toBe('lvs_method');
    expect(rootKeywords.keywords.get('vrrp_track_file')?.aliasOf).toBe('track_file');
  });

  it('does not know keywords keepalived 2.2.7 rejects', () => {
    const g = rootKeywords.keywords.get('global_defs')?.sub;
    expect(g?.keywords.has('v3_checksum_as_v2')).toBe(false);
    expect(g?.keywords.has('vrrp_ipsets')).toBe(false);
  });
});

describe('unknown and unsupported keywords', () => {
  it('warns about an unknown keyword with file, line and keyword', () => {
    const b = build('global_defs {\n  router_id a\n  no_such_thing 1\n}\n');
    expect(b.problems).toEqual([
      { code: 'KTS_UNKNOWN_KEYWORD', severity: 'warning', message: "Unknown keyword 'no_such_thing'", file: 'test.conf', line: 3, keyword: 'no_such_thing' },
    ]);
  });

  it('reports accepted-but-unsupported keywords once, as info', () => {
    const b = build('global_defs {\n  enable_snmp_vrrp\n  lvs_flush\n  enable_snmp_vrrp\n}\n');
    expect(b.problems).toEqual([]);
    const infos = b.diags.filter((d) => d.code === 'KTS_NOT_SUPPORTED');
    expect(infos.map((d) => [d.keyword, d.severity, d.line])).toEqual([
      ['enable_snmp_vrrp', 'info', 2],
      ['lvs_flush', 'info', 3],
    ]);
    expect(infos[0]?.message).toBe("'enable_snmp_vrrp' is not supported by keepalived-ts, ignored");
  });

  it('checks keywords inside unsupported blocks without noting each one', () => {
    const b = build('garp_group {\n  garp_interval 1\n  bogus 1\n}\n');
    expect(b.codes).toEqual(['KTS_UNKNOWN_KEYWORD']);
    expect(b.diags.filter((d) => d.code === 'KTS_NOT_SUPPORTED').map((d) => d.keyword)).toEqual(['garp_group']);
  });

  it('reads a stray block after an unknown keyword at the current level, like keepalived', () => {
    const b = build('vrrp_instance VI_1 {\n  frob {\n    priority 42\n  }\n}\n');
    expect(b.codes).toEqual(['KTS_UNKNOWN_KEYWORD']);
    expect(b.config.vrrpInstances[0]?.priority).toBe(42);
  });

  it('reports a block keyword without its block', () => {
    const b = build('vrrp_instance VI_1\n');
    expect(b.codes).toContain('KTS_MISSING_BLOCK');
  });

  it('reports a missing parameter', () => {
    const b = build('vrrp_instance VI_1 {\n  priority\n}\n');
    expect(b.problems[0]).toMatchObject({ code: 'KTS_MISSING_WORD', line: 2, keyword: 'priority', severity: 'error' });
  });
});

describe('value blocks', () => {
  it('words before the { of a value block are an error, the block is still read', () => {
    const b = build('vrrp_instance VI_1 {\n  virtual_ipaddress foo {\n    10.0.0.1\n  }\n}\n');
    expect(b.problems).toEqual([expect.objectContaining({ code: 'KTS_UNEXPECTED_PARAMETER', message: 'Block virtual_ipaddress has extra parameters foo ...', line: 2 })]);
    expect(b.config.vrrpInstances[0]?.virtualIpAddresses.map((a) => a.address)).toEqual(['10.0.0.1']);
  });

  it('virtual_server_group takes its name before the {', () => {
    expect(build('virtual_server_group G {\n  10.0.0.1 80\n}\n').problems).toEqual([]);
  });
});

describe('block shape errors', () => {
  it('a plain keyword followed by a block is an error; the block lines are read at the same level', () => {
    const b = build('vrrp_instance VI_1 {\n  priority 100 {\n    advert_int 2\n  }\n}\n');
    expect(b.codes).toEqual(['KTS_UNEXPECTED_BLOCK']);
    expect(b.problems[0]).toMatchObject({ line: 2, keyword: 'priority' });
    expect(b.config.vrrpInstances[0]).toMatchObject({ priority: 100, advertIntUs: 2_000_000 });
  });
});
