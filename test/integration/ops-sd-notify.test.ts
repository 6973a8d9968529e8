/**
 * systemd readiness protocol with a real daemon in a namespace (issue 6): NOTIFY_SOCKET points at an
 * AF_UNIX datagram socket bound by the test (native addon); the daemon sends READY=1 once running,
 * RELOADING=1 then READY=1 around a SIGHUP reload, and STOPPING=1 on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { leftoverNamespaces, waitFor } from '../lab/netns.js';
import { loadNative, nativeAvailable } from '../../src/io/native/index.js';
import { assertBuilt, buildTopology, integrationSkipReason, IMPL, vrrpConf } from './helpers.js';
import type { Router, Topology } from './helpers.js';

const conf = (r: Router, priority: number): string =>
  vrrpConf(`it-${r.role}`, { vrid: 87, version: 3, priority, state: 'BACKUP', advertInt: 0.5, vips: ['10.87.0.200/24'] });

describe.skipIf(integrationSkipReason() !== undefined || IMPL !== 'keepalived-ts' || !nativeAvailable())('operations: sd_notify', () => {
  let topo: Topology;
  let r1: Router;
  let fd: number | undefined;
  const received: string[] = [];
  const buf = Buffer.alloc(4096);

  function drain(): string[] {
    const n = loadNative();
    if (fd !== undefined) for (let len = n.unixDgramRecv(fd, buf); len !== undefined; len = n.unixDgramRecv(fd, buf)) received.push(buf.subarray(0, len).toString());
    return received;
  }
  const seen = (re: RegExp, from: number, what: string): Promise<number> =>
    waitFor(what, () => {
      const i = drain().findIndex((m, k) => k >= from && re.test(m));
      return i >= 0 ? i : undefined;
    }, 5000, 25);

  beforeAll(async () => {
    assertBuilt();
    topo = await buildTopology('itsd', '10.87.0', 1);
    [r1] = topo.routers as [Router];
  }, 30_000);
  afterAll(async () => {
    if (fd !== undefined) loadNative().closeFd(fd);
    const prefix = topo?.lab.prefix;
    await topo?.lab.cleanup();
    if (prefix !== undefined) expect(await leftoverNamespaces(prefix)).toEqual([]);
  });

  it('READY=1 at start, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 on SIGTERM', async () => {
    const path = join(topo.lab.dir, 'notify.sock');
    fd = loadNative().unixDgramBind(path);
    const proc = r1.start(conf(r1, 100), 'keepalived-ts', ['--control-socket', join(topo.lab.dir, 'control.sock')], { NOTIFY_SOCKET: path });
    const ready = await seen(/^READY=1$/m, 0, 'READY=1 at start');
    expect(received.slice(0, ready).some((m) => /RELOADING|STOPPING/.test(m))).toBe(false);
    proc.signal('SIGHUP');
    const reloading = await seen(/^RELOADING=1$/m, ready + 1, 'RELOADING=1');
    expect(received[reloading]).toMatch(/^MONOTONIC_USEC=\d+$/m);
    await seen(/^READY=1$/m, reloading + 1, 'READY=1 after the reload');
    await proc.waitForLine(/Reload finished/, 3000);
    const before = received.length;
    expect(await proc.stop('SIGTERM')).toBe(0);
    await seen(/^STOPPING=1$/m, before, 'STOPPING=1');
  });
});
