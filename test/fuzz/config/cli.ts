/**
 * Runs the real CLI (`node bin/keepalived-ts -t --no-host-checks [-e] -i fuzz -f FILE`, from dist/) on a
 * configuration and checks what a user would see: an exit code keepalived -t can give (0, 2, 4, 5, 6;
 * 70 is our "program error" safety net), no JavaScript stack trace on stderr, and the same exit code as
 * the in-process pipeline. A run that outlives `timeoutMs` is killed and reported as a hang.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/repo.js';
import { FuzzViolation } from '../support/target.js';
import { ALLOWED_EXIT_CODES, FUZZ_CONFIG_ID, FUZZ_ENV } from './pipeline.js';

export interface CliOutcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly ms: number;
}

/** Throws when dist/ has not been built (the CLI shim runs dist/src/cli/main.js). */
export function cliEntry(): string {
  const root = repoRoot();
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/src/cli/main.js missing: run `npx tsc -p tsconfig.build.json` (npm run build) first');
  }
  return join(root, 'bin', 'keepalived-ts');
}

export function runCli(mainPath: string, timeoutMs: number, allConfig = false): Promise<CliOutcome> {
  const entry = cliEntry();
  const started = performance.now();
  const flags = ['-t', '--no-host-checks', ...(allConfig ? ['-e'] : []), '-i', FUZZ_CONFIG_ID, '-f', mainPath];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...flags], {
      env: { ...FUZZ_ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('latin1');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 1 << 20) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr, timedOut, ms: performance.now() - started });
    });
  });
}

/** A V8 stack frame line (`    at fn (file:line:col)`) anywhere on stderr. */
const STACK_FRAME = /^\s+at .*(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/** Checks a CLI run; `expectedExit` is the in-process pipeline's code for the same file. */
export function checkCliOutcome(o: CliOutcome, expectedExit: number | null, what: string): void {
  if (o.timedOut) throw new FuzzViolation(`${what}: the CLI did not finish within the time limit (hang)`);
  if (o.status === null || !ALLOWED_EXIT_CODES.has(o.status)) {
    throw new FuzzViolation(`${what}: CLI exit ${o.status ?? `signal ${o.signal ?? '?'}`}; stderr tail:\n${o.stderr.slice(-2000)}`);
  }
  if (STACK_FRAME.test(o.stderr)) throw new FuzzViolation(`${what}: stack trace on stderr:\n${o.stderr.slice(-2000)}`);
  if (expectedExit !== null && o.status !== expectedExit) {
    throw new FuzzViolation(`${what}: CLI exit ${o.status}, the in-process pipeline gives ${expectedExit} (dist/ stale? rebuild)`);
  }
}
