/**
 * Tracking: a weighted vrrp_script (track_script) lowers the master's priority below the backup's, so the
 * backup takes over; when the script succeeds again the original master preempts back. Notify scripts run
 * on every transition.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../lab/netns.js';
import {
  assertBuilt, integrationSkipReason, masterDownMs, topologyPerTest, vrrpConf, waitForMaster,
} from './helpers.js';
import type { Router } from './helpers.js';

const ADVERT_S = 1;

describe.skipIf(integrationSkipReason() !== undefined)('tracking and notify', () => {
  const topology = topologyPerTest();

  it('track_script weight -60: failing script hands the VIP to the backup, success takes it back; notify runs', async () => {
    assertBuilt();
    const topo = await topology.build('itt', '10.89.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.89.0.200';
    const flag = topo.lab.writeFile('healthy', 'ok\n');
    const notifyLog = `${topo.lab.dir}/notify.log`;
    const c1 = vrrpConf('it-r1', {
      vrid: 89, priority: 150, advertInt: ADVERT_S, vips: [`${vip}/24`],
      preamble: ['vrrp_script chk_flag {', `    script "/usr/bin/test -f ${flag}"`, '    interval 1', '    weight -60', '}'],
      instanceLines: ['track_script {', '    chk_flag', '}', `notify "/bin/sh -c 'echo $@ >> ${notifyLog}' notify"`],
    });
    r1.start(c1);
    r2.start(vrrpConf('it-r2', { vrid: 89, priority: 100, advertInt: ADVERT_S, vips: [`${vip}/24`] }));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 4000);
    rmSync(flag);
    // Script fails within ~1 s, r1 then advertises 90 < 100: r2's down timer runs out and it preempts.
    await waitForMaster(topo.routers, vip, r2, 2000 + masterDownMs(100, ADVERT_S) + 2000);
    writeFileSync(flag, 'ok\n');
    await waitForMaster(topo.routers, vip, r1, 2000 + masterDownMs(150, ADVERT_S) + 2000);
    await waitFor('notify lines', () => existsSync(notifyLog) && readFileSync(notifyLog, 'utf8').includes('MASTER'), 2000);
    const lines = readFileSync(notifyLog, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('INSTANCE VI_1 BACKUP 150');
    expect(lines).toContain('INSTANCE VI_1 MASTER 150');
    expect(lines).toContain('INSTANCE VI_1 BACKUP 90');
  });

  it('track_file: a value of -60 (weight 1) hands the VIP to the backup, 0 takes it back', async () => {
    assertBuilt();
    const topo = await topology.build('itf', '10.96.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.96.0.200';
    const file = topo.lab.writeFile('prio-adjust', '0\n');
    const c1 = vrrpConf('it-r1', {
      vrid: 98, priority: 150, advertInt: ADVERT_S, vips: [`${vip}/24`],
      preamble: ['track_file adjust {', `    file ${file}`, '    weight 1', '}'],
      instanceLines: ['track_file {', '    adjust', '}'],
    });
    r1.start(c1);
    r2.start(vrrpConf('it-r2', { vrid: 98, priority: 100, advertInt: ADVERT_S, vips: [`${vip}/24`] }));
    await waitForMaster(topo.routers, vip, r1, masterDownMs(100, ADVERT_S) + 4000);
    writeFileSync(file, '-60\n');
    await waitForMaster(topo.routers, vip, r2, masterDownMs(100, ADVERT_S) + 3000);
    writeFileSync(file, '0\n');
    await waitForMaster(topo.routers, vip, r1, masterDownMs(150, ADVERT_S) + 3000);
  });
});
