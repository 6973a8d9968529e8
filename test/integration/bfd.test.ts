/**
 * BFD (bfd_instance / track_bfd) on real sockets in namespaces:
 *  1. keepalived-ts ↔ keepalived 2.2.7: each side's bfd_instance names the other router; both sessions
 *     come Up, each side detects the other's death (Control Detection Time Expired) and comes Up again
 *     when it returns.
 *  2. r1 (MASTER, keepalived-ts; keepalived 2.2.7 with KTS_IT_IMPL=keepalived) tracks an unweighted BFD session to the client namespace, where a
 *     keepalived-ts with only a bfd_instance answers; an nftables drop of UDP 3784 at the client takes
 *     the session down, r1 goes FAULT and r2 takes the VIP; removing the drop brings r1 back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../lab/netns.js';
import type { NsProcess } from '../lab/netns.js';
import { assertBuilt, IMPL, integrationSkipReason, masterDownMs, topologyPerTest, vipHolders, vrrpConf, waitForMaster } from './helpers.js';
import type { Router } from './helpers.js';

const ADVERT_S = 1;

function bfdInstance(name: string, neighbor: string, source: string): string[] {
  return [`bfd_instance ${name} {`, `    neighbor_ip ${neighbor}`, `    source_ip ${source}`, '    min_rx 100', '    min_tx 100', '    multiplier 3', '}'];
}

/** keepalived 2.2.7 with its BFD child (the helpers' startKeepalived runs VRRP only). */
function startKeepalivedBfd(r: Router, conf: string, run: number): NsProcess {
  const lab = r.ns.lab;
  const path = lab.writeFile(`${r.role}-ka.conf`, conf);
  const pid = `${lab.dir}/${r.role}-ka${run}`;
  const p = r.ns.spawn(`keepalived-bfd-${run}`, '/usr/sbin/keepalived', [
    '-n', '-l', '-D', '-f', path, '-p', `${pid}.pid`, '-r', `${pid}-vrrp.pid`, '-c', `${pid}-checkers.pid`, '-b', `${pid}-bfd.pid`,
  ]);
  r.proc = p;
  return p;
}

/** keepalived's BFD child writes /run/bfd.pid unless told otherwise: one per router. */
const bfdPid = (r: Router): string[] => ['-b', `${r.ns.lab.dir}/${r.role}-bfd.pid`];

const upCount = (p: NsProcess, session: string): number => p.lines.filter((l) => l.includes(`(${session}) Entering Up state`)).length;

