import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import { run } from '../../src/cli/main.js';

describe('operations options', () => {
  it('parses --metrics, --control-socket and --control-group into daemon options', () => {
    const cmd = parseCommandLine(['-n', '--metrics=127.0.0.1:9650', '--control-socket', '/tmp/x.sock', '--control-group', 'adm']);
    expect(cmd.kind).toBe('daemon');
    if (cmd.kind !== 'daemon') return;
    expect(cmd.options.metrics).toBe('127.0.0.1:9650');
    expect(cmd.options.controlSocket).toBe('/tmp/x.sock');
    expect(cmd.options.controlGroup).toBe('adm');
  });

  it('leaves them null when absent', () => {
    const cmd = parseCommandLine(['-n']);
    if (cmd.kind !== 'daemon') throw new Error(cmd.kind);
    expect([cmd.options.metrics, cmd.options.controlSocket, cmd.options.controlGroup]).toEqual([null, null, null]);
  });

  it('parses the status command', () => {
    expect(parseCommandLine(['status'])).toEqual({ kind: 'status', json: false, socketPath: null });
    expect(parseCommandLine(['status', '--json', '--control-socket=/tmp/a.sock'])).toEqual({ kind: 'status', json: true, socketPath: '/tmp/a.sock' });
    expect(parseCommandLine(['status', '--control-socket', '/tmp/b.sock'])).toEqual({ kind: 'status', json: false, socketPath: '/tmp/b.sock' });
    expect(parseCommandLine(['status', '--bogus']).kind).toBe('usageError');
    expect(parseCommandLine(['status', '--control-socket']).kind).toBe('usageError');
  });

  it('status exits 1 with a KTS_CONTROL_* message when no daemon listens', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['status', '--control-socket', `/tmp/kts-h13-none-${process.pid}.sock`], { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), writeFile: () => undefined });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/KTS_CONTROL_/);
  });
});
