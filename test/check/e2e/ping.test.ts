/**
 * PING_CHECK through the whole checker host (worker thread, real config pipeline, in-memory IPVS):
 * a load-balancer namespace and a servers namespace joined by a veth pair. The test's main thread
 * moves into the load-balancer namespace (native setns) before the host starts, so the checker
 * worker thread — created afterwards — pings from there. An nftables rule in the servers namespace
 * dropping echo requests to one IPv4 and one IPv6 real server takes them out of the desired IPVS
 * table (ipvsadm-style dump); flushing it brings them back. Run twice: with raw ICMP sockets (the
 * default ping_group_range "1 0" excludes root's gid) and with unprivileged ping sockets.
 * Needs root, iproute2 and nft; namespaces are named kts-ping-<pid>-*.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckerSnapshot } from '../../../src/check/index.js';
import { loadNative, nativeAvailable } from '../../../src/io/native/index.js';
import { loadTestConfig, runHost, tempDir, type RunningHost, type TempDir } from './harness.js';

const PREFIX = `kts-ping-${process.pid}`;
const LB = `${PREFIX}-lb`;
const SRV = `${PREFIX}-srv`;

function sh(cmd: string, args: readonly string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function hasTool(path: readonly string[]): boolean {
  return path.some((p) => existsSync(p));
}

const skipReason =
  typeof process.getuid !== 'function' || process.getuid() !== 0
    ? 'needs root'
    : !nativeAvailable()
      ? 'needs the native addon'
      : !hasTool(['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft']) || !hasTool(['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'])
        ? 'needs nft and iproute2'
        : undefined;

function buildLab(): void {
  for (const ns of [LB, SRV]) {
    sh('ip', ['netns', 'add', ns]);
    sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
  sh('ip', ['-n', LB, 'link', 'add', 'veth-lb', 'type', 'veth', 'peer', 'name', 'veth-srv', 'netns', SRV]);
  sh('ip', ['-n', LB, 'addr', 'add', '10.77.0.1/24', 'dev', 'veth-lb']);
  sh('ip', ['-n', LB, 'addr', 'add', 'fd77::1/64', 'dev', 'veth-lb', 'nodad']);
  for (const a of ['10.77.0.11/24', '10.77.0.12/24']) sh('ip', ['-n', SRV, 'addr', 'add', a, 'dev', 'veth-srv']);
  for (const a of ['fd77::11/64', 'fd77::12/64']) sh('ip', ['-n', SRV, 'addr', 'add', a, 'dev', 'veth-srv', 'nodad']);
  sh('ip', ['-n', LB, 'link', 'set', 'veth-lb', 'up']);
  sh('ip', ['-n', SRV, 'link', 'set', 'veth-srv', 'up']);
  sh('ip', ['netns', 'exec', SRV, 'nft', 'add table inet ktsping; add chain inet ktsping input { type filter hook input priority 0; policy accept; }']);
}

function removeLab(): void {
  for (const ns of [LB, SRV]) {
    try {
      sh('ip', ['netns', 'del', ns]);
    } catch {
      // not created
    }
  }
}

const blackhole = (): string =>
  sh('ip', ['netns', 'exec', SRV, 'nft', 'add rule inet ktsping input ip daddr 10.77.0.12 icmp type echo-request drop; add rule inet ktsping input ip6 daddr fd77::12 icmpv6 type echo-request drop']);
const unblock = (): string => sh('ip', ['netns', 'exec', SRV, 'nft', 'flush chain inet ktsping input']);

/** `address:port → weight` of the desired service `address` (IPv6 addresses as the table writes them). */
function dests(s: CheckerSnapshot, address: string): Record<string, number> {
  const e = s.desired.find((x) => x.service.address === address);
  return Object.fromEntries((e?.dests ?? []).map((d) => [`${d.address}:${d.port}`, d.weight]));
}

