/**
 * `npm run fuzz`: the large-budget fuzzer (issue 7). Three phases, each input under a time limit:
 *   1. decoders — every target in targets/ (VRRP, netlink, IPVS, checker protocol), 10^6 inputs each,
 *      one worker thread per target with a heartbeat watchdog (no progress for --hang-s ⇒ hang);
 *   2. config   — 10^4 mutated fixture configs through the in-process pipeline in worker threads,
 *      each input killed after --hang-s;
 *   3. cli      — a few dozen runs of the real `keepalived-ts -t --no-host-checks`.
 * Seed: --seed or FUZZ_SEED (default fixed, printed). Failing inputs are printed and written under
 * --out (default a fresh /tmp/kts-fuzz-*). Exit status 1 when anything failed.
 * The hang limit (default 30 s) is generous on purpose: a mutated `~SEQ(i,1,1,65536)` legitimately
 * builds 65 536 instances (~10 s on a loaded 2-core box, linear); a real hang never finishes.
 *
 *   node dist/test/fuzz/run.js [--only SUBSTR] [--runs N] [--config-runs N] [--cli-runs N]
 *                              [--jobs N] [--hang-s S] [--seed S] [--out DIR]
 *   node dist/test/fuzz/run.js --replay TARGET --index I [--seed S]   (print input I of a decoder run)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import * as fc from 'fast-check';
import { checkCliOutcome, runCli } from './config/cli.js';
import { configCaseArb, describeCase, materializeCase, type ConfigCase } from './config/mutations.js';
import { checkPipeline } from './config/pipeline.js';
import type { ConfigJob, ConfigJobResult, ConfigWorkerData } from './runner/config-worker.js';
import type { DecoderWorkerData } from './runner/decoder-worker.js';
import { fuzzSeed } from './support/seed.js';
import type { TargetRun } from './support/target.js';
import { decoderTargets, targetByName } from './targets/index.js';

interface Finding {
  readonly phase: 'decoder' | 'config' | 'cli';
  readonly what: string;
  readonly detail: string;
}

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '1000000' },
    'config-runs': { type: 'string', default: '10000' },
    'cli-runs': { type: 'string', default: '48' },
    jobs: { type: 'string' },
    'hang-s': { type: 'string', default: '30' },
    seed: { type: 'string' },
    out: { type: 'string' },
    replay: { type: 'string' },
    index: { type: 'string' },
  },
});

function intArg(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

const seed = args.seed !== undefined ? fuzzSeed({ FUZZ_SEED: args.seed }) : fuzzSeed();
const jobs = Math.max(1, intArg('jobs', args.jobs, availableParallelism()));
const hangMs = intArg('hang-s', args['hang-s'], 30) * 1000;
const findings: Finding[] = [];

function report(f: Finding, outDir: string): void {
  findings.push(f);
  const file = join(outDir, `${f.phase}-${findings.length}.txt`);
  writeFileSync(file, `${f.what}\n${f.detail}\n`);
  console.log(`  ✗ ${f.what}\n${f.detail.split('\n').map((l) => `      ${l}`).join('\n')}\n      (saved to ${file})`);
}

// ---- phase 1: decoders ---------------------------------------------------------------------------------

function runDecoderTarget(name: string, numRuns: number): Promise<{ run: TargetRun | null; hangAt: number | null; crash: string | null; inputs: number }> {
  const heartbeat = new SharedArrayBuffer(4);
  const counter = new Int32Array(heartbeat);
  const data: DecoderWorkerData = { target: name, seed, numRuns, heartbeat };
  const worker = new Worker(new URL('./runner/decoder-worker.js', import.meta.url), { workerData: data });
  return new Promise((resolve) => {
    let last = -1;
    let lastChange = Date.now();
    let done = false;
    const finish = (v: { run: TargetRun | null; hangAt: number | null; crash: string | null }): void => {
      if (done) return;
      done = true;
      clearInterval(watchdog);
      resolve({ ...v, inputs: Atomics.load(counter, 0) });
    };
    const watchdog = setInterval(() => {
      const now = Atomics.load(counter, 0);
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > hangMs) {
        void worker.terminate();
        finish({ run: null, hangAt: Math.max(0, now - 1), crash: null });
      }
    }, 250);
    worker.on('message', (run: TargetRun) => finish({ run, hangAt: null, crash: null }));
    worker.on('error', (err) => finish({ run: null, hangAt: null, crash: err.stack ?? err.message }));
    worker.on('exit', (code) => finish({ run: null, hangAt: null, crash: `worker exited with code ${code}` }));
  });
}

async function decoderPhase(numRuns: number, outDir: string): Promise<void> {
  const targets = decoderTargets.filter((t) => args.only === undefined || t.name.includes(args.only));
  console.log(`\n[1/3] decoders: ${targets.length} targets × ${numRuns} inputs, ${jobs} in parallel, hang after ${hangMs / 1000} s without progress`);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < targets.length; i = next++) {
      const t = targets[i]!;
      const started = Date.now();
      const r = await runDecoderTarget(t.name, numRuns);
      const secs = (Date.now() - started) / 1000;
      const rate = Math.round(r.inputs / Math.max(secs, 0.001));
      if (r.hangAt !== null) {
        report(
          { phase: 'decoder', what: `${t.name}: HANG at input ${r.hangAt}`, detail: `input: ${t.inputAt(seed, r.hangAt)}\nreplay: node dist/test/fuzz/run.js --replay ${t.name} --index ${r.hangAt} --seed ${seed}` },
          outDir,
        );
      } else if (r.crash !== null) {
        report({ phase: 'decoder', what: `${t.name}: worker crashed after ${r.inputs} inputs`, detail: r.crash }, outDir);
      } else if (r.run !== null && r.run.failed) {
        report(
          { phase: 'decoder', what: `${t.name}: invariant broken (seed ${seed}, fast-check path ${r.run.path ?? '?'})`, detail: `input: ${r.run.counterexample ?? '?'}\n${r.run.error ?? ''}` },
          outDir,
        );
      } else {
        console.log(`  ✓ ${t.name.padEnd(34)} ${String(r.inputs).padStart(8)} inputs  ${secs.toFixed(1).padStart(6)} s  ${String(rate).padStart(7)}/s`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, targets.length) }, lane));
}

// ---- phase 2: configuration pipeline ----------------------------------------------------------------------

class ConfigLane {
  private worker: Worker | undefined;
  constructor(private readonly scratch: string) {}

  private spawn(): Worker {
    const data: ConfigWorkerData = { scratch: this.scratch };
    this.worker = new Worker(new URL('./runner/config-worker.js', import.meta.url), { workerData: data });
    return this.worker;
  }

  /** Runs one case; null = it did not finish within the limit (the worker is replaced). */
  run(job: ConfigJob): Promise<ConfigJobResult | null> {
    const w = this.worker ?? this.spawn();
    return new Promise((resolve) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
      };
      const onMessage = (r: ConfigJobResult): void => {
        cleanup();
        resolve(r);
      };
      const onError = (err: Error): void => {
        cleanup();
        this.worker = undefined;
        resolve({ index: job.index, ok: false, error: `worker died: ${err.stack ?? err.message}` });
      };
      const timer = setTimeout(() => {
        cleanup();
        this.worker = undefined;
        void w.terminate();
        resolve(null);
      }, hangMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** Cases are sampled in chunks (same seed ⇒ same sequence), so a failing index can be regenerated. */
function sampleCases(count: number, seedOffset: number): ConfigCase[] {
  return fc.sample(configCaseArb(), { seed: seed + seedOffset, numRuns: count });
}

async function configPhase(count: number, scratch: string, outDir: string): Promise<void> {
  console.log(`\n[2/3] config pipeline: ${count} mutated configurations, ${jobs} workers, ${hangMs / 1000} s limit per input`);
  const cases = sampleCases(count, 0);
  const lanes = Array.from({ length: jobs }, (_, i) => new ConfigLane(join(scratch, `lane${i}`)));
  const exitCodes = new Map<number, number>();
  let slowest = 0;
  let next = 0;
  const started = Date.now();
  await Promise.all(
    lanes.map(async (lane) => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i]!;
        const r = await lane.run({ index: i, case: c });
        if (r === null) report({ phase: 'config', what: `config case ${i}: HANG (> ${hangMs / 1000} s)`, detail: `input: ${JSON.stringify(c)}` }, outDir);
        else if (!r.ok) report({ phase: 'config', what: `config case ${i}: ${r.error.split('\n')[0] ?? ''}`, detail: `input: ${JSON.stringify(c)}\n${r.error}` }, outDir);
        else {
          exitCodes.set(r.exitCode, (exitCodes.get(r.exitCode) ?? 0) + 1);
          slowest = Math.max(slowest, r.ms);
        }
        if ((i + 1) % 1000 === 0) console.log(`  … ${i + 1}/${cases.length}`);
      }
      await lane.close();
    }),
  );
  const dist = [...exitCodes].sort((a, b) => a[0] - b[0]).map(([c, n]) => `exit ${c}: ${n}`).join(', ');
  console.log(`  ${cases.length} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s; ${dist}; slowest ${slowest.toFixed(0)} ms`);
}

