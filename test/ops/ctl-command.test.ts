import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import { startControlServer } from '../../src/ops/control-socket.js';
import { runCtlCommand } from '../../src/ops/ctl-command.js';

describe('keepalived-ts ctl (command line)', () => {
  it('parses one command and an optional control socket', () => {
    expect(parseCommandLine(['ctl', 'debug-crash-checker'])).toEqual({ kind: 'ctl', cmd: 'debug-crash-checker', socketPath: null });
    expect(parseCommandLine(['ctl', '--control-socket', '/tmp/x.sock', 'ping'])).toEqual({ kind: 'ctl', cmd: 'ping', socketPath: '/tmp/x.sock' });
    expect(parseCommandLine(['ctl', 'ping', '--control-socket=/tmp/y.sock'])).toEqual({ kind: 'ctl', cmd: 'ping', socketPath: '/tmp/y.sock' });
    expect(parseCommandLine(['ctl']).kind).toBe('usageError');
    expect(parseCommandLine(['ctl', 'ping', 'pong']).kind).toBe('usageError');
    expect(parseCommandLine(['ctl', '--json', 'ping']).kind).toBe('usageError');
    expect(parseCommandLine(['ctl', 'ping', '--control-socket']).kind).toBe('usageError');
  });
});

describe('keepalived-ts ctl (against a control server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-ctl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const io = (): { out: string[]; err: string[]; stdout: (t: string) => void; stderr: (t: string) => void } => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  };

  it('prints the handler result as JSON and exits 0; a failing or unknown command exits 1 with the error code', async () => {
    let crashes = 0;
    let running = true;
    const path = join(dir, 'a.sock');
    const srv = await startControlServer({
      path,
      handlers: {
        'debug-crash-checker': () => {
          if (!running) throw new Error('no health-checker worker is running');
          crashes++;
          return { crashed: true, generation: crashes };
        },
      },
    });
    try {
      const ok = io();
      expect(await runCtlCommand({ cmd: 'debug-crash-checker', socketPath: path, ...ok })).toBe(0);
      expect(JSON.parse(ok.out.join(''))).toEqual({ crashed: true, generation: 1 });
      expect(crashes).toBe(1);
      running = false;
      const failed = io();
      expect(await runCtlCommand({ cmd: 'debug-crash-checker', socketPath: path, ...failed })).toBe(1);
      expect(failed.err.join('')).toContain('KTS_CONTROL_HANDLER_FAILED: no health-checker worker is running');
      const unknown = io();
      expect(await runCtlCommand({ cmd: 'reboot', socketPath: path, ...unknown })).toBe(1);
      expect(unknown.err.join('')).toContain('KTS_CONTROL_UNKNOWN_CMD');
      const ping = io();
      expect(await runCtlCommand({ cmd: 'ping', socketPath: path, ...ping })).toBe(0);
      expect(JSON.parse(ping.out.join(''))).toMatchObject({ pong: true, pid: process.pid });
    } finally {
      await srv.close();
    }
  });

  it('exits 1 when no daemon listens', async () => {
    const x = io();
    expect(await runCtlCommand({ cmd: 'ping', socketPath: join(dir, 'none.sock'), timeoutMs: 1000, ...x })).toBe(1);
    expect(x.err.join('')).toContain('KTS_CONTROL_UNREACHABLE');
    expect(x.out).toEqual([]);
  });
});
