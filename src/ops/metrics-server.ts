/**
 * The opt-in Prometheus endpoint (`--metrics=ADDR:PORT`): parses the listen address and serves
 * `GET /metrics` from a `MetricsRegistry` with node:http. Nothing else is served (404 / 405).
 *
 * Address forms: `PORT` and `:PORT` listen on loopback (127.0.0.1) so that enabling metrics never
 * exposes them by accident; `ADDR:PORT` with an IPv4 address or a hostname; `[IPv6]:PORT`.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { EXPOSITION_CONTENT_TYPE, type MetricsRegistry } from './metrics.js';

export interface MetricsListenAddress {
  readonly host: string;
  readonly port: number;
}

export type MetricsAddressParse =
  | { readonly ok: true; readonly address: MetricsListenAddress }
  | { readonly ok: false; readonly code: 'KTS_METRICS_ADDR'; readonly message: string };

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const p = Number(text);
  return p >= 1 && p <= 65535 ? p : undefined;
}

/** Parses the `--metrics` value. */
export function parseMetricsAddress(value: string): MetricsAddressParse {
  const bad = (why: string): MetricsAddressParse => ({ ok: false, code: 'KTS_METRICS_ADDR', message: `--metrics=${value}: ${why}` });
  const v = value.trim();
  let host: string;
  let portText: string;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(v);
  if (v6) {
    host = v6[1] ?? '';
    portText = v6[2] ?? '';
    if (isIP(host) !== 6) return bad(`"${host}" is not an IPv6 address`);
  } else {
    const colon = v.lastIndexOf(':');
    if (colon < 0) {
      host = '127.0.0.1';
      portText = v;
    } else {
      host = v.slice(0, colon);
      portText = v.slice(colon + 1);
      if (host.includes(':')) return bad('write IPv6 addresses in brackets: [::1]:9650');
      if (host === '') host = '127.0.0.1';
      else if (isIP(host) === 0 && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host)) return bad(`"${host}" is not an address or host name`);
    }
  }
  const port = parsePort(portText);
  if (port === undefined) return bad(`"${portText}" is not a port number (1-65535)`);
  return { ok: true, address: { host, port } };
}

export interface MetricsServer {
  /** The bound address (port resolved when 0 was asked). */
  readonly address: MetricsListenAddress;
  close(): Promise<void>;
}

function handle(registry: MetricsRegistry, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: try /metrics\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  let body: string;
  try {
    body = registry.render();
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics rendering failed: ${String(err)}\n`);
    return;
  }
  res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Starts listening; rejects with the listen error (EADDRINUSE, EACCES, …). Port 0 picks a free port. */
export function startMetricsServer(registry: MetricsRegistry, address: MetricsListenAddress): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => handle(registry, req, res));
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({
        address: { host: a.address, port: a.port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
