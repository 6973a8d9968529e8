import { describe, expect, it } from 'vitest';
import { computeDesiredTable, compressV6, expandGroupEntry, granularity } from '../../src/check/desired-table.js';
import { formatIpvsTable } from '../../src/check/ipvs-text.js';
import { LvsPool } from '../../src/check/pool.js';
import { applyOps, ownedKeysOf, reconcile, teardownOps } from '../../src/check/reconcile.js';
import { afterAttempt, INITIAL_PROGRESS } from '../../src/check/checker-progress.js';
import type { IpvsServiceEntry } from '../../src/io/netlink/ipvs-types.js';
import { model } from './helpers.js';

function desired(text: string) {
  const config = model(text);
  const pool = new LvsPool(config.virtualServers);
  pool.start();
  return { config, pool, table: computeDesiredTable(config.virtualServers, config.virtualServerGroups, pool.snapshot()) };
}

describe('desired table', () => {
  it('maps scheduler, method, persistence, flags and thresholds', () => {
    const { table } = desired(`virtual_server 10.0.0.1 443 {
  lvs_sched sh
  lvs_method DR
  protocol TCP
  persistence_timeout 50
  persistence_granularity 255.255.255.0
  sh-port
  ops
  real_server 192.168.0.2 443 { weight 3
    uthreshold 100
    lthreshold 10 }
  real_server 192.168.0.3 443 { lvs_method TUN type gue port 6080 }
}`);
    const e = table.entries[0];
    expect(e?.service).toEqual({
      family: 'inet', protocol: 'TCP', address: '10.0.0.1', port: 443, fwmark: 0, scheduler: 'sh',
      flags: 0x1 | 0x10 | 0x4, timeoutSec: 50, netmask: 0xffffff00, peName: null,
    });
    expect(e?.dests.map((d) => [d.address, d.forwarding, d.weight, d.upperThreshold, d.lowerThreshold, d.tunnelType, d.tunnelPort])).toEqual([
      ['192.168.0.2', 'DR', 3, 100, 10, null, null],
      ['192.168.0.3', 'TUN', 1, 0, 0, 'gue', 6080],
    ]);
  });

  it('expands a virtual_server_group (range, fwmark) into one service per entry', () => {
    const { table } = desired(`virtual_server_group G {
  10.0.0.1-3 80
  10.0.1.9 8080
  fwmark 7
}
virtual_server group G {
  protocol UDP
  lb_algo rr
  real_server 192.168.0.2 80 { }
}`);
    expect(table.entries.map((e) => e.key)).toEqual(['UDP:10.0.0.1:80', 'UDP:10.0.0.2:80', 'UDP:10.0.0.3:80', 'UDP:10.0.1.9:8080', 'FWM:inet:7']);
    expect(table.entries.every((e) => e.dests.length === 1)).toBe(true);
  });

  it('expands IPv6 ranges and CIDR blocks', () => {
    expect(expandGroupEntry({ kind: 'ip', address: '2001:db8::1', family: 'inet6', rangeEnd: '3', prefixLen: null, port: 80, fwmark: null, pos: { file: 'x', line: 1 } })).toEqual([
      '2001:db8::1', '2001:db8::2', '2001:db8::3',
    ]);
    expect(expandGroupEntry({ kind: 'ip', address: '10.1.1.5', family: 'inet', rangeEnd: null, prefixLen: 30, port: 80, fwmark: null, pos: { file: 'x', line: 1 } })).toEqual([
      '10.1.1.4', '10.1.1.5', '10.1.1.6', '10.1.1.7',
    ]);
    expect(expandGroupEntry({ kind: 'ip', address: '10.0.0.0', family: 'inet', rangeEnd: null, prefixLen: 8, port: 80, fwmark: null, pos: { file: 'x', line: 1 } })).toBeNull();
    expect(compressV6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
  });

  it('granularity text → mask', () => {
    expect(granularity(null, 'inet')).toBe(0xffffffff);
    expect(granularity('24', 'inet')).toBe(0xffffff00);
    expect(granularity('255.255.0.0', 'inet')).toBe(0xffff0000);
    expect(granularity('64', 'inet6')).toBe(64);
  });

  it('fwmark service text dump matches ipvsadm -Ln layout', () => {
    const { table } = desired(`virtual_server fwmark 5 {
  lb_algo wrr
  lb_kind DR
  persistence_timeout
  real_server 192.168.0.2 0 { weight 2 }
}
virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.168.0.3 8080 { }
}`);
    expect(formatIpvsTable(table.entries)).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'FWM  5 wrr persistent 360',
        '  -> 192.168.0.2:0                Route   2      0          0',
        'TCP  10.0.0.1:80 wlc',
        '  -> 192.168.0.3:8080             Masq    1      0          0',
        '',
      ].join('\n'),
    );
  });
});

