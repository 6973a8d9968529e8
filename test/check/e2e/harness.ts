/**
 * End-to-end harness for the checker subsystem: builds the worker entry once (esbuild, as the
 * daemon's bundle does), loads a configuration file through the real pipeline (`loadConfig`:
 * reader → builder → validator, no host checks), starts `startCheckerHost` with an in-memory IPVS
 * table, records its events and log lines, and gives the tests polling helpers over
 * `host.snapshot()` and notify-script marker files.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startCheckerHost, type CheckerHost, type CheckerHostEvent, type CheckerLogger, type CheckerSnapshot } from '../../../src/check/index.js';
import type { KeepalivedConfig } from '../../../src/config/model.js';
import { loadConfig } from '../../../src/config/load.js';

let workerUrl: Promise<URL> | undefined;

/** The checker worker bundled to one ESM file (vitest runs TypeScript; a Worker needs JavaScript). */
export function checkerWorkerUrl(): Promise<URL> {
  workerUrl ??= (async () => {
    const dir = join(process.cwd(), 'node_modules', '.cache', 'kts-h12');
    mkdirSync(dir, { recursive: true });
    // Parallel test files build the same bundle: each writes its own file, then renames it into place (atomic).
    const outfile = join(dir, 'checker-worker.mjs');
    const mine = join(dir, `checker-worker-${process.pid}.mjs`);
    await build({ entryPoints: ['src/check/worker/worker-main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: mine, logLevel: 'silent' });
    renameSync(mine, outfile);
    return new URL(`file://${outfile}`);
  })();
  return workerUrl;
}

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(tag: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `kts-h12-${tag}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes the text to `<dir>/keepalived.conf` and loads it like the daemon does (`--no-host-checks`). */
export function loadTestConfig(dir: string, text: string): KeepalivedConfig {
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, text);
  const r = loadConfig(file, { host: null });
  const fatal = r.diagnostics.filter((d) => d.severity === 'fatal');
  if (fatal.length > 0 || r.mainFileMissing) throw new Error(`configuration not loadable:\n${fatal.map((d) => d.message).join('\n')}`);
  return r.config;
}

/** A notify script appending "<its arguments>" to `<dir>/notify.log`; returns the path of the script. */
export function notifyScript(dir: string): { readonly script: string; readonly log: string; lines(): string[] } {
  const script = join(dir, 'notify.sh');
  const log = join(dir, 'notify.log');
  writeFileSync(script, `#!/bin/sh\necho "$*" >> '${log}'\n`);
  chmodSync(script, 0o755);
  return { script, log, lines: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : []) };
}

export interface RunningHost {
  readonly host: CheckerHost;
  readonly events: CheckerHostEvent[];
  readonly logs: string[];
  /** Polls host.snapshot() until `pred` holds and the applied (in-memory IPVS) table equals the desired one; returns that snapshot. */
  until(pred: (s: CheckerSnapshot) => boolean, what: string, limitMs?: number): Promise<CheckerSnapshot>;
  stop(): Promise<void>;
}

export async function runHost(config: KeepalivedConfig): Promise<RunningHost> {
  const events: CheckerHostEvent[] = [];
  const logs: string[] = [];
  const logger: CheckerLogger = {
    debug: (m) => logs.push(`debug ${m}`),
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m) => logs.push(`error ${m}`),
  };
  const host = startCheckerHost({ config, logger, ipvs: { mode: 'memory' }, workerUrl: await checkerWorkerUrl(), bootstrapDelayUs: 0, onEvent: (e) => events.push(e) });
  const until = async (pred: (s: CheckerSnapshot) => boolean, what: string, limitMs = 15_000): Promise<CheckerSnapshot> => {
    const end = Date.now() + limitMs;
    for (;;) {
      const s = await host.snapshot().catch(() => undefined);
      if (s !== undefined && tablesAgree(s) && pred(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last log lines:\n${logs.slice(-10).join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { host, events, logs, until, stop: () => host.stop() };
}

/** Waits until the notify log has a line equal to `line`. */
export async function waitForLine(lines: () => string[], line: string, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!lines().includes(line)) {
    if (Date.now() > end) throw new Error(`timed out waiting for notify line '${line}', have: ${JSON.stringify(lines())}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `address:port → weight` of every dest of the first service of the desired table. */
export function destWeights(s: CheckerSnapshot, serviceIndex = 0, which: 'desired' | 'applied' = 'desired'): Record<string, number> {
  const e = s[which][serviceIndex];
  return Object.fromEntries((e?.dests ?? []).map((d) => [`${d.address}:${d.port}`, d.weight]));
}

/** The IPVS table the worker programmed (memory backend) holds exactly the desired services and dests. */
export function tablesAgree(s: CheckerSnapshot): boolean {
  const norm = (entries: CheckerSnapshot['desired']): string =>
    JSON.stringify(
      entries
        .map((e) => ({ service: `${e.service.protocol ?? 'fwm'} ${e.service.address ?? ''}:${e.service.port} ${e.service.scheduler}`, dests: e.dests.map((d) => `${d.address}:${d.port} ${d.forwarding} ${d.weight}`).sort() }))
        .sort((a, b) => a.service.localeCompare(b.service)),
    );
  return norm(s.desired) === norm(s.applied);
}
