/**
 * `keepalived-ts -n -s NS` started from the host namespace: the daemon runs inside NS (VIP added there,
 * adverts sent there: a keepalived-ts backup in the other router stays BACKUP), keepalived's
 * per-namespace pid files /run/keepalived/NS/*.pid exist while it runs and are gone after SIGTERM, the
 * status command finds it with `status -s NS`, systemd's READY=1 comes through the supervisor's
 * sd_notify relay, and the host namespace gains no address or link.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, integrationSkipReason, masterDownMs, maxHoldersDuring, topologyPerTest, vrrpConf, waitForMaster, waitForVip } from './helpers.js';
import type { Router } from './helpers.js';
import { mustRun, NsProcess, repoRoot, run, waitFor } from '../lab/netns.js';
import { loadNative } from '../../src/io/native/index.js';

const skip = integrationSkipReason() !== undefined;

/** Links and addresses of the host namespace, as comparable strings. */
async function hostNetworkState(): Promise<string[]> {
  const raw = JSON.parse(await mustRun('ip', ['-j', 'addr', 'show'])) as { ifname: string; addr_info?: { local: string; prefixlen: number }[] }[];
  return raw.flatMap((l) => [`link ${l.ifname}`, ...(l.addr_info ?? []).map((a) => `addr ${l.ifname} ${a.local}/${a.prefixlen}`)]).sort();
}

