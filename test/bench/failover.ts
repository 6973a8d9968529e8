/**
 * Failover benchmark (issue 4): two routers on one bridge, both running the same implementation
 * (keepalived-ts or keepalived 2.2.7) with the same configuration; measures
 *   crash failover    kill -9 of the MASTER → VIP present on the BACKUP
 *   graceful failover SIGTERM of the MASTER (priority-0 advert) → VIP present on the BACKUP
 * with 1 s adverts (VRRPv2) and 0.1 s adverts (VRRPv3), BENCH_FAILOVER_RUNS runs each (default 5), and
 * prints median/max per case and the keepalived-ts / keepalived ratio of the medians.
 * The VIP is detected by a netlink address monitor raced against 10 ms `ip -j addr` polling.
 * Numbers only — nothing is asserted. Every namespace and process is removed, also on error.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Lab, sleep, waitFor } from '../lab/netns.js';
import type { Netns, NsProcess } from '../lab/netns.js';
import { benchConf } from './lib/conf.js';
import { hasReferenceKeepalived, isMainModule, labSkipReason, runAsScript } from './lib/main.js';
import { fmt, formatTable, maxOf, median } from './lib/stats.js';
import { bareAddress, watchVip } from './lib/vip-watch.js';

type Impl = 'keepalived-ts' | 'keepalived';
type Kind = 'crash' | 'graceful';

interface AdvertCase {
  readonly label: string;
  readonly advertIntS: number;
  readonly version: 2 | 3;
}

const ADVERT_CASES: readonly AdvertCase[] = [
  { label: '1 s (v2)', advertIntS: 1, version: 2 },
  { label: '0.1 s (v3)', advertIntS: 0.1, version: 3 },
];

const SUBNET = '10.211.0';
const VIP = `${SUBNET}.200/24`;
const MASTER_PRIORITY = 150;
const BACKUP_PRIORITY = 100;

export interface FailoverSample {
  readonly impl: Impl;
  readonly advert: string;
  readonly kind: Kind;
  readonly ms: number;
}

interface Node {
  readonly ns: Netns;
  proc: NsProcess | undefined;
}

function confFor(routerId: string, priority: number, c: AdvertCase): string {
  return benchConf(routerId, [{
    name: 'VI_1', vrid: 51, priority, state: priority === MASTER_PRIORITY ? 'MASTER' : 'BACKUP',
    advertIntS: c.advertIntS, version: c.version, iface: 'eth0', vips: [VIP],
  }]);
}

/** Kills whatever runs in the node's namespace and removes a VIP a SIGKILLed daemon left behind. */
async function resetNode(n: Node): Promise<void> {
  await n.ns.killAll('SIGKILL');
  if (n.proc !== undefined) await n.proc.exited;
  n.proc = undefined;
  await n.ns.exec('ip', ['addr', 'del', VIP, 'dev', 'eth0']);
  // keepalived refuses to start over pid files whose numbers are alive again ("daemon is already running").
  for (const f of readdirSync(n.ns.lab.dir)) {
    if (f.startsWith(`${n.ns.role}-`) && f.endsWith('.pid')) rmSync(join(n.ns.lab.dir, f), { force: true });
  }
}

function start(n: Node, impl: Impl, conf: string): NsProcess {
  const path = n.ns.lab.writeFile(`${n.ns.role}.conf`, conf);
  n.proc = impl === 'keepalived' ? n.ns.startKeepalived(path) : n.ns.startKeepalivedTs(path);
  return n.proc;
}

/** Starts both daemons and waits for the steady state: master holds the VIP, backup has heard adverts. */
async function bringUp(master: Node, backup: Node, impl: Impl, c: AdvertCase): Promise<void> {
  await Promise.all([resetNode(master), resetNode(backup)]);
  const m = start(master, impl, confFor('bench-r1', MASTER_PRIORITY, c));
  const b = start(backup, impl, confFor('bench-r2', BACKUP_PRIORITY, c));
  const vip = bareAddress(VIP);
  try {
    await waitFor('r1 to hold the VIP', async () => (await master.ns.hasAddress(vip)) && !(await backup.ns.hasAddress(vip)), 15_000, 20);
    await m.waitForLine(/\(VI_1\) Entering MASTER STATE/, 5000);
    await b.waitForLine(/\(VI_1\) Entering BACKUP STATE/, 5000);
  } catch (err) {
    const tail = (p: NsProcess): string => `--- ${p.name} (${p.running ? 'running' : 'exited'}):\n${p.lines.slice(-12).join('\n')}`;
    throw new Error(`${impl} ${c.label}: no steady MASTER/BACKUP pair: ${err instanceof Error ? err.message : String(err)}\n${tail(m)}\n${tail(b)}`);
  }
  // A few adverts so the backup's Master_Down timer runs off received adverts.
  await sleep(3 * c.advertIntS * 1000 + 200);
}

