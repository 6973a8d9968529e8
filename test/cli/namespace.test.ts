import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import type { DaemonOptions } from '../../src/cli/options.js';
import { configNamespace, enterNamespace, inNamespace, namespacedFileName, namespacePaths, validNamespaceName } from '../../src/cli/namespace.js';

function daemonOptions(args: readonly string[]): DaemonOptions {
  const cmd = parseCommandLine(args);
  if (cmd.kind !== 'daemon') throw new Error(`expected a daemon command, got ${cmd.kind}`);
  return cmd.options;
}

describe('-s/--namespace paths (keepalived 2.2.7 with a namespace)', () => {
  it('pid files default to /run/keepalived/NAME/*.pid and the control socket to /run/keepalived-ts/NAME/', () => {
    const o = daemonOptions(['-n', '-s', 'blue']);
    expect(o.namespace).toBe('blue');
    expect([o.pidFile, o.vrrpPidFile, o.checkersPidFile, o.bfdPidFile]).toEqual([
      '/run/keepalived/blue/keepalived.pid', '/run/keepalived/blue/vrrp.pid', '/run/keepalived/blue/checkers.pid', '/run/keepalived/blue/bfd.pid',
    ]);
    expect(o.controlSocket).toBe('/run/keepalived-ts/blue/control.sock');
    expect(o.logFile).toBeNull();
  });

  it('explicit paths win; the long option works the same', () => {
    const o = daemonOptions(['--namespace=red', '-p', '/x/k.pid', '-r', '/x/v.pid', '--control-socket', '/x/c.sock']);
    expect([o.pidFile, o.vrrpPidFile, o.checkersPidFile, o.controlSocket]).toEqual(['/x/k.pid', '/x/v.pid', '/run/keepalived/red/checkers.pid', '/x/c.sock']);
  });

  it('without -s nothing changes', () => {
    const o = daemonOptions(['-n']);
    expect([o.namespace, o.pidFile, o.vrrpPidFile, o.controlSocket]).toEqual([null, '/run/keepalived.pid', '/run/vrrp.pid', null]);
  });

  it('-g gets _NAME before the extension, as keepalived names its log files', () => {
    expect(daemonOptions(['-s', 'ns1', '-g']).logFile).toBe('/tmp/keepalived_ns1.log');
    expect(daemonOptions(['-s', 'ns1', '-g/var/log/ka.d/kts.log']).logFile).toBe('/var/log/ka.d/kts_ns1.log');
    expect(namespacedFileName('/var/log/ka.d/kts', 'ns1')).toBe('/var/log/ka.d/kts_ns1');
    expect(namespacedFileName('/var/log/.hidden', 'ns1')).toBe('/var/log/.hidden_ns1');
  });

  it('-t keeps keepalived\'s default paths (config test never enters the namespace)', () => {
    const cmd = parseCommandLine(['-t', '-s', 'blue']);
    expect(cmd.kind === 'configTest' ? cmd.options.pidFile : undefined).toBe('/run/keepalived.pid');
  });

  it('status -s NAME asks the namespace daemon\'s control socket', () => {
    expect(parseCommandLine(['status', '-s', 'blue'])).toEqual({ kind: 'status', json: false, socketPath: namespacePaths('blue').controlSocket });
  });

  it('names must be one path component', () => {
    for (const bad of ['', '.', '..', 'a/b', '../etc']) expect(validNamespaceName(bad)).toBe(false);
    expect(validNamespaceName('kts-x_1.a')).toBe(true);
  });
});

describe('entering a namespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-nsdir-'));
  writeFileSync(join(dir, 'plain'), '');
  symlinkSync('/proc/self/ns/net', join(dir, 'here'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('inNamespace compares the nsfs identity with /proc/self/ns/net', () => {
    expect(inNamespace('here', dir)).toBe(true);
    expect(inNamespace('plain', dir)).toBe(false);
    expect(inNamespace('missing', dir)).toBe(false);
  });

  it('opens /run/netns/NAME and hands the fd to setns', () => {
    const fds: number[] = [];
    expect(enterNamespace('plain', (fd) => void fds.push(fd), dir)).toEqual({ ok: true });
    expect(fds).toHaveLength(1);
    expect(fds[0]).toBeGreaterThan(2);
  });

  it('reports failures with keepalived\'s lines', () => {
    expect(enterNamespace('missing', () => undefined, dir)).toEqual({
      ok: false, lines: [`Failed to open ${dir}/missing`, 'Unable to set network namespace missing - exiting'],
    });
    const eperm = Object.assign(new Error('setns: EPERM'), { errno: -1 });
    expect(enterNamespace('plain', () => { throw eperm; }, dir)).toEqual({
      ok: false, lines: ['setns() failed with error 1', 'Unable to set network namespace plain - exiting'],
    });
    expect(enterNamespace('../plain', () => undefined, dir).ok).toBe(false);
  });
});

describe('net_namespace in the configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-nsconf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const conf = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('is read at the root, first one wins, through includes and @id lines', () => {
    const inc = conf('ns.inc', 'net_namespace from-include\n');
    expect(configNamespace({ configFile: conf('a.conf', `include ${inc}\nnet_namespace second\n`), configId: null, allConfig: false })).toBe('from-include');
    const ids = conf('b.conf', '@lb1 net_namespace one\n@lb2 net_namespace two\n');
    expect(configNamespace({ configFile: ids, configId: 'lb2', allConfig: false })).toBe('two');
  });

  it('is null without one, inside global_defs, or when the file is missing', () => {
    expect(configNamespace({ configFile: conf('c.conf', 'global_defs {\n  router_id x\n}\n'), configId: null, allConfig: false })).toBeNull();
    expect(configNamespace({ configFile: conf('d.conf', 'global_defs {\n  net_namespace x\n}\n'), configId: null, allConfig: false })).toBeNull();
    expect(configNamespace({ configFile: join(dir, 'missing.conf'), configId: null, allConfig: false })).toBeNull();
  });
});
