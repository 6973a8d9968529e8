/**
 * Backup CPU cost (issue 7 soak analysis): r1 holds 50 VRRPv3 instances at 0.1 s adverts, r2 is their
 * BACKUP and only receives (500 adverts/s). Prints the CPU time r2 spends per received advert and its
 * share of one core over a 20 s window (all processes of r2's namespace, so keepalived's parent + VRRP
 * child are summed), for keepalived-ts and, as the reference, keepalived 2.2.7 as the BACKUP; r1 is
 * keepalived-ts in both rows. Numbers only — nothing is asserted.
 * Run: `npm run build && node dist/test/bench/backup-cpu.js`. BENCH_BACKUP_CPU_SECONDS sets the window.
 */
import { readFileSync } from 'node:fs';
import { Lab, run as runCmd, sleep, waitFor } from '../lab/netns.js';
import type { Netns } from '../lab/netns.js';
import { benchConf, type BenchInstance } from './lib/conf.js';
import { hasReferenceKeepalived, isMainModule, labSkipReason, runAsScript } from './lib/main.js';
import { fmt, formatTable } from './lib/stats.js';

const INSTANCES = 50;
const ADVERT_S = 0.1;
const WINDOW_S = Number(process.env['BENCH_BACKUP_CPU_SECONDS'] ?? 20);
const CLOCK_TICKS_PER_S = 100;

function instances(priority: number): BenchInstance[] {
  return Array.from({ length: INSTANCES }, (_, i) => ({
    name: `VI_${i + 1}`, vrid: i + 1, priority, state: priority > 100 ? 'MASTER' as const : 'BACKUP' as const, advertIntS: ADVERT_S,
    version: 3 as const, iface: 'eth0', vips: [`10.219.1.${i + 1}/24`],
  }));
}

/** utime + stime of a process in clock ticks (/proc/PID/stat fields 14 and 15); 0 once it is gone. */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

async function namespaceTicks(ns: Netns): Promise<number> {
  const r = await runCmd('ip', ['netns', 'pids', ns.name]);
  return r.stdout.split(/\s+/).filter((s) => s !== '').map(Number).reduce((sum, pid) => sum + cpuTicks(pid), 0);
}

interface Row {
  readonly backup: string;
  readonly corePercent: number;
  readonly usPerAdvert: number;
  readonly masterTransitions: number;
}

async function measure(backup: 'keepalived-ts' | 'keepalived'): Promise<Row> {
  const lab = Lab.create('bcpu');
  try {
    const r1ns = await lab.addHost('r1', { ipv4: '10.219.0.11/24' });
    const r2ns = await lab.addHost('r2', { ipv4: '10.219.0.12/24' });
    r1ns.startKeepalivedTs(lab.writeFile('r1.conf', benchConf('bcpu-r1', instances(150))));
    await waitFor('r1 to hold every VIP', () => r1ns.hasAddress(`10.219.1.${INSTANCES}`), 20_000, 100);
    const conf = lab.writeFile('r2.conf', benchConf('bcpu-r2', instances(100)));
    const r2 = backup === 'keepalived-ts' ? r2ns.startKeepalivedTs(conf) : r2ns.startKeepalived(conf);
    await sleep(5000);
    const before = await namespaceTicks(r2ns);
    const t0 = Date.now();
    await sleep(WINDOW_S * 1000);
    const cpuS = ((await namespaceTicks(r2ns)) - before) / CLOCK_TICKS_PER_S;
    const wallS = (Date.now() - t0) / 1000;
    return {
      backup: backup === 'keepalived' ? 'keepalived 2.2.7' : backup,
      corePercent: (cpuS / wallS) * 100,
      usPerAdvert: (cpuS * 1e6) / (wallS * (INSTANCES / ADVERT_S)),
      masterTransitions: r2.lines.filter((l) => /Entering MASTER STATE/.test(l)).length,
    };
  } finally {
    await lab.cleanup();
  }
}

export async function run(): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s);
  out(`backup CPU: ${INSTANCES} VRRPv3 instances at ${ADVERT_S} s, the BACKUP receives ${INSTANCES / ADVERT_S} adverts/s, ${WINDOW_S} s window\n`);
  const skip = labSkipReason();
  if (skip !== undefined) return void out(`  skipped: ${skip}\n`);
  const rows = [await measure('keepalived-ts')];
  if (hasReferenceKeepalived()) rows.push(await measure('keepalived'));
  out(formatTable(
    ['backup', '% of a core', 'µs CPU per received advert', 'became MASTER'],
    rows.map((r) => [r.backup, fmt(r.corePercent, 1), fmt(r.usPerAdvert, 0), String(r.masterTransitions)]),
  ));
}

if (isMainModule(import.meta.url)) runAsScript(run);
