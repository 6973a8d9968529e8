/**
 * Real-time signals (SIGRTMIN..SIGRTMAX) on the event loop: keepalived's JSON dump is SIGRTMIN+2 (36)
 * and STATS_CLEAR is SIGRTMAX-1 (63). Node.js only knows named signals (`process.on('SIGUSR1')`) and
 * a real-time signal's default action terminates the process, so the handlers live in the native
 * addon (`rtSignalsOpen`: sigaction() → one byte per signal written to a self-pipe). This module owns
 * the JavaScript side: one shared poller on the pipe's read end that drains it and dispatches each
 * signal number to the listeners registered for it. A signal nobody listens to any more is set to
 * SIG_IGN (never back to SIG_DFL, which would kill the process).
 */
import { readSync } from 'node:fs';
import { loadNative } from './index.js';
import type { KtsNative, NativePollHandle } from './index.js';

export type RealtimeSignalHandler = (signo: number) => void;

/** glibc's SIGRTMIN / SIGRTMAX on Linux (the two lowest real-time signals are glibc's own). */
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;

interface Dispatcher {
  readonly native: KtsNative;
  readonly fd: number;
  readonly poll: NativePollHandle;
  readonly listeners: Map<number, Set<RealtimeSignalHandler>>;
}

let dispatcher: Dispatcher | undefined;
const readBuffer = Buffer.alloc(256);

function isAgain(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Reads every queued signal byte, then calls the listeners in arrival order. */
function drain(d: Dispatcher): void {
  const received: number[] = [];
  for (;;) {
    let n: number;
    try {
      n = readSync(d.fd, readBuffer, 0, readBuffer.length, null);
    } catch (err) {
      if (isAgain(err)) break;
      throw err;
    }
    if (n <= 0) break;
    for (let i = 0; i < n; i++) received.push(readBuffer[i] ?? 0);
  }
  for (const signo of received) {
    for (const h of [...(d.listeners.get(signo) ?? [])]) h(signo);
  }
}

/**
 * Calls `handler(signo)` on the event loop for each of `signals` the process receives. Returns a
 * function that removes the handler. Throws KTS_NATIVE_MISSING without the addon and a RangeError
 * for a number outside SIGRTMIN..SIGRTMAX. The pipe poller does not keep the event loop alive.
 */
export function onRealtimeSignals(
  signals: readonly number[],
  handler: RealtimeSignalHandler,
  native: KtsNative = loadNative(),
): () => void {
  const fd = native.rtSignalsOpen(signals);
  if (dispatcher === undefined || dispatcher.native !== native) {
    const listeners = new Map<number, Set<RealtimeSignalHandler>>();
    const d: { current?: Dispatcher } = {};
    const poll = native.pollStart(fd, (status) => {
      if (status >= 0 && d.current !== undefined) drain(d.current);
    });
    native.pollRef(poll, false);
    d.current = { native, fd, poll, listeners };
    dispatcher = d.current;
  }
  const active = dispatcher;
  for (const s of signals) {
    const set = active.listeners.get(s) ?? new Set<RealtimeSignalHandler>();
    set.add(handler);
    active.listeners.set(s, set);
  }
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const idle: number[] = [];
    for (const s of signals) {
      const set = active.listeners.get(s);
      set?.delete(handler);
      if (set !== undefined && set.size === 0) {
        active.listeners.delete(s);
        idle.push(s);
      }
    }
    if (idle.length > 0) active.native.rtSignalsIgnore(idle);
  };
}
