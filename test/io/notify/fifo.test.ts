// FIFO writer: creation, ordered delivery, queueing while nobody reads, reopen after the reader
// goes away; the fifo script gets the FIFO path as its last argument.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FifoWriter } from '../../../src/io/notify/fifo-writer.js';
import { startFifoScript } from '../../../src/io/notify/fifo-script.js';
import { nativeAvailable } from '../../../src/io/native/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-h6b-fifo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `cat FIFO` reader collecting what it reads. */
function reader(path: string): { proc: ChildProcess; text: () => string; waitFor: (n: number) => Promise<string[]> } {
  const proc = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  proc.stdout?.on('data', (d: Buffer) => { text += d.toString(); });
  const lines = (): string[] => text.split('\n').filter((l) => l !== '');
  return {
    proc,
    text: () => text,
    waitFor: async (n) => {
      for (let i = 0; i < 200 && lines().length < n; i++) await new Promise((r) => setTimeout(r, 10));
      return lines();
    },
  };
}

const waitUntil = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe.skipIf(!nativeAvailable())('FifoWriter', () => {
  it('creates the FIFO, queues while nobody reads, then delivers in order', async () => {
    const path = join(dir, 'notify.fifo');
    const w = new FifoWriter(path, { retryMs: 20 });
    expect(lstatSync(path).isFIFO()).toBe(true);
    for (let i = 1; i <= 3; i++) w.write(`INSTANCE "VI_${i}" MASTER 100`);
    expect(w.stats()).toMatchObject({ written: 0, queued: 3 });
    const r = reader(path);
    for (let i = 4; i <= 50; i++) w.write(`INSTANCE "VI_${i}" BACKUP ${i}\n`);
    const lines = await r.waitFor(50);
    expect(lines).toEqual([
      ...[1, 2, 3].map((i) => `INSTANCE "VI_${i}" MASTER 100`),
      ...Array.from({ length: 47 }, (_, k) => `INSTANCE "VI_${k + 4}" BACKUP ${k + 4}`),
    ]);
    expect(w.stats()).toMatchObject({ written: 50, queued: 0, dropped: 0 });
    r.proc.kill();
    w.close();
    expect(existsSync(path)).toBe(false); // we created it, we remove it
  });

  it('reopens after the reader goes away and keeps order', async () => {
    const path = join(dir, 'reopen.fifo');
    const w = new FifoWriter(path, { retryMs: 20 });
    const first = reader(path);
    w.write('one');
    expect(await first.waitFor(1)).toEqual(['one']);
    first.proc.kill();
    await new Promise((r) => first.proc.once('exit', r));
    w.write('two');
    w.write('three');
    await waitUntil(() => w.stats().queued === 2);
    expect(w.stats().queued).toBe(2);
    const second = reader(path);
    expect(await second.waitFor(2)).toEqual(['two', 'three']);
    expect(w.stats()).toMatchObject({ written: 3, reopened: 1 });
    second.proc.kill();
    w.close();
  });

  it('drops the oldest lines beyond maxQueuedLines and counts them', () => {
    const path = join(dir, 'bounded.fifo');
    const w = new FifoWriter(path, { maxQueuedLines: 2, retryMs: 1000 });
    w.write('a');
    w.write('b');
    w.write('c');
    expect(w.stats()).toMatchObject({ queued: 2, dropped: 1 });
    w.close();
  });

  it('refuses a path that is not a FIFO and leaves an existing FIFO in place', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    expect(() => new FifoWriter(file)).toThrow(expect.objectContaining({ code: 'KTS_FIFO_NOT_FIFO' }));
    const path = join(dir, 'existing.fifo');
    new FifoWriter(path).close();
    expect(existsSync(path)).toBe(false);
    const keep = new FifoWriter(join(dir, 'keep.fifo'));
    const again = new FifoWriter(join(dir, 'keep.fifo'));
    again.close();
    expect(lstatSync(join(dir, 'keep.fifo')).isFIFO()).toBe(true);
    keep.close();
  });

  it('runs notify_fifo_script with the FIFO path as last argument and stops it with SIGTERM', async () => {
    const path = join(dir, 'script.fifo');
    const out = join(dir, 'script.out');
    const script = join(dir, 'fifo-reader.sh');
    writeFileSync(script, `#!/bin/sh\necho "args: $*" > ${out}\nexec cat "$2" >> ${out}\n`);
    chmodSync(script, 0o755);
    const w = new FifoWriter(path, { retryMs: 20 });
    const h = startFifoScript([script, 'first-arg'], path);
    w.write('GROUP "G1" MASTER 0');
    await waitUntil(() => existsSync(out) && readFileSync(out, 'utf8').includes('GROUP'));
    expect(readFileSync(out, 'utf8')).toBe(`args: first-arg ${path}\nGROUP "G1" MASTER 0\n`);
    h.kill();
    expect(await h.result).toMatchObject({ status: 'signaled', signal: 'SIGTERM' });
    w.close();
  });
});
