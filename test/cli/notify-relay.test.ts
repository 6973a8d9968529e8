import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNative, nativeAvailable } from '../../src/io/native/index.js';
import { startNotifyRelay } from '../../src/cli/notify-relay.js';

describe.skipIf(!nativeAvailable())('sd_notify relay of the -s supervisor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-relay-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes each datagram of the child on to the real NOTIFY_SOCKET, unchanged', async () => {
    const native = loadNative();
    const systemd = join(dir, 'systemd.sock');
    const sd = native.unixDgramBind(systemd);
    const errors: string[] = [];
    const relay = startNotifyRelay(systemd, native, (m) => errors.push(m));
    expect(relay).toBeDefined();
    if (relay === undefined) return;
    expect(relay.socketPath).not.toBe(systemd);
    native.unixDgramSend(relay.socketPath, Buffer.from('READY=1\nSTATUS=up'));
    native.unixDgramSend(relay.socketPath, Buffer.from('STOPPING=1'));
    const got: string[] = [];
    const buf = Buffer.alloc(512);
    for (let i = 0; i < 200 && got.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      for (let n = native.unixDgramRecv(sd, buf); n !== undefined; n = native.unixDgramRecv(sd, buf)) got.push(buf.subarray(0, n).toString());
    }
    expect(got).toEqual(['READY=1\nSTATUS=up', 'STOPPING=1']);
    expect(relay.relayed).toBe(2);
    relay.close();
    native.closeFd(sd);
    expect(existsSync(dirname(relay.socketPath))).toBe(false);
    expect(errors).toEqual([]);
  });

  it('does nothing without a path to relay to (unset, or an abstract name of the host namespace)', () => {
    const native = loadNative();
    expect(startNotifyRelay(undefined, native, () => undefined)).toBeUndefined();
    expect(startNotifyRelay('@systemd-notify', native, () => undefined)).toBeUndefined();
  });
});
