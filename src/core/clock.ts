/**
 * Time for the daemon: the Clock port (monotonic microseconds + one-shot timers) with the real
 * implementation on `process.hrtime` / `setTimeout`, and a deterministic fake for tests.
 *
 * Everything protocol-related (FSM timers, rate limits, failover measurements) runs on `nowUs()` from
 * this port, never on `Date.now()`, so tests can drive time explicitly.
 */

/** Opaque handle of a pending timer. */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Monotonic time in microseconds (arbitrary origin). */
  nowUs(): number;
  /** Calls `cb` once after `delayUs` (clamped to ≥ 0). */
  setTimer(delayUs: number, cb: () => void): TimerHandle;
  /** Cancels a pending timer; harmless when it already fired or was cleared. */
  clearTimer(h: TimerHandle | undefined): void;
}

/** Node's setTimeout has millisecond resolution; we round up so a timer never fires early. */
export function createRealClock(): Clock {
  const pending = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    nowUs: () => Number(process.hrtime.bigint() / 1000n),
    setTimer(delayUs, cb) {
      const id = nextId++;
      const ms = Math.max(0, Math.ceil(delayUs / 1000));
      const t = setTimeout(() => {
        pending.delete(id);
        cb();
      }, ms);
      pending.set(id, t);
      return { id };
    },
    clearTimer(h) {
      if (h === undefined) return;
      const t = pending.get(h.id);
      if (t !== undefined) {
        clearTimeout(t);
        pending.delete(h.id);
      }
    },
  };
}

/** Deterministic clock: time moves only through `advance()`; due timers fire in deadline order. */
export class FakeClock implements Clock {
  private now: number;
  private nextId = 1;
  private readonly timers = new Map<number, { readonly dueUs: number; readonly seq: number; readonly cb: () => void }>();

  constructor(startUs = 1_000_000) {
    this.now = startUs;
  }

  nowUs(): number {
    return this.now;
  }

  setTimer(delayUs: number, cb: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { dueUs: this.now + Math.max(0, delayUs), seq: id, cb });
    return { id };
  }

  clearTimer(h: TimerHandle | undefined): void {
    if (h !== undefined) this.timers.delete(h.id);
  }

  /** Number of timers still pending. */
  get pendingCount(): number {
    return this.timers.size;
  }

  /** Deadline of the earliest pending timer, if any. */
  nextDueUs(): number | undefined {
    let best: number | undefined;
    for (const t of this.timers.values()) if (best === undefined || t.dueUs < best) best = t.dueUs;
    return best;
  }

  /** Moves time forward by `us`, firing every timer that falls due (including ones set by callbacks). */
  advance(us: number): void {
    const end = this.now + us;
    for (;;) {
      let pick: [number, { dueUs: number; seq: number; cb: () => void }] | undefined;
      for (const e of this.timers) {
        if (e[1].dueUs > end) continue;
        if (pick === undefined || e[1].dueUs < pick[1].dueUs || (e[1].dueUs === pick[1].dueUs && e[1].seq < pick[1].seq)) pick = e;
      }
      if (pick === undefined) break;
      this.timers.delete(pick[0]);
      this.now = Math.max(this.now, pick[1].dueUs);
      pick[1].cb();
    }
    this.now = end;
  }
}