const CONFIG = `virtual_server 10.77.0.100 80 {
    delay_loop 0.3
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 10.77.0.11 80 {
        weight 2
        PING_CHECK {
            connect_timeout 0.4
            retry 1
            delay_before_retry 0.2
        }
    }
    real_server 10.77.0.12 80 {
        weight 3
        PING_CHECK {
            connect_timeout 0.4
            retry 1
            delay_before_retry 0.2
        }
    }
}
virtual_server fd77::100 80 {
    delay_loop 0.3
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server fd77::11 80 {
        PING_CHECK {
            connect_timeout 0.4
            retry 1
            delay_before_retry 0.2
        }
    }
    real_server fd77::12 80 {
        PING_CHECK {
            connect_timeout 0.4
            delay_before_retry 0.2
            retry 1
        }
    }
}
`;

describe.skipIf(skipReason !== undefined)('whole-host PING_CHECK across namespaces', () => {
  let home = -1;
  let dir: TempDir | undefined;
  let run: RunningHost | undefined;

  beforeAll(() => {
    removeLab();
    buildLab();
    home = openSync('/proc/thread-self/ns/net', 'r');
  });
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    dir?.remove();
    if (home >= 0) loadNative().setNetns(home);
  });
  afterAll(() => {
    if (home >= 0) closeSync(home);
    removeLab();
  });

  /** Moves this thread into the load-balancer namespace (threads started later inherit it). */
  function enterLb(pingSockets: boolean): void {
    sh('ip', ['netns', 'exec', LB, 'sysctl', '-qw', `net.ipv4.ping_group_range=${pingSockets ? '0 2147483647' : '1 0'}`]);
    const fd = openSync(`/run/netns/${LB}`, 'r');
    try {
      loadNative().setNetns(fd);
    } finally {
      closeSync(fd);
    }
  }

  it.each([
    ['raw ICMP sockets', false],
    ['unprivileged ping sockets', true],
  ])('%s: a blackholed real server leaves the IPVS table and comes back', async (_name, pingSockets) => {
    enterLb(pingSockets);
    const native = loadNative();
    const probeSocket = native.icmpEchoOpen(4);
    native.closeFd(probeSocket.fd);
    expect(probeSocket.raw).toBe(!pingSockets);
    unblock();

    dir = tempDir('ping');
    run = await runHost(loadTestConfig(dir.path, CONFIG));
    const all4 = { '10.77.0.11:80': 2, '10.77.0.12:80': 3 };
    const all6 = { 'fd77::11:80': 1, 'fd77::12:80': 1 };
    await run.until((s) => s.checkers.length === 4 && s.checkers.every((c) => c.lastOk === true), 'all four real servers answer');
    const up = await run.until(() => true, 'snapshot');
    expect(dests(up, '10.77.0.100')).toEqual(all4);
    expect(dests(up, 'fd77::100')).toEqual(all6);
    expect(await run.host.dump()).toMatch(/-> 10\.77\.0\.12:80\s+Route\s+3\s/);

    blackhole();
    const down = await run.until((s) => !('10.77.0.12:80' in dests(s, '10.77.0.100')) && !('fd77::12:80' in dests(s, 'fd77::100')), 'the .12 servers removed');
    expect(dests(down, '10.77.0.100')).toEqual({ '10.77.0.11:80': 2 });
    expect(dests(down, 'fd77::100')).toEqual({ 'fd77::11:80': 1 });
    expect(down.checkers.filter((c) => c.lastOk === false).map((c) => c.lastReason)).toEqual(['timeout after 400 ms', 'timeout after 400 ms']);
    const dump = await run.host.dump();
    expect(dump).not.toContain('-> 10.77.0.12:80');
    expect(dump).toMatch(/-> 10\.77\.0\.11:80\s+Route\s+2\s/);
    expect(run.logs).toContain('info ICMP CHECK on service [10.77.0.12]:tcp:80 of [10.77.0.100]:tcp:80 failed after 1 retries.');

    unblock();
    const back = await run.until((s) => '10.77.0.12:80' in dests(s, '10.77.0.100') && 'fd77::12:80' in dests(s, 'fd77::100'), 'the .12 servers back');
    expect(dests(back, '10.77.0.100')).toEqual(all4);
    expect(dests(back, 'fd77::100')).toEqual(all6);
    expect(run.logs).toContain('info ICMP connection to [10.77.0.12]:tcp:80 success.');
  });
});
