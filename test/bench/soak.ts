/**
 * Soak (issue 7): two keepalived-ts routers with 50 VRRPv3 instances each at 0.1 s adverts (r1 priority 150
 * holds them all), r1 also running 200 HTTP_GET checkers against a local target; every few seconds a random
 * fault is injected (SIGSTOP burst of r1, link flap of r1, 30 % VRRP loss window on the bridge, SIGHUP of
 * both). Prints r1's RSS over time, the state transitions seen, and the false failovers: transitions that
 * happen outside every injected fault's window (fault start .. end + Master_Down_Interval + 2 s).
 * The first fifth of the run is quiet (no faults): any transition there is a false failover too. RSS is
 * sampled every 10 s; growth after warm-up (the quiet phase plus 5 min of faults, at most half the run) is
 * the difference of the first and last quarter medians plus the least-squares trend, since a
 * garbage-collected heap saw-tooths.
 * SOAK_MINUTES (default 30) sets the duration. Numbers only — nothing is asserted.
 * Run: `npm run build && node dist/test/bench/soak.js`.
 */
import { Lab, run as runCmd, sleep, waitFor } from '../lab/netns.js';
import type { Netns, NsProcess } from '../lab/netns.js';
import { benchConf, httpVirtualServers, type BenchInstance } from './lib/conf.js';
import { startHttpTarget, type HttpTarget } from './lib/http-target.js';
import { isMainModule, labSkipReason, runAsScript } from './lib/main.js';
import { readMem } from './lib/proc-status.js';
import { fmt, maxOf, median, memoryGrowth } from './lib/stats.js';

const SUBNET = '10.217.0';
const R1_IP = `${SUBNET}.11`;
const R2_IP = `${SUBNET}.12`;
const INSTANCES = 50;
const CHECKERS = 200;
const VIRTUAL_SERVERS = 20;
const HTTP_FIRST_PORT = 19500;
const ADVERT_S = 0.1;
/** Master_Down_Interval of the priority-100 backup, ms. */
const MASTER_DOWN_MS = 3 * ADVERT_S * 1000 + ((256 - 100) / 256) * ADVERT_S * 1000;
const GRACE_MS = MASTER_DOWN_MS + 2000;
const NFT_TABLE = 'kts_soak';

type FaultKind = 'sigstop' | 'linkflap' | 'loss' | 'hup';

interface FaultWindow {
  readonly kind: FaultKind;
  readonly startMs: number;
  endMs: number;
}

interface Transition {
  readonly atMs: number;
  readonly router: string;
  readonly line: string;
}

function instances(priority: number): BenchInstance[] {
  return Array.from({ length: INSTANCES }, (_, i) => ({
    name: `VI_${i + 1}`, vrid: i + 1, priority, state: priority > 100 ? 'MASTER' as const : 'BACKUP' as const, advertIntS: ADVERT_S,
    version: 3 as const, iface: 'eth0', vips: [`10.217.1.${i + 1}/24`],
  }));
}

async function setVrrpLoss(sw: Netns, percent: number | undefined): Promise<void> {
  await sw.exec('nft', ['delete', 'table', 'bridge', NFT_TABLE]);
  if (percent === undefined) return;
  const file = sw.lab.writeFile('soak.nft', [
    `table bridge ${NFT_TABLE} {`, '  chain vrrp_drop {', '    type filter hook forward priority 0; policy accept;',
    `    ip protocol vrrp numgen random mod 100 < ${percent} drop`, '  }', '}', '',
  ].join('\n'));
  const r = await sw.exec('nft', ['-f', file]);
  if (r.code !== 0) throw new Error(`nft failed: ${r.stderr.trim()}`);
}

async function daemonRssKb(ns: Netns, exclude: readonly (number | undefined)[]): Promise<number> {
  const r = await runCmd('ip', ['netns', 'pids', ns.name]);
  const pids = r.stdout.split(/\s+/).filter((s) => s !== '').map(Number).filter((p) => !exclude.includes(p));
  const mems = (await Promise.all(pids.map(readMem))).filter((m) => m !== undefined);
  return mems.reduce((s, m) => s + m.rssKb, 0);
}

