import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckerHost, type CheckerHostEvent, type CheckerLogger, type WorkerLike } from '../../src/check/host.js';
import { parseMainToWorker, parseWorkerToMain, type WorkerToMain } from '../../src/check/protocol.js';
import { runCheckerWorker } from '../../src/check/worker/runtime.js';
import { memoryBackend } from '../../src/check/ipvs-sync.js';
import { model } from './helpers.js';
import { startTcp, waitFor, type Running } from './servers.js';

describe('checker protocol validators', () => {
  it('accepts well-formed messages and rejects the rest', () => {
    const config = model('virtual_server 10.0.0.1 80 { protocol TCP\n real_server 10.0.0.2 80 { } }');
    expect(parseMainToWorker({ v: 1, type: 'start', config, options: { ipvs: 'memory', bootstrapDelayUs: null } })?.type).toBe('start');
    expect(parseMainToWorker({ v: 2, type: 'stop', keepIpvs: false })).toBeNull();
    expect(parseMainToWorker({ v: 1, type: 'stop' })).toBeNull();
    expect(parseMainToWorker({ v: 1, type: 'start', config: { virtualServers: 'x' }, options: { ipvs: 'memory', bootstrapDelayUs: null } })).toBeNull();
    expect(parseMainToWorker({ v: 1, type: 'query', id: 1, what: 'everything' })).toBeNull();
    expect(parseWorkerToMain({ v: 1, type: 'log', level: 'info', message: 'x' })).toEqual({ v: 1, type: 'log', level: 'info', message: 'x' });
    expect(parseWorkerToMain({ v: 1, type: 'log', level: 'loud', message: 'x' })).toBeNull();
    expect(parseWorkerToMain({ v: 1, type: 'effect', effect: { kind: 'script', reason: 'notify_up', subject: 's', argv: ['/bin/true', 1], user: null, group: null } })).toBeNull();
    expect(parseWorkerToMain({ v: 1, type: 'reply', id: 3, snapshot: { ipvs: { backend: 'memory' } } })).toBeNull();
    expect(parseWorkerToMain(null)).toBeNull();
    expect(parseWorkerToMain('stopped')).toBeNull();
  });
});

function confFor(port: number, extra = ''): string {
  return `global_defs { router_id t }
virtual_server 10.0.0.1 80 {
  protocol TCP
  lb_algo rr
  delay_loop 0.1
  omega
  ${extra}
  real_server 127.0.0.1 ${port} {
    TCP_CHECK { connect_timeout 0.5
      retry 0 }
  }
}`;
}

describe('checker worker runtime (in-process MessageChannel)', () => {
  it('starts, reports the table, answers dump/snapshot, and removes its IPVS entries at stop', async () => {
    const srv = await startTcp();
    const { port1, port2 } = new MessageChannel();
    const backend = memoryBackend();
    runCheckerWorker(port2, { openKernel: () => Promise.resolve(backend) });
    const got: WorkerToMain[] = [];
    port1.on('message', (m: unknown) => {
      const p = parseWorkerToMain(m);
      if (p !== null) got.push(p);
    });
    port1.postMessage({ v: 1, type: 'bogus' });
    port1.postMessage({ v: 1, type: 'start', config: model(confFor(srv.port)), options: { ipvs: 'kernel', bootstrapDelayUs: 0 } });
    try {
      await waitFor(() => got.some((m) => m.type === 'table' && m.dests === 1), 'table event');
      expect(got.find((m) => m.type === 'ready')).toEqual({ v: 1, type: 'ready', ipvs: 'memory' });
      expect(got.some((m) => m.type === 'log' && m.level === 'error' && m.message.includes('invalid message'))).toBe(true);
      expect((await backend.dump()).map((e) => e.dests.length)).toEqual([1]);

      port1.postMessage({ v: 1, type: 'query', id: 7, what: 'dump' });
      await waitFor(() => got.some((m) => m.type === 'reply'), 'dump reply');
      const reply = got.find((m) => m.type === 'reply');
      const dump = reply !== undefined && 'dump' in reply ? reply.dump : '';
      expect(dump).toContain('Virtual server [10.0.0.1]:tcp:80');
      expect(dump).toContain(`  -> 127.0.0.1:${srv.port}`);

      port1.postMessage({ v: 1, type: 'stop', keepIpvs: false });
      await waitFor(() => got.some((m) => m.type === 'stopped'), 'stopped');
      expect(await backend.dump()).toEqual([]);
      expect(got.some((m) => m.type === 'effect' && m.effect.kind === 'fifo' && m.effect.line === 'VS [10.0.0.1]:tcp:80 DOWN')).toBe(true); // omega
    } finally {
      port1.close();
      await srv.close();
    }
  });
});