async function measureOnce(master: Node, backup: Node, impl: Impl, c: AdvertCase, kind: Kind): Promise<number> {
  await bringUp(master, backup, impl, c);
  const watch = await watchVip(backup.ns, bareAddress(VIP), 10 * c.advertIntS * 1000 + 5000);
  try {
    const t0 = performance.now();
    if (kind === 'crash') await master.ns.killAll('SIGKILL');
    else master.proc?.signal('SIGTERM');
    return (await watch.seenAt) - t0;
  } finally {
    watch.close();
  }
}

export async function measureFailover(impls: readonly Impl[], runs: number, log: (s: string) => void = () => undefined): Promise<FailoverSample[]> {
  const lab = Lab.create('bfo');
  const samples: FailoverSample[] = [];
  try {
    const master: Node = { ns: await lab.addHost('r1', { ipv4: `${SUBNET}.11/24` }), proc: undefined };
    const backup: Node = { ns: await lab.addHost('r2', { ipv4: `${SUBNET}.12/24` }), proc: undefined };
    for (const c of ADVERT_CASES) {
      for (const impl of impls) {
        for (const kind of ['crash', 'graceful'] as const) {
          for (let i = 0; i < runs; i++) {
            // One retry: a start-up hiccup (e.g. a concurrent rebuild of dist/) should not lose the whole table.
            const ms = await measureOnce(master, backup, impl, c, kind).catch((err: unknown) => {
              process.stderr.write(`failover bench: retrying after: ${err instanceof Error ? err.message : String(err)}\n`);
              return measureOnce(master, backup, impl, c, kind);
            });
            samples.push({ impl, advert: c.label, kind, ms });
            log(`  ${new Date().toISOString()} ${impl} ${c.label} ${kind} run ${i + 1}/${runs}: ${ms.toFixed(1)} ms\n`);
          }
        }
      }
    }
    await Promise.all([resetNode(master), resetNode(backup)]);
  } finally {
    // BENCH_KEEP_DIR=1 keeps the configs and daemon logs (the path is printed) for inspection.
    const keepDir = process.env['BENCH_KEEP_DIR'] === '1';
    if (keepDir) log(`  logs kept in ${lab.dir}\n`);
    await lab.cleanup({ keepDir });
  }
  return samples;
}

/** Table rows: one per advert interval × kind, median/max per implementation and the ratio of medians. */
export function failoverTable(samples: readonly FailoverSample[]): string {
  const rows: string[][] = [];
  for (const c of ADVERT_CASES) {
    for (const kind of ['crash', 'graceful'] as const) {
      const of = (impl: Impl): number[] => samples.filter((s) => s.impl === impl && s.advert === c.label && s.kind === kind).map((s) => s.ms);
      const ts = of('keepalived-ts');
      const ka = of('keepalived');
      rows.push([
        c.label, kind, String(Math.max(ts.length, ka.length)),
        fmt(median(ts), 1), fmt(maxOf(ts), 1), fmt(median(ka), 1), fmt(maxOf(ka), 1),
        fmt(median(ts) / median(ka), 2),
      ]);
    }
  }
  return formatTable(['adverts', 'failover', 'runs', 'kts med ms', 'kts max ms', 'ka med ms', 'ka max ms', 'kts/ka'], rows);
}

export async function run(): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s);
  out('failover (kill -9 / SIGTERM of the MASTER → VIP on the BACKUP; netlink monitor + 10 ms ip -j addr polling)\n');
  const skip = labSkipReason();
  if (skip !== undefined) {
    out(`  skipped: ${skip}\n`);
    return;
  }
  // BENCH_IMPLS=keepalived-ts (or keepalived) restricts the run to one implementation.
  const wanted = (process.env['BENCH_IMPLS'] ?? 'keepalived-ts,keepalived').split(',');
  const impls = (['keepalived-ts', 'keepalived'] as const).filter((i) => wanted.includes(i) && (i === 'keepalived-ts' || hasReferenceKeepalived()));
  const runs = Math.max(1, Number(process.env['BENCH_FAILOVER_RUNS'] ?? 5));
  const t0 = performance.now();
  const samples = await measureFailover(impls, runs, process.env['BENCH_VERBOSE'] === '1' ? out : undefined);
  out(failoverTable(samples));
  out(`  (${runs} runs per cell, priorities ${MASTER_PRIORITY}/${BACKUP_PRIORITY}, bench took ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  for (const c of ADVERT_CASES) {
    const skewMs = ((256 - BACKUP_PRIORITY) / 256) * c.advertIntS * 1000;
    const masterDownMs = 3 * c.advertIntS * 1000 + skewMs;
    out(`  RFC 5798 at ${c.label}: crash ∈ [${(masterDownMs - c.advertIntS * 1000).toFixed(0)}, ${masterDownMs.toFixed(0)}] ms (Master_Down_Interval − time since the last advert), graceful ≈ Skew_Time ${skewMs.toFixed(0)} ms\n`);
  }
}

if (isMainModule(import.meta.url)) runAsScript(run);
