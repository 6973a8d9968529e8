/**
 * TCP_CHECK: a TCP connect (from bindto/bind_port when configured) that must complete within
 * connect_timeout; the connection is closed at once.
 */
import { Socket } from 'node:net';
import { errText, fail, type Probe, type ProbeEndpoint, type ProbeOutcome } from './types.js';

/** Opens a connected socket or fails; shared by the TCP, HTTP and SMTP probes. */
export function connectTcp(ep: ProbeEndpoint, signal: AbortSignal): Promise<{ socket: Socket } | { error: string }> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const done = (r: { socket: Socket } | { error: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if ('error' in r) socket.destroy();
      resolve(r);
    };
    const onAbort = (): void => done({ error: 'aborted' });
    const timer = setTimeout(() => done({ error: `timeout after ${ep.timeoutMs} ms` }), ep.timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (err) => done({ error: errText(err) }));
    socket.once('connect', () => done({ socket }));
    socket.connect({
      host: ep.address,
      port: ep.port,
      family: ep.family === 'inet6' ? 6 : 4,
      ...(ep.bindAddress !== null ? { localAddress: ep.bindAddress } : {}),
      ...(ep.bindPort !== null ? { localPort: ep.bindPort } : {}),
    });
  });
}

export function tcpProbe(ep: ProbeEndpoint): Probe {
  return async (signal): Promise<ProbeOutcome> => {
    const r = await connectTcp(ep, signal);
    if ('error' in r) return fail(r.error);
    r.socket.destroy();
    return { ok: true };
  };
}
