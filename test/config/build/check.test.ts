import { describe, expect, it } from 'vitest';
import type { Checker } from '../../../src/config/model.js';
import { build, buildClean } from './helpers.js';

const vs = (body: string, rs = '', head = '10.0.0.1 80') => `virtual_server ${head} {\n${body}\n  real_server 10.0.0.2 80 {\n${rs}\n  }\n}\n`;

type CheckerOf<K> = Checker extends infer C ? (C extends { kind: infer KK } ? (K extends KK ? C : never) : never) : never;

function only<K extends Checker['kind']>(c: readonly Checker[] | undefined, kind: K): CheckerOf<K> {
  const x = c?.find((y) => y.kind === kind);
  if (x === undefined) throw new Error(`expected a ${kind} checker`);
  return x as CheckerOf<K>;
}

describe('virtual_server', () => {
  it('defaults like keepalived', () => {
    const v = buildClean(vs('')).virtualServers[0];
    expect(v).toMatchObject({
      target: { kind: 'ip', address: '10.0.0.1', family: 'inet', port: 80 },
      lvsSched: 'wlc',
      lvsSchedConfigured: false,
      forwarding: { method: 'NAT' },
      forwardingConfigured: false,
      protocol: 'UDP',
      protocolConfigured: false,
      persistenceTimeoutSec: null,
      delayLoopUs: 60_000_000,
      connectTimeoutUs: 5_000_000,
      quorum: 1,
      hysteresis: 0,
      inhibitOnFailure: false,
    });
    expect(v?.realServers[0]).toMatchObject({ address: '10.0.0.2', port: 80, weight: 1, forwarding: { method: 'NAT' } });
  });

  it('maps lb_algo/lb_kind to lvs_sched/lvs_method and reads the rest', () => {
    const v = buildClean(
      vs('  delay_loop 6\n  lb_algo rr\n  lb_kind DR\n  protocol tcp\n  persistence_timeout\n  quorum 2\n  hysteresis 1\n  sorry_server 10.0.0.9 8080\n  inhibit_on_failure\n  ops\n  alpha'),
    ).virtualServers[0];
    expect(v).toMatchObject({
      lvsSched: 'rr',
      lvsSchedConfigured: true,
      forwarding: { method: 'DR' },
      forwardingConfigured: true,
      protocol: 'TCP',
      persistenceTimeoutSec: 360,
      quorum: 2,
      hysteresis: 1,
      sorryServer: { address: '10.0.0.9', port: 8080 },
      delayLoopUs: 6_000_000,
      schedFlags: ['ops'],
      alpha: true,
    });
    expect(v?.realServers[0]).toMatchObject({ forwarding: { method: 'DR' }, inhibitOnFailure: true, alpha: true });
  });

  it('fwmark and group targets', () => {
    const c = buildClean('virtual_server_group G1 {\n  10.0.0.1 80\n  10.0.0.10-20 80\n  10.1.0.0/24 443\n  fwmark 7 inet6\n}\n' + vs('', '', 'group G1') + vs('', '', 'fwmark 5'));
    expect(c.virtualServerGroups[0]?.entries.map((e) => [e.kind, e.address, e.rangeEnd, e.prefixLen, e.port, e.fwmark, e.family])).toEqual([
      ['ip', '10.0.0.1', null, null, 80, null, 'inet'],
      ['ip', '10.0.0.10', '20', null, 80, null, 'inet'],
      ['ip', '10.1.0.0', null, 24, 443, null, 'inet'],
      ['fwmark', null, null, null, 0, 7, 'inet6'],
    ]);
    expect(c.virtualServers.map((v) => v.target)).toEqual([
      { kind: 'group', group: { name: 'G1', pos: { file: 'test.conf', line: 7 } } },
      { kind: 'fwmark', fwmark: 5, family: null },
    ]);
  });

  it('TUN forwarding options', () => {
    expect(buildClean(vs('  lvs_method TUN type gue port 6080 csum')).virtualServers[0]?.forwarding).toEqual({ method: 'TUN', tunnelType: 'gue', tunnelPort: 6080, tunnelChecksum: 'csum' });
    expect(build(vs('  lvs_method TUN type gue')).codes).toEqual(['KTS_INVALID_VALUE']);
    expect(build(vs('  lvs_method TUN csum')).codes).toEqual(['KTS_INVALID_VALUE']);
  });

  it.each([
    ['  lvs_sched foo', 'lvsSched', 'wlc'],
    ['  lb_kind FOO', 'forwarding', { method: 'NAT', tunnelType: null, tunnelPort: null, tunnelChecksum: null }],
    ['  protocol XTP', 'protocol', 'UDP'],
    ['  quorum 0', 'quorum', 1],
    ['  delay_loop 0', 'delayLoopUs', 60_000_000],
    ['  persistence_timeout abc', 'persistenceTimeoutSec', null],
  ] as const)('%s is an error with fallback', (line, field, value) => {
    const b = build(vs(line));
    expect(b.problems[0]).toMatchObject({ severity: 'error', line: 2 });
    expect(b.config.virtualServers[0]?.[field]).toEqual(value);
  });

  it('an invalid virtual server address drops the block', () => {
    const b = build(vs('', '', '10.0.0.300 80'));
    expect(b.codes).toEqual(['KTS_INVALID_ADDRESS']);
    expect(b.config.virtualServers).toHaveLength(0);
  });

  it('real server weight uses the IPVS limit (INT32_MAX)', () => {
    expect(buildClean(vs('', '    weight 70000')).virtualServers[0]?.realServers[0]?.weight).toBe(70000);
    expect(build(vs('', '    weight -1')).codes).toEqual(['KTS_INVALID_NUMBER']);
  });
});

