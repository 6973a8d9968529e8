/**
 * Entry file of the checker worker thread (`new Worker(new URL('./worker/worker-main.js', …))`):
 * attaches the runtime to `parentPort`.
 */
import { parentPort } from 'node:worker_threads';
import { runCheckerWorker } from './runtime.js';

if (parentPort !== null) runCheckerWorker(parentPort);
