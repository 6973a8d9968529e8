import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ControlSocketError,
  controlRequest,
  requestStatus,
  resolveGroupId,
  startControlServer,
  type ControlServer,
} from '../../src/ops/control-socket.js';
import { SAMPLE_STATUS } from './status-sample.js';

let dir: string;
let srv: ControlServer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kts-ctl-'));
  chmodSync(dir, 0o755);
});
afterEach(async () => {
  await srv?.close();
  srv = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Raw exchange: write `payload`, collect every line until the server closes or `lines` arrived. */
function exchange(path: string, payload: string, lines: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let buf = '';
    const done = (): void => {
      s.destroy();
      resolve(buf.split('\n').filter((l) => l !== ''));
    };
    s.on('connect', () => s.write(payload));
    s.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      if (buf.split('\n').length - 1 >= lines) done();
    });
    s.on('end', done);
    s.on('error', reject);
  });
}

/** Connect from a child process running as uid/gid (root test runner only). */
function connectAs(path: string, uid: number, gid: number): Promise<string> {
  const code = `process.setgroups([${gid}]);process.setgid(${gid});process.setuid(${uid});
const s=require('net').connect(${JSON.stringify(path)});
s.on('connect',()=>{console.log('connected');s.destroy()});s.on('error',e=>console.log(e.code));`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', code], (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
  );
}

const isRoot = process.getuid?.() === 0;