const rand = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);

/** Injects one random fault and returns once it is over (its window's end is recorded). */
async function injectFault(kind: FaultKind, r1: NsProcess, r2: NsProcess, r1ns: Netns, sw: Netns, windows: FaultWindow[]): Promise<void> {
  const w: FaultWindow = { kind, startMs: Date.now(), endMs: Date.now() };
  windows.push(w);
  switch (kind) {
    case 'sigstop':
      r1.signal('SIGSTOP');
      await sleep(rand(200, 2000));
      r1.signal('SIGCONT');
      break;
    case 'linkflap':
      await r1ns.setLink('eth0', false);
      await sleep(rand(200, 2000));
      await r1ns.setLink('eth0', true);
      break;
    case 'loss':
      await setVrrpLoss(sw, 30);
      await sleep(rand(2000, 6000));
      await setVrrpLoss(sw, undefined);
      break;
    case 'hup':
      r1.signal('SIGHUP');
      r2.signal('SIGHUP');
      break;
  }
  w.endMs = Date.now();
}

export interface SoakResult {
  readonly minutes: number;
  readonly rssKb: readonly { readonly atS: number; readonly kb: number }[];
  readonly faults: Readonly<Record<FaultKind, number>>;
  readonly transitions: readonly Transition[];
  readonly falseFailovers: readonly Transition[];
  readonly daemonsAlive: boolean;
  /** Seconds from the start during which no fault was injected. */
  readonly quietS: number;
  /** Transitions during the quiet phase. */
  readonly quietTransitions: number;
}

export async function soak(minutes: number, log: (s: string) => void): Promise<SoakResult> {
  const lab = Lab.create('soak');
  let target: HttpTarget | undefined;
  try {
    const r1ns = await lab.addHost('r1', { ipv4: `${R1_IP}/24` });
    const r2ns = await lab.addHost('r2', { ipv4: `${R2_IP}/24` });
    const sw = await lab.switch();
    target = await startHttpTarget(r1ns, R1_IP, HTTP_FIRST_PORT, CHECKERS);
    const vss = httpVirtualServers(VIRTUAL_SERVERS, CHECKERS, R1_IP, HTTP_FIRST_PORT, '10.218.0', 1);
    const r1 = r1ns.startKeepalivedTs(lab.writeFile('r1.conf', benchConf('soak-r1', instances(150), vss)));
    const r2 = r2ns.startKeepalivedTs(lab.writeFile('r2.conf', benchConf('soak-r2', instances(100))));
    await waitFor('r1 to hold every VIP', () => r1ns.hasAddress(`10.217.1.${INSTANCES}`), 20_000, 100);
    await sleep(3000);
    const seen = { r1: r1.lines.length, r2: r2.lines.length };
    const transitions: Transition[] = [];
    const collect = (): void => {
      for (const [name, p] of [['r1', r1], ['r2', r2]] as const) {
        const fresh = p.lines.slice(seen[name]);
        seen[name] = p.lines.length;
        for (const line of fresh) if (/Entering \w+ STATE/.test(line)) transitions.push({ atMs: Date.now(), router: name, line });
      }
    };
    const windows: FaultWindow[] = [];
    const faults: Record<FaultKind, number> = { sigstop: 0, linkflap: 0, loss: 0, hup: 0 };
    const rssKb: { atS: number; kb: number }[] = [];
    const t0 = Date.now();
    const endMs = t0 + minutes * 60_000;
    let nextRssMs = t0;
    let nextRssLogMs = t0;
    const quietMs = Math.round(minutes * 60_000 / 5);
    let nextFaultMs = t0 + quietMs + rand(2000, 6000);
    let stop = false;
    const poller = (async () => {
      while (!stop) {
        collect();
        if (Date.now() >= nextRssMs) {
          const kb = await daemonRssKb(r1ns, [target?.proc.pid]);
          const atS = Math.round((Date.now() - t0) / 1000);
          rssKb.push({ atS, kb });
          if (Date.now() >= nextRssLogMs) {
            log(`  t=${atS}s r1 RSS ${fmt(kb / 1024, 1)} MiB, transitions ${transitions.length}, faults ${windows.length}\n`);
            nextRssLogMs += 60_000;
          }
          nextRssMs += 10_000;
        }
        await sleep(100);
      }
    })();
    const kinds: readonly FaultKind[] = ['sigstop', 'linkflap', 'loss', 'hup'];
    while (Date.now() < endMs && r1.running && r2.running) {
      if (Date.now() >= nextFaultMs) {
        const kind = kinds[Math.floor(Math.random() * kinds.length)] ?? 'hup';
        faults[kind]++;
        await injectFault(kind, r1, r2, r1ns, sw, windows);
        nextFaultMs = Date.now() + rand(2000, 6000);
      }
      await sleep(100);
    }
    await sleep(GRACE_MS);
    stop = true;
    await poller;
    collect();
    const explained = (t: Transition): boolean => windows.some((w) => t.atMs >= w.startMs && t.atMs <= w.endMs + GRACE_MS);
    return {
      minutes, rssKb, faults, transitions, falseFailovers: transitions.filter((t) => !explained(t)), daemonsAlive: r1.running && r2.running,
      quietS: quietMs / 1000, quietTransitions: transitions.filter((t) => t.atMs < t0 + quietMs).length,
    };
  } finally {
    await target?.proc.stop('SIGKILL', 2000);
    await lab.cleanup();
  }
}

