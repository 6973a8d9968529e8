// vrrp_track_process as keepalived 2.2.7's parser reads it (the builder side of track_process).
import { describe, expect, it } from 'vitest';
import { build, buildClean } from '../config/build/helpers.js';

const tp = (body: string): string => `vrrp_track_process tp {\n${body}\n}\n`;

describe('vrrp_track_process builder', () => {
  it('defaults: no parameter matching, comm match, quorum [1, unlimited], weight 0, no delays', () => {
    expect(buildClean(tp('  process haproxy')).trackProcesses[0]).toMatchObject({
      process: 'haproxy',
      params: [],
      paramMatch: 'none',
      fullCommand: false,
      quorum: 1,
      quorumMax: 4294967295,
      weight: 0,
      forkDelayUs: 0,
      terminateDelayUs: 0,
    });
  });

  it('parameters on the process line mean an exact full-command match', () => {
    expect(buildClean(tp('  process /usr/sbin/haproxy -f /etc/h.cfg')).trackProcesses[0]).toMatchObject({
      process: '/usr/sbin/haproxy',
      params: ['-f', '/etc/h.cfg'],
      paramMatch: 'exact',
      fullCommand: true,
    });
  });

  it('param_match implies full_command; a bare param_match is exact; partial given first is kept', () => {
    expect(buildClean(tp('  process sshd\n  param_match')).trackProcesses[0]).toMatchObject({ paramMatch: 'exact', fullCommand: true });
    expect(buildClean(tp('  param_match initial\n  process sshd -D')).trackProcesses[0]).toMatchObject({ paramMatch: 'initial', fullCommand: true, params: ['-D'] });
    const bad = build(tp('  process sshd\n  param_match fuzzy'));
    expect(bad.codes).toEqual(['KTS_INVALID_VALUE']);
    expect(bad.config.trackProcesses[0]).toMatchObject({ paramMatch: 'none', fullCommand: false });
  });

  it('quorum_max 0 means "no such process may run" (quorum becomes 0)', () => {
    expect(buildClean(tp('  process telnetd\n  quorum_max 0')).trackProcesses[0]).toMatchObject({ quorum: 0, quorumMax: 0 });
  });

  it('quorum and quorum_max are checked against each other in file order', () => {
    const hi = build(tp('  process x\n  quorum_max 2\n  quorum 3'));
    expect(hi.codes).toEqual(['KTS_INVALID_VALUE']);
    expect(hi.config.trackProcesses[0]).toMatchObject({ quorum: 1, quorumMax: 2 });
    const lo = build(tp('  process x\n  quorum 3\n  quorum_max 2'));
    expect(lo.codes).toEqual(['KTS_INVALID_VALUE']);
    expect(lo.config.trackProcesses[0]).toMatchObject({ quorum: 3, quorumMax: 4294967295 });
    expect(build(tp('  process x\n  quorum 3\n  quorum_max 0')).codes).toEqual(['KTS_INVALID_VALUE']);
    expect(buildClean(tp('  process x\n  quorum 2\n  quorum_max 5')).trackProcesses[0]).toMatchObject({ quorum: 2, quorumMax: 5 });
  });

  it('delays are 0.000001..3600 s', () => {
    expect(buildClean(tp('  process x\n  fork_delay 0.25\n  terminate_delay 3600')).trackProcesses[0]).toMatchObject({ forkDelayUs: 250_000, terminateDelayUs: 3_600_000_000 });
    for (const bad of ['delay 0', 'delay 3601', 'fork_delay -1']) {
      const b = build(tp(`  process x\n  ${bad}`));
      expect(b.codes).toEqual(['KTS_INVALID_NUMBER']);
      expect(b.config.trackProcesses[0]).toMatchObject({ forkDelayUs: 0, terminateDelayUs: 0 });
    }
  });

  it('weight is -254..254 (no clamp), set once, with an optional reverse', () => {
    expect(buildClean(tp('  process x\n  weight 254 reverse')).trackProcesses[0]).toMatchObject({ weight: 254, weightReverse: true });
    const twice = build(tp('  process x\n  weight -10\n  weight 20'));
    expect(twice.codes).toEqual(['KTS_DUPLICATE']);
    expect(twice.config.trackProcesses[0]?.weight).toBe(-10);
    expect(build(tp('  process x\n  weight 255')).codes).toEqual(['KTS_INVALID_NUMBER']);
  });
});
