/**
 * vrrp_track_process on real processes: the master tracks a process started in its namespace (a copy of
 * `sleep` under a unique name, since /proc is shared by every network namespace of the host). Killing it
 * puts an unweighted tracker's instance in FAULT / lowers a weighted one's priority, so the backup takes
 * the VIP; starting it again brings the master back. A process missing at startup keeps the master in
 * FAULT, and `terminate_delay` rides out a quick restart but not a longer outage.
 *
 * keepalived itself cannot run these scenarios in a namespace (its proc connector subscription is refused
 * outside the initial network namespace), so they are keepalived-ts only.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/netns.js';
import type { NsProcess } from '../lab/netns.js';
import {
  assertBuilt, IMPL, integrationSkipReason, masterDownMs, topologyPerTest, vipHolders, vrrpConf, waitForMaster,
} from './helpers.js';
import type { Router, Topology } from './helpers.js';

const ADVERT_S = 1;

/** A copy of sleep named `ktp-<hex>` (comm ≤ 15 characters) in the lab directory. */
function trackedBinary(topo: Topology): { name: string; path: string } {
  const name = `ktp-${randomBytes(4).toString('hex')}`;
  const path = join(topo.lab.dir, name);
  copyFileSync(existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep', path);
  return { name, path: `${path}` };
}

async function startTracked(r: Router, bin: { path: string }): Promise<NsProcess> {
  const p = r.ns.spawn(`tracked-${Date.now()}`, bin.path, ['100000']);
  await waitFor('tracked process running', () => p.pid !== undefined && existsSync(`/proc/${p.pid}`), 2000);
  return p;
}

function notifyLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
}