export async function run(): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s);
  const minutes = Math.max(0.1, Number(process.env['SOAK_MINUTES'] ?? 30));
  out(`soak: ${minutes} min, ${INSTANCES} VRRPv3 instances at ${ADVERT_S} s on 2 routers, ${CHECKERS} HTTP_GET checkers on r1, random faults every 2-6 s after a quiet first fifth\n`);
  const skip = labSkipReason();
  if (skip !== undefined) {
    out(`  skipped: ${skip}\n`);
    return;
  }
  const r = await soak(minutes, out);
  const kbs = r.rssKb.map((s) => s.kb);
  out(`faults injected: ${Object.entries(r.faults).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  out(`r1 RSS MiB: first ${fmt((kbs[0] ?? 0) / 1024, 1)}, median ${fmt(median(kbs) / 1024, 1)}, max ${fmt(maxOf(kbs) / 1024, 1)}, last ${fmt((kbs[kbs.length - 1] ?? 0) / 1024, 1)}\n`);
  // Warm-up ends 5 min into the fault phase (at most half the run): the heap settles at the fault-handling
  // working set, which is larger than the quiet phase's, so that step is not counted as growth.
  const warmupS = Math.min(r.quietS + 300, (minutes * 60) / 2);
  const g = memoryGrowth(r.rssKb, warmupS);
  out(`r1 RSS growth after ${fmt(warmupS)} s warm-up (${g.samples} samples): last-quarter minus first-quarter median ${fmt(g.quarterMedianDeltaKb / 1024, 1)} MiB, trend ${fmt(g.slopeKbPerHour / 1024, 1)} MiB/h (target < 5 MiB)\n`);
  out(`quiet phase (first ${fmt(r.quietS)} s, no faults): ${r.quietTransitions} transitions\n`);
  out(`transitions: ${r.transitions.length} (r1 ${r.transitions.filter((t) => t.router === 'r1').length}, r2 ${r.transitions.filter((t) => t.router === 'r2').length})\n`);
  out(`false failovers (outside every fault window + ${fmt(GRACE_MS)} ms): ${r.falseFailovers.length}\n`);
  for (const t of r.falseFailovers.slice(0, 10)) out(`  ${t.router}: ${t.line}\n`);
  out(`daemons alive at the end: ${r.daemonsAlive ? 'yes' : 'NO'}\n`);
}

if (isMainModule(import.meta.url)) runAsScript(run);