// ---- phase 3: the real CLI ------------------------------------------------------------------------------

async function cliPhase(count: number, scratch: string, outDir: string): Promise<void> {
  console.log(`\n[3/3] CLI: ${count} runs of keepalived-ts -t --no-host-checks, ${jobs} at a time`);
  const cases = sampleCases(count, 1);
  let next = 0;
  let passed = 0;
  await Promise.all(
    Array.from({ length: jobs }, async (_, slot) => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i]!;
        const main = materializeCase(c, join(scratch, `cli${slot}`));
        let expected: number | null = null;
        try {
          expected = checkPipeline(main, null, c.allConfig === true).exitCode;
        } catch {
          expected = null; // reported by the config phase
        }
        const out = await runCli(main, hangMs * 2, c.allConfig === true);
        try {
          checkCliOutcome(out, expected, `cli case ${i}`);
          passed++;
        } catch (err) {
          report({ phase: 'cli', what: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err), detail: `input: ${describeCase(c)}\n${err instanceof Error ? err.message : ''}` }, outDir);
        }
      }
    }),
  );
  console.log(`  ${passed}/${cases.length} runs passed`);
}

// ---- main ----------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  if (args.replay !== undefined) {
    const t = targetByName(args.replay);
    if (t === undefined) throw new Error(`unknown target ${args.replay}; known: ${decoderTargets.map((x) => x.name).join(', ')}`);
    const index = intArg('index', args.index, 0);
    console.log(`${t.name} seed ${seed} input ${index}:\n${t.inputAt(seed, index)}\nchecking it (an input that hangs hangs here too: Ctrl-C)…`);
    const r = t.run({ seed, numRuns: 1, path: String(index) });
    console.log(r.failed ? `FAILED:\n${r.error ?? ''}` : 'passes');
    return r.failed ? 1 : 0;
  }
  const runs = intArg('runs', args.runs, 1_000_000);
  const configRuns = intArg('config-runs', args['config-runs'], 10_000);
  const cliRuns = intArg('cli-runs', args['cli-runs'], 48);
  const outDir = args.out ?? mkdtempSync(join(tmpdir(), 'kts-fuzz-'));
  mkdirSync(outDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'kts-fuzz-scratch-'));
  console.log(`keepalived-ts fuzz: seed ${seed} (FUZZ_SEED / --seed to change), findings go to ${outDir}`);
  const started = Date.now();
  try {
    if (runs > 0) await decoderPhase(runs, outDir);
    if (configRuns > 0 && args.only === undefined) await configPhase(configRuns, scratch, outDir);
    if (cliRuns > 0 && args.only === undefined) await cliPhase(cliRuns, scratch, outDir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const mins = ((Date.now() - started) / 60_000).toFixed(1);
  if (findings.length === 0) {
    console.log(`\nfuzz: no findings in ${mins} min (seed ${seed})`);
    return 0;
  }
  console.log(`\nfuzz: ${findings.length} finding(s) in ${mins} min (seed ${seed}), saved in ${outDir}`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 2;
  },
);
