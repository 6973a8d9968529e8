/**
 * Memory benchmark (issue 5): keepalived-ts with 100 VRRPv2 instances (1 s adverts) and 200 HTTP_GET
 * checkers (20 virtual_servers × 10 real servers, delay_loop 1 s, against a local Node HTTP server in the
 * namespace); after a warm-up it samples the daemon's VmRSS from /proc/PID/status once a second for
 * ~30 s and prints min/median/max and the peak (VmHWM). Reference rows, VRRP only (`-P`, the lab kernel
 * has no IPVS for keepalived's checker process): keepalived-ts and keepalived 2.2.7 (parent + VRRP
 * child summed) with the same 100 instances. Numbers only — nothing is asserted.
 * BENCH_RSS_WARMUP_SECONDS / BENCH_RSS_SECONDS change the warm-up (10 s) and sampling (30 s) windows.
 */
import { Lab, run as runCmd, sleep, waitFor } from '../lab/netns.js';
import type { Netns, NsProcess } from '../lab/netns.js';
import { benchConf, httpVirtualServers, type BenchInstance } from './lib/conf.js';
import { startHttpTarget, type HttpTarget } from './lib/http-target.js';
import { hasReferenceKeepalived, isMainModule, labSkipReason, runAsScript } from './lib/main.js';
import { readMem } from './lib/proc-status.js';
import { fmt, formatTable, maxOf, median } from './lib/stats.js';

const SUBNET = '10.215.0';
const ROUTER_IP = `${SUBNET}.11`;
const INSTANCES = 100;
const CHECKERS = 200;
const VIRTUAL_SERVERS = 20;
const HTTP_FIRST_PORT = 19000;

function instances(): BenchInstance[] {
  return Array.from({ length: INSTANCES }, (_, i) => ({
    name: `VI_${i + 1}`, vrid: i + 1, priority: 150, state: 'MASTER' as const, advertIntS: 1, version: 2 as const,
    iface: 'eth0', vips: [`10.215.1.${i + 1}/24`],
  }));
}

type RssCase = 'kts-checkers' | 'kts-vrrp' | 'ka-vrrp';

const CASE_LABEL: Record<RssCase, string> = {
  'kts-checkers': `keepalived-ts, ${INSTANCES} instances + ${CHECKERS} checkers`,
  'kts-vrrp': `keepalived-ts -P, ${INSTANCES} instances`,
  'ka-vrrp': `keepalived 2.2.7 -P, ${INSTANCES} instances (all processes)`,
};

export interface RssResult {
  readonly label: string;
  readonly samplesKb: readonly number[];
  /** Sum of the sampled processes' VmHWM at the last sample. */
  readonly hwmKb: number;
  readonly processes: number;
  readonly checksPerS: number | undefined;
}

/** Pids in the namespace other than `exclude` (the daemon and, for keepalived, its children). */
async function daemonPids(ns: Netns, exclude: readonly (number | undefined)[]): Promise<number[]> {
  const r = await runCmd('ip', ['netns', 'pids', ns.name]);
  return r.stdout.split(/\s+/).filter((s) => s !== '').map(Number).filter((p) => !exclude.includes(p));
}

async function measureCase(lab: Lab, router: Netns, c: RssCase, warmupS: number, sampleS: number): Promise<RssResult> {
  let target: HttpTarget | undefined;
  let proc: NsProcess | undefined;
  try {
    if (c === 'kts-checkers') target = await startHttpTarget(router, ROUTER_IP, HTTP_FIRST_PORT, CHECKERS);
    const vss = c === 'kts-checkers' ? httpVirtualServers(VIRTUAL_SERVERS, CHECKERS, ROUTER_IP, HTTP_FIRST_PORT, '10.216.0', 1) : [];
    const conf = lab.writeFile(`rss-${c}.conf`, benchConf('bench-rss', instances(), vss));
    proc = c === 'ka-vrrp' ? router.startKeepalived(conf) : router.startKeepalivedTs(conf, c === 'kts-vrrp' ? ['-P'] : []);
    await waitFor('the last instance to be MASTER', () => router.hasAddress(`10.215.1.${INSTANCES}`), 20_000, 100);
    await sleep(warmupS * 1000);
    target?.mark();
    const samples: number[] = [];
    let hwmKb = 0;
    let processes = 0;
    for (let i = 0; i < sampleS; i++) {
      const pids = await daemonPids(router, [target?.proc.pid]);
      const mems = (await Promise.all(pids.map(readMem))).filter((m) => m !== undefined);
      if (!proc.running || mems.length === 0) throw new Error(`${CASE_LABEL[c]}: daemon exited during the sampling:\n${proc.lines.slice(-10).join('\n')}`);
      samples.push(mems.reduce((s, m) => s + m.rssKb, 0));
      hwmKb = mems.reduce((s, m) => s + m.hwmKb, 0);
      processes = mems.length;
      await sleep(1000);
    }
    return { label: CASE_LABEL[c], samplesKb: samples, hwmKb, processes, checksPerS: target === undefined ? undefined : median(target.ratesSinceMark()) };
  } finally {
    await proc?.stop('SIGTERM', 5000);
    await target?.proc.stop('SIGKILL', 2000);
    await router.killAll('SIGKILL');
    await router.exec('ip', ['addr', 'flush', 'dev', 'eth0', 'to', '10.215.1.0/24']);
  }
}

export async function measureRss(warmupS: number, sampleS: number, cases: readonly RssCase[]): Promise<RssResult[]> {
  const lab = Lab.create('brs');
  try {
    const router = await lab.addHost('r1', { ipv4: `${ROUTER_IP}/24` });
    const out: RssResult[] = [];
    for (const c of cases) out.push(await measureCase(lab, router, c, warmupS, sampleS));
    return out;
  } finally {
    await lab.cleanup();
  }
}

export async function run(): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s);
  const warmupS = Math.max(0, Number(process.env['BENCH_RSS_WARMUP_SECONDS'] ?? 10));
  const sampleS = Math.max(1, Number(process.env['BENCH_RSS_SECONDS'] ?? 30));
  out(`daemon RSS (VmRSS from /proc/PID/status; ${warmupS} s warm-up, sampled every 1 s for ${sampleS} s)\n`);
  const skip = labSkipReason();
  if (skip !== undefined) {
    out(`  skipped: ${skip}\n`);
    return;
  }
  const cases: RssCase[] = ['kts-checkers', 'kts-vrrp', ...(hasReferenceKeepalived() ? (['ka-vrrp'] as const) : [])];
  const results = await measureRss(warmupS, sampleS, cases);
  const mib = (kb: number): string => fmt(kb / 1024, 1);
  out(formatTable(['daemon', 'procs', 'samples', 'min MiB', 'median MiB', 'max MiB', 'VmHWM MiB', 'checks/s'], results.map((r) => [
    r.label, String(r.processes), String(r.samplesKb.length), mib(Math.min(...r.samplesKb)), mib(median(r.samplesKb)), mib(maxOf(r.samplesKb)),
    mib(r.hwmKb), r.checksPerS === undefined ? '-' : fmt(r.checksPerS),
  ])));
}

if (isMainModule(import.meta.url)) runAsScript(run);
