// vrrp_track_process as keepalived 2.2.7's parser reads it (the builder side of track_process).
import { describe, expect, it } from 'vitest';
import { build, buildClean } from '../config/build/helpers.js';
import { paramsFromConfText } from '../vrrp/fsm/conf.js';

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

describe('track_process weights in the runtime params', () => {
  const conf = (groupLines: string): string => `
vrrp_track_process svc {
  process haproxy
  weight -30
}
vrrp_script chk {
  script /bin/true
  weight -20
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
${groupLines}
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  priority 100
  track_process {
    svc
  }
  track_script {
    chk
  }
  virtual_ipaddress {
    10.1.1.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 2
  priority 100
  virtual_ipaddress {
    10.1.1.2
  }
}
`;

  it('a sync group member keeps its track_process weight (keepalived 2.2.7 does not clear it), unlike weighted scripts', () => {
    const vi1 = paramsFromConfText(conf('')).runtime.instances.find((i) => i.name === 'VI_1');
    expect(vi1?.trackers.find((t) => t.kind === 'process')).toEqual({ kind: 'process', name: 'svc', weight: -30, reverse: false });
    expect(vi1?.trackers.find((t) => t.kind === 'script')?.weight ?? 0).toBe(0);
  });

  it('with sync_group_tracking_weight both keep their weights', () => {
    const vi1 = paramsFromConfText(conf('  sync_group_tracking_weight')).runtime.instances.find((i) => i.name === 'VI_1');
    expect(vi1?.trackers.filter((t) => t.kind !== 'interface').map((t) => [t.kind, t.weight])).toEqual([
      ['script', -20],
      ['process', -30],
    ]);
  });
});