describe('control socket server', () => {
  it('answers status, ping, unknown commands and bad requests, in order on one connection', async () => {
    const path = join(dir, 'run', 'control.sock');
    srv = await startControlServer({ path, handlers: { status: () => SAMPLE_STATUS, boom: () => Promise.reject(new Error('kaput')) } });
    const lines = await exchange(
      path,
      '{"cmd":"status"}\n{"cmd":"ping"}\r\n\n{"cmd":"nope"}\nnot json\n[1]\n{"cmd":"boom"}\n',
      6,
    );
    const parsed = lines.map((l) => JSON.parse(l) as { ok: boolean; result?: unknown; error?: { code: string; message: string } });
    expect(parsed[0]).toEqual({ ok: true, result: SAMPLE_STATUS });
    expect(parsed[1]).toEqual({ ok: true, result: { pong: true, pid: process.pid } });
    expect(parsed[2]?.error?.code).toBe('KTS_CONTROL_UNKNOWN_CMD');
    expect(parsed[2]?.error?.message).toContain('known: ping, status, boom');
    expect(parsed[3]?.error?.code).toBe('KTS_CONTROL_BAD_REQUEST');
    expect(parsed[4]?.error?.code).toBe('KTS_CONTROL_BAD_REQUEST');
    expect(parsed[5]?.error).toEqual({ code: 'KTS_CONTROL_HANDLER_FAILED', message: 'kaput' });
  });

  it('does not dispatch inherited object properties as commands', async () => {
    const path = join(dir, 'c.sock');
    srv = await startControlServer({ path, handlers: {} });
    const r = await controlRequest({ cmd: 'toString' }, { path });
    expect(r).toMatchObject({ ok: false, error: { code: 'KTS_CONTROL_UNKNOWN_CMD' } });
  });

  it('rejects an over-long request and closes', async () => {
    const path = join(dir, 'c.sock');
    srv = await startControlServer({ path, handlers: {}, maxRequestBytes: 100 });
    const lines = await exchange(path, 'x'.repeat(500), 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ ok: false, error: { code: 'KTS_CONTROL_TOO_LONG' } });
  });

  it('is 0600 without a group and 0660 with its group', async () => {
    const path = join(dir, 'a.sock');
    srv = await startControlServer({ path, handlers: {} });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(srv.gid).toBeNull();
    await srv.close();
    expect(existsSync(path)).toBe(false);
    const groupFile = join(dir, 'group');
    writeFileSync(groupFile, 'root:x:0:\nkts-ops:x:4321:alice\n');
    srv = await startControlServer({ path, handlers: {}, group: 'kts-ops', groupFile });
    expect(statSync(path).mode & 0o777).toBe(0o660);
    if (isRoot) expect(statSync(path).gid).toBe(4321);
  });

  it.runIf(isRoot)('lets root and the configured group in, keeps others out', async () => {
    const path = join(dir, 'a.sock');
    srv = await startControlServer({ path, handlers: {}, group: 1 });
    expect(await connectAs(path, 65534, 1)).toBe('connected');
    expect(await connectAs(path, 65534, 65534)).toBe('EACCES');
    await srv.close();
    srv = await startControlServer({ path, handlers: {} });
    expect(await connectAs(path, 65534, 1)).toBe('EACCES');
  });

  it('replaces a stale socket, refuses a live one and a non-socket file', async () => {
    const path = join(dir, 's.sock');
    // stale: a socket file nobody listens on
    const other = createServer();
    await new Promise<void>((r) => other.listen(path, r));
    const live = startControlServer({ path, handlers: {} });
    await expect(live).rejects.toMatchObject({ code: 'KTS_CONTROL_IN_USE' });
    // make it stale (a crashed daemon leaves its socket file behind)
    await new Promise<void>((r) => other.close(() => r()));
    if (!existsSync(path)) {
      // libuv unlinked it on close; recreate a dead socket file by binding from a child and exiting
      await new Promise<void>((resolve, reject) =>
        execFile(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)},()=>process.exit(0))`], (e) =>
          e ? reject(e) : resolve(),
        ),
      );
    }
    expect(statSync(path).isSocket()).toBe(true);
    srv = await startControlServer({ path, handlers: { status: () => 1 } });
    expect(await controlRequest({ cmd: 'status' }, { path })).toEqual({ ok: true, result: 1 });

    const file = join(dir, 'plain');
    writeFileSync(file, 'keep me');
    await expect(startControlServer({ path: file, handlers: {} })).rejects.toMatchObject({ code: 'KTS_CONTROL_PATH' });
    expect(existsSync(file)).toBe(true);
  });
});

describe('control socket client', () => {
  it('reports a missing daemon as KTS_CONTROL_UNREACHABLE', async () => {
    await expect(controlRequest({ cmd: 'status' }, { path: join(dir, 'none.sock') })).rejects.toMatchObject({
      code: 'KTS_CONTROL_UNREACHABLE',
    });
  });

  it('times out when the daemon does not answer', async () => {
    const path = join(dir, 'slow.sock');
    srv = await startControlServer({ path, handlers: { status: () => new Promise(() => undefined) } });
    await expect(controlRequest({ cmd: 'status' }, { path, timeoutMs: 100 })).rejects.toBeInstanceOf(ControlSocketError);
    await expect(controlRequest({ cmd: 'status' }, { path, timeoutMs: 100 })).rejects.toMatchObject({ code: 'KTS_CONTROL_TIMEOUT' });
  });

  it('requestStatus validates the document', async () => {
    const path = join(dir, 'st.sock');
    let doc: unknown = SAMPLE_STATUS;
    srv = await startControlServer({ path, handlers: { status: () => doc } });
    expect(await requestStatus({ path })).toEqual(SAMPLE_STATUS);
    doc = { ...SAMPLE_STATUS, virtualServers: 'none' };
    await expect(requestStatus({ path })).rejects.toThrow(/invalid status document.*\/virtualServers expected array/);
    doc = { ...SAMPLE_STATUS, schemaVersion: 9 };
    await expect(requestStatus({ path })).rejects.toThrow(/KTS_STATUS_VERSION/);
  });

  it('rejects a protocol violation', async () => {
    const path = join(dir, 'bad.sock');
    const bad = createServer((s) => {
      s.resume();
      s.end('hello\n');
    });
    await new Promise<void>((r) => bad.listen(path, r));
    try {
      await expect(controlRequest({ cmd: 'status' }, { path })).rejects.toMatchObject({ code: 'KTS_CONTROL_PROTOCOL' });
    } finally {
      await new Promise<void>((r) => bad.close(() => r()));
    }
  });
});

describe('resolveGroupId', () => {
  it('resolves names and numbers, rejects unknown groups', () => {
    const groupFile = join(dir, 'group');
    writeFileSync(groupFile, 'root:x:0:\nhaproxy:x:115:\n');
    expect(resolveGroupId('haproxy', groupFile)).toBe(115);
    expect(resolveGroupId('7', groupFile)).toBe(7);
    expect(resolveGroupId(9, groupFile)).toBe(9);
    expect(() => resolveGroupId('ghost', groupFile)).toThrow(expect.objectContaining({ code: 'KTS_CONTROL_GROUP' }));
  });
});
