import { describe, expect, it } from 'vitest';
import { nativeAvailable } from '../../../src/io/native/index.js';
import { onRealtimeSignals } from '../../../src/io/native/rt-signals.js';

/** Resolves after `n` handler calls (or rejects after a generous wall-clock guard, not a timing assertion). */
function collect(signals: readonly number[], n: number): { done: Promise<number[]>; off: () => void } {
  const got: number[] = [];
  let resolve: (v: number[]) => void = () => undefined;
  const done = new Promise<number[]>((res, rej) => {
    resolve = res;
    setTimeout(() => rej(new Error(`only ${got.length} of ${n} signals arrived: ${got.join(',')}`)), 5000).unref();
  });
  const off = onRealtimeSignals(signals, (s) => {
    got.push(s);
    if (got.length === n) resolve(got);
  });
  return { done, off };
}

describe.skipIf(!nativeAvailable())('native real-time signal handlers', () => {
  it('delivers SIGRTMIN+2 and SIGRTMAX-1 sent to the process on the event loop instead of terminating it', async () => {
    const { done, off } = collect([36, 63], 3);
    process.kill(process.pid, 36);
    process.kill(process.pid, 63);
    process.kill(process.pid, 36);
    const got = await done;
    off();
    // Real-time signals are queued, not merged: each one arrives, lower numbers first when pending together.
    expect([...got].sort((a, b) => a - b)).toEqual([36, 36, 63]);
  });

  it('dispatches a signal only to the listeners registered for it', async () => {
    const a = collect([40], 1);
    const seenB: number[] = [];
    const offB = onRealtimeSignals([41], (s) => seenB.push(s));
    process.kill(process.pid, 40);
    expect(await a.done).toEqual([40]);
    a.off();
    offB();
    expect(seenB).toEqual([]);
  });

  it('leaves a signal ignored (not fatal) once its last listener is removed', async () => {
    const { done, off } = collect([42], 1);
    off();
    process.kill(process.pid, 42);
    // The process survives; a fresh listener on another signal still works afterwards.
    const later = collect([43], 1);
    process.kill(process.pid, 43);
    expect(await later.done).toEqual([43]);
    later.off();
    void done.catch(() => undefined);
  });

  it('rejects numbers outside SIGRTMIN..SIGRTMAX', () => {
    expect(() => onRealtimeSignals([10], () => undefined)).toThrow(/real-time signal/);
  });
});
