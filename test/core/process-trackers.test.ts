import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { procFsSource, ProcessTrackers } from '../../src/core/process-trackers.js';
import type { ProcSource } from '../../src/core/process-trackers.js';
import type { ProcEventsHandlers } from '../../src/core/proc-events.js';
import type { TrackProcess } from '../../src/config/model.js';
import type { TrackerObservation } from '../../src/vrrp/tracking/priority.js';

interface FakeProc {
  comm: string;
  ppid: number;
  state: string;
  start: number;
  cmdline: string;
}

/** A /proc made of recorded-like entries that tests mutate between polls. */
class FakeProcFs implements ProcSource {
  readonly procs = new Map<number, FakeProc>();
  statReads = 0;
  private tick = 100;

  spawn(pid: number, comm: string, opts: { ppid?: number; argv?: readonly string[] } = {}): void {
    this.procs.set(pid, { comm, ppid: opts.ppid ?? 1, state: 'S', start: this.tick++, cmdline: (opts.argv ?? [comm]).map((a) => `${a}\0`).join('') });
  }
  kill(pid: number, zombie = false): void {
    const p = this.procs.get(pid);
    if (p === undefined) return;
    if (zombie) p.state = 'Z';
    else this.procs.delete(pid);
  }
  listPids(): readonly number[] {
    return [...this.procs.keys()];
  }
  readStat(pid: number): string | null {
    this.statReads++;
    const p = this.procs.get(pid);
    return p === undefined ? null : `${pid} (${p.comm}) ${p.state} ${p.ppid} ${pid} ${pid} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 ${p.start} 1000 10`;
  }
  readCmdline(pid: number): string | null {
    const p = this.procs.get(pid);
    return p === undefined ? null : p.state === 'Z' ? '' : p.cmdline;
  }
}

const tp = (name: string, p: Partial<TrackProcess>): TrackProcess => ({
  name,
  pos: { file: 'k.conf', line: 1 },
  process: name,
  params: [],
  paramMatch: 'none',
  weight: 0,
  weightReverse: false,
  quorum: 1,
  quorumMax: 4294967295,
  forkDelayUs: 0,
  terminateDelayUs: 0,
  fullCommand: false,
  ...p,
});

function setup(procs: readonly TrackProcess[], fs: FakeProcFs) {
  const clock = new FakeClock();
  const seen: [string, TrackerObservation][] = [];
  const t = new ProcessTrackers(procs, clock, silentLogger(), (n, o) => void seen.push([n, o]), { source: fs, pollIntervalUs: 100_000, fullRescanUs: 1_000_000, procEvents: null });
  return { clock, seen, t };
}

