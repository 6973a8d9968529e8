/**
 * Shared pieces of the namespace integration tests: config generation, starting keepalived-ts or the
 * reference keepalived in a router namespace, and the two-routers-plus-client topology.
 *
 * `KTS_IT_IMPL=keepalived` runs the keepalived-ts scenarios against keepalived 2.2.7 instead (to check
 * that a scenario's expectations are keepalived's behaviour, not ours).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { Lab, leftoverNamespaces, repoRoot, waitFor } from '../lab/netns.js';
import type { Netns, NsProcess } from '../lab/netns.js';

export type Impl = 'keepalived-ts' | 'keepalived';

/** The implementation the "keepalived-ts" scenarios run (normally keepalived-ts itself). */
export const IMPL: Impl = process.env['KTS_IT_IMPL'] === 'keepalived' ? 'keepalived' : 'keepalived-ts';

/** Integration tests need root (namespaces) and a built daemon. */
export function integrationSkipReason(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root';
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip') && !existsSync('/usr/bin/ip')) return 'needs iproute2';
  return undefined;
}

/** Fails loudly when dist/ is missing: `npm test` builds before running vitest. */
export function assertBuilt(): void {
  if (IMPL === 'keepalived-ts' && !existsSync(join(repoRoot(), 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/src/cli/main.js missing: run `npm run build` before the integration tests');
  }
}

export interface InstanceConf {
  readonly name?: string;
  readonly vrid: number;
  readonly priority: number;
  readonly state?: 'MASTER' | 'BACKUP';
  /** Seconds (v2: whole seconds). */
  readonly advertInt?: number;
  readonly version?: 2 | 3;
  /** PASS password; null/undefined = no authentication. */
  readonly authPass?: string | null;
  readonly vips: readonly string[];
  readonly nopreempt?: boolean;
  readonly unicastSrc?: string;
  readonly unicastPeers?: readonly string[];
  readonly iface?: string;
  readonly notifyFifo?: string;
  /** Raw lines placed before the vrrp_instance (vrrp_script blocks, …). */
  readonly preamble?: readonly string[];
  /** Raw lines added inside the vrrp_instance (track_script, notify, …). */
  readonly instanceLines?: readonly string[];
}

/** A keepalived.conf with one vrrp_instance. */
export function vrrpConf(routerId: string, i: InstanceConf): string {
  const lines: string[] = [];
  lines.push('global_defs {', `    router_id ${routerId}`);
  if (i.notifyFifo !== undefined) lines.push(`    vrrp_notify_fifo ${i.notifyFifo}`);
  lines.push('}', '');
  if (i.preamble !== undefined) lines.push(...i.preamble, '');
  lines.push(`vrrp_instance ${i.name ?? 'VI_1'} {`);
  lines.push(`    state ${i.state ?? 'BACKUP'}`);
  lines.push(`    interface ${i.iface ?? 'eth0'}`);
  lines.push(`    virtual_router_id ${i.vrid}`);
  lines.push(`    priority ${i.priority}`);
  lines.push(`    advert_int ${i.advertInt ?? 1}`);
  if (i.version !== undefined) lines.push(`    version ${i.version}`);
  if (i.nopreempt === true) lines.push('    nopreempt');
  if (i.authPass !== undefined && i.authPass !== null) {
    lines.push('    authentication {', '        auth_type PASS', `        auth_pass ${i.authPass}`, '    }');
  }
  if (i.unicastSrc !== undefined) lines.push(`    unicast_src_ip ${i.unicastSrc}`);
  if (i.unicastPeers !== undefined) lines.push('    unicast_peer {', ...i.unicastPeers.map((p) => `        ${p}`), '    }');
  if (i.instanceLines !== undefined) lines.push(...i.instanceLines.map((l) => `    ${l}`));
  lines.push('    virtual_ipaddress {', ...i.vips.map((v) => `        ${v}`), '    }');
  lines.push('}', '');
  return lines.join('\n');
}

/** Master_Down_Interval in ms for a backup of `priority` (3 adverts + skew). */
export function masterDownMs(priority: number, advertIntS: number): number {
  return 3 * advertIntS * 1000 + ((256 - priority) / 256) * advertIntS * 1000;
}

/** Skew_Time in ms. */
export function skewMs(priority: number, advertIntS: number): number {
  return ((256 - priority) / 256) * advertIntS * 1000;
}

/** A router namespace plus the daemon currently running in it. */
export class Router {
  proc: NsProcess | undefined;
  constructor(
    readonly ns: Netns,
    readonly ip: string,
    readonly mac: string,
  ) {}

  get role(): string {
    return this.ns.role;
  }

  /** Writes `conf` into the lab dir and starts `impl` with it. */
  start(conf: string, impl: Impl = IMPL, extra: readonly string[] = [], env?: NodeJS.ProcessEnv): NsProcess {
    const path = this.ns.lab.writeFile(`${this.role}.conf`, conf);
    this.proc = impl === 'keepalived' ? this.ns.startKeepalived(path, extra, env) : this.ns.startKeepalivedTs(path, extra, env);
    return this.proc;
  }

  /** Path of this router's config file. */
  get confPath(): string {
    return `${this.ns.lab.dir}/${this.role}.conf`;
  }

  /** Rewrites the config file in place (for SIGHUP reloads). */
  rewriteConf(conf: string): void {
    this.ns.lab.writeFile(`${this.role}.conf`, conf);
  }

  /** SIGKILL of every process in the router namespace (keepalived forks a VRRP child). */
  async kill9(): Promise<void> {
    await this.ns.killAll('SIGKILL');
    await this.proc?.exited;
  }

  hasVip(vip: string): Promise<boolean> {
    return this.ns.hasAddress(vip);
  }
}

export interface Topology {
  readonly lab: Lab;
  readonly routers: readonly Router[];
  readonly client: Netns;
  readonly subnet: string;
}

/** Two (or more) routers and a client on one bridge: `<subnet>.11`, `.12`, … and client `.100`. */
export async function buildTopology(tag: string, subnet: string, routerCount = 2, ipv6Prefix?: string): Promise<Topology> {
  const lab = Lab.create(tag);
  const routers: Router[] = [];
  for (let i = 0; i < routerCount; i++) {
    const ip = `${subnet}.${11 + i}`;
    const ns = await lab.addHost(`r${i + 1}`, { ipv4: `${ip}/24`, ...(ipv6Prefix !== undefined ? { ipv6Address: `${ipv6Prefix}::${11 + i}/64` } : {}) });
    routers.push(new Router(ns, ip, await ns.mac()));
  }
  const client = await lab.addHost('client', { ipv4: `${subnet}.100/24`, ...(ipv6Prefix !== undefined ? { ipv6Address: `${ipv6Prefix}::100/64` } : {}) });
  return { lab, routers, client, subnet };
}

/** Routers that currently hold `vip`. */
export async function vipHolders(routers: readonly Router[], vip: string): Promise<Router[]> {
  const has = await Promise.all(routers.map((r) => r.hasVip(vip)));
  return routers.filter((_, i) => has[i] === true);
}

/** Waits until exactly one router holds `vip` and returns it. */
export function waitForSingleMaster(routers: readonly Router[], vip: string, timeoutMs: number): Promise<Router> {
  return waitFor(`exactly one holder of ${vip}`, async () => {
    const h = await vipHolders(routers, vip);
    return h.length === 1 ? h[0] : undefined;
  }, timeoutMs, 20);
}

/** Waits until `expected` is the only router holding `vip` (startup order can briefly let another win). */
export function waitForMaster(routers: readonly Router[], vip: string, expected: Router, timeoutMs: number): Promise<Router> {
  return waitFor(`${expected.role} as the only holder of ${vip}`, async () => {
    const h = await vipHolders(routers, vip);
    return h.length === 1 && h[0] === expected ? expected : undefined;
  }, timeoutMs, 20);
}

/** Waits until `r` holds `vip`; returns the elapsed ms since `sinceMs` (Date.now() based). */
export async function waitForVip(r: Router, vip: string, timeoutMs: number, sinceMs: number): Promise<number> {
  await waitFor(`${r.role} to hold ${vip}`, () => r.hasVip(vip), timeoutMs, 10);
  return Date.now() - sinceMs;
}

/**
 * Samples the VIP holders every `everyMs` for `durationMs` and returns the largest number of
 * simultaneous holders seen (the "exactly one master at any time" check).
 */
export async function maxHoldersDuring(routers: readonly Router[], vip: string, durationMs: number, everyMs = 20): Promise<number> {
  const end = Date.now() + durationMs;
  let max = 0;
  while (Date.now() < end) {
    max = Math.max(max, (await vipHolders(routers, vip)).length);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return max;
}

/**
 * One topology per test in a describe block: `const topology = topologyPerTest();` at describe level, then
 * `const topo = await topology.build(tag, subnet, …)` in a test. After each test the lab is torn down and
 * no namespace of it may be left behind.
 */
export function topologyPerTest(): { build: (...args: Parameters<typeof buildTopology>) => Promise<Topology> } {
  let current: Topology | undefined;
  afterEach(async () => {
    const prefix = current?.lab.prefix;
    await current?.lab.cleanup();
    current = undefined;
    if (prefix !== undefined) expect(await leftoverNamespaces(prefix)).toEqual([]);
  });
  return { build: async (...args) => (current = await buildTopology(...args)) };
}
