/**
 * PING_CHECK: one ICMP echo (ICMPv6 echo for an IPv6 target) to the real server (or connect_ip) per
 * attempt, on a fresh socket as keepalived 2.2.7's check_ping.c does; the attempt succeeds when the
 * matching echo reply arrives within connect_timeout, anything else (no reply, an unreachable
 * target, a send error) is a failure. Retries and delay_before_retry are the engine's.
 *
 * The socket comes from the native addon (Node.js has no ICMP sockets): an unprivileged datagram
 * ping socket when net.ipv4.ping_group_range admits our gid — the kernel then owns the echo id and
 * only hands this socket its own replies, so a reply matches on sequence and source — else a raw
 * socket (we run as root), where every echo reply to the host arrives and a reply must also carry
 * our echo id. keepalived instead widens ping_group_range at start-up; keepalived-ts leaves the
 * sysctl alone. As keepalived, bindto/bind_port/fwmark are not used by PING_CHECK; bind_if gives an
 * IPv6 link-local target its scope. Readability comes from the addon's libuv poller, so the event loop never blocks;
 * it works in the checker worker thread.
 */
import { ipv4ToBytes, ipv6ToBytes } from '../../io/arp/addresses.js';
import { loadNative, type KtsNative } from '../../io/native/index.js';
import { decodeEchoReply, encodeEchoRequest, type EchoFamily } from './icmp-echo.js';
import { errText, fail, type Probe, type ProbeEndpoint, type ProbeOutcome } from './types.js';

/** The addon calls PING_CHECK uses (injectable for tests). */
export type PingNative = Pick<KtsNative, 'icmpEchoOpen' | 'sendTo' | 'recvMsg' | 'pollStart' | 'pollStop' | 'closeFd' | 'ifNameToIndex'>;

export interface PingProbeOptions {
  /** Default: the kts_native addon, loaded on the first attempt. */
  readonly native?: () => PingNative;
  /** Echo id on raw sockets (ping sockets get theirs from the kernel). Default: random per thread. */
  readonly echoId?: number;
  /** `bind_if`: the scope (interface) of an IPv6 link-local target, as keepalived requires. */
  readonly bindIf?: string;
}

/** keepalived keeps one process-wide sequence counter (seq_no++), shared by every PING_CHECK. */
let nextSeq = 0;
const threadEchoId = Math.floor(Math.random() * 0x10000);
const RECV_BUFFER_BYTES = 1500;

/** Address bytes (compared as hex) so "2001:db8::1" and "2001:DB8:0::1" are the same host; null if unparsable. */
function addressKey(family: EchoFamily, text: string): string | null {
  try {
    return Buffer.from(family === 4 ? ipv4ToBytes(text) : ipv6ToBytes(text)).toString('hex');
  } catch {
    return null;
  }
}

export function pingProbe(ep: ProbeEndpoint, opts: PingProbeOptions = {}): Probe {
  const family: EchoFamily = ep.family === 'inet6' ? 6 : 4;
  const target = addressKey(family, ep.address);
  const getNative = opts.native ?? loadNative;
  const echoId = (opts.echoId ?? threadEchoId) & 0xffff;
  return (signal): Promise<ProbeOutcome> =>
    new Promise((resolve) => {
      if (target === null) return resolve(fail(`invalid address ${ep.address}`));
      let native: PingNative;
      let sock: { readonly fd: number; readonly raw: boolean };
      try {
        native = getNative();
        sock = native.icmpEchoOpen(family);
      } catch (err) {
        return resolve(fail(`ICMP${family === 6 ? 'v6' : ''} connect fail to create socket: ${errText(err)}`));
      }
      const seq = nextSeq;
      nextSeq = (nextSeq + 1) & 0xffff;
      const buffer = new Uint8Array(RECV_BUFFER_BYTES);
      let poll: ReturnType<PingNative['pollStart']> | undefined;
      let settled = false;
      const done = (r: ProbeOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        try {
          if (poll !== undefined) native.pollStop(poll);
        } finally {
          native.closeFd(sock.fd);
        }
        resolve(r);
      };
      const onAbort = (): void => done(fail('aborted'));
      // The poller is stopped outside its own callback (setImmediate), never from within it.
      let concluded = false;
      const conclude = (r: ProbeOutcome): void => {
        concluded = true;
        setImmediate(() => done(r));
      };
      const onReadable = (status: number): void => {
        if (settled || concluded) return;
        if (status < 0) return conclude(fail(`poll error ${status}`));
        try {
          for (;;) {
            const info = native.recvMsg(sock.fd, buffer);
            if (info === undefined) return;
            if (info.truncated || info.source === undefined || addressKey(family, info.source) !== target) continue;
            const reply = decodeEchoReply(family, buffer.subarray(0, info.length), sock.raw && family === 4);
            if (reply === null || reply.seq !== seq || (sock.raw && reply.id !== echoId)) continue;
            return conclude({ ok: true });
          }
        } catch (err) {
          conclude(fail(`recv ICMP packet error: ${errText(err)}`));
        }
      };
      const timer = setTimeout(() => done(fail(`timeout after ${ep.timeoutMs} ms`)), ep.timeoutMs);
      if (signal.aborted) return done(fail('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        poll = native.pollStart(sock.fd, onReadable);
        const dst = family === 4 ? ipv4ToBytes(ep.address) : ipv6ToBytes(ep.address);
        const scopeId = family === 6 && opts.bindIf !== undefined ? native.ifNameToIndex(opts.bindIf) : 0;
        native.sendTo(sock.fd, encodeEchoRequest(family, sock.raw ? echoId : 0, seq), dst, scopeId);
      } catch (err) {
        return done(fail(`send ICMP${family === 6 ? 'v6' : ''} packet fail: ${errText(err)}`));
      }
    });
}
