/**
 * The split-brain detector fed with real keepalived 2.2.7 adverts (validated against keepalived):
 * keepalived runs as MASTER in one network namespace, the other namespace reads its unicast adverts
 * through the native raw socket, and the project's codec + instance check + summary feed the
 * detector. A wrong password shows up as auth-mismatch then dual-master; SIGSTOP of keepalived's
 * VRRP process (a VM stall) shows up as peer-silent, SIGCONT clears it. Root + addon + keepalived only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNative, nativeAvailable } from '../../src/io/native/index.js';
import { checkAdvertForInstance, decodeIpv4Packet } from '../../src/vrrp/packet/index.js';
import { summarizeAdvert } from '../../src/ops/advert-summary.js';
import { SplitBrainDetector, type AdvertSummary } from '../../src/ops/split-brain.js';

const KEEPALIVED = '/usr/sbin/keepalived';
const canRun = process.platform === 'linux' && process.getuid?.() === 0 && nativeAvailable() && existsSync(KEEPALIVED);
const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

describe.runIf(canRun)('split-brain detector on keepalived adverts', () => {
  const tag = `kts-h10-${randomBytes(3).toString('hex')}`;
  const nsK = `${tag}-k`;
  const nsUs = `${tag}-u`;
  const dir = mkdtempSync(join(tmpdir(), 'kts-h10-ka-'));
  let keepalived: ChildProcess | undefined;
  let fd = -1;
  const buf = Buffer.alloc(2048);

  /** Datagrams (IPv4 packets) queued on the raw socket, with their arrival time. */
  async function collect(count: number, timeoutMs: number): Promise<{ atUs: number; summary: AdvertSummary; secretOk: boolean }[]> {
    const out: { atUs: number; summary: AdvertSummary; secretOk: boolean }[] = [];
    const until = Date.now() + timeoutMs;
    const n = loadNative();
    while (out.length < count && Date.now() < until) {
      for (let info = n.recvMsg(fd, buf); info !== undefined; info = n.recvMsg(fd, buf)) {
        const d = decodeIpv4Packet(buf.subarray(0, info.length));
        if (!d.ok) continue;
        const expectWith = (authPass: string) =>
          checkAdvertForInstance(d.advert, { vrid: 42, version: 2, authType: 1, authPass, adverIntS: 1, addresses: ['192.168.78.100'] });
        out.push({ atUs: nowUs(), summary: summarizeAdvert(d.ip.src, d.advert, expectWith('secret')), secretOk: expectWith('other').ok });
      }
      await sleep(20);
    }
    return out;
  }

  beforeAll(async () => {
    ip('netns', 'add', nsK);
    ip('netns', 'add', nsUs);
    ip('link', 'add', 'veth0', 'netns', nsK, 'type', 'veth', 'peer', 'name', 'veth0', 'netns', nsUs);
    for (const [ns, host] of [[nsK, '1'], [nsUs, '2']] as const) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', 'veth0', 'up');
      ip('-n', ns, 'addr', 'add', `192.168.78.${host}/24`, 'dev', 'veth0');
    }
    const conf = join(dir, 'keepalived.conf');
    writeFileSync(
      conf,
      `global_defs {\n  router_id ${tag}\n}\nvrrp_instance VI_1 {\n  state MASTER\n  interface veth0\n  virtual_router_id 42\n` +
        `  priority 150\n  advert_int 1\n  authentication {\n    auth_type PASS\n    auth_pass other\n  }\n` +
        `  unicast_src_ip 192.168.78.1\n  unicast_peer {\n    192.168.78.2\n  }\n  virtual_ipaddress {\n    192.168.78.100/24\n  }\n}\n`,
    );
    const n = loadNative();
    const home = openSync('/proc/thread-self/ns/net', 'r');
    const target = openSync(`/run/netns/${nsUs}`, 'r');
    try {
      n.setNetns(target);
      fd = n.rawOpen(4, 112);
    } finally {
      n.setNetns(home);
      closeSync(home);
      closeSync(target);
    }
    keepalived = spawn('ip', [
      'netns', 'exec', nsK, KEEPALIVED, '-n', '-l', '-D', '--vrrp', '-f', conf,
      '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid'), '-c', join(dir, 'c.pid'),
    ], { stdio: 'ignore' });
  }, 30_000);

  afterAll(async () => {
    const vrrpPid = existsSync(join(dir, 'v.pid')) ? Number(readFileSync(join(dir, 'v.pid'), 'utf8').trim()) : 0;
    if (vrrpPid > 0) {
      try {
        process.kill(vrrpPid, 'SIGCONT');
      } catch {
        /* gone */
      }
    }
    if (keepalived?.pid !== undefined && keepalived.exitCode === null) {
      keepalived.kill('SIGTERM');
      await new Promise((r) => keepalived?.once('exit', r));
    }
    if (fd >= 0) loadNative().closeFd(fd);
    for (const ns of [nsK, nsUs]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        /* already gone */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('wrong password while we are MASTER: auth-mismatch then dual-master, naming keepalived', async () => {
    const rx = await collect(2, 15_000);
    expect(rx.length).toBe(2);
    expect(rx[0]!.summary).toMatchObject({ srcAddr: '192.168.78.1', vrid: 42, version: 2, priority: 150, adverIntervalCs: 100, drop: 'auth-pass' });
    const det = new SplitBrainDetector({ instance: 'VI_1', vrid: 42, version: 2, adverIntervalCs: 100, unicastPeers: ['192.168.78.1'] });
    const events = rx.flatMap((r) => det.advertReceived(r.atUs, 'MASTER', 100, r.summary));
    expect(events.map((e) => `${e.type}:${e.finding.kind}:${e.finding.peer}`)).toEqual([
      'raised:auth-mismatch:192.168.78.1',
      'raised:dual-master:192.168.78.1',
    ]);
  }, 30_000);

  it('a stalled keepalived (SIGSTOP) is reported as peer-silent within 2 intervals of its last advert', async () => {
    const det = new SplitBrainDetector({ instance: 'VI_1', vrid: 42, version: 2, adverIntervalCs: 100, unicastPeers: ['192.168.78.1'] });
    const accepted = (r: { summary: AdvertSummary; secretOk: boolean }): AdvertSummary => {
      expect(r.secretOk).toBe(true);
      const { drop: _drop, ...rest } = r.summary;
      return { ...rest, warnings: [] };
    };
    det.stateChanged(nowUs(), 'BACKUP');
    const before = await collect(2, 10_000);
    expect(before.length).toBe(2);
    for (const r of before) expect(det.advertReceived(r.atUs, 'BACKUP', 100, accepted(r))).toEqual([]);

    const vrrpPid = Number(readFileSync(join(dir, 'v.pid'), 'utf8').trim());
    process.kill(vrrpPid, 'SIGSTOP');
    const stalled = await collect(1, 2_500);
    for (const r of stalled) det.advertReceived(r.atUs, 'BACKUP', 100, accepted(r)); // at most one in flight
    const lastRxUs = (stalled[0] ?? before[before.length - 1]!).atUs;
    const due = det.nextDeadlineUs();
    expect(due).toBeDefined();
    expect(due! - lastRxUs).toBeLessThanOrEqual(2 * 1_000_000);
    const raised = det.tick(Math.max(due!, nowUs()));
    expect(raised).toEqual([{ type: 'raised', finding: expect.objectContaining({ kind: 'peer-silent', peer: '192.168.78.1' }) }]);

    process.kill(vrrpPid, 'SIGCONT');
    const resumed = await collect(1, 5_000);
    expect(resumed.length).toBe(1);
    const cleared = det.advertReceived(resumed[0]!.atUs, 'BACKUP', 100, accepted(resumed[0]!));
    expect(cleared).toEqual([expect.objectContaining({ type: 'cleared', reason: 'advertisements resumed' })]);
  }, 40_000);
});