describe('ProcessTrackers', () => {
  it('the startup scan decides the initial status without a change event', () => {
    const fs = new FakeProcFs();
    fs.spawn(10, 'haproxy');
    fs.spawn(11, 'nginx');
    const { t, seen } = setup([tp('haproxy', {}), tp('squid', {})], fs);
    expect(t.observation('haproxy')).toEqual({ kind: 'up' });
    expect(t.observation('squid')).toEqual({ kind: 'down' });
    expect(t.observation('other')).toEqual({ kind: 'unknown' });
    expect(t.status('haproxy')).toEqual({ count: 1, haveQuorum: true, delayPending: null });
    expect(seen).toEqual([]);
  });

  it('a killed process (gone or left as a zombie) loses quorum at the next poll; a new one regains it', () => {
    const fs = new FakeProcFs();
    fs.spawn(10, 'daemon-a');
    fs.spawn(20, 'daemon-b');
    const { t, seen, clock } = setup([tp('daemon-a', {}), tp('daemon-b', {})], fs);
    t.start();
    fs.kill(10);
    fs.kill(20, true);
    clock.advance(100_000);
    expect(seen).toEqual([
      ['daemon-a', { kind: 'down' }],
      ['daemon-b', { kind: 'down' }],
    ]);
    fs.spawn(30, 'daemon-a');
    clock.advance(100_000);
    expect(seen.at(-1)).toEqual(['daemon-a', { kind: 'up' }]);
    expect(t.status('daemon-a')?.count).toBe(1);
    t.stop();
    expect(clock.pendingCount).toBe(0);
  });

  it('quorum counts processes; quorum_max caps them', () => {
    const fs = new FakeProcFs();
    fs.spawn(10, 'worker');
    const { t, seen, clock } = setup([tp('worker', { quorum: 2, quorumMax: 2 })], fs);
    t.start();
    expect(t.observation('worker')).toEqual({ kind: 'down' });
    fs.spawn(11, 'worker');
    clock.advance(100_000);
    fs.spawn(12, 'worker');
    clock.advance(100_000);
    expect(seen).toEqual([
      ['worker', { kind: 'up' }],
      ['worker', { kind: 'down' }],
    ]);
    t.stop();
  });

  it('terminate_delay: a restart within the delay is not reported; a longer outage is, after the delay', () => {
    const fs = new FakeProcFs();
    fs.spawn(10, 'svc');
    const { t, seen, clock } = setup([tp('svc', { terminateDelayUs: 1_000_000 })], fs);
    t.start();
    fs.kill(10);
    clock.advance(100_000);
    expect(t.status('svc')).toEqual({ count: 0, haveQuorum: true, delayPending: 'terminate' });
    fs.spawn(11, 'svc');
    clock.advance(100_000);
    clock.advance(2_000_000);
    expect(seen).toEqual([]);
    fs.kill(11);
    clock.advance(100_000);
    clock.advance(800_000);
    expect(seen).toEqual([]);
    clock.advance(200_000);
    expect(seen).toEqual([['svc', { kind: 'down' }]]);
    t.stop();
  });

  it('fork_delay applies to a child of a counted process, not to an unrelated new process', () => {
    const fs = new FakeProcFs();
    fs.spawn(10, 'pool');
    const { t, seen, clock } = setup([tp('pool', { quorum: 2, forkDelayUs: 500_000 })], fs);
    t.start();
    fs.spawn(11, 'pool', { ppid: 10 });
    clock.advance(100_000);
    expect(t.status('pool')).toEqual({ count: 2, haveQuorum: false, delayPending: 'fork' });
    clock.advance(500_000);
    expect(seen).toEqual([['pool', { kind: 'up' }]]);
    fs.kill(11);
    clock.advance(100_000);
    expect(seen.at(-1)).toEqual(['pool', { kind: 'down' }]);
    fs.spawn(12, 'pool', { ppid: 1 });
    clock.advance(100_000);
    expect(seen.at(-1)).toEqual(['pool', { kind: 'up' }]);
    t.stop();
  });

  it('a young process that execs into another program (same pid) stops counting without exiting', () => {
    const fs = new FakeProcFs();
    const { t, seen, clock } = setup([tp('sh', { quorumMax: 1, terminateDelayUs: 5_000_000 })], fs);
    t.start();
    fs.spawn(40, 'sh');
    clock.advance(100_000);
    expect(seen).toEqual([['sh', { kind: 'up' }]]);
    const p = fs.procs.get(40);
    if (p !== undefined) p.comm = 'sleep';
    clock.advance(100_000);
    // unmatched (exec), not exited: no terminate_delay
    expect(seen.at(-1)).toEqual(['sh', { kind: 'down' }]);
    t.stop();
  });

  it('pid reuse between two polls is an exit plus a new process', () => {
    const fs = new FakeProcFs();
    fs.spawn(50, 'svc');
    const { t, clock } = setup([tp('svc', { quorumMax: 1, terminateDelayUs: 1_000_000 })], fs);
    t.start();
    fs.kill(50);
    fs.spawn(50, 'svc');
    clock.advance(100_000);
    expect(t.status('svc')).toEqual({ count: 1, haveQuorum: true, delayPending: null });
    t.stop();
  });

  it('full_command trackers match the command line with parameters', () => {
    const fs = new FakeProcFs();
    fs.spawn(60, 'python3', { argv: ['/usr/bin/python3', 'app.py', '--port', '80'] });
    fs.spawn(61, 'python3', { argv: ['/usr/bin/python3', 'other.py'] });
    const exact = tp('app', { process: '/usr/bin/python3', params: ['app.py', '--port', '80'], paramMatch: 'exact', fullCommand: true });
    const partial = tp('app-any-port', { process: '/usr/bin/python3', params: ['app.py'], paramMatch: 'partial', fullCommand: true });
    const any = tp('py', { process: '/usr/bin/python3', fullCommand: true });
    const { t } = setup([exact, partial, any], fs);
    expect(t.status('app')?.count).toBe(1);
    expect(t.status('app-any-port')?.count).toBe(1);
    expect(t.status('py')?.count).toBe(2);
  });

  it('long-lived processes that do not match are not re-read on every poll', () => {
    const fs = new FakeProcFs();
    for (let pid = 100; pid < 200; pid++) fs.spawn(pid, 'idle');
    fs.spawn(5, 'svc');
    const { t, clock } = setup([tp('svc', {})], fs);
    t.start();
    clock.advance(1_100_000); // past the young window
    fs.statReads = 0;
    clock.advance(800_000); // 8 fast polls, no full rescan
    expect(fs.statReads).toBeLessThan(8 * 10);
    expect(fs.statReads).toBeGreaterThanOrEqual(8);
    t.stop();
  });

  it('does nothing without tracked processes', () => {
    const fs = new FakeProcFs();
    const { t, clock } = setup([], fs);
    t.start();
    expect(clock.pendingCount).toBe(0);
    expect(t.names).toEqual([]);
  });
});

