/**
 * Syslog output of a real daemon in a namespace (issues 4 and 6): KTS_SYSLOG_SOCKET (internal override of
 * /dev/log) points at an AF_UNIX datagram socket bound by the test; with `-S local3` the daemon sends
 * keepalived's `<158>Mmm dd hh:mm:ss Keepalived_vrrp[pid]: (VI_1) Entering MASTER STATE` datagram, and the
 * same run with -G sends nothing.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../lab/netns.js';
import { loadNative, nativeAvailable } from '../../src/io/native/index.js';
import { assertBuilt, integrationSkipReason, IMPL, topologyPerTest, vrrpConf } from './helpers.js';
import type { Router } from './helpers.js';

const conf = (r: Router): string => vrrpConf(`it-${r.role}`, { vrid: 88, version: 3, priority: 150, state: 'BACKUP', advertInt: 0.5, vips: ['10.88.0.200/24'] });

describe.skipIf(integrationSkipReason() !== undefined || IMPL !== 'keepalived-ts' || !nativeAvailable())('syslog output', () => {
  const topology = topologyPerTest();

  /** Binds a datagram socket at `path` and returns a drain function plus a closer. */
  function listen(path: string): { drain: () => string[]; close: () => void } {
    const native = loadNative();
    const fd = native.unixDgramBind(path);
    const buf = Buffer.alloc(65536);
    const got: string[] = [];
    return {
      drain: () => {
        for (let n = native.unixDgramRecv(fd, buf); n !== undefined; n = native.unixDgramRecv(fd, buf)) got.push(buf.subarray(0, n).toString());
        return got;
      },
      close: () => native.closeFd(fd),
    };
  }

  it('delivers "Entering MASTER STATE" as a local3.info datagram with the Keepalived_vrrp ident; -G sends none', async () => {
    assertBuilt();
    const topo = await topology.build('itsl', '10.88.0', 1);
    const [r1] = topo.routers as [Router];
    const path = join(topo.lab.dir, 'log.sock');
    const log = listen(path);
    try {
      const proc = r1.start(conf(r1), 'keepalived-ts', ['-S', 'local3'], { KTS_SYSLOG_SOCKET: path });
      const master = await waitFor('Entering MASTER STATE on syslog', () => log.drain().find((d) => d.includes('Entering MASTER STATE')), 8000, 25);
      const pid = readFileSync(join(topo.lab.dir, `${r1.role}-kts.pid`), 'utf8').trim();
      expect(master).toMatch(/^<158>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d Keepalived_vrrp\[\d+\]: \(VI_1\) Entering MASTER STATE$/);
      expect(master).toContain(`Keepalived_vrrp[${pid}]:`);
      // The start line comes first, under the parent ident, as keepalived's does.
      expect(log.drain()[0]).toMatch(/^<158>.* Keepalived\[\d+\]: Starting Keepalived-ts v/);
      // -l keeps the console output as well.
      await proc.waitForLine(/Entering MASTER STATE/, 2000);
      expect(await proc.stop('SIGTERM')).toBe(0);

      const before = log.drain().length;
      const quiet = r1.start(conf(r1), 'keepalived-ts', ['-S', 'local3', '-G'], { KTS_SYSLOG_SOCKET: path });
      await quiet.waitForLine(/Entering MASTER STATE/, 8000);
      expect(await quiet.stop('SIGTERM')).toBe(0);
      expect(log.drain().slice(before)).toEqual([]);
    } finally {
      log.close();
    }
  }, 40_000);
});
