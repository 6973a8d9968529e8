import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadNative, nativeAvailable } from '../../src/io/native/index.js';
import { createSdNotifier, formatSdNotify, type SdNotifyTransport } from '../../src/ops/sd-notify.js';

const haveNative = nativeAvailable();
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

/** A real listener through the addon: bound AF_UNIX datagram socket, drained synchronously. */
function listener(address: string): { drain(): string[] } {
  const n = loadNative();
  const fd = n.unixDgramBind(address);
  cleanup.push(() => n.closeFd(fd));
  const buf = Buffer.alloc(4096);
  return {
    drain() {
      const out: string[] = [];
      for (let len = n.unixDgramRecv(fd, buf); len !== undefined; len = n.unixDgramRecv(fd, buf)) out.push(buf.subarray(0, len).toString());
      return out;
    },
  };
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kts-sd-'));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('formatSdNotify', () => {
  it('one KEY=value per line, newlines in values flattened, bad keys refused', () => {
    expect(formatSdNotify({ READY: 1, STATUS: 'a\nb' })).toBe('READY=1\nSTATUS=a b\n');
    expect(() => formatSdNotify({ 'bad key': 1 })).toThrow(/KTS_SD_NOTIFY_FIELD/);
  });
});

describe('createSdNotifier without NOTIFY_SOCKET', () => {
  it('is a no-op', () => {
    const sent: string[] = [];
    const transport: SdNotifyTransport = { send: (p) => sent.push(p) };
    for (const env of [{}, { NOTIFY_SOCKET: '' }, { NOTIFY_SOCKET: 'vsock:2:1234' }, { NOTIFY_SOCKET: '@' }]) {
      const n = createSdNotifier({ env, transport });
      expect(n.enabled).toBe(false);
      expect(n.ready()).toBe(false);
      expect(n.stopping()).toBe(false);
    }
    expect(sent).toEqual([]);
  });
});

describe('createSdNotifier with a fake transport', () => {
  it('sends the systemd messages and scrubs NOTIFY_SOCKET from the environment', () => {
    const sent: [string, string][] = [];
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: '/run/systemd/notify', OTHER: 'x' };
    const n = createSdNotifier({ env, transport: { send: (p, d) => sent.push([p, Buffer.from(d).toString()]) }, monotonicUs: () => 123456789.7 });
    expect(env).toEqual({ OTHER: 'x' });
    expect(n.socketPath).toBe('/run/systemd/notify');
    n.ready('2 instances');
    n.reloading();
    n.stopping();
    n.mainPid(77);
    n.status('ok');
    expect(sent.map((s) => s[1])).toEqual([
      `READY=1\nMAINPID=${process.pid}\nSTATUS=2 instances\n`,
      'RELOADING=1\nMONOTONIC_USEC=123456789\n',
      'STOPPING=1\n',
      'MAINPID=77\n',
      'STATUS=ok\n',
    ]);
    expect(new Set(sent.map((s) => s[0]))).toEqual(new Set(['/run/systemd/notify']));
  });

  it('keeps NOTIFY_SOCKET when asked, reports transport errors instead of throwing', () => {
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: '@x' };
    const errors: unknown[] = [];
    const n = createSdNotifier({ env, unsetEnvironment: false, transport: { send: () => { throw new Error('ECONNREFUSED'); } }, onError: (e) => errors.push(e) });
    expect(env['NOTIFY_SOCKET']).toBe('@x');
    expect(n.ready()).toBe(false);
    expect(errors).toHaveLength(1);
  });
});

describe.runIf(haveNative)('native unix datagrams', () => {
  it('delivers READY/RELOADING/STOPPING to a filesystem socket', () => {
    const path = join(tempDir(), 'notify');
    const l = listener(path);
    const n = createSdNotifier({ env: { NOTIFY_SOCKET: path } });
    expect(n.ready()).toBe(true);
    expect(n.reloading()).toBe(true);
    expect(n.stopping('bye')).toBe(true);
    const got = l.drain();
    expect(got).toHaveLength(3);
    expect(got[0]).toBe(`READY=1\nMAINPID=${process.pid}\n`);
    expect(got[1]).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+\n$/);
    expect(got[2]).toBe('STOPPING=1\nSTATUS=bye\n');
    expect(l.drain()).toEqual([]);
  });

  it('delivers to an abstract "@name" socket', () => {
    const name = `@kts-h10-test-${process.pid}-${Date.now()}`;
    const l = listener(name);
    expect(createSdNotifier({ env: { NOTIFY_SOCKET: name } }).ready()).toBe(true);
    expect(l.drain()).toEqual([`READY=1\nMAINPID=${process.pid}\n`]);
  });

  it('abstract naming matches what other programs use (Python listener bound to "\\0name")', async () => {
    const name = `kts-h10-py-${process.pid}-${Date.now()}`;
    const py = spawn('python3', [
      '-c',
      'import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind("\\0"+sys.argv[1])\nprint("bound",flush=True)\nprint(repr(s.recv(4096).decode()),flush=True)',
      name,
    ]);
    cleanup.push(() => py.kill());
    const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('bound');
    expect(createSdNotifier({ env: { NOTIFY_SOCKET: `@${name}` } }).stopping()).toBe(true);
    expect((await lines.next()).value).toBe("'STOPPING=1\\n'");
  });

  it('reports a missing listener through onError', () => {
    const errors: unknown[] = [];
    const n = createSdNotifier({ env: { NOTIFY_SOCKET: join(tempDir(), 'nobody') }, onError: (e) => errors.push(e) });
    expect(n.ready()).toBe(false);
    expect(errors[0]).toMatchObject({ code: 'ENOENT', syscall: 'sendto(AF_UNIX)' });
  });

  it('native argument checks', () => {
    const n = loadNative();
    expect(() => n.unixDgramSend('', Buffer.from('x'))).toThrow(/empty/);
    expect(() => n.unixDgramSend('/' + 'a'.repeat(200), Buffer.from('x'))).toThrow(/too long/);
    expect(() => n.unixDgramBind('@')).toThrow(/empty/);
  });
});