describe('checker host with a real worker thread', () => {
  let workerUrl: URL;
  let srv: Running;
  beforeAll(async () => {
    const dir = join(process.cwd(), 'node_modules', '.cache', 'kts-h8');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'checker-worker.mjs');
    await build({ entryPoints: ['src/check/worker/worker-main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'silent' });
    workerUrl = new URL(`file://${outfile}`);
    srv = await startTcp();
  });
  afterAll(async () => {
    await srv.close();
  });

  it('runs the checkers in a worker, restarts it when it dies, and stops cleanly', async () => {
    const lines: string[] = [];
    const logger: CheckerLogger = {
      debug: (m) => lines.push(`debug ${m}`),
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
    };
    const events: CheckerHostEvent[] = [];
    const workers: Worker[] = [];
    const host = startCheckerHost({
      config: model(confFor(srv.port)),
      logger,
      ipvs: { mode: 'kernel' },
      workerUrl,
      bootstrapDelayUs: 0,
      restart: { initialDelayMs: 50 },
      onEvent: (e) => events.push(e),
      createWorker: (u) => {
        const w = new Worker(u);
        workers.push(w);
        return w as unknown as WorkerLike;
      },
    });
    try {
      await waitFor(() => events.some((e) => e.type === 'table' && e.dests === 1), 'first table');
      const snap = await host.snapshot();
      expect(snap.pool.virtualServers[0]?.realServers[0]?.alive).toBe(true);
      expect(snap.applied[0]?.dests[0]?.port).toBe(srv.port);
      // This kernel may or may not have IPVS; either way the table is observable and checkers run.
      expect(['kernel', 'memory']).toContain(snap.ipvs.backend);
      if (snap.ipvs.backend === 'memory') expect(lines.some((l) => l.startsWith("warn IPVS: Can't initialize ipvs"))).toBe(true);

      await workers[0]?.terminate();
      await waitFor(() => host.generation === 2 && events.filter((e) => e.type === 'ready').length === 2, 'worker restart');
      expect(events.find((e) => e.type === 'worker-exit')).toMatchObject({ type: 'worker-exit', restartInMs: 50 });
      expect(lines.some((l) => l.startsWith('error Healthcheck child process exited'))).toBe(true);
      expect(await host.dump()).toContain('------< IPVS >------');
    } finally {
      await host.stop();
    }
    await expect(host.dump()).rejects.toThrow('not running');
  });
});

describe('checker host effects', () => {
  let workerUrl: URL;
  const dir = mkdtempSync(join(tmpdir(), 'kts-h8-fx-'));
  beforeAll(async () => {
    const cache = join(process.cwd(), 'node_modules', '.cache', 'kts-h8');
    mkdirSync(cache, { recursive: true });
    const outfile = join(cache, 'checker-worker-fx.mjs');
    await build({ entryPoints: ['src/check/worker/worker-main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'silent' });
    workerUrl = new URL(`file://${outfile}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs notify_down and writes the LVS FIFO lines when a real server fails', async () => {
    const srv = await startTcp();
    const fifo = join(dir, 'lvs.fifo');
    execFileSync('mkfifo', [fifo]);
    const marker = join(dir, 'down.txt');
    const script = join(dir, 'down.sh');
    writeFileSync(script, `#!/bin/sh\necho "$@" >> ${marker}\n`);
    chmodSync(script, 0o755);
    const received: string[] = [];
    const reader = createReadStream(fifo, { encoding: 'utf8' });
    reader.on('data', (d) => received.push(String(d)));
    const config = model(`global_defs { lvs_notify_fifo ${fifo} }
virtual_server 10.0.0.1 80 {
  protocol TCP
  delay_loop 0.1
  real_server 127.0.0.1 ${srv.port} {
    notify_down "${script} rs-down"
    TCP_CHECK { connect_timeout 0.5
      retry 0 }
  }
}`);
    const silent: CheckerLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const host = startCheckerHost({ config, logger: silent, ipvs: { mode: 'memory' }, workerUrl, bootstrapDelayUs: 0 });
    try {
      const snap = async (): Promise<number> => (await host.snapshot()).checkers[0]?.attempts ?? 0;
      let attempts = 0;
      while (attempts === 0) {
        await new Promise((r) => setTimeout(r, 20));
        attempts = await snap().catch(() => 0);
      }
      await srv.close();
      await waitFor(() => existsSync(marker), 'notify_down script');
      expect(readFileSync(marker, 'utf8')).toBe('rs-down\n');
      await waitFor(() => received.join('').includes('DOWN'), 'RS DOWN line');
      expect(received.join('')).toContain(`RS [127.0.0.1]:tcp:${srv.port} [10.0.0.1]:tcp:80 DOWN\n`);
    } finally {
      await host.stop();
      reader.destroy();
    }
  });

  it('starts lvs_notify_fifo_script on the LVS FIFO and stops it with the host', async () => {
    const srv = await startTcp();
    const fifo = join(dir, 'lvs2.fifo');
    execFileSync('mkfifo', [fifo]);
    const out = join(dir, 'fifo-lines.txt');
    const reader = join(dir, 'reader.sh');
    writeFileSync(reader, `#!/bin/sh\nwhile read line; do echo "$line" >> ${out}; done < "$1"\n`);
    chmodSync(reader, 0o755);
    const config = model(`global_defs {
  lvs_notify_fifo ${fifo}
  lvs_notify_fifo_script ${reader}
}
virtual_server 10.0.0.1 80 {
  protocol TCP
  delay_loop 0.1
  real_server 127.0.0.1 ${srv.port} { TCP_CHECK { connect_timeout 0.5
      retry 0 } }
}`);
    const silent: CheckerLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const host = startCheckerHost({ config, logger: silent, ipvs: { mode: 'memory' }, workerUrl, bootstrapDelayUs: 0 });
    try {
      await srv.close();
      await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').includes('DOWN'), 'line read by the fifo script');
      expect(readFileSync(out, 'utf8')).toContain(`RS [127.0.0.1]:tcp:${srv.port} [10.0.0.1]:tcp:80 DOWN`);
    } finally {
      await host.stop();
    }
  });
});