describe('IPv6 services', () => {
  it('brackets IPv6 addresses in the dump and keeps families apart', () => {
    const { table } = desired(`virtual_server 2001:db8::10 443 {
  protocol TCP
  lb_algo rr
  persistence_timeout 60
  persistence_granularity 64
  real_server 2001:db8::2 443 { }
  real_server 192.168.0.2 443 { }
}`);
    const text = formatIpvsTable(table.entries);
    expect(text).toContain('TCP  [2001:db8::10]:443 rr persistent 60 mask 64\n  -> [2001:db8::2]:443');
    expect(table.entries[0]?.dests.map((d) => d.address)).toEqual(['2001:db8::2']);
  });
});

describe('reconcile', () => {
  const svc = (port: number, sched = 'rr') => ({ family: 'inet' as const, protocol: 'TCP' as const, address: '10.0.0.1', port, fwmark: 0, scheduler: sched, flags: 0, timeoutSec: 0, netmask: 0xffffffff, peName: null });
  const dst = (addr: string, weight: number) => ({ family: 'inet' as const, address: addr, port: 80, forwarding: 'NAT' as const, weight, upperThreshold: 0, lowerThreshold: 0, tunnelType: null, tunnelPort: null, tunnelCsum: null });

  it('adds what is missing, edits what differs and leaves foreign entries alone', () => {
    const want: IpvsServiceEntry[] = [{ service: svc(80), dests: [dst('192.168.0.2', 1), dst('192.168.0.3', 2)] }];
    const kernel: IpvsServiceEntry[] = [
      { service: svc(80, 'wlc'), dests: [dst('192.168.0.2', 5), dst('192.168.0.9', 1)] },
      { service: svc(81), dests: [] },
    ];
    const ops = reconcile(want, kernel);
    expect(ops.map((o) => `${o.op} ${o.service.port}${'dest' in o ? ` ${o.dest.address}/${o.dest.weight}` : ''}`)).toEqual([
      'edit-service 80',
      'edit-dest 80 192.168.0.2/1',
      'add-dest 80 192.168.0.3/2',
    ]);
    const after = applyOps(kernel, ops);
    expect(reconcile(want, after)).toEqual([]);
  });

  it('removes dests and services we owned and no longer want; teardown removes only ours', () => {
    const before: IpvsServiceEntry[] = [
      { service: svc(80), dests: [dst('192.168.0.2', 1), dst('192.168.0.3', 1)] },
      { service: svc(81), dests: [] },
    ];
    const owned = ownedKeysOf(before);
    const want: IpvsServiceEntry[] = [{ service: svc(80), dests: [dst('192.168.0.2', 1)] }];
    const ops = reconcile(want, before, owned);
    expect(ops.map((o) => `${o.op} ${o.service.port}`)).toEqual(['del-dest 80', 'del-service 81']);
    const kernel = [...applyOps(before, ops), { service: svc(99), dests: [] }];
    expect(teardownOps(kernel, owned).map((o) => o.service.port)).toEqual([80]);
  });
});

describe('checker progress', () => {
  const t = { retry: 2, delayLoopUs: 5_000_000, delayBeforeRetryUs: 1_000_000 };
  it('needs retry+1 consecutive failures to report down', () => {
    let p = INITIAL_PROGRESS;
    const reports: (string | null)[] = [];
    const delays: number[] = [];
    for (const ok of [false, false, false, false, true]) {
      const s = afterAttempt(p, ok, t);
      p = s.next;
      reports.push(s.report);
      delays.push(s.nextDelayUs);
    }
    expect(reports).toEqual([null, null, 'down', null, 'up']);
    expect(delays).toEqual([1_000_000, 1_000_000, 5_000_000, 1_000_000, 5_000_000]);
  });

  it('MISC_CHECK style: no retries while already down', () => {
    const s = afterAttempt({ retryIt: 0 }, false, t, { isUp: false, retryWhileDown: false });
    expect(s).toEqual({ next: { retryIt: 0 }, report: 'down', nextDelayUs: 5_000_000 });
    expect(afterAttempt({ retryIt: 0 }, false, t, { isUp: false, retryWhileDown: true }).report).toBeNull();
  });
});
