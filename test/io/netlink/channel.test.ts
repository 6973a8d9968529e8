/** NetlinkChannel bookkeeping against a scripted kernel: ACKs, errors, dumps, timeouts, routing. */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { NetlinkError } from '../../../src/io/netlink/errors.js';
import { NetlinkChannel } from '../../../src/io/netlink/socket.js';
import type { NlRequest } from '../../../src/io/netlink/nl-request.js';
import { hex, nlmsg, u32le } from './helpers/bytes.js';
import { FakeKernel, FAKE_LOCAL_PORT } from './helpers/fake-kernel.js';

const ACK_REQ: NlRequest = { type: 20, flags: 0x605, body: Uint8Array.of(2, 32, 0, 0, 1, 0, 0, 0), expect: 'ack' };
const DUMP_REQ: NlRequest = { type: 18, flags: 0x301, body: new Uint8Array(16), expect: 'dump' };

afterEach(() => {
  vi.useRealTimers();
});

describe('NetlinkChannel', () => {
  it('frames requests with increasing seq and our port id, and resolves on ACK', async () => {
    const k = new FakeKernel();
    const ch = new NetlinkChannel(k, { firstSeq: 100 });
    await expect(ch.execute(ACK_REQ)).resolves.toEqual([]);
    await ch.execute(ACK_REQ);
    expect(k.seen.map((r) => [r.type, r.flags, r.seq, r.pid])).toEqual([
      [20, 0x605, 101, FAKE_LOCAL_PORT],
      [20, 0x605, 102, FAKE_LOCAL_PORT],
    ]);
    expect(Array.from(k.seen[0]!.body)).toEqual([2, 32, 0, 0, 1, 0, 0, 0]);
  });

  it('turns an error ACK into KTS_NETLINK_KERNEL with errno name and extack', async () => {
    const k = new FakeKernel(() => ({ errno: 17, extack: 'Address already assigned' }));
    const ch = new NetlinkChannel(k);
    const err = await ch.execute(ACK_REQ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err).toMatchObject({ code: 'KTS_NETLINK_KERNEL', errno: 17, errnoName: 'EEXIST', extack: 'Address already assigned', requestType: 20 });
    expect((err as Error).message).toContain('EEXIST (Address already assigned)');
  });

  it('collects a multipart dump until NLMSG_DONE', async () => {
    const k = new FakeKernel(() => ({ done: true, messages: [{ type: 16, payload: [1, 1, 1, 1] }, { type: 16, payload: [2, 2, 2, 2] }] }));
    const ch = new NetlinkChannel(k);
    const msgs = await ch.execute(DUMP_REQ);
    expect(msgs.map((m) => m.payload[0])).toEqual([1, 2]);
  });

  it('retries a dump flagged NLM_F_DUMP_INTR, then gives up with KTS_NETLINK_DUMP_INTERRUPTED', async () => {
    let calls = 0;
    const k = new FakeKernel(() => {
      calls++;
      return { done: true, messages: [{ type: 16, payload: [calls, 0, 0, 0], flags: calls < 2 ? 0x12 : 0x2 }] };
    });
    const ch = new NetlinkChannel(k);
    const msgs = await ch.execute(DUMP_REQ);
    expect(calls).toBe(2);
    expect(msgs[0]!.payload[0]).toBe(2);

    const always = new NetlinkChannel(new FakeKernel(() => ({ done: true, messages: [{ type: 16, payload: [0, 0, 0, 0], flags: 0x12 }] })), { dumpAttempts: 2 });
    await expect(always.execute(DUMP_REQ)).rejects.toMatchObject({ code: 'KTS_NETLINK_DUMP_INTERRUPTED' });
  });

  it('rejects a dump whose NLMSG_DONE carries an error', async () => {
    const k = new FakeKernel(() => ({ silent: true }));
    const ch = new NetlinkChannel(k);
    const p = ch.execute(DUMP_REQ);
    await Promise.resolve();
    const seq = k.seen[0]!.seq;
    k.deliver(Uint8Array.from(nlmsg(3, 2, seq, FAKE_LOCAL_PORT, u32le(-16))));
    await expect(p).rejects.toMatchObject({ code: 'KTS_NETLINK_KERNEL', errnoName: 'EBUSY' });
  });

  it('times out with KTS_NETLINK_TIMEOUT and forgets the request', async () => {
    vi.useFakeTimers();
    const k = new FakeKernel(() => ({ silent: true }));
    const ch = new NetlinkChannel(k, { timeoutMs: 250 });
    const p = ch.execute(ACK_REQ);
    const assertion = expect(p).rejects.toMatchObject({ code: 'KTS_NETLINK_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(250);
    await assertion;
    expect(k.referenced).toBe(false);
  });

  it('references the socket only while requests are outstanding (unless keepAlive)', async () => {
    const k = new FakeKernel(() => ({ silent: true }));
    const ch = new NetlinkChannel(k);
    expect(k.referenced).toBe(false);
    const p = ch.execute(ACK_REQ);
    expect(k.referenced).toBe(true);
    ch.close();
    await expect(p).rejects.toMatchObject({ code: 'KTS_NETLINK_CLOSED' });
    expect(k.closed).toBe(true);
    await expect(ch.execute(ACK_REQ)).rejects.toMatchObject({ code: 'KTS_NETLINK_CLOSED' });
    const k2 = new FakeKernel();
    new NetlinkChannel(k2, { keepAlive: true });
    expect(k2.referenced).toBe(true);
  });

  it('routes unsolicited messages to notification listeners and ignores non-kernel senders', () => {
    const k = new FakeKernel();
    const ch = new NetlinkChannel(k);
    const got: number[] = [];
    ch.onNotification((m) => got.push(m.header.type));
    k.deliver(Uint8Array.from([...nlmsg(16, 0, 0, 0, [0, 0, 0, 0]), ...nlmsg(20, 0, 0, 0, [0, 0, 0, 0])]));
    k.deliver(Uint8Array.from(nlmsg(21, 0, 0, 0, [0, 0, 0, 0])), 1234); // from a user-space peer
    expect(got).toEqual([16, 20]);
  });

  it('reports undecodable and truncated datagrams as problems without throwing', () => {
    const k = new FakeKernel();
    const ch = new NetlinkChannel(k);
    const problems: string[] = [];
    ch.onProblem((e) => problems.push(e.code));
    k.deliver(hex('ff000000 1000'));
    k.deliver(Uint8Array.from(nlmsg(16, 0, 0, 0, [])), 0, true);
    k.failSocket(Object.assign(new Error('recvmsg ENOBUFS'), { errno: -105 }));
    k.deliver(Uint8Array.from(nlmsg(4, 0, 0, 0, [])));
    expect(problems).toEqual(['KTS_NETLINK_DECODE', 'KTS_NETLINK_DECODE', 'KTS_NETLINK_SOCKET', 'KTS_NETLINK_OVERRUN']);
  });

  it('turns a failed send into KTS_NETLINK_SEND', async () => {
    const k = new FakeKernel();
    k.send = () => Promise.reject(Object.assign(new Error('ENOBUFS'), { errno: 105 }));
    const ch = new NetlinkChannel(k);
    await expect(ch.execute(ACK_REQ)).rejects.toMatchObject({ code: 'KTS_NETLINK_SEND', errno: 105 });
  });
});
