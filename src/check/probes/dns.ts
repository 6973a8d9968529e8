/**
 * DNS_CHECK: one UDP query (`type`, `name`, class IN, recursion desired) to the real server; the
 * check passes when an answer with our id, QR set and RCODE NOERROR arrives within
 * connect_timeout. The query encoder / answer decoder are pure and never throw.
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { DnsQueryType } from '../../config/model.js';
import { errText, fail, type Probe, type ProbeEndpoint, type ProbeOutcome } from './types.js';

export const DNS_TYPE_CODES: Readonly<Record<DnsQueryType, number>> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 };

export function encodeDnsQuery(id: number, name: string, type: DnsQueryType): Buffer {
  const labels = name === '.' || name === '' ? [] : name.replace(/\.$/, '').split('.');
  const qname = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.of(Math.min(l.length, 63)), Buffer.from(l.slice(0, 63), 'latin1')])), Buffer.of(0)]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(DNS_TYPE_CODES[type], 0);
  tail.writeUInt16BE(1, 2); // IN
  return Buffer.concat([header, qname, tail]);
}

export type DnsAnswerCheck = { readonly ok: true; readonly answers: number } | { readonly ok: false; readonly reason: string };

export function checkDnsAnswer(id: number, msg: Uint8Array): DnsAnswerCheck {
  if (msg.length < 12) return { ok: false, reason: `short DNS answer (${msg.length} bytes)` };
  const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (dv.getUint16(0) !== (id & 0xffff)) return { ok: false, reason: 'DNS answer id mismatch' };
  const flags = dv.getUint16(2);
  if ((flags & 0x8000) === 0) return { ok: false, reason: 'DNS message is not an answer' };
  const rcode = flags & 0xf;
  if (rcode !== 0) return { ok: false, reason: `DNS RCODE ${rcode}` };
  return { ok: true, answers: dv.getUint16(6) };
}

export function dnsProbe(ep: ProbeEndpoint, type: DnsQueryType, name: string): Probe {
  return (signal): Promise<ProbeOutcome> =>
    new Promise((resolve) => {
      const id = randomInt(0, 0x10000);
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
      const timer = setTimeout(() => done(fail(`timeout after ${ep.timeoutMs} ms`)), ep.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      sock.on('error', (e) => done(fail(errText(e))));
      sock.on('message', (msg) => {
        const r = checkDnsAnswer(id, msg);
        if (r.ok) done({ ok: true, detail: `${r.answers} answers` });
        else if (r.reason !== 'DNS answer id mismatch') done(fail(r.reason));
      });
      const send = (): void => sock.send(encodeDnsQuery(id, name, type), ep.port, ep.address, (e) => (e ? done(fail(errText(e))) : undefined));
      if (ep.bindAddress !== null || ep.bindPort !== null) sock.bind({ ...(ep.bindAddress !== null ? { address: ep.bindAddress } : {}), port: ep.bindPort ?? 0 }, send);
      else send();
    });
}
