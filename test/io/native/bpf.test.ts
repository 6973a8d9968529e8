import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { BpfOp, encodeBpf, udpDestinationPortFilter } from '../../../src/io/native/bpf.js';
import { loadNative } from '../../../src/io/native/index.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const IPPROTO_UDP = 17;

describe('classic BPF programs', () => {
  it('encodes struct sock_filter entries in the requested byte order', () => {
    const prog = [{ code: BpfOp.JEQ_K, jt: 2, jf: 1, k: 3784 }];
    expect([...encodeBpf(prog, true)]).toEqual([0x15, 0x00, 2, 1, 0xc8, 0x0e, 0x00, 0x00]);
    expect([...encodeBpf(prog, false)]).toEqual([0x00, 0x15, 2, 1, 0x00, 0x00, 0x0e, 0xc8]);
  });

  it('port filter: loads the port after the IPv4 header (IHL) or at the UDP header; every match jumps to accept', () => {
    const v4 = udpDestinationPortFilter(4, [3784, 4784]);
    expect(v4.map((i) => i.code)).toEqual([BpfOp.LDX_B_MSH, BpfOp.LD_H_IND, BpfOp.JEQ_K, BpfOp.JEQ_K, BpfOp.RET_K, BpfOp.RET_K]);
    // compare i at index 2+i jumps jt forward onto the last instruction (accept), falls through otherwise.
    v4.slice(2, 4).forEach((c, i) => expect(2 + i + 1 + c.jt).toBe(v4.length - 1));
    expect(v4.at(-2)?.k).toBe(0);
    expect(v4.at(-1)?.k).toBeGreaterThan(0);
    expect(udpDestinationPortFilter(6, [3784])[0]).toEqual({ code: BpfOp.LD_H_ABS, jt: 0, jf: 0, k: 2 });
    expect(() => udpDestinationPortFilter(4, [])).toThrow(RangeError);
  });
});

describe.skipIf(!isRoot)('attachFilter on a raw UDP socket (kernel)', () => {
  const native = loadNative();
  let fd = -1;
  afterEach(() => {
    if (fd >= 0) native.closeFd(fd);
    fd = -1;
  });

  it('only datagrams to the filtered port reach the socket', async () => {
    fd = native.rawOpen(4, IPPROTO_UDP);
    native.attachFilter(fd, encodeBpf(udpDestinationPortFilter(4, [47811])));
    const tx = createSocket('udp4');
    const send = (port: number, text: string): Promise<void> =>
      new Promise((resolve, reject) => tx.send(Buffer.from(text), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    await send(47812, 'other-port');
    await send(47811, 'wanted');
    await send(47813, 'other-port');
    await new Promise((r) => setTimeout(r, 100));
    tx.close();
    const buf = new Uint8Array(2048);
    const got: string[] = [];
    for (let info = native.recvMsg(fd, buf); info !== undefined; info = native.recvMsg(fd, buf)) {
      const ihl = ((buf[0] ?? 0) & 0x0f) * 4;
      got.push(Buffer.from(buf.subarray(ihl + 8, info.length)).toString());
    }
    expect(got).toEqual(['wanted']);
  });

  it('rejects a program that is not whole sock_filter entries', () => {
    fd = native.rawOpen(4, IPPROTO_UDP);
    expect(() => native.attachFilter(fd, new Uint8Array(7))).toThrow();
  });
});
