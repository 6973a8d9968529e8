/**
 * Operations on a single router (address owner, so it is MASTER at once): SIGUSR1/SIGUSR2 dumps into
 * TMPDIR, a SIGHUP with an unreadable configuration keeps the running one, and `-V` leaves the VIP
 * configured at stop.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/netns.js';
import {
  IMPL, assertBuilt, integrationSkipReason, topologyPerTest, vrrpConf,
} from './helpers.js';
import type { Router } from './helpers.js';

const VIP = '10.91.0.200';

describe.skipIf(integrationSkipReason() !== undefined)('signals and stop options', () => {
  const topology = topologyPerTest();

  async function owner(extra: readonly string[] = []): Promise<{ r1: Router; tmp: string }> {
    assertBuilt();
    const topo = await topology.build('ito', '10.91.0', 1);
    const r1 = topo.routers[0]!;
    const tmp = join(topo.lab.dir, 'tmp');
    mkdirSync(tmp);
    r1.start(vrrpConf('it-r1', { vrid: 92, priority: 255, state: 'MASTER', advertInt: 1, vips: [`${VIP}/24`] }), undefined, extra, { TMPDIR: tmp });
    await waitFor('owner to hold the VIP', () => r1.hasVip(VIP), 5000);
    return { r1, tmp };
  }

  it('SIGUSR1 writes keepalived.data and SIGUSR2 keepalived.stats into TMPDIR', async () => {
    const { r1, tmp } = await owner();
    await sleep(300);
    r1.proc!.signal('SIGUSR1');
    const data = join(tmp, 'keepalived.data');
    await waitFor('data dump', () => existsSync(data) && /State = MASTER/.test(readFileSync(data, 'utf8')), 3000);
    expect(readFileSync(data, 'utf8')).toContain('VI_1');
    r1.proc!.signal('SIGUSR2');
    const stats = join(tmp, 'keepalived.stats');
    await waitFor('stats dump', () => existsSync(stats) && readFileSync(stats, 'utf8').includes('Advertisements'), 3000);
    expect(readFileSync(stats, 'utf8')).toMatch(/Sent: [1-9]/);
  });

  it('vrrp_notify_fifo receives keepalived\'s state lines, in order', async () => {
    assertBuilt();
    const topo = await topology.build('itq', '10.91.0', 1);
    const r1 = topo.routers[0]!;
    const fifo = join(topo.lab.dir, 'notify.fifo');
    const out = join(topo.lab.dir, 'fifo.out');
    await r1.ns.exec('mkfifo', [fifo]);
    r1.ns.spawn('fifo-reader', '/bin/sh', ['-c', `cat ${fifo} > ${out}`]);
    r1.start(vrrpConf('it-r1', { vrid: 92, priority: 255, state: 'MASTER', advertInt: 1, vips: [`${VIP}/24`], notifyFifo: fifo }));
    await waitFor('MASTER line', () => existsSync(out) && readFileSync(out, 'utf8').includes('MASTER'), 5000);
    await r1.proc!.stop('SIGTERM', 5000);
    await waitFor('STOP line', () => readFileSync(out, 'utf8').includes('STOP'), 3000);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toEqual(['INSTANCE "VI_1" MASTER 255', 'INSTANCE "VI_1" STOP 255']);
  });

  it.skipIf(IMPL === 'keepalived')('SIGHUP with an unreadable configuration keeps the running one', async () => {
    const { r1 } = await owner();
    rmSync(r1.confPath);
    r1.proc!.signal('SIGHUP');
    await r1.proc!.waitForLine(/reload failed: keeping the running configuration/, 3000);
    await sleep(1500);
    expect(await r1.hasVip(VIP)).toBe(true);
    expect(r1.proc!.running).toBe(true);
    expect(r1.proc!.lines.filter((l) => /Entering \w+ STATE/.test(l))).toHaveLength(1);
  });

  it.skipIf(IMPL === 'keepalived')('a VIP deleted by someone else while MASTER is re-added and logged', async () => {
    const { r1 } = await owner();
    await sleep(300);
    await r1.ns.ip('addr', 'del', `${VIP}/24`, 'dev', 'eth0');
    await r1.proc!.waitForLine(/VIP 10\.91\.0\.200 was deleted externally while MASTER, re-adding it/, 3000);
    await waitFor('VIP re-added', () => r1.hasVip(VIP), 3000);
    expect(r1.proc!.lines.filter((l) => /Entering \w+ STATE/.test(l))).toHaveLength(1);
  });

  it.skipIf(IMPL === 'keepalived')('an interface without an IPv4 address keeps the instance in FAULT until one is added', async () => {
    assertBuilt();
    const topo = await topology.build('ita', '10.91.0', 1);
    const r1 = topo.routers[0]!;
    await r1.ns.ip('addr', 'del', '10.91.0.11/24', 'dev', 'eth0');
    r1.start(vrrpConf('it-r1', { vrid: 92, priority: 255, state: 'MASTER', advertInt: 1, vips: [`${VIP}/24`] }));
    await r1.proc!.waitForLine(/\(VI_1\) Entering FAULT STATE/, 5000);
    expect(await r1.hasVip(VIP)).toBe(false);
    await r1.ns.ip('addr', 'add', '10.91.0.11/24', 'dev', 'eth0');
    await waitFor('VIP after the address appeared', () => r1.hasVip(VIP), 5000);
    await r1.proc!.waitForLine(/advert source address \(none\) -> 10\.91\.0\.11/, 1000);
  });

  it('-V (--dont-release-vrrp) leaves the VIP configured at stop; without it the VIP goes', async () => {
    const { r1 } = await owner(['-V']);
    expect(await r1.proc!.stop('SIGTERM', 5000)).toBe(0);
    expect(await r1.hasVip(VIP)).toBe(true);
    await r1.ns.ip('addr', 'del', `${VIP}/24`, 'dev', 'eth0');
    r1.start(vrrpConf('it-r1', { vrid: 92, priority: 255, state: 'MASTER', advertInt: 1, vips: [`${VIP}/24`] }));
    await waitFor('owner to hold the VIP again', () => r1.hasVip(VIP), 5000);
    expect(await r1.proc!.stop('SIGTERM', 5000)).toBe(0);
    expect(await r1.hasVip(VIP)).toBe(false);
  });
});