describe.skipIf(integrationSkipReason() !== undefined || IMPL !== 'keepalived-ts')('vrrp_track_process', () => {
  const topology = topologyPerTest();

  it('unweighted: the tracked process dying puts the master in FAULT, the backup takes over; restarting it brings it back', async () => {
    assertBuilt();
    const topo = await topology.build('itp', '10.147.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.147.0.200';
    const bin = trackedBinary(topo);
    const notifyLog = `${topo.lab.dir}/notify.log`;
    let tracked = await startTracked(r1, bin);
    r1.start(vrrpConf('it-r1', {
      vrid: 147, priority: 150, advertInt: ADVERT_S, vips: [`${vip}/24`],
      preamble: ['vrrp_track_process svc {', `    process ${bin.name}`, '}'],
      instanceLines: ['track_process {', '    svc', '}', `notify "/bin/sh -c 'echo $@ >> ${notifyLog}' notify"`],
    }));
    r2.start(vrrpConf('it-r2', { vrid: 147, priority: 100, advertInt: ADVERT_S, vips: [`${vip}/24`] }));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 4000);

    await tracked.stop('SIGKILL');
    await r1.proc?.waitForLine(new RegExp(`Quorum lost for tracked process svc`), 2000);
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 2000);
    await waitFor('FAULT notify', () => notifyLines(notifyLog).includes('INSTANCE VI_1 FAULT 150'), 2000);

    tracked = await startTracked(r1, bin);
    await r1.proc?.waitForLine(new RegExp(`Quorum gained for tracked process svc`), 2000);
    await waitForMaster(topo.routers, vip, r1, masterDownMs(150, ADVERT_S) + 3000);
    // The notify script runs asynchronously after the VIP is added.
    await waitFor('MASTER notify after FAULT', () => notifyLines(notifyLog).at(-1) === 'INSTANCE VI_1 MASTER 150', 2000);
    const lines = notifyLines(notifyLog);
    expect(lines.indexOf('INSTANCE VI_1 FAULT 150')).toBeGreaterThan(lines.indexOf('INSTANCE VI_1 MASTER 150'));
    await tracked.stop('SIGKILL');
  });

  it('weight -60: the tracked process dying lowers the master to 90 so the backup preempts; restarting it takes the VIP back', async () => {
    assertBuilt();
    const topo = await topology.build('itpw', '10.148.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.148.0.200';
    const bin = trackedBinary(topo);
    const notifyLog = `${topo.lab.dir}/notify.log`;
    let tracked = await startTracked(r1, bin);
    r1.start(vrrpConf('it-r1', {
      vrid: 148, priority: 150, advertInt: ADVERT_S, vips: [`${vip}/24`],
      preamble: ['vrrp_track_process svc {', `    process ${bin.name}`, '    weight -60', '}'],
      instanceLines: ['track_process {', '    svc', '}', `notify "/bin/sh -c 'echo $@ >> ${notifyLog}' notify"`],
    }));
    r2.start(vrrpConf('it-r2', { vrid: 148, priority: 100, advertInt: ADVERT_S, vips: [`${vip}/24`] }));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 4000);

    await tracked.stop('SIGKILL');
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 2000);
    await waitFor('BACKUP 90 notify', () => notifyLines(notifyLog).includes('INSTANCE VI_1 BACKUP 90'), 2000);
    expect(notifyLines(notifyLog)).not.toContain('INSTANCE VI_1 FAULT 150');

    tracked = await startTracked(r1, bin);
    await waitForMaster(topo.routers, vip, r1, masterDownMs(150, ADVERT_S) + 3000);
    await tracked.stop('SIGKILL');
  });

  it('a process missing at startup keeps the master in FAULT; terminate_delay rides out a quick restart but not an outage', async () => {
    assertBuilt();
    const topo = await topology.build('itpd', '10.149.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.149.0.200';
    const bin = trackedBinary(topo);
    const notifyLog = `${topo.lab.dir}/notify.log`;
    r1.start(vrrpConf('it-r1', {
      vrid: 149, priority: 150, advertInt: ADVERT_S, vips: [`${vip}/24`],
      preamble: ['vrrp_track_process svc {', `    process ${bin.name}`, '    terminate_delay 3', '}'],
      instanceLines: ['track_process {', '    svc', '}', `notify "/bin/sh -c 'echo $@ >> ${notifyLog}' notify"`],
    }));
    r2.start(vrrpConf('it-r2', { vrid: 149, priority: 100, advertInt: ADVERT_S, vips: [`${vip}/24`] }));
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 4000);
    await waitFor('FAULT notify at startup', () => notifyLines(notifyLog).includes('INSTANCE VI_1 FAULT 150'), 2000);

    let tracked = await startTracked(r1, bin);
    await waitForMaster(topo.routers, vip, r1, masterDownMs(150, ADVERT_S) + 3000);
    const faultsBefore = notifyLines(notifyLog).filter((l) => l.includes('FAULT')).length;

    // Quick restart: inside terminate_delay nothing changes.
    await tracked.stop('SIGKILL');
    tracked = await startTracked(r1, bin);
    for (let i = 0; i < 20; i++) {
      expect(await vipHolders(topo.routers, vip)).toEqual([r1]);
      await sleep(200);
    }
    expect(notifyLines(notifyLog).filter((l) => l.includes('FAULT')).length).toBe(faultsBefore);

    // Outage: the master keeps the VIP during the delay, then goes to FAULT.
    await tracked.stop('SIGKILL');
    await sleep(1500);
    expect(await vipHolders(topo.routers, vip)).toEqual([r1]);
    await waitForMaster(topo.routers, vip, r2, 3000 + masterDownMs(100, ADVERT_S) + 2000);
    await waitFor('second FAULT notify', () => notifyLines(notifyLog).filter((l) => l.includes('FAULT')).length === faultsBefore + 1, 2000);
  });

  it('SIGHUP: an unchanged track_process keeps the master; tracking another (absent) process faults it', async () => {
    assertBuilt();
    const topo = await topology.build('itph', '10.150.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.150.0.200';
    const bin = trackedBinary(topo);
    const notifyLog = `${topo.lab.dir}/notify.log`;
    const conf = (processName: string): string => vrrpConf('it-r1', {
      vrid: 150, priority: 150, advertInt: ADVERT_S, vips: [`${vip}/24`],
      preamble: ['vrrp_track_process svc {', `    process ${processName}`, '}'],
      instanceLines: ['track_process {', '    svc', '}', `notify "/bin/sh -c 'echo $@ >> ${notifyLog}' notify"`],
    });
    const tracked = await startTracked(r1, bin);
    r1.start(conf(bin.name));
    r2.start(vrrpConf('it-r2', { vrid: 150, priority: 100, advertInt: ADVERT_S, vips: [`${vip}/24`] }));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 4000);
    const linesBefore = notifyLines(notifyLog).length;

    r1.proc?.signal('SIGHUP');
    await r1.proc?.waitForLine(/[Rr]eload/, 3000);
    for (let i = 0; i < 10; i++) {
      expect(await vipHolders(topo.routers, vip)).toEqual([r1]);
      await sleep(200);
    }
    expect(notifyLines(notifyLog).length).toBe(linesBefore);

    r1.rewriteConf(conf(`${bin.name}x`));
    r1.proc?.signal('SIGHUP');
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 3000);
    await waitFor('FAULT notify after reload', () => notifyLines(notifyLog).includes('INSTANCE VI_1 FAULT 150'), 2000);
    await tracked.stop('SIGKILL');
  });
});
