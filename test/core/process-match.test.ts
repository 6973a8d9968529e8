import { describe, expect, it } from 'vitest';
import { commNameTooLong, paramsMatch, parseProcStat, processMatches } from '../../src/vrrp/tracking/process-match.js';
import type { ProcessMatchSpec, ProcRecord } from '../../src/vrrp/tracking/process-match.js';

/** Recorded /proc/PID/stat lines (fields past 22 trimmed where irrelevant). */
const STAT_HAPROXY = '812 (haproxy) S 1 812 812 0 -1 4194560 5123 0 0 0 120 80 0 0 20 0 3 0 1113206 113315840 4150 18446744073709551615';
const STAT_ODD_COMM = '4242 (my (weird) prog) R 77 4242 8556 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 998877 3133440 407';
const STAT_ZOMBIE = '913 (sleep) Z 900 900 900 0 -1 4227084 0 0 0 0 0 0 0 0 20 0 1 0 2200 0 0';

function rec(comm: string, cmdline: string | null, state = 'S'): ProcRecord {
  return { pid: 100, ppid: 1, comm, state, startTime: '5', cmdline };
}

function spec(partial: Partial<ProcessMatchSpec> & Pick<ProcessMatchSpec, 'process'>): ProcessMatchSpec {
  return { params: [], paramMatch: 'none', fullCommand: false, ...partial };
}

describe('parseProcStat', () => {
  it('reads pid, comm, state, ppid and start time', () => {
    expect(parseProcStat(STAT_HAPROXY)).toEqual({ pid: 812, comm: 'haproxy', state: 'S', ppid: 1, startTime: '1113206' });
  });

  it('takes the comm up to the last parenthesis (comm may hold spaces and parentheses)', () => {
    expect(parseProcStat(STAT_ODD_COMM)).toMatchObject({ pid: 4242, comm: 'my (weird) prog', state: 'R', ppid: 77, startTime: '998877' });
  });

  it('returns null for text that is not a stat line instead of throwing', () => {
    expect(parseProcStat('')).toBeNull();
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('12 (x) S')).toBeNull();
    expect(parseProcStat('(x) S 1 2 3')).toBeNull();
  });
});

describe('processMatches: process name', () => {
  it('compares comm exactly, not as a pattern or prefix (pgrep "^ssh$")', () => {
    const s = spec({ process: 'ssh' });
    expect(processMatches(s, rec('ssh', null))).toBe(true);
    expect(processMatches(s, rec('sshd', null))).toBe(false);
    expect(processMatches(s, rec('SSH', null))).toBe(false);
  });

  it('never counts a zombie', () => {
    const st = parseProcStat(STAT_ZOMBIE);
    expect(st).not.toBeNull();
    if (st === null) return;
    expect(processMatches(spec({ process: 'sleep' }), { ...st, cmdline: '' })).toBe(false);
    expect(processMatches(spec({ process: 'sleep' }), { ...st, state: 'S', cmdline: '' })).toBe(true);
  });

  it('full_command compares argv[0] (up to the first NUL) and ignores comm', () => {
    const s = spec({ process: '/usr/sbin/haproxy', fullCommand: true });
    expect(processMatches(s, rec('haproxy', '/usr/sbin/haproxy\0-f\0/etc/haproxy/haproxy.cfg\0'))).toBe(true);
    expect(processMatches(s, rec('haproxy', 'haproxy\0-f\0/etc/haproxy/haproxy.cfg\0'))).toBe(false);
    expect(processMatches(spec({ process: 'haproxy', fullCommand: true }), rec('haproxy', '/usr/sbin/haproxy\0'))).toBe(false);
    // kernel threads have an empty cmdline; unread cmdline never matches a full-command spec
    expect(processMatches(s, rec('haproxy', ''))).toBe(false);
    expect(processMatches(s, rec('haproxy', null))).toBe(false);
  });

  it('full_command with a rewritten command line (setproctitle, no NULs) compares the whole text', () => {
    const line = 'nginx: master process /usr/sbin/nginx';
    expect(processMatches(spec({ process: line, fullCommand: true }), rec('nginx', line))).toBe(true);
    expect(processMatches(spec({ process: 'nginx:', fullCommand: true }), rec('nginx', line))).toBe(false);
  });

  it('flags comm names longer than the kernel keeps (15 bytes) unless full_command', () => {
    expect(commNameTooLong({ process: 'kts-tp-123456789', fullCommand: false })).toBe(true);
    expect(commNameTooLong({ process: 'kts-tp-12345678', fullCommand: false })).toBe(false);
    expect(commNameTooLong({ process: 'kts-tp-123456789', fullCommand: true })).toBe(false);
  });
});

