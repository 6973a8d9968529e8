import { describe, expect, it } from 'vitest';
import { decodeEchoReply } from '../../../src/check/probes/icmp-echo.js';
import { pingProbe, type PingNative } from '../../../src/check/probes/ping.js';
import type { ProbeEndpoint } from '../../../src/check/probes/types.js';
import { nativeAvailable, type NativePollHandle, type NativeRecvInfo } from '../../../src/io/native/index.js';

const ep = (address: string, timeoutMs = 2000): ProbeEndpoint => ({
  address,
  family: address.includes(':') ? 'inet6' : 'inet',
  port: 0,
  bindAddress: null,
  bindPort: null,
  timeoutMs,
});
const signal = new AbortController().signal;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A scripted stand-in for the addon: records what is sent, delivers queued datagrams on demand. */
class FakeIcmp implements PingNative {
  sent: { bytes: Uint8Array; dst: Uint8Array; scopeId: number }[] = [];
  queue: { bytes: Uint8Array; source: string }[] = [];
  closed: number[] = [];
  stopped = 0;
  private onReadable: ((status: number) => void) | undefined;
  constructor(
    private readonly raw: boolean,
    private readonly failSend?: Error,
  ) {}
  icmpEchoOpen(): { fd: number; raw: boolean } {
    return { fd: 42, raw: this.raw };
  }
  sendTo(_fd: number, payload: Uint8Array, destination: Uint8Array, scopeId: number): number {
    if (this.failSend) throw this.failSend;
    this.sent.push({ bytes: Uint8Array.from(payload), dst: Uint8Array.from(destination), scopeId });
    return payload.length;
  }
  recvMsg(_fd: number, buffer: Uint8Array): NativeRecvInfo | undefined {
    const d = this.queue.shift();
    if (d === undefined) return undefined;
    buffer.set(d.bytes.subarray(0, buffer.length));
    return { length: Math.min(d.bytes.length, buffer.length), truncated: d.bytes.length > buffer.length, source: d.source };
  }
  pollStart(_fd: number, cb: (status: number) => void): NativePollHandle {
    this.onReadable = cb;
    return {} as NativePollHandle;
  }
  pollStop(): void {
    this.stopped++;
  }
  closeFd(fd: number): void {
    this.closed.push(fd);
  }
  ifNameToIndex(name: string): number {
    return name === 'eth7' ? 7 : 0;
  }
  /** The reply a correct peer would send to the last request (an IPv4 header first on a raw v4 socket). */
  replyTo(family: 4 | 6, tweak: (b: Uint8Array) => void = () => {}): Uint8Array {
    const req = this.sent.at(-1)?.bytes;
    if (req === undefined) throw new Error('nothing sent');
    const icmp = Uint8Array.from(req);
    icmp[0] = family === 4 ? 0 : 129;
    tweak(icmp);
    if (!(this.raw && family === 4)) return icmp;
    const ip = new Uint8Array(20);
    ip[0] = 0x45;
    ip[9] = 1;
    return Uint8Array.from([...ip, ...icmp]);
  }
  deliver(...d: { bytes: Uint8Array; source: string }[]): void {
    this.queue.push(...d);
    this.onReadable?.(0);
  }
}