describe.skipIf(integrationSkipReason() !== undefined)('BFD', () => {
  const topology = topologyPerTest();

  it('keepalived-ts and keepalived 2.2.7 bring a BFD session Up in both directions and detect each other', async () => {
    assertBuilt();
    const topo = await topology.build('ibfd', '10.161.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const ktsConf = ['global_defs {', '    router_id bfd-kts', '}', ...bfdInstance('toKa', r2.ip, r1.ip), ''].join('\n');
    const kaConf = ['global_defs {', '    router_id bfd-ka', '}', ...bfdInstance('toKts', r1.ip, r2.ip), ''].join('\n');
    const kts = r1.start(ktsConf, 'keepalived-ts');
    let ka = startKeepalivedBfd(r2, kaConf, 1);
    await kts.waitForLine(/\(toKa\) Entering Up state/, 8000);
    await ka.waitForLine(/\(toKts\) Entering Up state/, 8000);

    // keepalived dies: our session expires after 3 × 100 ms and comes back Up with a new keepalived
    await r2.kill9();
    const down = await kts.waitForLine(/\(toKa\) Entering Down state/, 3000);
    expect(down).toContain('Control Detection Time Expired');
    const upsBefore = upCount(kts, 'toKa');
    ka = startKeepalivedBfd(r2, kaConf, 2);
    await ka.waitForLine(/\(toKts\) Entering Up state/, 8000);
    await waitFor('our session Up again', () => upCount(kts, 'toKa') === upsBefore + 1, 8000);

    // keepalived-ts stops: keepalived sees the session expire
    await kts.stop('SIGTERM');
    const kaDown = await ka.waitForLine(/\(toKts\) Entering Down state/, 5000);
    expect(kaDown).toContain('Control Detection Time Expired');
    await ka.stop('SIGTERM');
  });

  it('IPv6: keepalived-ts and keepalived 2.2.7 come Up (hop limit 64 sent and required)', async () => {
    assertBuilt();
    const topo = await topology.build('ibfd6', '10.163.0', 2, 'fd00:163');
    const [r1, r2] = topo.routers as [Router, Router];
    const kts = r1.start(['global_defs {', '    router_id bfd6-kts', '}', ...bfdInstance('toKa6', 'fd00:163::12', 'fd00:163::11'), ''].join('\n'), 'keepalived-ts');
    const ka = startKeepalivedBfd(r2, ['global_defs {', '    router_id bfd6-ka', '}', ...bfdInstance('toKts6', 'fd00:163::11', 'fd00:163::12'), ''].join('\n'), 1);
    await kts.waitForLine(/\(toKa6\) Entering Up state/, 8000);
    await ka.waitForLine(/\(toKts6\) Entering Up state/, 8000);
    await r2.kill9();
    expect(await kts.waitForLine(/\(toKa6\) Entering Down state/, 3000)).toContain('Control Detection Time Expired');
  });

  it('passive on either side: the active side starts the session', async () => {
    assertBuilt();
    const topo = await topology.build('ibfdp', '10.165.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const passive = (lines: string[]): string[] => [...lines.slice(0, -1), '    passive', '}'];
    const kts = r1.start(['global_defs {', '    router_id bfdp-kts', '}', ...passive(bfdInstance('s1', r2.ip, r1.ip)), ...bfdInstance('s2', r2.ip, '10.165.0.111'), ''].join('\n'), 'keepalived-ts');
    // s2 on our side needs its source address
    await r1.ns.exec('ip', ['addr', 'add', '10.165.0.111/24', 'dev', 'eth0']);
    const ka = startKeepalivedBfd(
      r2,
      ['global_defs {', '    router_id bfdp-ka', '}', ...bfdInstance('k1', r1.ip, r2.ip), ...passive(bfdInstance('k2', '10.165.0.111', r2.ip)), ''].join('\n'),
      1,
    );
    await kts.waitForLine(/\(s1\) Entering Up state/, 8000);
    await ka.waitForLine(/\(k1\) Entering Up state/, 8000);
    await kts.waitForLine(/\(s2\) Entering Up state/, 8000);
    await ka.waitForLine(/\(k2\) Entering Up state/, 8000);
  });

  it('SIGHUP keeps an unchanged session Up (new timers renegotiated without a flap); SIGUSR1 dumps it', async () => {
    assertBuilt();
    const topo = await topology.build('ibfdr', '10.164.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const conf = (minTx: number): string =>
      ['global_defs {', '    router_id bfd-r', '}', ...bfdInstance('toKa', r2.ip, r1.ip).map((l) => (l.includes('min_tx') ? `    min_tx ${minTx}` : l)), ''].join('\n');
    const kts = r1.start(conf(100), 'keepalived-ts', [], { TMPDIR: topo.lab.dir });
    const ka = startKeepalivedBfd(r2, ['global_defs {', '    router_id bfd-ka', '}', ...bfdInstance('toKts', r1.ip, r2.ip), ''].join('\n'), 1);
    await kts.waitForLine(/\(toKa\) Entering Up state/, 8000);
    r1.rewriteConf(conf(200));
    kts.signal('SIGHUP');
    await kts.waitForLine(/Reload finished/, 5000);
    // keepalived logs the renegotiated session parameters: our desired min TX is now 200 ms
    await ka.waitForLine(/remote\s+200000\s+100000/, 5000);
    await new Promise((res) => setTimeout(res, 1000));
    expect(kts.lines.some((l) => l.includes('(toKa) Entering Down state'))).toBe(false);
    expect(ka.lines.some((l) => l.includes('(toKts) Entering Down state'))).toBe(false);
    expect(upCount(kts, 'toKa')).toBe(1);
    // SIGUSR1: keepalived_bfd.data next to keepalived.data
    kts.signal('SIGUSR1');
    const dump = await waitFor('keepalived_bfd.data', () => {
      const path = join(topo.lab.dir, 'keepalived_bfd.data');
      return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    }, 3000);
    expect(dump).toContain(' BFD Instance = toKa\n');
    expect(dump).toContain('   local state = Up\n');
    expect(dump).toContain('   Desired min TX interval = 200000 us\n');
  });

  it('unweighted track_bfd: the peer going silent puts the master in FAULT, the backup takes the VIP; restoring it brings it back', async () => {
    assertBuilt();
    const topo = await topology.build('ibfdv', '10.162.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const client = topo.client;
    const clientIp = '10.162.0.100';
    const vip = '10.162.0.200';
    const peerConf = ['global_defs {', '    router_id bfd-peer', '}', ...bfdInstance('toR1', r1.ip, clientIp), ''].join('\n');
    const peer = client.startKeepalivedTs(client.lab.writeFile('client.conf', peerConf));
    r1.start(
      vrrpConf('it-r1', {
        vrid: 162, priority: 150, advertInt: ADVERT_S, vips: [`${vip}/24`],
        preamble: bfdInstance('peer', clientIp, r1.ip),
        instanceLines: ['track_bfd {', '    peer', '}'],
      }),
      IMPL,
      bfdPid(r1),
    );
    r2.start(vrrpConf('it-r2', { vrid: 162, priority: 100, advertInt: ADVERT_S, vips: [`${vip}/24`] }), IMPL, bfdPid(r2));
    await peer.waitForLine(/\(toR1\) Entering Up state/, 10_000);
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 6000);

    await client.exec('nft', ['add', 'table', 'inet', 'kts_bfd']);
    await client.exec('nft', ['add chain inet kts_bfd input { type filter hook input priority 0 ; }']);
    const add = await client.exec('nft', ['add', 'rule', 'inet', 'kts_bfd', 'input', 'udp', 'dport', '3784', 'drop']);
    expect(add.code).toBe(0);
    await r1.proc?.waitForLine(/\(peer\) Entering Down state/, 5000);
    await r1.proc?.waitForLine(/\(VI_1\) Entering FAULT STATE/, 2000);
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 3000);
    expect(await vipHolders(topo.routers, vip)).toEqual([r2]);

    await client.exec('nft', ['delete', 'table', 'inet', 'kts_bfd']);
    await waitForMaster(topo.routers, vip, r1, 10_000);
    expect(r1.proc === undefined ? 0 : upCount(r1.proc, 'peer')).toBe(2);
    await peer.stop('SIGTERM');
  });
});