describe('checkers', () => {
  it('HTTP_GET with url, inheriting timers from real and virtual server', () => {
    const c = buildClean(
      vs(
        '  delay_loop 10\n  connect_timeout 4',
        '    delay_before_retry 2\n    HTTP_GET {\n      url {\n        path /health\n        digest 0123456789ABCDEF0123456789abcdef\n        status_code 200-204 301\n      }\n      url {\n        path /\n      }\n      retry 4\n      http_protocol 1.0C\n    }',
      ),
    );
    const h = only(c.virtualServers[0]?.realServers[0]?.checkers, 'HTTP_GET');
    expect(h).toMatchObject({ retry: 4, delayBeforeRetryUs: 2_000_000, delayLoopUs: 10_000_000, connectTimeoutUs: 4_000_000, httpProtocol: '1.0C' });
    expect(h.urls.map((u) => [u.path, u.digest, u.statusCodes])).toEqual([
      ['/health', '0123456789abcdef0123456789abcdef', [[200, 204], [301, 301]]],
      ['/', null, [[200, 299]]],
    ]);
  });

  it('checker defaults: retry 1 (DNS 3, MISC 0), delay_before_retry 1 s (HTTP 3 s, DNS = delay_loop)', () => {
    const c = buildClean(
      'global_defs {\n  enable_script_security\n}\n' +
        vs('  delay_loop 9', '    TCP_CHECK {\n    }\n    DNS_CHECK {\n      type aaaa\n    }\n    MISC_CHECK {\n      misc_path "/bin/true x" root\n    }\n    SSL_GET {\n      url {\n        path /\n      }\n    }'),
    );
    const cs = c.virtualServers[0]?.realServers[0]?.checkers ?? [];
    expect(cs.map((x) => [x.kind, 'retry' in x ? x.retry : null, 'delayBeforeRetryUs' in x ? x.delayBeforeRetryUs : null])).toEqual([
      ['TCP_CHECK', 1, 1_000_000],
      ['DNS_CHECK', 3, 9_000_000],
      ['MISC_CHECK', 0, 1_000_000],
      ['SSL_GET', 1, 3_000_000],
    ]);
    const dns = cs[1];
    expect(dns?.kind === 'DNS_CHECK' ? [dns.type, dns.name] : null).toEqual(['AAAA', '.']);
    const misc = cs[2];
    expect(misc?.kind === 'MISC_CHECK' ? [misc.miscPath?.argv, misc.user, misc.miscTimeoutUs] : null).toEqual([['/bin/true', 'x'], 'root', 9_000_000]);
  });

  it('nb_get_retry is reported as keepalived does, but still applied as retry', () => {
    const b = build(vs('', '    HTTP_GET {\n      url {\n        path /\n      }\n      nb_get_retry 5\n    }'));
    expect(b.problems).toEqual([expect.objectContaining({ code: 'KTS_DEPRECATED', severity: 'error', keyword: 'nb_get_retry', line: 8 })]);
    expect(only(b.config.virtualServers[0]?.realServers[0]?.checkers, 'HTTP_GET').retry).toBe(5);
  });

  it.each([
    ['    HTTP_GET {\n      connect_timeout 3\n    }', 'KTS_INCOMPLETE', 0],
    // keepalived reports both the path-less url and the url-less checker
    ['    HTTP_GET {\n      url {\n        status_code 200\n      }\n    }', 'KTS_INCOMPLETE,KTS_INCOMPLETE', 0],
    ['    HTTP_GET {\n      url {\n        path /\n        status_code 99\n      }\n    }', 'KTS_INVALID_VALUE', 1],
    ['    HTTP_GET {\n      url {\n        path /\n        digest xyz\n      }\n    }', 'KTS_INVALID_VALUE', 1],
    ['    MISC_CHECK {\n      misc_timeout 3\n    }', 'KTS_INCOMPLETE', 0],
    ['    DNS_CHECK {\n      type FOO\n    }', 'KTS_INVALID_VALUE', 1],
    ['    TCP_CHECK {\n      connect_port 70000\n    }', 'KTS_INVALID_NUMBER', 1],
    ['    TCP_CHECK {\n      connect_ip 1.2.3\n    }', 'KTS_INVALID_ADDRESS', 1],
    ['    TCP_CHECK {\n      misc_path /bin/true\n    }', 'KTS_UNKNOWN_KEYWORD', 1],
    ['    UDP_CHECK {\n      payload xyz\n    }', 'KTS_INVALID_VALUE', 1],
    ['    FILE_CHECK {\n      weight 3\n    }', 'KTS_INCOMPLETE', 0],
  ] as const)('%s → %s', (rs, code, kept) => {
    const b = build(vs('', rs));
    expect(b.codes).toEqual(code.split(','));
    expect(b.config.virtualServers[0]?.realServers[0]?.checkers).toHaveLength(kept);
  });

  it('UDP, SMTP, PING and FILE checkers', () => {
    const c = buildClean(
      vs('', '    UDP_CHECK {\n      payload 0a:0b 0c\n      require_reply 0a\n      min_reply_length 2\n    }\n    SMTP_CHECK {\n      helo_name mx.example\n    }\n    PING_CHECK {\n    }\n    FILE_CHECK {\n      track_file tf\n      weight -5 reverse\n    }'),
    );
    const cs = c.virtualServers[0]?.realServers[0]?.checkers ?? [];
    expect(cs.map((x) => x.kind)).toEqual(['UDP_CHECK', 'SMTP_CHECK', 'PING_CHECK', 'FILE_CHECK']);
    expect(only(cs, 'UDP_CHECK')).toMatchObject({ payload: '0a0b0c', requireReply: true, requireReplyData: '0a', minReplyLength: 2 });
    expect(cs[1]?.kind === 'SMTP_CHECK' ? cs[1].heloName : null).toBe('mx.example');
    expect(cs[3]).toMatchObject({ trackFile: { name: 'tf' }, weight: -5, weightReverse: true });
  });

  it('the legacy SMTP_CHECK host block is accepted but not modelled', () => {
    const b = build(vs('', '    SMTP_CHECK {\n      host {\n        connect_ip 10.0.0.3\n      }\n    }'));
    expect(b.problems).toEqual([]);
    expect(b.diags.some((d) => d.code === 'KTS_NOT_SUPPORTED' && d.keyword === 'host')).toBe(true);
  });
});

describe('HTTP_GET defaults', () => {
  it('speaks HTTP/1.0 unless told otherwise (keepalived HTTP_PROTOCOL_1_0)', () => {
    const c = buildClean(vs('', '    HTTP_GET {\n      url {\n        path /\n      }\n    }'));
    expect(only(c.virtualServers[0]?.realServers[0]?.checkers, 'HTTP_GET')).toMatchObject({ httpProtocol: '1.0', enableSni: false, retry: 1, delayBeforeRetryUs: 3_000_000 });
  });
});

describe('real server smtp_alert', () => {
  it('is not inherited from the virtual server (keepalived falls back to the global settings)', () => {
    const c = buildClean(vs('  smtp_alert off', ''));
    expect(c.virtualServers[0]?.smtpAlert).toBe(false);
    expect(c.virtualServers[0]?.realServers[0]?.smtpAlert).toBeNull();
    expect(buildClean(vs('', '    smtp_alert off')).virtualServers[0]?.realServers[0]?.smtpAlert).toBe(false);
  });
});
