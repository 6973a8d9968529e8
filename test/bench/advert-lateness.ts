/**
 * Advert-timing benchmark (issue 5): one router runs 20 VRRPv3 instances at 100 ms adverts; a peer
 * namespace captures them with tcpdump (kernel timestamps) and the bench prints, per case, the advert
 * lateness (gap to the previous advert of the same VRID − 100 ms: p50/p99/max and mean, µs) and the
 * advert rate:
 *   keepalived-ts alone
 *   keepalived-ts while its checker worker runs ~1000 HTTP_GET checks/s (110 real servers,
 *     delay_loop 0.1 s) against a local Node HTTP server in the router's namespace
 *   keepalived 2.2.7 alone (reference, when installed)
 * Numbers only — nothing is asserted. Every namespace and process is removed, also on error.
 */
import { performance } from 'node:perf_hooks';
import { Lab, sleep, waitFor } from '../lab/netns.js';
import type { Netns } from '../lab/netns.js';
import { latenessOf, type LatenessSummary } from './lib/adverts.js';
import { captureAdverts } from './lib/capture.js';
import { benchConf, httpVirtualServers, type BenchInstance } from './lib/conf.js';
import { startHttpTarget, type HttpTarget } from './lib/http-target.js';
import { hasReferenceKeepalived, isMainModule, labSkipReason, runAsScript } from './lib/main.js';
import { fmt, formatTable, median } from './lib/stats.js';

const SUBNET = '10.213.0';
const ROUTER_IP = `${SUBNET}.11`;
const INSTANCES = 20;
const ADVERT_INT_S = 0.1;
const HTTP_FIRST_PORT = 18000;
const REAL_SERVERS = 110; // × delay_loop 0.1 s ≈ 1 000 checks/s once the per-check time is added
const VIRTUAL_SERVERS = 10;
const DELAY_LOOP_S = 0.1;

export function instances(count: number): BenchInstance[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `VI_${i + 1}`, vrid: i + 1, priority: 150, state: 'MASTER' as const, advertIntS: ADVERT_INT_S, version: 3 as const,
    iface: 'eth0', vips: [`${SUBNET}.${100 + i}/24`],
  }));
}

interface CaseResult {
  readonly label: string;
  readonly summary: LatenessSummary;
  readonly checksPerS?: number;
  readonly droppedByKernel: number;
}

async function measureCase(router: Netns, peer: Netns, label: string, impl: 'keepalived-ts' | 'keepalived', withChecks: boolean, windowS: number, warmupS: number): Promise<CaseResult> {
  let target: HttpTarget | undefined;
  if (withChecks) target = await startHttpTarget(router, ROUTER_IP, HTTP_FIRST_PORT, REAL_SERVERS);
  const vss = withChecks ? httpVirtualServers(VIRTUAL_SERVERS, REAL_SERVERS, ROUTER_IP, HTTP_FIRST_PORT, '10.214.0', DELAY_LOOP_S) : [];
  const conf = router.lab.writeFile(`lateness-${impl}-${withChecks ? 'checks' : 'alone'}.conf`, benchConf('bench-lateness', instances(INSTANCES), vss));
  const proc = impl === 'keepalived' ? router.startKeepalived(conf) : router.startKeepalivedTs(conf);
  try {
    await waitFor('every instance MASTER (all VIPs present)', async () => {
      const links = await router.links();
      const have = new Set(links.flatMap((l) => l.addrs.map((a) => a.local)));
      return instances(INSTANCES).every((i) => have.has((i.vips[0] ?? '').split('/')[0] ?? ''));
    }, 15_000, 50);
    await sleep(warmupS * 1000); // past the checker bootstrap, JIT and the garp_master_delay (5 s) ARP refresh
    const cap = await captureAdverts(peer, ROUTER_IP);
    target?.mark();
    const t0 = performance.now();
    await sleep(windowS * 1000);
    const { adverts, droppedByKernel } = await cap.stop();
    const windowUs = (performance.now() - t0) * 1000;
    const rates = target?.ratesSinceMark() ?? [];
    return {
      label,
      summary: latenessOf(adverts, ADVERT_INT_S * 1e6, windowUs),
      droppedByKernel,
      ...(withChecks ? { checksPerS: median(rates) } : {}),
    };
  } finally {
    await proc.stop('SIGTERM', 5000);
    await target?.proc.stop('SIGKILL', 2000);
  }
}

export async function measureLateness(windowS: number, warmupS: number, withReference: boolean): Promise<CaseResult[]> {
  const lab = Lab.create('bal');
  try {
    const router = await lab.addHost('r1', { ipv4: `${ROUTER_IP}/24` });
    const peer = await lab.addHost('peer', { ipv4: `${SUBNET}.12/24` });
    const out: CaseResult[] = [];
    out.push(await measureCase(router, peer, 'keepalived-ts alone', 'keepalived-ts', false, windowS, warmupS));
    out.push(await measureCase(router, peer, 'keepalived-ts + HTTP checks', 'keepalived-ts', true, windowS, warmupS));
    if (withReference) out.push(await measureCase(router, peer, 'keepalived 2.2.7 alone', 'keepalived', false, windowS, warmupS));
    return out;
  } finally {
    await lab.cleanup();
  }
}

export function latenessTable(results: readonly CaseResult[]): string {
  return formatTable(
    ['case', 'adverts', 'rate/s', 'p50 µs', 'p99 µs', 'max µs', 'mean µs', 'checks/s', 'cap drops'],
    results.map((r) => [
      r.label, String(r.summary.adverts), fmt(r.summary.ratePerS, 1), fmt(r.summary.p50Us), fmt(r.summary.p99Us),
      fmt(r.summary.maxUs), fmt(r.summary.meanUs), r.checksPerS === undefined ? '-' : fmt(r.checksPerS),
      String(r.droppedByKernel),
    ]),
  );
}

export async function run(): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s);
  const windowS = Math.max(2, Number(process.env['BENCH_LATENESS_SECONDS'] ?? 10));
  const warmupS = Math.max(0, Number(process.env['BENCH_LATENESS_WARMUP_SECONDS'] ?? 6));
  out(`advert lateness (${INSTANCES} VRRPv3 instances, ${ADVERT_INT_S * 1000} ms adverts, tcpdump in the peer namespace, ${windowS} s per case; lateness = gap to the previous advert of the VRID − interval)\n`);
  const skip = labSkipReason();
  if (skip !== undefined) {
    out(`  skipped: ${skip}\n`);
    return;
  }
  const results = await measureLateness(windowS, warmupS, hasReferenceKeepalived());
  out(latenessTable(results));
  out(`  (expected rate ${(INSTANCES / ADVERT_INT_S).toFixed(0)}/s; checks: ${REAL_SERVERS} HTTP_GET real servers in ${VIRTUAL_SERVERS} virtual_servers, delay_loop ${DELAY_LOOP_S} s, checks/s = median requests/s served by the target)\n`);
}

if (isMainModule(import.meta.url)) runAsScript(run);
