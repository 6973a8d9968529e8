/**
 * Worker thread of the large-budget fuzzer: runs one decoder target for `numRuns` inputs and posts the
 * TargetRun. Before every input it bumps a shared counter, so the main thread's watchdog sees progress
 * and, when the counter stops moving, knows which input (fast-check path = counter − 1) hangs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { targetByName } from '../targets/index.js';

export interface DecoderWorkerData {
  readonly target: string;
  readonly seed: number;
  readonly numRuns: number;
  /** Int32Array over it: [0] = inputs started. */
  readonly heartbeat: SharedArrayBuffer;
}

const data = workerData as DecoderWorkerData;
const counter = new Int32Array(data.heartbeat);
const target = targetByName(data.target);
if (target === undefined) throw new Error(`unknown fuzz target ${data.target}`);
const result = target.run({ seed: data.seed, numRuns: data.numRuns }, () => {
  Atomics.add(counter, 0, 1);
});
parentPort?.postMessage(result);
