/** Loopback servers for checker tests: TCP listener, HTTP and HTTPS (self-signed via openssl), SMTP and DNS stubs. */
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Running {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server | HttpServer, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? a.port : 0);
    });
  });
}

function closer(server: Server | HttpServer, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server | HttpServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export async function startTcp(port = 0): Promise<Running> {
  const server = createTcpServer((s) => s.end());
  const sockets = track(server);
  const p = await listen(server, port);
  return { port: p, close: closer(server, sockets) };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startHttp(handler: Handler, port = 0): Promise<Running & { readonly requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  const sockets = track(server);
  const p = await listen(server, port);
  return { port: p, requests, close: closer(server, sockets) };
}

let certCache: { key: Buffer; cert: Buffer } | undefined;

export function selfSignedCert(): { key: Buffer; cert: Buffer } {
  if (certCache !== undefined) return certCache;
  const dir = mkdtempSync(join(tmpdir(), 'kts-h8-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    certCache = { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) };
    return certCache;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startHttps(handler: Handler, port = 0): Promise<Running & { readonly servernames: (string | false)[] }> {
  const servernames: (string | false)[] = [];
  const server = createHttpsServer(selfSignedCert(), handler);
  server.on('secureConnection', (s: { servername?: string | false }) => servernames.push(s.servername ?? false));
  const sockets = track(server as unknown as HttpServer);
  const p = await listen(server as unknown as HttpServer, port);
  return { port: p, servernames, close: closer(server as unknown as HttpServer, sockets) };
}

/** SMTP stub: 220 greeting, 250 to HELO (or `heloCode`), 221 to QUIT. */
export async function startSmtp(heloCode = 250): Promise<Running & { readonly helos: string[] }> {
  const helos: string[] = [];
  const server = createTcpServer((s) => {
    s.write('220-smtp.test ESMTP\r\n220 ready\r\n');
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line.startsWith('HELO ')) {
          helos.push(line.slice(5));
          s.write(`${heloCode} hello\r\n`);
        } else if (line === 'QUIT') s.end('221 bye\r\n');
      }
    });
    s.on('error', () => {});
  });
  const sockets = track(server);
  const p = await listen(server);
  return { port: p, helos, close: closer(server, sockets) };
}

/** DNS stub: answers every query with the given RCODE and one (fake) answer count. */
export async function startDns(rcode = 0): Promise<Running & { readonly queries: Buffer[] }> {
  const queries: Buffer[] = [];
  const sock: UdpSocket = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    queries.push(msg);
    const reply = Buffer.from(msg);
    reply.writeUInt16BE(0x8180 | rcode, 2);
    reply.writeUInt16BE(1, 6);
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { port: sock.address().port, queries, close: () => new Promise<void>((r) => sock.close(() => r())) };
}

/** Polls `pred` until true (no timing assertion: the test timeout is the bound). */
export async function waitFor(pred: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
