/**
 * Operations in the namespace lab (issue 6): `keepalived-ts status --json` against each router's control
 * socket and `/metrics` fetched inside the namespace follow a real failover; a VRRP packet with TTL 64
 * from the client is counted as a `ttl` drop; a one-way nftables partition (r2 stops hearing VRRP) makes
 * both routers MASTER, is reported as split brain within 2 advert intervals, and heals to one master.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { leftoverNamespaces, repoRoot, run, sleep, waitFor } from '../lab/netns.js';
import { assertBuilt, buildTopology, integrationSkipReason, IMPL, masterDownMs, vrrpConf, waitForMaster } from './helpers.js';
import type { Router, Topology } from './helpers.js';
import { validateStatusDocument } from '../../src/ops/status-schema.js';
import type { StatusDocument, StatusInstance } from '../../src/ops/status-schema.js';

const VIP = '10.86.0.200';
const ADVERT_S = 0.5;
const METRICS_PORT = 9650;
const conf = (r: Router, priority: number): string =>
  vrrpConf(`it-${r.role}`, { vrid: 86, version: 3, priority, state: 'BACKUP', advertInt: ADVERT_S, vips: [`${VIP}/24`] });

describe.skipIf(integrationSkipReason() !== undefined || IMPL !== 'keepalived-ts')('operations: status, metrics, split brain', () => {
  let topo: Topology;
  let r1: Router;
  let r2: Router;
  const sock = (r: Router): string => join(topo.lab.dir, `${r.role}-control.sock`);
  const start = (r: Router, priority: number): void => {
    r.start(conf(r, priority), 'keepalived-ts', ['--control-socket', sock(r), `--metrics=127.0.0.1:${METRICS_PORT}`]);
  };

  async function status(r: Router): Promise<StatusInstance> {
    const res = await run(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), 'status', '--json', '--control-socket', sock(r)]);
    expect(res.code, res.stderr).toBe(0);
    const v = validateStatusDocument(JSON.parse(res.stdout) as unknown);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    const doc: StatusDocument = v.doc;
    const inst = doc.vrrp.instances.find((i) => i.name === 'VI_1');
    if (inst === undefined) throw new Error('VI_1 missing from status');
    return inst;
  }

  async function metrics(r: Router): Promise<string> {
    const res = await r.ns.exec('curl', ['-sf', `http://127.0.0.1:${METRICS_PORT}/metrics`]);
    expect(res.code, res.stderr).toBe(0);
    return res.stdout;
  }

  /** Sum of the samples of `name` whose labels contain every `k="v"` of `labels`. */
  function sample(text: string, name: string, labels: Readonly<Record<string, string>>): number {
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  beforeAll(async () => {
    assertBuilt();
    topo = await buildTopology('itops', '10.86.0');
    [r1, r2] = topo.routers as [Router, Router];
    start(r1, 150);
    start(r2, 100);
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(100, ADVERT_S) + 5000);
  }, 30_000);
  afterAll(async () => {
    const prefix = topo?.lab.prefix;
    await topo?.lab.cleanup();
    if (prefix !== undefined) expect(await leftoverNamespaces(prefix)).toEqual([]);
  });

  it('status and /metrics show the elected MASTER and BACKUP', async () => {
    const s1 = await status(r1);
    const s2 = await status(r2);
    expect(s1.state).toBe('MASTER');
    expect(s1.priority).toEqual({ base: 150, effective: 150 });
    expect(s1.vipsInstalled).toBe(true);
    expect(s1.lastTransition?.to).toBe('MASTER');
    expect(s1.stats?.garpSent ?? 0).toBeGreaterThan(0);
    expect(s2.state).toBe('BACKUP');
    expect(s2.master.address).toBe(r1.ip);
    expect(s2.stats?.advertsReceived ?? 0).toBeGreaterThan(0);
    const text = await run(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), 'status', '--control-socket', sock(r1)]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/VI_1/);
    expect(text.stdout).toMatch(/MASTER/);
    const m1 = await metrics(r1);
    expect(sample(m1, 'keepalived_ts_vrrp_state', { vrrp_instance: 'VI_1' })).toBe(2);
    expect(sample(m1, 'keepalived_ts_vrrp_transitions_total', { vrrp_instance: 'VI_1', to: 'MASTER' })).toBe(1);
    expect(sample(m1, 'keepalived_ts_vrrp_garp_sent_total', { vrrp_instance: 'VI_1' })).toBeGreaterThanOrEqual(s1.stats?.garpSent ?? 1);
    const m2 = await metrics(r2);
    expect(sample(m2, 'keepalived_ts_vrrp_state', { vrrp_instance: 'VI_1' })).toBe(1);
    expect(sample(m2, 'keepalived_ts_vrrp_adverts_received_total', { vrrp_instance: 'VI_1' })).toBeGreaterThan(0);
  });

  it('counts a VRRP packet with TTL 64 as a ttl drop', async () => {
    const before = sample(await metrics(r2), 'keepalived_ts_vrrp_adverts_dropped_total', { vrrp_instance: 'VI_1', reason: 'ttl' });
    // VRRPv3 advert for VRID 86, priority 200, checksum over the IPv4 pseudo-header, sent with TTL 64.
    const py = [
      'import socket, struct',
      `src, dst = "${topo.subnet}.100", "224.0.0.18"`,
      'vip = socket.inet_aton("' + VIP + '")',
      'body = struct.pack("!BBBBH", 0x31, 86, 200, 1, 50) + b"\\0\\0" + vip',
      'def csum(b):',
      '    s = sum(struct.unpack("!%dH" % (len(b)//2), b))',
      '    while s >> 16: s = (s & 0xffff) + (s >> 16)',
      '    return (~s) & 0xffff',
      'pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 112, len(body))',
      'c = csum(pseudo + body)',
      'pkt = body[:6] + struct.pack("!H", c) + body[8:]',
      's = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)',
      's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 64)',
      's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))',
      'for _ in range(3): s.sendto(pkt, (dst, 0))',
    ].join('\n');
    const res = await topo.client.exec('python3', ['-c', py]);
    expect(res.code, res.stderr).toBe(0);
    const after = await waitFor('ttl drop counted', async () => {
      const n = sample(await metrics(r2), 'keepalived_ts_vrrp_adverts_dropped_total', { vrrp_instance: 'VI_1', reason: 'ttl' });
      return n >= before + 3 ? n : undefined;
    }, 3000, 100);
    expect(after).toBeGreaterThanOrEqual(before + 3);
    expect((await status(r2)).state).toBe('BACKUP');
  });

  it('reports split brain within 2 advert intervals of a one-way partition, and heals to one master', async () => {
    const detectedBefore = sample(await metrics(r1), 'keepalived_ts_vrrp_split_brain_detected_total', { vrrp_instance: 'VI_1' });
    await r2.ns.exec('nft', ['add', 'table', 'inet', 'kts_h13']);
    await r2.ns.exec('nft', ['add chain inet kts_h13 input { type filter hook input priority 0 ; }']);
    const add = await r2.ns.exec('nft', ['add', 'rule', 'inet', 'kts_h13', 'input', 'ip', 'protocol', 'vrrp', 'drop']);
    expect(add.code, add.stderr).toBe(0);
    try {
      await waitFor('r2 MASTER', async () => ((await status(r2)).state === 'MASTER' ? true : undefined), masterDownMs(100, ADVERT_S) + 3000, 50);
      const bothMasterAt = Date.now();
      expect((await status(r1)).state).toBe('MASTER');
      const finding = await waitFor('split brain finding on r1', async () => {
        const s = await status(r1);
        return s.splitBrain.length > 0 ? s.splitBrain : undefined;
      }, 2 * ADVERT_S * 1000 + 500, 50);
      expect(Date.now() - bothMasterAt).toBeLessThanOrEqual(2 * ADVERT_S * 1000 + 500);
      expect(finding.map((f) => f.peer)).toContain(r2.ip);
      expect(sample(await metrics(r1), 'keepalived_ts_vrrp_split_brain_detected_total', { vrrp_instance: 'VI_1' })).toBeGreaterThan(detectedBefore);
      expect(r1.proc?.lines.join('\n')).toContain(r2.ip);
    } finally {
      await r2.ns.exec('nft', ['delete', 'table', 'inet', 'kts_h13']);
    }
    await waitFor('r2 back to BACKUP', async () => ((await status(r2)).state === 'BACKUP' ? true : undefined), 3000, 50);
    await sleep(ADVERT_S * 2000);
    expect((await status(r1)).state).toBe('MASTER');
    expect((await status(r2)).state).toBe('BACKUP');
  });

  it('a SIGTERM failover is visible in the survivor’s status and transition metrics', async () => {
    const before = sample(await metrics(r2), 'keepalived_ts_vrrp_transitions_total', { vrrp_instance: 'VI_1', to: 'MASTER' });
    await r1.proc?.stop('SIGTERM');
    await waitForMaster(topo.routers, VIP, r2, 3000);
    const s2 = await status(r2);
    expect(s2.state).toBe('MASTER');
    expect(s2.lastTransition?.from).toBe('BACKUP');
    expect(s2.lastTransition?.to).toBe('MASTER');
    expect(sample(await metrics(r2), 'keepalived_ts_vrrp_transitions_total', { vrrp_instance: 'VI_1', to: 'MASTER' })).toBe(before + 1);
  });
});
