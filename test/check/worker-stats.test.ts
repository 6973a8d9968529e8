/**
 * The worker's `stats` messages end to end (in-process runtime on a MessageChannel, then a real worker
 * thread under the host): checks are counted, a failing real server is reported as a transition and in the
 * real server table, IPVS failures are counted; `debug-crash` kills a real worker thread and the host's
 * supervisor brings it back with its checks running again.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckerStats } from '../../src/check/check-stats.js';
import { startCheckerHost, type CheckerHostEvent, type WorkerLike } from '../../src/check/host.js';
import { memoryBackend, type IpvsBackend } from '../../src/check/ipvs-sync.js';
import { parseWorkerToMain } from '../../src/check/protocol.js';
import { runCheckerWorker } from '../../src/check/worker/runtime.js';
import { model } from './helpers.js';
import { startTcp, waitFor } from './servers.js';

function confFor(port: number): string {
  return `global_defs { router_id t }
virtual_server 10.0.0.1 80 {
  protocol TCP
  lb_algo rr
  delay_loop 0.1
  real_server 127.0.0.1 ${port} {
    TCP_CHECK { connect_timeout 0.5
      retry 0 }
  }
}`;
}

const sum = (all: readonly CheckerStats[], f: (s: CheckerStats) => number): number => all.reduce((n, s) => n + f(s), 0);

describe('checker worker stats (in-process runtime)', () => {
  it('reports successes, then the failure, the down transition and the new real server table', async () => {
    const srv = await startTcp();
    const { port1, port2 } = new MessageChannel();
    runCheckerWorker(port2, { openKernel: () => Promise.resolve(memoryBackend()), statsIntervalMs: 50 });
    const stats: CheckerStats[] = [];
    port1.on('message', (raw: unknown) => {
      const m = parseWorkerToMain(raw);
      if (m?.type === 'stats') stats.push(m.stats);
    });
    port1.postMessage({ v: 1, type: 'start', config: model(confFor(srv.port)), options: { ipvs: 'kernel', bootstrapDelayUs: 0 } });
    try {
      await waitFor(() => sum(stats, (s) => s.checks.reduce((n, c) => n + c.successes, 0)) >= 3, 'three successful checks');
      const rs = `[127.0.0.1]:tcp:${srv.port}`;
      expect(stats.flatMap((s) => s.checks).every((c) => c.id === '0/0/0' && c.kind === 'TCP_CHECK' && c.realServer === rs && c.virtualServer === '[10.0.0.1]:tcp:80')).toBe(true);
      expect(stats.flatMap((s) => s.realServers ?? []).at(-1)).toEqual({ virtualServer: '[10.0.0.1]:tcp:80', realServer: rs, alive: true, weight: 1 });
      // Without `alpha` a real server starts alive: its first sighting is not a transition.
      expect(sum(stats, (s) => s.rsTransitions.reduce((n, t) => n + t.up, 0))).toBe(0);
      const durations = stats.flatMap((s) => s.durations);
      expect(sum(stats, (s) => s.durations.reduce((n, d) => n + d.count, 0))).toBe(sum(stats, (s) => s.checks.reduce((n, c) => n + c.successes + c.failures, 0)));
      expect(durations.every((d) => d.kind === 'TCP_CHECK' && d.sumS >= 0)).toBe(true);

      await srv.close();
      await waitFor(() => sum(stats, (s) => s.rsTransitions.reduce((n, t) => n + t.down, 0)) === 1, 'down transition');
      expect(sum(stats, (s) => s.checks.reduce((n, c) => n + c.failures, 0))).toBeGreaterThanOrEqual(1);
      expect(stats.flatMap((s) => s.realServers ?? []).at(-1)).toMatchObject({ alive: false, weight: 0 });
    } finally {
      port1.postMessage({ v: 1, type: 'stop', keepIpvs: false });
      await new Promise((r) => setTimeout(r, 50));
      port1.close();
    }
  });

  it('counts refused IPVS operations by operation', async () => {
    const srv = await startTcp();
    const mem = memoryBackend();
    const refusing: IpvsBackend = { ...mem, apply: (op) => (op.op === 'add-dest' ? Promise.reject(new Error('EPERM')) : mem.apply(op)) };
    const { port1, port2 } = new MessageChannel();
    runCheckerWorker(port2, { openKernel: () => Promise.resolve(refusing), statsIntervalMs: 50 });
    const stats: CheckerStats[] = [];
    port1.on('message', (raw: unknown) => {
      const m = parseWorkerToMain(raw);
      if (m?.type === 'stats') stats.push(m.stats);
    });
    port1.postMessage({ v: 1, type: 'start', config: model(confFor(srv.port)), options: { ipvs: 'kernel', bootstrapDelayUs: 0 } });
    try {
      await waitFor(() => stats.some((s) => s.ipvsErrors.length > 0), 'an IPVS error in the stats');
      expect(stats.flatMap((s) => s.ipvsErrors).map((e) => e.op)).toContain('add-dest');
      expect(stats.flatMap((s) => s.ipvsErrors).every((e) => e.op === 'add-dest' && e.count >= 1)).toBe(true);
    } finally {
      port1.postMessage({ v: 1, type: 'stop', keepIpvs: false });
      await new Promise((r) => setTimeout(r, 50));
      port1.close();
      await srv.close();
    }
  });
});

describe('debug-crash of a real checker worker thread', () => {
  let workerUrl: URL;
  beforeAll(async () => {
    const dir = join(process.cwd(), 'node_modules', '.cache', 'kts-checkops');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'checker-worker.mjs');
    await build({ entryPoints: ['src/check/worker/worker-main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'silent' });
    workerUrl = new URL(`file://${outfile}`);
  });

  it('dies of an uncaught exception, is restarted by the supervisor, and checks again', async () => {
    const srv = await startTcp();
    const lines: string[] = [];
    const events: CheckerHostEvent[] = [];
    const exits: number[] = [];
    const host = startCheckerHost({
      config: model(confFor(srv.port)),
      logger: { debug: () => {}, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) },
      ipvs: { mode: 'memory' },
      workerUrl,
      bootstrapDelayUs: 0,
      restart: { initialDelayMs: 50 },
      onEvent: (e) => events.push(e),
      createWorker: (u) => {
        const w = new Worker(u);
        w.on('exit', (code) => exits.push(code));
        return w as unknown as WorkerLike;
      },
    });
    const successes = (): number =>
      events.reduce((n, e) => n + (e.type === 'stats' ? e.stats.checks.reduce((k, c) => k + c.successes, 0) : 0), 0);
    try {
      await waitFor(() => successes() >= 1, 'checks before the crash');
      expect(host.debugCrash()).toBe(true);
      await waitFor(() => host.generation === 2 && events.filter((e) => e.type === 'ready').length === 2, 'restart after the crash');
      // A real crash: the thread exited with status 1 after an uncaught error, not through terminate().
      expect(exits[0]).toBe(1);
      expect(lines.some((l) => l.startsWith('error checker worker error: debug-crash-checker'))).toBe(true);
      expect(lines.some((l) => l.startsWith('error Healthcheck child process exited with status 1'))).toBe(true);
      expect(events.find((e) => e.type === 'worker-exit')).toMatchObject({ code: 1, restartInMs: 50 });
      const before = successes();
      await waitFor(() => successes() > before, 'checks after the restart');
      expect((await host.snapshot()).applied[0]?.dests[0]?.port).toBe(srv.port);
    } finally {
      await host.stop();
      await srv.close();
    }
    expect(host.debugCrash()).toBe(false);
  });
});
