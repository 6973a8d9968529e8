import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { computeDesiredTable } from '../../src/check/desired-table.js';
import { IpvsSync, memoryBackend } from '../../src/check/ipvs-sync.js';
import { LvsPool } from '../../src/check/pool.js';
import { parseWorkerToMain, type WorkerToMain } from '../../src/check/protocol.js';
import { runCheckerWorker } from '../../src/check/worker/runtime.js';
import type { IpvsDest, IpvsService } from '../../src/io/netlink/ipvs-types.js';
import { model } from './helpers.js';
import { startTcp, waitFor } from './servers.js';

const conf = (rss: string, extra = ''): string => `virtual_server 10.0.0.1 80 {
  protocol TCP
  quorum 1
  ${extra}
${rss}
}`;
const rsBlock = (addr: string, weight = 1): string => `  real_server ${addr} 80 { weight ${weight}
    TCP_CHECK { } }`;

describe('pool reload (startFrom)', () => {
  it('keeps the state of unchanged servers, starts new ones fresh and takes a changed weight', () => {
    const a = model(conf([rsBlock('192.168.0.2'), rsBlock('192.168.0.3'), rsBlock('192.168.0.4')].join('\n')));
    const p1 = new LvsPool(a.virtualServers);
    p1.start();
    p1.checkerResult('0/0', 0, false); // .2 down
    const b = model(conf([rsBlock('192.168.0.2'), rsBlock('192.168.0.3', 5), rsBlock('192.168.0.9')].join('\n')));
    const p2 = new LvsPool(b.virtualServers);
    const fx = p2.startFrom({ virtualServers: a.virtualServers, pool: p1.snapshot() });
    const rs = p2.snapshot().virtualServers[0]?.realServers.map((r) => [r.alive, r.effectiveWeight, r.checkersUp[0]]);
    expect(rs).toEqual([
      [false, 1, false],
      [true, 5, true],
      [true, 1, true],
    ]);
    expect(fx.flatMap((e) => (e.kind === 'log' ? [e.message] : []))).toContain('service [192.168.0.4]:tcp:80 no longer exist');
    // no spurious notifications for the servers that kept their state
    expect(fx.filter((e) => e.kind === 'fifo')).toEqual([]);
  });

  it('a removed virtual server is reported', () => {
    const a = model(conf(rsBlock('192.168.0.2')));
    const p1 = new LvsPool(a.virtualServers);
    p1.start();
    const b = model('virtual_server 10.0.0.2 80 { protocol TCP\n real_server 192.168.0.2 80 { } }');
    const fx = new LvsPool(b.virtualServers).startFrom({ virtualServers: a.virtualServers, pool: p1.snapshot() });
    expect(fx.flatMap((e) => (e.kind === 'log' ? [e.message] : []))).toContain('Removing Virtual Server [10.0.0.1]:tcp:80');
  });
});

describe('IpvsSync ownership', () => {
  const svc: IpvsService = { family: 'inet', protocol: 'TCP', address: '10.0.0.1', port: 80, fwmark: 0, scheduler: 'rr', flags: 0, timeoutSec: 0, netmask: 0xffffffff, peName: null };
  const d = (a: string): IpvsDest => ({ family: 'inet', address: a, port: 80, forwarding: 'NAT', weight: 1, upperThreshold: 0, lowerThreshold: 0, tunnelType: null, tunnelPort: null, tunnelCsum: null });

  it('removes stale dests of configured servers, leaves foreign ones, tears down only ours', async () => {
    const backend = memoryBackend();
    await backend.apply({ op: 'add-service', service: svc });
    for (const a of ['192.168.0.2', '192.168.0.3', '172.16.0.1']) await backend.apply({ op: 'add-dest', service: svc, dest: d(a) });
    const foreign: IpvsService = { ...svc, port: 8080 };
    await backend.apply({ op: 'add-service', service: foreign });
    const logs: string[] = [];
    const sync = new IpvsSync(backend, (_l, m) => logs.push(m));
    await sync.sync([{ service: svc, dests: [d('192.168.0.2')], managedDestKeys: ['192.168.0.2:80', '192.168.0.3:80'] }]);
    expect((await backend.dump()).map((e) => `${e.service.port}:${e.dests.map((x) => x.address).join(',')}`)).toEqual(['80:192.168.0.2,172.16.0.1', '8080:']);
    expect(logs.some((l) => l.startsWith('IPVS: del-dest 192.168.0.3:80'))).toBe(true);
    await sync.teardown();
    expect((await backend.dump()).map((e) => e.service.port)).toEqual([8080]);
  });

  it('desired table names every configured dest as managed', () => {
    const c = model(conf([rsBlock('192.168.0.2'), rsBlock('192.168.0.3')].join('\n'), 'sorry_server 192.168.0.100 80'));
    const p = new LvsPool(c.virtualServers);
    p.start();
    p.checkerResult('0/0', 0, false);
    const t = computeDesiredTable(c.virtualServers, c.virtualServerGroups, p.snapshot());
    expect(t.entries[0]?.managedDestKeys).toEqual(['192.168.0.2:80', '192.168.0.3:80', '192.168.0.100:80']);
  });
});

describe('worker reload', () => {
  it('applies a new configuration without dropping servers that stay', async () => {
    const s1 = await startTcp();
    const s2 = await startTcp();
    const c = (ports: number[]): string => `virtual_server 10.0.0.1 80 {
  protocol TCP
  delay_loop 0.1
${ports.map((p) => `  real_server 127.0.0.1 ${p} { TCP_CHECK { connect_timeout 0.5 } }`).join('\n')}
}`;
    const { port1, port2 } = new MessageChannel();
    const backend = memoryBackend();
    runCheckerWorker(port2, { openKernel: () => Promise.resolve(backend) });
    const got: WorkerToMain[] = [];
    port1.on('message', (m: unknown) => {
      const p = parseWorkerToMain(m);
      if (p !== null) got.push(p);
    });
    const ports = async (): Promise<number[]> => (await backend.dump()).flatMap((e) => e.dests.map((x) => x.port)).sort((x, y) => x - y);
    try {
      port1.postMessage({ v: 1, type: 'start', config: model(c([s1.port, s2.port])), options: { ipvs: 'kernel', bootstrapDelayUs: 0 } });
      await waitFor(() => got.some((m) => m.type === 'table' && m.dests === 2), 'two dests');
      const before = got.length;
      port1.postMessage({ v: 1, type: 'reload', config: model(c([s1.port])) });
      await waitFor(() => got.slice(before).some((m) => m.type === 'table' && m.dests === 1), 'one dest after reload');
      expect(await ports()).toEqual([s1.port]);
      expect(got.slice(before).some((m) => m.type === 'effect')).toBe(false); // the kept server did not flap
      expect(got.some((m) => m.type === 'log' && m.message === 'Health checkers reloaded')).toBe(true);
      port1.postMessage({ v: 1, type: 'stop', keepIpvs: true });
      await waitFor(() => got.some((m) => m.type === 'stopped'), 'stopped');
      expect(await ports()).toEqual([s1.port]); // -I: left in place
    } finally {
      port1.close();
      await s1.close();
      await s2.close();
    }
  });
});
