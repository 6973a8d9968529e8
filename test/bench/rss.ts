/**
 * Memory benchmark (issue 5): keepalived-ts with 100 VRRPv2 instances (1 s adverts) and 200 HTTP_GET
 * checkers (20 virtual_servers × 10 real servers, delay_loop 1 s, against a local Node HTTP server in the
 * namespace); after a warm-up it samples the daemon's VmRSS from /proc/PID/status once a second for
 * ~30 s and prints min/median/max and the peak (VmHWM). Numbers only — nothing is asserted.
 * BENCH_RSS_WARMUP_SECONDS / BENCH_RSS_SECONDS change the warm-up (10 s) and sampling (30 s) windows.
 */
import { Lab, sleep, waitFor } from '../lab/netns.js';
import { benchConf, httpVirtualServers, type BenchInstance } from './lib/conf.js';
import { startHttpTarget } from './lib/http-target.js';
import { isMainModule, labSkipReason, runAsScript } from './lib/main.js';
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

export interface RssResult {
  readonly samplesKb: readonly number[];
  readonly hwmKb: number;
  readonly checksPerS: number;
}

export async function measureRss(warmupS: number, sampleS: number): Promise<RssResult> {
  const lab = Lab.create('brs');
  try {
    const router = await lab.addHost('r1', { ipv4: `${ROUTER_IP}/24` });
    const target = await startHttpTarget(router, ROUTER_IP, HTTP_FIRST_PORT, CHECKERS);
    const vss = httpVirtualServers(VIRTUAL_SERVERS, CHECKERS, ROUTER_IP, HTTP_FIRST_PORT, '10.216.0', 1);
    const conf = lab.writeFile('rss.conf', benchConf('bench-rss', instances(), vss));
    const proc = router.startKeepalivedTs(conf);
    const pid = proc.pid;
    if (pid === undefined) throw new Error('keepalived-ts did not start');
    await waitFor('the last instance to be MASTER', () => router.hasAddress(`10.215.1.${INSTANCES}`), 20_000, 100);
    await sleep(warmupS * 1000);
    target.mark();
    const samples: number[] = [];
    let hwmKb = 0;
    for (let i = 0; i < sampleS; i++) {
      const m = await readMem(pid);
      if (m === undefined) throw new Error(`keepalived-ts (pid ${pid}) exited during the sampling:\n${proc.lines.slice(-10).join('\n')}`);
      samples.push(m.rssKb);
      hwmKb = m.hwmKb;
      await sleep(1000);
    }
    const checksPerS = median(target.ratesSinceMark());
    await proc.stop('SIGTERM', 5000);
    return { samplesKb: samples, hwmKb, checksPerS };
  } finally {
    await lab.cleanup();
  }
}

export async function run(): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s);
  const warmupS = Math.max(0, Number(process.env['BENCH_RSS_WARMUP_SECONDS'] ?? 10));
  const sampleS = Math.max(1, Number(process.env['BENCH_RSS_SECONDS'] ?? 30));
  out(`daemon RSS (${INSTANCES} vrrp_instances, ${CHECKERS} HTTP_GET checkers; ${warmupS} s warm-up, VmRSS sampled every 1 s for ${sampleS} s)\n`);
  const skip = labSkipReason();
  if (skip !== undefined) {
    out(`  skipped: ${skip}\n`);
    return;
  }
  const r = await measureRss(warmupS, sampleS);
  const mib = (kb: number): string => fmt(kb / 1024, 1);
  out(formatTable(['impl', 'samples', 'min MiB', 'median MiB', 'max MiB', 'VmHWM MiB', 'checks/s'], [[
    'keepalived-ts', String(r.samplesKb.length), mib(Math.min(...r.samplesKb)), mib(median(r.samplesKb)), mib(maxOf(r.samplesKb)), mib(r.hwmKb), fmt(r.checksPerS),
  ]]));
}

if (isMainModule(import.meta.url)) runAsScript(run);
