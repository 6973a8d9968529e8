import { describe, expect, it } from 'vitest';
import { build, buildClean } from './helpers.js';

describe('vrrp_script', () => {
  it('defaults: interval 1 s, timeout = interval, weight 0, rise/fall 1', () => {
    const s = buildClean('vrrp_script chk {\n  script "/usr/bin/check --fast"\n  interval 3\n}\n').vrrpScripts[0];
    expect(s).toMatchObject({ name: 'chk', intervalUs: 3_000_000, timeoutUs: 3_000_000, weight: 0, weightReverse: false, rise: 1, fall: 1, user: null, initFail: false });
    expect(s?.script).toMatchObject({ commandLine: '/usr/bin/check --fast', argv: ['/usr/bin/check', '--fast'], user: null });
  });

  it('reads every keyword', () => {
    const s = buildClean('vrrp_script chk {\n  script /bin/true\n  interval 2\n  timeout 5\n  weight -30 reverse\n  rise 3\n  fall 2\n  user nobody nogroup\n  init_fail\n}\n').vrrpScripts[0];
    expect(s).toMatchObject({ intervalUs: 2_000_000, timeoutUs: 5_000_000, weight: -30, weightReverse: true, rise: 3, fall: 2, user: 'nobody', group: 'nogroup', initFail: true });
  });

  it.each([
    ['interval 0', 'intervalUs', 1_000_000],
    ['interval x', 'intervalUs', 1_000_000],
    ['timeout 0', 'timeoutUs', 1_000_000],
    ['weight 300', 'weight', 0],
    ['rise 0', 'rise', 1],
    ['fall -1', 'fall', 1],
  ] as const)('%s is an error with fallback', (line, field, value) => {
    const b = build(`vrrp_script chk {\n  script /bin/true\n  ${line}\n}\n`);
    expect(b.problems[0]).toMatchObject({ severity: 'error', line: 3 });
    expect(b.config.vrrpScripts[0]?.[field]).toBe(value);
  });

  it('a vrrp_script without script is removed', () => {
    const b = build('vrrp_script chk {\n  interval 2\n}\n');
    expect(b.codes).toEqual(['KTS_INCOMPLETE']);
    expect(b.config.vrrpScripts).toEqual([]);
  });
});

describe('track_file', () => {
  it('defaults weight 1, reads init_file', () => {
    const f = buildClean('track_file tf {\n  file /run/prio\n  init_file 10 overwrite\n}\n').trackFiles[0];
    expect(f).toMatchObject({ name: 'tf', file: '/run/prio', weight: 1, weightReverse: false, initFile: { value: 10, overwrite: true }, legacyKeyword: false });
  });

  it('vrrp_track_file is accepted silently (keepalived 2.2.7 does not complain)', () => {
    const b = build('vrrp_track_file tf {\n  file /run/prio\n  weight -2 reverse\n}\n');
    expect(b.problems).toEqual([]);
    expect(b.config.trackFiles[0]).toMatchObject({ legacyKeyword: true, weight: -2, weightReverse: true });
  });

  it('requires file; rejects bad weights', () => {
    expect(build('track_file tf {\n  weight 2\n}\n').codes).toEqual(['KTS_INCOMPLETE']);
    const b = build('track_file tf {\n  file /x\n  weight 999\n}\n');
    expect(b.codes).toEqual(['KTS_INVALID_NUMBER']);
    expect(b.config.trackFiles[0]?.weight).toBe(1);
  });
});

describe('vrrp_track_process', () => {
  it('reads process, parameters and quorum', () => {
    const p = buildClean('vrrp_track_process tp {\n  process haproxy -f /etc/haproxy.cfg\n  param_match partial\n  quorum 2\n  quorum_max 4\n  weight 10 reverse\n  delay 0.5\n}\n').trackProcesses[0];
    expect(p).toMatchObject({
      process: 'haproxy',
      params: ['-f', '/etc/haproxy.cfg'],
      paramMatch: 'partial',
      quorum: 2,
      quorumMax: 4,
      weight: 10,
      weightReverse: true,
      forkDelayUs: 500_000,
      terminateDelayUs: 500_000,
      fullCommand: true,
    });
  });

  it('requires a process name', () => {
    const b = build('vrrp_track_process tp {\n  quorum 1\n}\n');
    expect(b.codes).toEqual(['KTS_INCOMPLETE']);
    expect(b.config.trackProcesses).toEqual([]);
  });

  it('rejects an unknown param_match', () => {
    expect(build('vrrp_track_process tp {\n  process x\n  param_match fuzzy\n}\n').codes).toEqual(['KTS_INVALID_VALUE']);
  });
});

describe('duplicated tracker names', () => {
  it('keeps the first definition with an info note, as keepalived accepts duplicates silently', () => {
    const b = build('vrrp_script a {\n  script /bin/true\n}\nvrrp_script a {\n  script /bin/false\n}\ntrack_file t {\n  file /x\n}\ntrack_file t {\n  file /y\n}\nvrrp_track_process p {\n  process a\n}\nvrrp_track_process p {\n  process b\n}\n');
    expect(b.problems).toEqual([]);
    expect(b.diags.filter((d) => d.code === 'KTS_DUPLICATE').map((d) => [d.severity, d.line])).toEqual([
      ['info', 4],
      ['info', 10],
      ['info', 16],
    ]);
    expect(b.config.vrrpScripts.map((s) => s.script?.argv[0])).toEqual(['/bin/true']);
    expect(b.config.trackFiles.map((f) => f.file)).toEqual(['/x']);
    expect(b.config.trackProcesses.map((p) => p.process)).toEqual(['a']);
  });
});
