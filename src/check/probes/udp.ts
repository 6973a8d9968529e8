/**
 * UDP_CHECK: send `payload` (default: empty datagram) on a connected UDP socket. Without
 * `require_reply` the check passes unless an ICMP error (port unreachable → ECONNREFUSED on a
 * connected socket) arrives within connect_timeout. With `require_reply` a reply must arrive, be
 * within min/max_reply_length (max 0 = no limit) and start with the configured bytes, if any.
 */
import { createSocket } from 'node:dgram';
import type { UdpChecker } from '../../config/model.js';
import { errText, fail, type Probe, type ProbeEndpoint, type ProbeOutcome } from './types.js';

export function checkUdpReply(c: Pick<UdpChecker, 'requireReplyData' | 'minReplyLength' | 'maxReplyLength'>, reply: Uint8Array): string | null {
  if (reply.length < c.minReplyLength) return `reply too short (${reply.length} < ${c.minReplyLength})`;
  if (c.maxReplyLength !== 0 && reply.length > c.maxReplyLength) return `reply too long (${reply.length} > ${c.maxReplyLength})`;
  if (c.requireReplyData !== null) {
    const want = Buffer.from(c.requireReplyData, 'hex');
    if (reply.length < want.length || !Buffer.from(reply.subarray(0, want.length)).equals(want)) return 'reply data does not match';
  }
  return null;
}

export function udpProbe(ep: ProbeEndpoint, c: UdpChecker): Probe {
  const payload = Buffer.from(c.payload ?? '', 'hex');
  return (signal): Promise<ProbeOutcome> =>
    new Promise((resolve) => {
      const sock = createSocket(ep.family === 'inet6' ? 'udp6' : 'udp4');
      let settled = false;
      const done = (r: ProbeOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        sock.close();
        resolve(r);
      };
      const onAbort = (): void => done(fail('aborted'));
      const timer = setTimeout(() => done(c.requireReply ? fail(`no reply within ${ep.timeoutMs} ms`) : { ok: true }), ep.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      sock.on('error', (e) => done(fail(errText(e))));
      sock.on('message', (msg) => {
        if (!c.requireReply) return done({ ok: true });
        const bad = checkUdpReply(c, msg);
        done(bad === null ? { ok: true } : fail(bad));
      });
      const go = (): void =>
        sock.connect(ep.port, ep.address, () => {
          sock.send(payload, (e) => (e ? done(fail(errText(e))) : undefined));
        });
      if (ep.bindAddress !== null || ep.bindPort !== null) sock.bind({ ...(ep.bindAddress !== null ? { address: ep.bindAddress } : {}), port: ep.bindPort ?? 0 }, go);
      else go();
    });
}
