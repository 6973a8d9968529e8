/**
 * SMTP_CHECK: connect, expect the 220 greeting, send `HELO <helo_name>`, expect 250, send QUIT.
 * Multi-line replies (`250-…`) are read to their last line. Bounded by connect_timeout.
 */
import type { Socket } from 'node:net';
import { connectTcp } from './tcp.js';
import { errText, fail, type Probe, type ProbeEndpoint, type ProbeOutcome } from './types.js';

/** Reads one complete SMTP reply (last line `NNN text`); resolves with its code or an error. */
function readReply(sock: Socket, state: { buf: string }, signal: AbortSignal): Promise<number | { error: string }> {
  return new Promise((resolve) => {
    const tryParse = (): boolean => {
      const lines = state.buf.split('\r\n');
      for (let i = 0; i < lines.length - 1; i++) {
        const m = /^(\d{3})( |$)/.exec(lines[i] ?? '');
        if (m !== null) {
          state.buf = lines.slice(i + 1).join('\r\n');
          done(Number(m[1]));
          return true;
        }
      }
      return false;
    };
    const onData = (d: Buffer): void => {
      state.buf += d.toString('latin1');
      tryParse();
    };
    const onEnd = (): void => done({ error: 'connection closed' });
    const onError = (e: Error): void => done({ error: errText(e) });
    const onAbort = (): void => done({ error: 'timeout' });
    function done(r: number | { error: string }): void {
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    }
    sock.on('data', onData);
    sock.once('end', onEnd);
    sock.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    else tryParse();
  });
}

export function smtpProbe(ep: ProbeEndpoint, heloName: string): Probe {
  return async (signal): Promise<ProbeOutcome> => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(ep.timeoutMs)]);
    const c = await connectTcp(ep, deadline);
    if ('error' in c) return fail(c.error);
    const sock = c.socket;
    sock.on('error', () => {});
    const state = { buf: '' };
    try {
      const greet = await readReply(sock, state, deadline);
      if (typeof greet !== 'number') return fail(`no greeting: ${greet.error}`);
      if (greet !== 220) return fail(`bad greeting code ${greet}`);
      sock.write(`HELO ${heloName}\r\n`);
      const helo = await readReply(sock, state, deadline);
      if (typeof helo !== 'number') return fail(`no HELO reply: ${helo.error}`);
      if (helo !== 250) return fail(`HELO refused with ${helo}`);
      sock.write('QUIT\r\n');
      return { ok: true };
    } finally {
      sock.end();
      setTimeout(() => sock.destroy(), 100).unref();
    }
  };
}
