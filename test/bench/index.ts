/**
 * `npm run bench`: generates a large configuration (1000 vrrp_instances, 100 virtual_servers × 100
 * real_servers), times keepalived-ts's in-process read + build + validate (median of N runs) and
 * `keepalived -t` on the same file (inside a network namespace that has the interfaces), and prints
 * both; then runs the lab benches: failover times (keepalived-ts vs keepalived, 1 s and 0.1 s adverts),
 * advert send-time lateness with and without checker load, daemon RSS, and the CPU a BACKUP spends receiving
 * 500 adverts/s. Numbers only — nothing is asserted. `BENCH_ONLY=config,failover,lateness,rss,backup-cpu`
 * picks a subset.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exitCodeFor } from '../../src/core/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { Lab, isRoot } from '../diff/lab.js';
import { DEFAULT_SHAPE, generateConfig } from './generate.js';
import { run as runFailover } from './failover.js';
import { run as runLateness } from './advert-lateness.js';
import { run as runRss } from './rss.js';
import { run as runBackupCpu } from './backup-cpu.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const REF_RUNS = Number(process.env['BENCH_REF_RUNS'] ?? 3);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kts-bench-'));
  const file = join(dir, 'bench.conf');
  const text = generateConfig(DEFAULT_SHAPE);
  writeFileSync(file, text);
  const lines = text.split('\n').length;
  process.stdout.write(
    `config: ${DEFAULT_SHAPE.instances} vrrp_instances, ${DEFAULT_SHAPE.virtualServers} virtual_servers x ${DEFAULT_SHAPE.realServersPerVs} real_servers (${lines} lines, ${(text.length / 1024).toFixed(0)} KiB)\n`,
  );
  try {
    const times: number[] = [];
    let code = -1;
    let diagCount = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = loadConfig(file, { host: null });
      times.push(performance.now() - t0);
      code = exitCodeFor(r.diagnostics);
      diagCount = r.diagnostics.length;
    }
    process.stdout.write(
      `keepalived-ts parse+validate (in-process, no host checks): median ${ms(median(times))} over ${RUNS} runs (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}); exit ${code}, ${diagCount} diagnostics\n`,
    );

    if (!isRoot()) {
      process.stdout.write('keepalived -t: skipped (needs root for the network namespace)\n');
      return;
    }
    const lab = Lab.create('bench');
    try {
      const ref: number[] = [];
      let refCode = -1;
      for (let i = 0; i < REF_RUNS; i++) {
        const t0 = performance.now();
        const r = lab.keepalivedTest(file);
        ref.push(performance.now() - t0);
        refCode = r.code;
      }
      process.stdout.write(`keepalived -t (2.2.7, separate process, host checks): median ${ms(median(ref))} over ${REF_RUNS} runs; exit ${refCode}\n`);
      const cli: number[] = [];
      let cliCode = -1;
      for (let i = 0; i < REF_RUNS; i++) {
        const t0 = performance.now();
        const r = lab.keepalivedTsTest(file);
        cli.push(performance.now() - t0);
        cliCode = r.code;
      }
      process.stdout.write(`keepalived-ts -t (CLI, separate process, host checks): median ${ms(median(cli))} over ${REF_RUNS} runs; exit ${cliCode}\n`);
    } finally {
      lab.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = new Set((process.env['BENCH_ONLY'] ?? 'config,failover,lateness,rss,backup-cpu').split(',').map((s) => s.trim()));
const benches: ReadonlyArray<readonly [string, () => Promise<void>]> = [
  ['config', main],
  ['failover', runFailover],
  ['lateness', runLateness],
  ['rss', runRss],
  ['backup-cpu', runBackupCpu],
];

async function runAll(): Promise<void> {
  for (const [name, fn] of benches) {
    if (!only.has(name)) continue;
    process.stdout.write(`\n== bench: ${name} ==\n`);
    await fn();
  }
}

runAll().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