describe.skipIf(skip)('-s/--namespace', () => {
  const topology = topologyPerTest();

  it('runs the daemon inside the named namespace when started from the host namespace', async () => {
    assertBuilt();
    const topo = await topology.build('itns', '10.94.0');
    const [r1, r2] = topo.routers as [Router, Router];
    const vip = '10.94.0.200';
    const conf = (priority: number): string =>
      vrrpConf(`it-ns-${priority}`, { vrid: 94, priority, advertInt: 1, authPass: 'ns', vips: [`${vip}/24`] });
    const hostBefore = await hostNetworkState();

    r2.start(conf(100));
    const confPath = topo.lab.writeFile('r1-ns.conf', conf(200));
    const ns = r1.ns.name;
    const pidDir = join('/run/keepalived', ns);
    const native = loadNative();
    const notifyPath = join(topo.lab.dir, 'notify.sock');
    const notifyFd = native.unixDgramBind(notifyPath);
    const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), '-n', '-l', '-D', '-s', ns, '-f', confPath], {
      cwd: repoRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NOTIFY_SOCKET: notifyPath },
    });
    const daemon = new NsProcess('host/keepalived-ts-s', child, join(topo.lab.dir, 'host-kts.log'));
    topo.lab.track(daemon);

    // VIP in r1's namespace; r2 hears r1's adverts (it stays BACKUP, only r1 holds the VIP).
    await waitForMaster(topo.routers, vip, r1, masterDownMs(200, 1) + 5000);
    await daemon.waitForLine(/Running in network namespace/, 1000);
    expect(await maxHoldersDuring(topo.routers, vip, masterDownMs(100, 1) + 500)).toBe(1);
    await r2.proc!.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 1000);

    // The daemon process is in the namespace; the pid files name it.
    const pid = Number(readFileSync(join(pidDir, 'keepalived.pid'), 'utf8').trim());
    expect(existsSync(join(pidDir, 'vrrp.pid'))).toBe(true);
    expect((await run('ip', ['netns', 'identify', String(pid)])).stdout.trim()).toBe(ns);

    // READY=1 reached "systemd" through the supervisor's relay (the daemon was given the relay's socket).
    const buf = Buffer.alloc(4096);
    await waitFor('READY=1 relayed', () => {
      for (let n = native.unixDgramRecv(notifyFd, buf); n !== undefined; n = native.unixDgramRecv(notifyFd, buf)) {
        if (/^READY=1$/m.test(buf.subarray(0, n).toString())) return true;
      }
      return undefined;
    }, 5000);
    native.closeFd(notifyFd);
    const daemonEnv = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(daemonEnv.find((e) => e.startsWith('NOTIFY_SOCKET='))).toMatch(/^NOTIFY_SOCKET=.*kts-notify-.*\/notify\.sock$/);

    const status = await run(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), 'status', '-s', ns]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/VI_1\s+MASTER/);

    // Nothing added to the host namespace.
    expect(await hostNetworkState()).toEqual(hostBefore);

    // SIGTERM to the process we started reaches the daemon: priority 0 advert → r2 takes over at once.
    const t0 = Date.now();
    daemon.signal('SIGTERM');
    await waitForVip(r2, vip, 3000, t0);
    expect(await daemon.exited).toBe(0);
    expect(await r1.hasVip(vip)).toBe(false);
    expect(existsSync(pidDir)).toBe(false);
    expect(existsSync(join('/run/keepalived-ts', ns))).toBe(false);
  });

  it('net_namespace in the configuration does the same without -s (background start, as without -n)', async () => {
    assertBuilt();
    const topo = await topology.build('itnc', '10.91.0', 1);
    const [r1] = topo.routers as [Router];
    const vip = '10.91.0.200';
    const ns = r1.ns.name;
    const conf = topo.lab.writeFile('r1-nsconf.conf', `net_namespace ${ns}\n${vrrpConf('it-nsconf', { vrid: 91, priority: 200, advertInt: 1, vips: [`${vip}/24`] })}`);
    const hostBefore = await hostNetworkState();
    // No -n: the started process returns once the daemon runs in the background, inside the namespace.
    const start = await run(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), '-f', conf]);
    expect(start.code).toBe(0);
    await waitForVip(r1, vip, masterDownMs(200, 1) + 5000, Date.now());
    const pidFile = join('/run/keepalived', ns, 'keepalived.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect((await run('ip', ['netns', 'identify', String(pid)])).stdout.trim()).toBe(ns);
    expect(await hostNetworkState()).toEqual(hostBefore);
    process.kill(pid, 'SIGTERM');
    await waitFor('the daemon to stop and remove its pid directory', () => !existsSync(join('/run/keepalived', ns)), 5000);
    expect(await r1.hasVip(vip)).toBe(false);
  });

  it('a reload that changes net_namespace is refused, as keepalived does', async () => {
    assertBuilt();
    const topo = await topology.build('itnr', '10.90.0', 1);
    const [r1] = topo.routers as [Router];
    const ns = r1.ns.name;
    const conf = (nsLine: string, vips: readonly string[]): string =>
      `${nsLine}\n${vrrpConf('it-nsreload', { vrid: 90, priority: 200, advertInt: 1, vips })}`;
    const path = topo.lab.writeFile('r1-nsreload.conf', conf(`net_namespace ${ns}`, ['10.90.0.200/24']));
    const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), '-n', '-l', '-f', path], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    const daemon = new NsProcess('host/keepalived-ts-nsreload', child, join(topo.lab.dir, 'host-nsreload.log'));
    topo.lab.track(daemon);
    await waitForVip(r1, '10.90.0.200', masterDownMs(200, 1) + 5000, Date.now());
    // Another namespace and an extra VIP: keepalived keeps the running configuration.
    topo.lab.writeFile('r1-nsreload.conf', conf('net_namespace kts-itnr-other', ['10.90.0.200/24', '10.90.0.201/24']));
    daemon.signal('SIGHUP');
    await daemon.waitForLine(/Cannot change network namespace at a reload/, 5000);
    expect(await r1.hasVip('10.90.0.201')).toBe(false);
    // The same namespace again: the reload goes through.
    topo.lab.writeFile('r1-nsreload.conf', conf(`net_namespace ${ns}`, ['10.90.0.200/24', '10.90.0.201/24']));
    daemon.signal('SIGHUP');
    await waitForVip(r1, '10.90.0.201', 5000, Date.now());
    daemon.signal('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });

  it('a namespace that does not exist ends the start as keepalived does (message, exit 0)', async () => {
    assertBuilt();
    const r = await run(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), '-n', '-s', 'kts-itns-missing', '-f', '/dev/null']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Unable to set network namespace kts-itns-missing - exiting');
  });
});
