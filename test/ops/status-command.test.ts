import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlServer, type ControlServer } from '../../src/ops/control-socket.js';
import { runStatusCommand } from '../../src/ops/status-command.js';
import { SAMPLE_STATUS } from './status-sample.js';

let srv: ControlServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'kts-stcmd-'));
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function run(json: boolean, socketPath: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runStatusCommand({ json, socketPath, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('status command', () => {
  it('prints text or JSON from the daemon', async () => {
    const socketPath = join(dir, 'ok.sock');
    srv = await startControlServer({ path: socketPath, handlers: { status: () => SAMPLE_STATUS } });
    const text = await run(false, socketPath);
    expect(text).toMatchObject({ code: 0, err: '' });
    expect(text.out).toContain('VI_1  MASTER');
    const json = await run(true, socketPath);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual(SAMPLE_STATUS);
  });

  it('exits 1 with a coded message when no daemon answers or the answer is invalid', async () => {
    const missing = await run(false, join(dir, 'none.sock'));
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(/^keepalived-ts status: KTS_CONTROL_UNREACHABLE: .*is it running\?\n$/);
    const socketPath = join(dir, 'bad.sock');
    srv = await startControlServer({ path: socketPath, handlers: { status: () => ({ schemaVersion: 1 }) } });
    const bad = await run(true, socketPath);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('KTS_CONTROL_PROTOCOL');
  });
});
