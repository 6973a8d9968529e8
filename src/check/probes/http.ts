/**
 * HTTP_GET / SSL_GET: for every `url { }` send keepalived's request (byte order checked against
 * keepalived 2.2.7's genhash on the wire)
 *   GET <path> HTTP/1.0|1.1\r\nUser-Agent: KeepAliveClient\r\n[Connection: close\r\n]Host: <virtualhost|ip:port>\r\n\r\n
 * over TCP or TLS (certificates are not verified, as keepalived; SNI from virtualhost with
 * `enable_sni`), then require the status to be in `status_code` (default 200-299), the MD5 of the
 * body to equal `digest`, and `regex` to (not) match. All urls must pass. The whole exchange is
 * bounded by connect_timeout. `fetchHttp` is also what genhash uses.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { HttpChecker, HttpUrl } from '../../config/model.js';
import { connectTcp } from './tcp.js';
import { errText, fail, type Probe, type ProbeEndpoint, type ProbeOutcome } from './types.js';

/** Bodies larger than this are cut (the digest then cannot match). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface HttpRequestSpec {
  readonly endpoint: ProbeEndpoint;
  readonly tls: boolean;
  readonly path: string;
  /** Host header value; null = `ip[:port]`. */
  readonly virtualhost: string | null;
  readonly protocol: '1.0' | '1.0C' | '1.1';
  /** TLS server name (SNI); null = none. */
  readonly sni: string | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** Status line and headers as received, with the blank line (genhash -v prints them). */
  readonly rawHead: Buffer;
}

/** `Host:` value: the virtualhost as configured, else `ip:port` (port always given, even 80). */
export function hostHeader(ep: ProbeEndpoint, virtualhost: string | null): string {
  if (virtualhost !== null) return virtualhost;
  return `${ep.family === 'inet6' ? `[${ep.address}]` : ep.address}:${ep.port}`;
}

export function buildRequest(spec: HttpRequestSpec): string {
  const version = spec.protocol === '1.1' ? '1.1' : '1.0';
  const lines = [`GET ${spec.path} HTTP/${version}`, 'User-Agent: KeepAliveClient'];
  if (spec.protocol !== '1.0') lines.push('Connection: close');
  lines.push(`Host: ${hostHeader(spec.endpoint, spec.virtualhost)}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Parses a complete (connection closed) or length-delimited response; null while incomplete. */
export function parseResponse(buf: Buffer, closed: boolean): HttpResponse | { error: string } | null {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return closed ? { error: 'connection closed before the end of the headers' } : null;
  const head = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const m = /^HTTP\/\d\.\d\s+(\d{3})/.exec(head[0] ?? '');
  if (m === null) return { error: `bad status line '${(head[0] ?? '').slice(0, 60)}'` };
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const rest = buf.subarray(headEnd + 4);
  const rawHead = buf.subarray(0, headEnd + 4);
  const status = Number(m[1]);
  if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
    const body = decodeChunked(rest);
    if (body === null) return closed ? { error: 'truncated chunked body' } : null;
    return { status, headers, body, rawHead };
  }
  const cl = headers.get('content-length');
  if (cl !== undefined && /^\d+$/.test(cl)) {
    const n = Number(cl);
    if (rest.length >= n) return { status, headers, body: rest.subarray(0, n), rawHead };
    return closed ? { error: `body truncated at ${rest.length} of ${n} bytes` } : null;
  }
  return closed ? { status, headers, body: rest, rawHead } : null;
}

function decodeChunked(b: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let off = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', off);
    if (eol < 0) return null;
    // chunk-size = 1*HEXDIG (RFC 9112 §7.1): anything else ("-a", "0x1") is a malformed body, never a loop.
    const sizeText = (b.subarray(off, eol).toString('latin1').split(';')[0] ?? '').trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return null;
    const size = parseInt(sizeText, 16);
    if (size === 0) return Buffer.concat(parts);
    if (eol + 2 + size > b.length) return null;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    off = eol + 2 + size + 2;
  }
}

/** One GET; resolves with the response or an error text (never rejects). */
export async function fetchHttp(spec: HttpRequestSpec, signal: AbortSignal): Promise<HttpResponse | { error: string }> {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(spec.endpoint.timeoutMs)]);
  const c = await connectTcp(spec.endpoint, deadline);
  if ('error' in c) return { error: deadline.aborted && !signal.aborted ? `timeout after ${spec.endpoint.timeoutMs} ms` : c.error };
  const raw = c.socket;
  raw.on('error', () => {}); // reported through the TLS socket
  const sock = spec.tls ? tlsConnect({ socket: raw, rejectUnauthorized: false, ...(spec.sni !== null ? { servername: spec.sni } : {}) }) : raw;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: HttpResponse | { error: string }): void => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener('abort', onAbort);
      sock.destroy();
      raw.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish({ error: signal.aborted ? 'aborted' : `timeout after ${spec.endpoint.timeoutMs} ms` });
    deadline.addEventListener('abort', onAbort, { once: true });
    sock.on('data', (d: Buffer) => {
      if (size < MAX_BODY_BYTES) {
        chunks.push(d);
        size += d.length;
      }
      const r = parseResponse(Buffer.concat(chunks), false);
      if (r !== null) finish(r);
    });
    sock.once('end', () => finish(parseResponse(Buffer.concat(chunks), true) ?? { error: 'empty response' }));
    sock.once('close', () => finish(parseResponse(Buffer.concat(chunks), true) ?? { error: 'connection closed' }));
    sock.once('error', (err) => finish({ error: errText(err) }));
    const send = (): void => void sock.write(buildRequest(spec));
    if (spec.tls) sock.once('secureConnect', send);
    else send();
  });
}

export function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex');
}

/** Checks one response against a `url { }` block; null = pass, else the reason. */
export function checkUrl(url: HttpUrl, res: HttpResponse): string | null {
  if (!url.statusCodes.some(([lo, hi]) => res.status >= lo && res.status <= hi)) return `HTTP status code error to [${url.path ?? '/'}]: ${res.status}`;
  if (url.digest !== null) {
    const got = md5Hex(res.body);
    if (got !== url.digest.toLowerCase()) return `MD5 digest error to [${url.path ?? '/'}]: ${got} != ${url.digest}`;
  }
  if (url.regex !== null) {
    let matched: boolean;
    try {
      const text = res.body.toString('latin1');
      const from = url.regexMinOffset ?? 0;
      const to = url.regexMaxOffset ?? text.length;
      matched = new RegExp(url.regex, url.regexOptions.includes('caseless') ? 'i' : '').test(text.slice(from, to));
    } catch {
      return `invalid regex '${url.regex}'`;
    }
    if (matched === url.regexNoMatch) return `regex ${url.regexNoMatch ? 'matched' : 'did not match'} on [${url.path ?? '/'}]`;
  }
  return null;
}

export function httpProbe(ep: ProbeEndpoint, c: HttpChecker): Probe {
  const tls = c.kind === 'SSL_GET';
  return async (signal): Promise<ProbeOutcome> => {
    for (const url of c.urls) {
      const vhost = url.virtualhost ?? c.virtualhost;
      const sni = tls && c.enableSni && vhost !== null && isIP(vhost) === 0 ? vhost : null;
      const res = await fetchHttp({ endpoint: ep, tls, path: url.path ?? '/', virtualhost: vhost, protocol: c.httpProtocol, sni }, signal);
      if ('error' in res) return fail(res.error);
      const bad = checkUrl(url, res);
      if (bad !== null) return fail(bad);
    }
    return { ok: true };
  };
}
