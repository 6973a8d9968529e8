/**
 * Backup CPU cost (issue 7 soak analysis): r1 holds 50 VRRPv3 instances at 0.1 s adverts, r2 is their
 * BACKUP and only receives (500 adverts/s). Prints r2's CPU time per received advert and its share of one
 * core over a 20 s window, and r1's for sending. Numbers only — nothing is asserted.
 * Run: `npm run build && node dist/test/bench/backup-cpu.js` (KTS_BIN picks another build to compare).
 */
import { readFileSync } from 'node:fs';
import { Lab, sleep, waitFor } from '../lab/netns.js';
import { benchConf, type BenchInstance } from './lib/conf.js';
import { isMainModule, labSkipReason, runAsScript } from './lib/main.js';
import { fmt } from './lib/stats.js';

const INSTANCES = 50;
const ADVERT_S = 0.1;
const WINDOW_S = Number(process.env['BENCH_BACKUP_CPU_SECONDS'] ?? 20);

function instances(priority: number): BenchInstance[] {
  return Array.from({ length: INSTANCES }, (_, i) => ({
    name: `VI_${i + 1}`, vrid: i + 1, priority, state: priority > 100 ? 'MASTER' as const : 'BACKUP' as const, advertIntS: ADVERT_S,
    version: 3 as const, iface: 'eth0', vips: [`10.219.1.${i + 1}/24`],
  }));
}

/** utime + stime of a process in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export async function run(): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s);
  out(`backup CPU: ${INSTANCES} VRRPv3 instances at ${ADVERT_S} s, r2 BACKUP receives ${INSTANCES / ADVERT_S} adverts/s, ${WINDOW_S} s window\n`);
  const skip = labSkipReason();
  if (skip !== undefined) return void out(`  skipped: ${skip}\n`);
  const lab = Lab.create('bcpu');
  try {
    const r1ns = await lab.addHost('r1', { ipv4: '10.219.0.11/24' });
    const r2ns = await lab.addHost('r2', { ipv4: '10.219.0.12/24' });
    const r1 = r1ns.startKeepalivedTs(lab.writeFile('r1.conf', benchConf('bcpu-r1', instances(150))));
    await waitFor('r1 to hold every VIP', () => r1ns.hasAddress(`10.219.1.${INSTANCES}`), 20_000, 100);
    const r2 = r2ns.startKeepalivedTs(lab.writeFile('r2.conf', benchConf('bcpu-r2', instances(100))));
    await sleep(5000);
    const p1 = r1.pid;
    const p2 = r2.pid;
    if (p1 === undefined || p2 === undefined) throw new Error('no pid');
    const a1 = cpuTicks(p1);
    const a2 = cpuTicks(p2);
    const t0 = Date.now();
    await sleep(WINDOW_S * 1000);
    const s = (Date.now() - t0) / 1000;
    const hz = 100;
    const c1 = (cpuTicks(p1) - a1) / hz;
    const c2 = (cpuTicks(p2) - a2) / hz;
    const transitions = r2.lines.filter((l) => /Entering MASTER STATE/.test(l)).length;
    out(`  r2 (backup, receiving): ${fmt((c2 / s) * 100, 1)} % of a core, ${fmt((c2 * 1e6) / (s * (INSTANCES / ADVERT_S)), 0)} µs CPU per received advert; r2 became MASTER ${transitions} times\n`);
    out(`  r1 (master, sending):   ${fmt((c1 / s) * 100, 1)} % of a core, ${fmt((c1 * 1e6) / (s * (INSTANCES / ADVERT_S)), 0)} µs CPU per sent advert\n`);
  } finally {
    await lab.cleanup();
  }
}

if (isMainModule(import.meta.url)) runAsScript(run);