describe('PING_CHECK probe against the real kernel', () => {
  it.skipIf(!nativeAvailable())('gets an echo reply from 127.0.0.1', async () => {
    expect(await pingProbe(ep('127.0.0.1'))(signal)).toEqual({ ok: true });
  });

  it.skipIf(!nativeAvailable())('gets an ICMPv6 echo reply from ::1 (written in a non-canonical form)', async () => {
    expect(await pingProbe(ep('0:0::1'))(signal)).toEqual({ ok: true });
  });

  it.skipIf(!nativeAvailable())('repeated attempts each match their own reply (fresh socket and sequence per attempt)', async () => {
    const probe = pingProbe(ep('127.0.0.1'));
    const results = await Promise.all([probe(signal), probe(signal), probe(signal)]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it.skipIf(!nativeAvailable() || !isRoot)('fails on a target nobody answers for (TEST-NET-2): timeout or unreachable', async () => {
    const r = await pingProbe(ep('198.51.100.77', 300))(signal);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/timeout after 300 ms|UNREACH/);
  });

  it.skipIf(!nativeAvailable())('an abort ends the attempt at once', async () => {
    const ac = new AbortController();
    const pending = pingProbe(ep('198.51.100.77', 60_000))(ac.signal);
    ac.abort();
    expect(await pending).toEqual({ ok: false, reason: 'aborted' });
  });
});

describe('PING_CHECK reply matching (scripted socket)', () => {
  it('ping socket: the reply with our sequence from the target succeeds; the socket is closed', async () => {
    const fake = new FakeIcmp(false);
    const pending = pingProbe(ep('10.1.2.3'), { native: () => fake })(signal);
    expect(fake.sent).toHaveLength(1);
    expect(Array.from(fake.sent[0]?.dst ?? [])).toEqual([10, 1, 2, 3]);
    const req = decodeEchoReply(4, Uint8Array.from(fake.sent[0]?.bytes ?? [], (b, i) => (i === 0 ? 0 : b)), false);
    expect(req?.id).toBe(0); // the kernel owns the id of a ping socket
    fake.deliver({ bytes: fake.replyTo(4), source: '10.1.2.3' });
    expect(await pending).toEqual({ ok: true });
    expect(fake.closed).toEqual([42]);
    expect(fake.stopped).toBe(1);
  });

  it('ignores replies from another host, with another sequence, or truncated; then times out', async () => {
    const fake = new FakeIcmp(false);
    const pending = pingProbe(ep('10.1.2.3', 50), { native: () => fake })(signal);
    fake.deliver(
      { bytes: fake.replyTo(4), source: '10.1.2.4' },
      { bytes: fake.replyTo(4, (b) => (b[6] = (b[6] ?? 0) ^ 0xff)), source: '10.1.2.3' },
      { bytes: fake.replyTo(4).subarray(0, 5), source: '10.1.2.3' },
    );
    expect(await pending).toEqual({ ok: false, reason: 'timeout after 50 ms' });
    expect(fake.closed).toEqual([42]);
  });

  it('raw socket: our echo id is sent and required; the IPv4 header is skipped', async () => {
    const fake = new FakeIcmp(true);
    const pending = pingProbe(ep('10.1.2.3', 200), { native: () => fake, echoId: 0x4242 })(signal);
    const sent = fake.sent[0]?.bytes ?? new Uint8Array();
    expect([sent[4], sent[5]]).toEqual([0x42, 0x42]);
    fake.deliver({ bytes: fake.replyTo(4, (b) => (b[5] = 0x43)), source: '10.1.2.3' }); // another process's ping
    fake.deliver({ bytes: fake.replyTo(4), source: '10.1.2.3' });
    expect(await pending).toEqual({ ok: true });
  });

  it('IPv6: source compared as an address, not as text', async () => {
    const fake = new FakeIcmp(true);
    const pending = pingProbe(ep('2001:db8:0:0::1'), { native: () => fake, echoId: 7 })(signal);
    expect(fake.sent[0]?.bytes[0]).toBe(128);
    fake.deliver({ bytes: fake.replyTo(6), source: '2001:db8::1' });
    expect(await pending).toEqual({ ok: true });
  });

  it('bind_if scopes an IPv6 link-local target; IPv4 ignores it', async () => {
    const fake = new FakeIcmp(false);
    const pending = pingProbe(ep('fe80::1', 20), { native: () => fake, bindIf: 'eth7' })(signal);
    const pending4 = pingProbe(ep('10.1.2.3', 20), { native: () => fake, bindIf: 'eth7' })(signal);
    expect(fake.sent.map((x) => x.scopeId)).toEqual([7, 0]);
    await Promise.all([pending, pending4]);
  });

  it('a send error is a failure with the errno, and the socket is still closed', async () => {
    const err = Object.assign(new Error('sendto: Network is unreachable'), { code: 'ENETUNREACH' });
    const fake = new FakeIcmp(false, err);
    const r = await pingProbe(ep('10.1.2.3'), { native: () => fake })(signal);
    expect(r).toEqual({ ok: false, reason: 'send ICMP packet fail: ENETUNREACH sendto: Network is unreachable' });
    expect(fake.closed).toEqual([42]);
  });

  it('a missing addon or socket is a failure, never a throw', async () => {
    const r = await pingProbe(ep('::1'), {
      native: () => {
        throw Object.assign(new Error('no addon'), { code: 'KTS_NATIVE_MISSING' });
      },
    })(signal);
    expect(r).toEqual({ ok: false, reason: 'ICMPv6 connect fail to create socket: KTS_NATIVE_MISSING no addon' });
  });
});
