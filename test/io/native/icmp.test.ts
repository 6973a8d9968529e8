import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadNative, nativeAddonCandidates, nativeAvailable } from '../../../src/io/native/index.js';
import { existsSync } from 'node:fs';

const addonPath = (): string => nativeAddonCandidates().find((p) => existsSync(p)) ?? '';

/** Runs `body` (CommonJS, `n` = the addon) in a worker thread; resolves with its exit code and messages. */
function inWorker(body: string): Promise<{ code: number; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const messages: unknown[] = [];
    const w = new Worker(`const { parentPort } = require('node:worker_threads'); const n = require(${JSON.stringify(addonPath())});\n${body}`, { eval: true });
    w.on('message', (m) => messages.push(m));
    w.on('error', reject);
    w.on('exit', (code) => resolve({ code, messages }));
  });
}

describe.skipIf(!nativeAvailable())('native ICMP echo sockets', () => {
  it('opens IPv4 and IPv6 echo sockets (ping socket or raw fallback) and rejects other families', () => {
    const n = loadNative();
    for (const family of [4, 6] as const) {
      const s = n.icmpEchoOpen(family);
      expect(Number.isInteger(s.fd) && s.fd > 2).toBe(true);
      expect(typeof s.raw).toBe('boolean');
      n.closeFd(s.fd);
    }
    expect(() => n.icmpEchoOpen(5 as 4)).toThrow(expect.objectContaining({ code: 'KTS_NATIVE_ARG' }));
  });

  it('works in a worker thread: an echo to 127.0.0.1 is answered there', async () => {
    const r = await inWorker(`
      const s = n.icmpEchoOpen(4);
      const req = Buffer.from([8, 0, 0, 0, 0x12, 0x34, 0, 1]);
      let sum = 0; for (let i = 0; i < 8; i += 2) sum += req.readUInt16BE(i);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      req.writeUInt16BE(~sum & 0xffff, 2);
      const h = n.pollStart(s.fd, () => {
        const buf = Buffer.alloc(256); const info = n.recvMsg(s.fd, buf);
        if (info === undefined) return;
        const at = s.raw ? (buf[0] & 15) * 4 : 0;
        parentPort.postMessage({ source: info.source, type: buf[at] });
        setImmediate(() => { n.pollStop(h); n.closeFd(s.fd); });
      });
      n.sendTo(s.fd, req, Buffer.from([127, 0, 0, 1]), 0);
    `);
    expect(r.code).toBe(0);
    expect(r.messages).toEqual([{ source: '127.0.0.1', type: 0 }]);
  });

  it('a worker that ends with a poller still started exits cleanly (the poller is closed at teardown)', async () => {
    const r = await inWorker(`
      const s = n.icmpEchoOpen(6);
      const h = n.pollStart(s.fd, () => {});
      n.pollRef(h, false); // lets the worker's loop end with the handle open
      parentPort.postMessage('started');
    `);
    expect(r).toEqual({ code: 0, messages: ['started'] });
  });
});