describe('ProcessTrackers woken by process events', () => {
  function withEvents(procs: readonly TrackProcess[], fs: FakeProcFs) {
    const clock = new FakeClock();
    const seen: [string, TrackerObservation][] = [];
    let handlers: ProcEventsHandlers | undefined;
    let closed = false;
    const t = new ProcessTrackers(procs, clock, silentLogger(), (n, o) => void seen.push([n, o]), {
      source: fs,
      pollIntervalUs: 100_000,
      procEvents: (h) => {
        handlers = h;
        return { close: () => void (closed = true) };
      },
    });
    t.start();
    const emit = (...args: Parameters<ProcEventsHandlers['onEvent']>): void => handlers?.onEvent(...args);
    return { t, clock, seen, emit, isClosed: () => closed };
  }

  it('the exit of a counted process is seen within milliseconds instead of at the next poll', () => {
    const fs = new FakeProcFs();
    fs.spawn(10, 'svc');
    const { t, clock, seen, emit, isClosed } = withEvents([tp('svc', {})], fs);
    fs.kill(10);
    emit({ kind: 'exit', pid: 10, tgid: 10 });
    clock.advance(1_000);
    expect(seen).toEqual([['svc', { kind: 'down' }]]);
    fs.spawn(11, 'svc');
    emit({ kind: 'exec', pid: 11, tgid: 11 });
    clock.advance(1_000);
    expect(seen.at(-1)).toEqual(['svc', { kind: 'up' }]);
    t.stop();
    expect(isClosed()).toBe(true);
  });

  it('ignores thread events and events of unrelated processes (the poll still catches everything)', () => {
    const fs = new FakeProcFs();
    fs.spawn(10, 'svc');
    fs.spawn(20, 'other');
    const { t, clock, seen, emit } = withEvents([tp('svc', {})], fs);
    fs.kill(10);
    emit({ kind: 'exit', pid: 12, tgid: 10 });
    emit({ kind: 'exit', pid: 20, tgid: 20 });
    emit({ kind: 'exec', pid: 20, tgid: 20 });
    clock.advance(1_000);
    expect(seen).toEqual([]);
    clock.advance(99_000);
    expect(seen).toEqual([['svc', { kind: 'down' }]]);
    t.stop();
  });

  it('an overrun (lost events) triggers a rescan', () => {
    const fs = new FakeProcFs();
    const clock = new FakeClock();
    const seen: TrackerObservation[] = [];
    let handlers: ProcEventsHandlers | undefined;
    const t = new ProcessTrackers([tp('svc', {})], clock, silentLogger(), (_n, o) => void seen.push(o), {
      source: fs,
      pollIntervalUs: 10_000_000,
      procEvents: (h) => ((handlers = h), { close: () => undefined }),
    });
    t.start();
    fs.spawn(5, 'svc');
    handlers?.onOverrun();
    clock.advance(1_000);
    expect(seen).toEqual([{ kind: 'up' }]);
    t.stop();
  });
});

describe('ProcessTrackers on the real /proc', () => {
  it('counts a uniquely named process by comm and by full command line, and sees it exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-tp-'));
    const name = `ktu-${process.pid}`;
    const bin = join(dir, name);
    copyFileSync(existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep', bin);
    const child = spawn(bin, ['1000'], { stdio: 'ignore' });
    const exited = new Promise((res) => child.once('exit', res));
    try {
      await new Promise((res) => child.once('spawn', res));
      const byComm = tp(name, {});
      const byCmd = tp('cmd', { process: bin, params: ['1000'], paramMatch: 'exact', fullCommand: true });
      const wrongParam = tp('cmd-other', { process: bin, params: ['999'], paramMatch: 'exact', fullCommand: true });
      const t = new ProcessTrackers([byComm, byCmd, wrongParam], new FakeClock(), silentLogger(), () => undefined, { source: procFsSource(), procEvents: null });
      expect(t.status(name)?.count).toBe(1);
      expect(t.status('cmd')?.count).toBe(1);
      expect(t.status('cmd-other')?.count).toBe(0);
      child.kill('SIGKILL');
      await exited;
      t.scan();
      expect(t.observation(name)).toEqual({ kind: 'down' });
      expect(t.observation('cmd')).toEqual({ kind: 'down' });
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