describe('processMatches: parameters', () => {
  const cmd = (...argv: string[]): ProcRecord => rec('prog', argv.map((a) => `${a}\0`).join(''));
  const withParams = (paramMatch: ProcessMatchSpec['paramMatch'], ...params: string[]): ProcessMatchSpec =>
    spec({ process: 'prog', params, paramMatch, fullCommand: true });

  it('exact: the same parameters, no more, no fewer', () => {
    const s = withParams('exact', '-f', 'a.cfg');
    expect(processMatches(s, cmd('prog', '-f', 'a.cfg'))).toBe(true);
    expect(processMatches(s, cmd('prog', '-f', 'a.cfg', '-d'))).toBe(false);
    expect(processMatches(s, cmd('prog', '-f'))).toBe(false);
    expect(processMatches(s, cmd('prog', '-f', 'a.cfgx'))).toBe(false);
    expect(processMatches(s, cmd('prog', '-f a.cfg'))).toBe(false);
  });

  it('exact without parameters (bare param_match): the process must have none', () => {
    const s = withParams('exact');
    expect(processMatches(s, cmd('prog'))).toBe(true);
    expect(processMatches(s, cmd('prog', '-d'))).toBe(false);
  });

  it('partial: the configured parameters are the first ones, whole words', () => {
    const s = withParams('partial', '-f', 'a.cfg');
    expect(processMatches(s, cmd('prog', '-f', 'a.cfg'))).toBe(true);
    expect(processMatches(s, cmd('prog', '-f', 'a.cfg', '-d'))).toBe(true);
    expect(processMatches(s, cmd('prog', '-f', 'a.cfgx'))).toBe(false);
    expect(processMatches(s, cmd('prog', '-d', '-f', 'a.cfg'))).toBe(false);
  });

  it('initial: like partial, but the last configured parameter may be the start of a longer one', () => {
    const s = withParams('initial', '-f', 'a.c');
    expect(processMatches(s, cmd('prog', '-f', 'a.cfg'))).toBe(true);
    expect(processMatches(s, cmd('prog', '-f', 'a.c', 'x'))).toBe(true);
    expect(processMatches(s, cmd('prog', '-f', 'b.cfg'))).toBe(false);
    expect(processMatches(s, cmd('prog', '-fa.c'))).toBe(false);
  });

  it('partial/initial without parameters accept anything; none ignores parameters', () => {
    expect(processMatches(withParams('partial'), cmd('prog', 'x'))).toBe(true);
    expect(processMatches(withParams('initial'), cmd('prog'))).toBe(true);
    expect(processMatches(withParams('none', 'ignored'), cmd('prog', 'other'))).toBe(true);
  });

  it('paramsMatch works on the NUL-terminated bytes keepalived compares', () => {
    expect(paramsMatch({ params: ['a', 'b'], paramMatch: 'exact' }, 'a\0b\0')).toBe(true);
    expect(paramsMatch({ params: ['a', 'b'], paramMatch: 'exact' }, 'a\0b')).toBe(false);
    expect(paramsMatch({ params: ['a'], paramMatch: 'partial' }, '')).toBe(false);
  });
});
