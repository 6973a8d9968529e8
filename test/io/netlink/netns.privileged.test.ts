/**
 * Integration against the real kernel, inside a throw-away network namespace (root only; skipped
 * otherwise). Node cannot setns(2), so the adapters run in a child process started with
 * `ip netns exec NS vite-node helpers/netns-agent.ts` (vite-node ships with vitest and runs the
 * TypeScript sources directly, no build step, no dist/); this test drives it over JSON lines and
 * checks the kernel's view with `ip -j`. Names are prefixed `kts-h6a-`; the namespace (and with it
 * every link, address and route created here) is deleted in afterAll.
 */

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInterface } from '../../../src/io/netlink/interfaces.js';
import type { LinkEvent } from '../../../src/io/netlink/link-watcher.js';
import type { VmacInterface } from '../../../src/io/netlink/vmac.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const AGENT = fileURLToPath(new URL('./helpers/netns-agent.ts', import.meta.url));
const VITE_NODE = `${REPO}node_modules/.bin/vite-node`;
const NS = `kts-h6a-${process.pid}`;
const A = 'kts-h6a-a';
const B = 'kts-h6a-b';

function canRun(): boolean {
  if (process.getuid?.() !== 0 || !existsSync(VITE_NODE)) return false;
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ip(...args: string[]): string {
  return execFileSync('ip', ['-n', NS, ...args], { encoding: 'utf8' });
}

function ipJson<T>(...args: string[]): T {
  return JSON.parse(ip('-j', ...args)) as T;
}

interface IpAddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  scope: string;
  label?: string;
  broadcast?: string;
  nodad?: boolean;
  preferred_life_time?: number;
}
interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  operstate?: string;
  addr_info?: IpAddrInfo[];
  linkinfo?: { info_kind?: string; info_data?: { mode?: string } };
}
interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  metric?: number;
  prefsrc?: string;
  scope?: string;
}

class Agent {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly events: LinkEvent[] = [];
  private eventWaiters: { pred: (e: LinkEvent) => boolean; resolve: (e: LinkEvent) => void }[] = [];
  readonly ready: Promise<void>;
  stderr = '';

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    let markReady: () => void = () => undefined;
    this.ready = new Promise((r) => (markReady = r));
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`agent exited (${code}): ${this.stderr}`));
      this.waiting.clear();
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const m = JSON.parse(line) as { ready?: boolean; id?: number; ok?: boolean; value?: unknown; error?: { message: string }; event?: LinkEvent };
      if (m.ready) markReady();
      else if (m.event) {
        this.events.push(m.event);
        this.eventWaiters = this.eventWaiters.filter((w) => (w.pred(m.event!) ? (w.resolve(m.event!), false) : true));
      } else if (m.id !== undefined) {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.ok) w?.resolve(m.value);
        else w?.reject(Object.assign(new Error(m.error?.message ?? 'agent error'), m.error));
      }
    });
  }

  call<T>(op: string, arg?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, op, arg })}\n`);
    });
  }

  waitEvent(pred: (e: LinkEvent) => boolean, timeoutMs = 5000): Promise<LinkEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching event; got ${JSON.stringify(this.events)}`)), timeoutMs);
      this.eventWaiters.push({ pred, resolve: (e) => (clearTimeout(t), resolve(e)) });
    });
  }
}

