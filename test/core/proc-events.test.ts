import { describe, expect, it } from 'vitest';
import { CN_IDX_PROC, CN_VAL_PROC, decodeProcEvents, encodeProcSubscribe } from '../../src/core/proc-events.js';

const LE = true; // the test host (x86-64/arm64) is little-endian, like the decoder's host order

/** One connector datagram laid out as the kernel's cn_proc.c sends it: nlmsghdr, cn_msg, proc_event. */
function datagram(what: number, data: readonly number[], comm?: string, idx = CN_IDX_PROC): Uint8Array {
  const dataLen = comm !== undefined ? 8 + 16 : Math.max(24, data.length * 4);
  const len = 16 + 20 + 16 + dataLen;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, len, LE);
  dv.setUint16(4, 3, LE); // NLMSG_DONE
  dv.setUint32(16, idx, LE);
  dv.setUint32(20, CN_VAL_PROC, LE);
  dv.setUint16(32, 16 + dataLen, LE);
  dv.setUint32(36, what, LE);
  dv.setUint32(40, 1, LE); // cpu
  data.forEach((v, i) => dv.setUint32(52 + 4 * i, v, LE));
  if (comm !== undefined) b.set(new TextEncoder().encode(comm), 52 + 8);
  return b;
}

describe('decodeProcEvents', () => {
  it('decodes fork, exec, comm, exit and the subscription ack', () => {
    expect(decodeProcEvents(datagram(0x1, [100, 100, 200, 200]))).toEqual([{ kind: 'fork', parentTgid: 100, childPid: 200, childTgid: 200 }]);
    expect(decodeProcEvents(datagram(0x2, [300, 300]))).toEqual([{ kind: 'exec', pid: 300, tgid: 300 }]);
    expect(decodeProcEvents(datagram(0x200, [301, 300], 'haproxy'))).toEqual([{ kind: 'comm', pid: 301, tgid: 300, comm: 'haproxy' }]);
    expect(decodeProcEvents(datagram(0x80000000, [400, 400, 9, 17]))).toEqual([{ kind: 'exit', pid: 400, tgid: 400 }]);
    expect(decodeProcEvents(datagram(0, []))).toEqual([{ kind: 'ack' }]);
  });

  it('skips other connectors, unknown events and truncated or garbage data without throwing', () => {
    expect(decodeProcEvents(datagram(0x2, [1, 1], undefined, 7))).toEqual([]);
    expect(decodeProcEvents(datagram(0x40, [1, 1]))).toEqual([]); // PROC_EVENT_SID
    const full = datagram(0x1, [1, 1, 2, 2]);
    for (let cut = 0; cut < full.length; cut += 7) expect(() => decodeProcEvents(full.subarray(0, cut))).not.toThrow();
    expect(decodeProcEvents(full.subarray(0, 40))).toEqual([]);
    expect(decodeProcEvents(new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))).toEqual([]);
  });

  it('encodes the LISTEN / IGNORE subscription as nlmsghdr + cn_msg + op', () => {
    const b = encodeProcSubscribe(true, 0x1234);
    const dv = new DataView(b.buffer);
    expect(b.length).toBe(40);
    expect(dv.getUint32(0, LE)).toBe(40);
    expect(dv.getUint16(4, LE)).toBe(3);
    expect(dv.getUint32(12, LE)).toBe(0x1234);
    expect([dv.getUint32(16, LE), dv.getUint32(20, LE), dv.getUint16(32, LE), dv.getUint32(36, LE)]).toEqual([1, 1, 4, 1]);
    expect(new DataView(encodeProcSubscribe(false, 1).buffer).getUint32(36, LE)).toBe(2);
  });
});
