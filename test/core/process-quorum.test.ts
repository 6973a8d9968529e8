import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialQuorumState, inQuorum, stepProcessQuorum } from '../../src/vrrp/tracking/process-quorum.js';
import type { ProcessCountEvent, ProcessQuorumParams, ProcessQuorumState } from '../../src/vrrp/tracking/process-quorum.js';

const params = (p: Partial<ProcessQuorumParams> = {}): ProcessQuorumParams => ({ quorum: 1, quorumMax: 4294967295, forkDelayUs: 0, terminateDelayUs: 0, ...p });

function run(p: ProcessQuorumParams, start: number, events: readonly ProcessCountEvent[]): { state: ProcessQuorumState; flips: boolean[] } {
  let state = initialQuorumState(p, start);
  const flips: boolean[] = [];
  for (const ev of events) {
    const s = stepProcessQuorum(p, state, ev);
    state = s.state;
    if (s.changed) flips.push(state.haveQuorum);
  }
  return { state, flips };
}

describe('process quorum without delays', () => {
  it('UP while the count is within [quorum, quorum_max]', () => {
    const p = params({ quorum: 2, quorumMax: 3 });
    expect(initialQuorumState(p, 1).haveQuorum).toBe(false);
    expect(initialQuorumState(p, 2).haveQuorum).toBe(true);
    expect(initialQuorumState(p, 4).haveQuorum).toBe(false);
    const r = run(p, 0, ['exec', 'exec', 'exec', 'exec', 'exit', 'exit', 'exit']);
    // 1 2↑ 3 4↓ 3↑ 2 1↓
    expect(r.flips).toEqual([true, false, true, false]);
    expect(r.state).toEqual({ count: 1, haveQuorum: false, timer: null });
  });

  it('quorum_max 0: UP only while no matching process runs', () => {
    const p = params({ quorum: 0, quorumMax: 0 });
    const r = run(p, 0, ['exec', 'exit']);
    expect(initialQuorumState(p, 0).haveQuorum).toBe(true);
    expect(r.flips).toEqual([false, true]);
  });

  it('an exit at count 0 does not go negative', () => {
    const s = stepProcessQuorum(params(), initialQuorumState(params(), 0), 'exit');
    expect(s.state.count).toBe(0);
    expect(s.changed).toBe(false);
  });

  it('property: without delays the status always equals the count being in range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.constantFrom<ProcessCountEvent>('exec', 'fork', 'exit', 'unmatch'), { maxLength: 40 }),
        (quorum, extra, events) => {
          const p = params({ quorum: Math.max(quorum, 0), quorumMax: quorum + extra });
          let state = initialQuorumState(p, 0);
          for (const ev of events) {
            const s = stepProcessQuorum(p, state, ev);
            expect(s.armTimer).toBeNull();
            state = s.state;
            expect(state.haveQuorum).toBe(inQuorum(p, state.count));
          }
        },
      ),
    );
  });
});

describe('fork_delay / terminate_delay', () => {
  it('terminate_delay holds the UP status after the last process exits, then drops it', () => {
    const p = params({ terminateDelayUs: 2_000_000 });
    const exit = stepProcessQuorum(p, initialQuorumState(p, 1), 'exit');
    expect(exit.changed).toBe(false);
    expect(exit.state).toEqual({ count: 0, haveQuorum: true, timer: 'terminate' });
    expect(exit.armTimer).toEqual({ kind: 'terminate', delayUs: 2_000_000 });
    const fired = stepProcessQuorum(p, exit.state, 'timer');
    expect(fired.changed).toBe(true);
    expect(fired.state).toEqual({ count: 0, haveQuorum: false, timer: null });
  });

  it('a restart inside terminate_delay cancels the timer without a flap', () => {
    const p = params({ terminateDelayUs: 2_000_000 });
    const exit = stepProcessQuorum(p, initialQuorumState(p, 1), 'exit');
    const back = stepProcessQuorum(p, exit.state, 'exec');
    expect(back.changed).toBe(false);
    expect(back.cancelTimer).toBe(true);
    expect(back.state).toEqual({ count: 1, haveQuorum: true, timer: null });
  });

  it('fork_delay applies to forks only; an exec gains quorum at once', () => {
    const p = params({ quorum: 2, forkDelayUs: 500_000 });
    const fork = stepProcessQuorum(p, initialQuorumState(p, 1), 'fork');
    expect(fork.changed).toBe(false);
    expect(fork.armTimer).toEqual({ kind: 'fork', delayUs: 500_000 });
    expect(stepProcessQuorum(p, fork.state, 'timer')).toMatchObject({ changed: true, state: { haveQuorum: true, timer: null } });
    const exec = stepProcessQuorum(p, initialQuorumState(p, 1), 'exec');
    expect(exec).toMatchObject({ changed: true, armTimer: null, state: { count: 2, haveQuorum: true } });
  });

  it('a child exiting inside fork_delay cancels the timer (fork/exec does not bounce quorum_max)', () => {
    const p = params({ quorum: 1, quorumMax: 1, forkDelayUs: 500_000, terminateDelayUs: 500_000 });
    const fork = stepProcessQuorum(p, initialQuorumState(p, 1), 'fork');
    expect(fork.state).toEqual({ count: 2, haveQuorum: true, timer: 'fork' });
    const gone = stepProcessQuorum(p, fork.state, 'unmatch');
    expect(gone).toMatchObject({ changed: false, cancelTimer: true, state: { count: 1, haveQuorum: true, timer: null } });
  });

  it('a process that stops matching without exiting drops quorum at once, even with terminate_delay', () => {
    const p = params({ terminateDelayUs: 5_000_000 });
    const s = stepProcessQuorum(p, initialQuorumState(p, 1), 'unmatch');
    expect(s).toMatchObject({ changed: true, armTimer: null, state: { count: 0, haveQuorum: false } });
  });

  it('a stray timer event without a pending timer changes nothing', () => {
    const p = params({ quorum: 2 });
    const s = stepProcessQuorum(p, initialQuorumState(p, 1), 'timer');
    expect(s).toMatchObject({ changed: false, state: { count: 1, haveQuorum: false, timer: null } });
  });
});