describe.skipIf(!canRun())('rtnetlink adapter in a network namespace (root)', () => {
  let agent: Agent;
  let ifindexA = 0;

  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', NS]);
    ip('link', 'set', 'lo', 'up');
    ip('link', 'add', A, 'type', 'veth', 'peer', 'name', B);
    ip('link', 'set', A, 'up');
    ip('link', 'set', B, 'up');
    ip('addr', 'add', '10.61.0.1/24', 'dev', A);
    ifindexA = ipJson<IpLink[]>('link', 'show', 'dev', A)[0]!.ifindex;
    const child = spawn('ip', ['netns', 'exec', NS, VITE_NODE, AGENT], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    agent = new Agent(child);
    await agent.ready;
  });

  afterAll(async () => {
    if (agent) {
      await Promise.race([agent.call('exit').catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
      if (agent.child.exitCode === null) agent.child.kill('SIGTERM');
    }
    try {
      execFileSync('ip', ['netns', 'del', NS]);
    } catch {
      // already gone
    }
  });

  it('listInterfaces matches `ip -j addr`', async () => {
    const ours = await agent.call<HostInterface[]>('list');
    const theirs = ipJson<IpLink[]>('addr', 'show');
    expect(ours.map((i) => i.name).sort()).toEqual(theirs.map((l) => l.ifname).sort());
    for (const l of theirs) {
      const i = ours.find((x) => x.index === l.ifindex)!;
      expect(i.name).toBe(l.ifname);
      expect(i.mtu).toBe(l.mtu);
      expect(i.mac).toBe(l.address ?? '');
      expect(i.up).toBe(l.flags.includes('UP'));
      expect(i.addresses.map((a) => `${a.address}/${a.prefixLen}`).sort()).toEqual((l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`).sort());
    }
    const a = ours.find((x) => x.name === A)!;
    expect(a.kind).toBe('veth');
    expect(a.running).toBe(true);
  });

  it('adds an IPv4 VIP with label, brd and scope, tolerates re-adding, removes it', async () => {
    const vip = { address: '10.61.0.100', prefixLen: 24, ifindex: ifindexA, brd: '10.61.0.255', label: `${A}:v`, scope: 0 };
    await expect(agent.call('addVip', vip)).resolves.toBe('added');
    const info = ipJson<IpLink[]>('addr', 'show', 'dev', A)[0]!.addr_info!.find((x) => x.local === '10.61.0.100');
    expect(info).toMatchObject({ family: 'inet', prefixlen: 24, broadcast: '10.61.0.255', label: `${A}:v`, scope: 'global' });
    await expect(agent.call('addVip', vip)).resolves.toBe('already-present');

    const hostScoped = { address: '10.61.0.101', ifindex: ifindexA, scope: 254 };
    await expect(agent.call('addVip', hostScoped)).resolves.toBe('added');
    expect(ipJson<IpLink[]>('addr', 'show', 'dev', A)[0]!.addr_info!.find((x) => x.local === '10.61.0.101')).toMatchObject({ prefixlen: 32, scope: 'host' });

    await expect(agent.call('removeVip', vip)).resolves.toBe('removed');
    await expect(agent.call('removeVip', hostScoped)).resolves.toBe('removed');
    await expect(agent.call('removeVip', vip)).resolves.toBe('not-present');
    const left = ipJson<IpLink[]>('addr', 'show', 'dev', A)[0]!.addr_info!.map((x) => x.local);
    expect(left).not.toContain('10.61.0.100');
    expect(left).not.toContain('10.61.0.101');
  });

  it('adds an IPv6 /128 VIP with nodad and preferred_lft 0', async () => {
    await expect(agent.call('addVip', { address: 'fd61::100', ifindex: ifindexA })).resolves.toBe('added');
    const info = ipJson<IpLink[]>('addr', 'show', 'dev', A)[0]!.addr_info!.find((x) => x.local === 'fd61::100');
    expect(info).toMatchObject({ family: 'inet6', prefixlen: 128, scope: 'global', nodad: true, preferred_life_time: 0 });
    await expect(agent.call('removeVip', { address: 'fd61::100', ifindex: ifindexA })).resolves.toBe('removed');
    await expect(agent.call('removeVip', { address: 'fd61::100', ifindex: ifindexA })).resolves.toBe('not-present');
  });

  it('reports kernel refusals as typed errors', async () => {
    await expect(agent.call('addVip', { address: '10.61.0.102', ifindex: 999 })).rejects.toMatchObject({ code: 'KTS_NETLINK_KERNEL', errnoName: 'ENODEV' });
  });

  it('adds and removes virtual routes with proto keepalived', async () => {
    const r1 = { to: '10.62.0.0/16', via: '10.61.0.254', dev: ifindexA, metric: 7, table: 100 };
    const r2 = { to: '10.63.0.0', prefixLen: 16, dev: ifindexA, src: '10.61.0.1', table: 1000 };
    await expect(agent.call('addRoute', r1)).resolves.toBe('added');
    await expect(agent.call('addRoute', r2)).resolves.toBe('added');
    await expect(agent.call('addRoute', r1)).resolves.toBe('already-present');
    expect(ipJson<IpRoute[]>('route', 'show', 'table', '100')).toEqual([
      expect.objectContaining({ dst: '10.62.0.0/16', gateway: '10.61.0.254', dev: A, protocol: 'keepalived', metric: 7 }),
    ]);
    expect(ipJson<IpRoute[]>('route', 'show', 'table', '1000')).toEqual([
      expect.objectContaining({ dst: '10.63.0.0/16', dev: A, protocol: 'keepalived', scope: 'link', prefsrc: '10.61.0.1' }),
    ]);
    await expect(agent.call('removeRoute', r1)).resolves.toBe('removed');
    await expect(agent.call('removeRoute', r1)).resolves.toBe('not-present');
    await expect(agent.call('removeOwnedRoutes')).resolves.toBe(1);
    expect(ipJson<IpRoute[]>('route', 'show', 'table', '100')).toEqual([]);
    expect(ipJson<IpRoute[]>('route', 'show', 'table', '1000')).toEqual([]);
  });

  it('delivers link down/up and address events', async () => {
    await agent.call('watch');
    ip('link', 'set', B, 'down'); // the veth peer going down takes our carrier (IFF_RUNNING) away
    await expect(agent.waitEvent((e) => e.kind === 'link-down' && e.ifindex === ifindexA)).resolves.toMatchObject({ name: A });
    ip('link', 'set', B, 'up');
    await expect(agent.waitEvent((e) => e.kind === 'link-up' && e.ifindex === ifindexA)).resolves.toMatchObject({ name: A });
    ip('addr', 'add', '10.61.0.77/32', 'dev', A);
    await expect(agent.waitEvent((e) => e.kind === 'address-added' && 'address' in e && e.address === '10.61.0.77')).resolves.toMatchObject({ ifindex: ifindexA, prefixLen: 32 });
    ip('addr', 'del', '10.61.0.77/32', 'dev', A);
    await expect(agent.waitEvent((e) => e.kind === 'address-removed' && 'address' in e && e.address === '10.61.0.77')).resolves.toMatchObject({ ifindex: ifindexA });
  });

  it('creates a macvlan VMAC with the VRRP MAC, up, and removes it', async () => {
    const v4 = await agent.call<VmacInterface>('createVmac', { parentIndex: ifindexA, vrid: 61, family: 4 });
    expect(v4).toMatchObject({ name: 'vrrp.61', mac: '00:00:5e:00:01:3d', created: true });
    const link = ipJson<IpLink[]>('-d', 'link', 'show', 'dev', 'vrrp.61')[0]!;
    expect(link).toMatchObject({ ifindex: v4.ifindex, address: '00:00:5e:00:01:3d', linkinfo: { info_kind: 'macvlan', info_data: { mode: 'private' } } });
    expect(link.flags).toContain('UP');

    const v6 = await agent.call<VmacInterface>('createVmac', { parentIndex: ifindexA, vrid: 62, family: 6, mode: 'bridge' });
    expect(ipJson<IpLink[]>('-d', 'link', 'show', 'dev', 'vrrp.62')[0]).toMatchObject({ address: '00:00:5e:00:02:3e', linkinfo: { info_data: { mode: 'bridge' } } });

    await expect(agent.call('removeVmac', v4.ifindex)).resolves.toBe(true);
    expect(ipJson<IpLink[]>('link', 'show').map((l) => l.ifname)).not.toContain('vrrp.61');
    await expect(agent.call('removeOwnedVmacs')).resolves.toBe(1);
    expect(ipJson<IpLink[]>('link', 'show').map((l) => l.ifindex)).not.toContain(v6.ifindex);
  });

  it('shutdown removes only the VIPs it added', async () => {
    await agent.call('addVip', { address: '10.61.0.150', ifindex: ifindexA });
    ip('addr', 'add', '10.61.0.151/32', 'dev', A); // somebody else's
    await expect(agent.call('addVip', { address: '10.61.0.151', ifindex: ifindexA })).resolves.toBe('already-present');
    await expect(agent.call('removeOwnedVips')).resolves.toBe(1);
    const left = ipJson<IpLink[]>('addr', 'show', 'dev', A)[0]!.addr_info!.map((x) => x.local);
    expect(left).toContain('10.61.0.151');
    expect(left).not.toContain('10.61.0.150');
  });
});
