import { describe, expect, it } from 'vitest';
import { LvsPool } from '../../src/check/pool.js';
import type { CheckerStatus } from '../../src/check/engine.js';
import { createInstance, step } from '../../src/vrrp/fsm/machine.js';
import { makeInstanceParams } from '../../src/vrrp/params.js';
import {
  buildStatusDocument,
  instanceStatusFromFsm,
  parseVipText,
  trackerKey,
  virtualServerStatus,
} from '../../src/ops/status-build.js';
import { validateStatusDocument } from '../../src/ops/status-schema.js';
import { renderStatusText } from '../../src/ops/status-text.js';
import { model } from '../check/helpers.js';

const time = { nowUs: 50_000_000, nowWallMs: Date.UTC(2026, 10, 25, 11, 0, 0) };

describe('status builders', () => {
  it('parses VIP texts', () => {
    expect(parseVipText('10.0.0.1/24 dev eth0 label eth0:1')).toEqual({ address: '10.0.0.1', prefixLength: 24, interface: 'eth0' });
    expect(parseVipText('fd00::1')).toEqual({ address: 'fd00::1', prefixLength: null, interface: null });
  });

  it('maps an FSM instance (BACKUP after start, then MASTER) into a valid status section', () => {
    const params = makeInstanceParams({
      name: 'VI_1',
      vrid: 51,
      basePriority: 100,
      interfaceName: 'eth0',
      primaryAddress: '10.0.0.1',
      vips: ['10.0.0.100/24'],
      trackers: [
        { kind: 'script', name: 'chk', weight: 5, reverse: false },
        { kind: 'interface', name: 'eth1', weight: 0, reverse: false },
      ],
    });
    let s = createInstance(params);
    s = step(s, { type: 'start' }, 1_000_000).state;
    expect(s.state).toBe('BACKUP');
    s = step(s, { type: 'advertReceived', priority: 150, adverIntervalCs: 100, srcAddr: '10.0.0.2', version: 2 }, 2_000_000).state;
    const backup = instanceStatusFromFsm(s, {
      time,
      lastTransition: { from: 'INIT', to: 'BACKUP', reason: 'start', atUs: 1_000_000 },
      trackers: new Map([[trackerKey('script', 'chk'), { status: 'up' as const, contribution: 5 }]]),
      splitBrain: [{ kind: 'equal-priority', peer: '10.0.0.2', sinceUs: 49_000_000, detail: 'd' }],
    });
    expect(backup).toMatchObject({
      name: 'VI_1',
      state: 'BACKUP',
      family: 4,
      version: 2,
      master: { address: '10.0.0.2', priority: 150 },
      vips: [{ address: '10.0.0.100', prefixLength: 24, interface: null }],
      lastTransition: { from: 'INIT', to: 'BACKUP', at: '2026-11-25T10:59:11.000Z' },
      trackers: [
        { type: 'script', name: 'chk', weight: 5, status: 'up', contribution: 5 },
        { type: 'interface', name: 'eth1', weight: 0, status: 'unknown', contribution: 0 },
      ],
      splitBrain: [{ kind: 'equal-priority', since: '2026-11-25T10:59:59.000Z' }],
    });
    expect(backup).not.toHaveProperty('stats');
    s = step(s, { type: 'interfaceChanged', ifname: 'eth0', up: false }, 3_000_000).state;
    const fault = instanceStatusFromFsm(s, { time, lastTransition: null, stats: { advertsSent: 1, advertsReceived: 2, advertsDropped: 0, garpSent: 0 } });
    expect(fault.state).toBe('FAULT');
    expect(fault.faults).toEqual(['interface eth0 down']);
    expect(fault.stats?.advertsReceived).toBe(2);

    const doc = buildStatusDocument({
      version: '0.1.0',
      time,
      pid: 99,
      startedAtWallMs: time.nowWallMs - 60_000,
      configFile: '/etc/keepalived/keepalived.conf',
      lastReloadAtWallMs: null,
      instances: [backup, fault],
      virtualServers: [],
    });
    const v = validateStatusDocument(JSON.parse(JSON.stringify(doc)));
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  it('maps configuration + pool snapshot + checker statuses into virtual servers', () => {
    const cfg = model(`
virtual_server 192.168.1.100 80 {
  lb_algo wrr
  protocol TCP
  quorum 2
  sorry_server 192.168.1.250 80
  real_server 192.168.1.21 80 {
    weight 3
    TCP_CHECK { connect_timeout 3 }
  }
  real_server 192.168.1.22 80 {
    weight 1
    HTTP_GET { url { path / } }
  }
}
virtual_server fwmark 5 {
  lb_algo rr
  real_server 192.168.1.23 0 { }
}
`);
    const pool = new LvsPool(cfg.virtualServers);
    pool.start();
    pool.checkerResult('0/1', 0, false);
    const snap = pool.snapshot();
    const checkers: CheckerStatus[] = [
      { id: '0/1/0', kind: 'HTTP_GET', target: 'x', attempts: 1, retryIt: 0, lastOk: false, lastReason: 'HTTP status 503' },
    ];
    const vss = cfg.virtualServers.map((vs, i) =>
      virtualServerStatus(vs, i, snap.virtualServers[i], checkers, time, new Map([['0/0/0', { lastCheckedAtUs: 49_500_000, lastDurationMs: 2 }]])),
    );
    expect(vss[0]).toMatchObject({
      address: '192.168.1.100',
      port: 80,
      protocol: 'TCP',
      scheduler: 'wrr',
      quorum: { required: 2, up: true, aliveWeight: 3 },
      sorryServer: { address: '192.168.1.250', port: 80, active: false },
      realServers: [
        { address: '192.168.1.21', weight: 3, configuredWeight: 3, alive: true, checks: [{ type: 'TCP_CHECK', status: 'up', lastDurationMs: 2, lastCheckedAt: '2026-11-25T10:59:59.500Z' }] },
        { address: '192.168.1.22', weight: 0, alive: false, checks: [{ type: 'HTTP_GET', status: 'down', detail: 'HTTP status 503' }] },
      ],
    });
    expect(vss[1]).toMatchObject({ fwmark: 5, address: null, protocol: null, realServers: [{ checks: [] }] });
    const doc = buildStatusDocument({ version: 't', time, pid: 1, startedAtWallMs: 0, configFile: null, lastReloadAtWallMs: 0, instances: [], virtualServers: vss });
    const v = validateStatusDocument(JSON.parse(JSON.stringify(doc)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    expect(renderStatusText(doc)).toContain('192.168.1.22:80  DOWN  weight 0/1  HTTP_GET down (HTTP status 503)');
  });
});
