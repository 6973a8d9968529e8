/**
 * Worker thread of the large-budget fuzzer for the configuration pipeline: receives one ConfigCase at a
 * time, materialises it in its own scratch directory and runs the in-process pipeline; the main thread
 * enforces the per-input time limit (terminating this worker on a hang).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ConfigCase } from '../config/mutations.js';
import { checkConfigCase } from '../config/pipeline.js';

export interface ConfigWorkerData {
  readonly scratch: string;
}

export interface ConfigJob {
  readonly index: number;
  readonly case: ConfigCase;
}

export type ConfigJobResult =
  | { readonly index: number; readonly ok: true; readonly exitCode: number; readonly ms: number }
  | { readonly index: number; readonly ok: false; readonly error: string };

const { scratch } = workerData as ConfigWorkerData;

parentPort?.on('message', (job: ConfigJob) => {
  let reply: ConfigJobResult;
  try {
    const out = checkConfigCase(job.case, scratch);
    reply = { index: job.index, ok: true, exitCode: out.exitCode, ms: out.ms };
  } catch (err) {
    reply = { index: job.index, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort?.postMessage(reply);
});
