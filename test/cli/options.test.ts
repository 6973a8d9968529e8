import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE, parseCommandLine } from '../../src/cli/options.js';
import type { CliCommand, DaemonOptions } from '../../src/cli/options.js';

function options(cmd: CliCommand): DaemonOptions {
  if (cmd.kind !== 'configTest' && cmd.kind !== 'daemon' && cmd.kind !== 'dumpConf') throw new Error(`unexpected ${cmd.kind}`);
  return cmd.options;
}

describe('command line parsing', () => {
  it('defaults to daemon mode on /etc/keepalived/keepalived.conf', () => {
    const cmd = parseCommandLine([]);
    expect(cmd.kind).toBe('daemon');
    const o = options(cmd);
    expect(o.configFile).toBe(DEFAULT_CONFIG_FILE);
    expect(o.pidFile).toBe('/run/keepalived.pid');
    expect(o.vrrpPidFile).toBe('/run/vrrp.pid');
    expect(o.checkersPidFile).toBe('/run/checkers.pid');
    expect(o.noHostChecks).toBe(false);
  });

  it('takes -t without swallowing the next word, and -tFILE / --config-test=FILE as log file', () => {
    const bare = parseCommandLine(['-t', '-f', 'x.conf']);
    expect(bare).toMatchObject({ kind: 'configTest', logFile: null });
    expect(options(bare).configFile).toBe('x.conf');
    expect(parseCommandLine(['-t', 'x.conf'])).toMatchObject({ kind: 'configTest', logFile: null });
    expect(parseCommandLine(['-t/tmp/log'])).toMatchObject({ kind: 'configTest', logFile: '/tmp/log' });
    expect(parseCommandLine(['--config-test=/tmp/log'])).toMatchObject({ kind: 'configTest', logFile: '/tmp/log' });
    expect(parseCommandLine(['--config-test'])).toMatchObject({ kind: 'configTest', logFile: null });
  });

  it('accepts every keepalived flag in short and long form', () => {
    const short = options(
      parseCommandLine(['-f', 'a', '-P', '-C', '-B', '-l', '-D', '-S', 'local3', '-G', '-X', '-V', '-I', '-R', '-n', '-d', '-p', 'p', '-r', 'r', '-c', 'c', '-b', 'b', '-a', '-s', 'ns1', '-e', '-i', 'id1', '-x', '-A', 'sock', '-u', '022', '-m']),
    );
    expect(short).toMatchObject({
      configFile: 'a',
      vrrpOnly: true,
      checkOnly: true,
      noBfd: true,
      logConsole: true,
      logDetail: true,
      logFacility: 'local3',
      noSyslog: true,
      releaseVips: true,
      dontReleaseVrrp: true,
      dontReleaseIpvs: true,
      dontRespawn: true,
      dontFork: true,
      dumpConf: true,
      pidFile: 'p',
      vrrpPidFile: 'r',
      checkersPidFile: 'c',
      bfdPidFile: 'b',
      addressMonitoring: true,
      namespace: 'ns1',
      allConfig: true,
      configId: 'id1',
      snmp: true,
      snmpAgentSocket: 'sock',
      umask: 0o22,
      coreDump: true,
    });
    const long = options(
      parseCommandLine(['--use-file=a', '--vrrp', '--check', '--no_bfd', '--all', '--log-console', '--log-detail', '--log-facility=daemon', '--log-file=/tmp/k.log', '--flush-log-file', '--no-syslog', '--release-vips', '--dont-release-vrrp', '--dont-release-ipvs', '--dont-respawn', '--dont-fork', '--dump-conf', '--pid=p', '--vrrp_pid=r', '--checkers_pid=c', '--bfd_pid=b', '--address-monitoring', '--namespace=n', '--all-config', '--config-id=i', '--snmp', '--snmp-agent-socket=s', '--umask=077', '--core-dump', '--core-dump-pattern=core.%p']),
    );
    // --namespace=n: keepalived names the log file /tmp/k_n.log.
    expect(long).toMatchObject({ configFile: 'a', all: true, logFile: '/tmp/k_n.log', flushLogFile: true, coreDumpPattern: 'core.%p', umask: 0o77, configId: 'i' });
  });

  it('keeps optional arguments optional for -g and -M', () => {
    expect(options(parseCommandLine(['-g', '-f', 'z'])).logFile).toBe('');
    expect(options(parseCommandLine(['-g/var/log/k'])).logFile).toBe('/var/log/k');
    expect(options(parseCommandLine(['-M'])).coreDumpPattern).toBe('');
    expect(options(parseCommandLine([])).logFile).toBeNull();
  });

  it('recognises keepalived-ts options', () => {
    const o = options(parseCommandLine(['-t', '--json', '--no-host-checks']));
    expect(o.json).toBe(true);
    expect(o.noHostChecks).toBe(true);
    expect(parseCommandLine(['-d', '--json']).kind).toBe('dumpConf');
  });

  it('returns usage errors instead of throwing', () => {
    expect(parseCommandLine(['--bogus']).kind).toBe('usageError');
    expect(parseCommandLine(['-f']).kind).toBe('usageError');
    expect(parseCommandLine(['-S', 'local9']).kind).toBe('usageError');
    expect(parseCommandLine(['-u', 'abc']).kind).toBe('usageError');
  });

  it('recognises the informational commands', () => {
    expect(parseCommandLine(['-v']).kind).toBe('version');
    expect(parseCommandLine(['--help']).kind).toBe('help');
    expect(parseCommandLine(['--signum=RELOAD'])).toEqual({ kind: 'signum', name: 'RELOAD' });
    expect(parseCommandLine(['-T']).kind).toBe('genhash');
  });
});
