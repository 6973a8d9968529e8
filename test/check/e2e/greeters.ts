/**
 * Restartable loopback servers for whole-host checker tests: an SMTP greeter (node:net; 220
 * greeting, 250 to HELO, 221 to QUIT) and a DNS responder (node:dgram; answers every query with
 * one A record). Each keeps its address and port across stop()/start(), so the checker sees the
 * same real server go away and come back; both record what they received.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

export interface Restartable {
  readonly address: string;
  readonly port: number;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SmtpGreeter extends Restartable {
  /** HELO names received. */
  readonly helos: string[];
}

export async function startSmtpGreeter(address: string, banner = 'mail.test'): Promise<SmtpGreeter> {
  const helos: string[] = [];
  let server: Server | undefined;
  let port = 0;
  const sockets = new Set<Socket>();
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((c) => {
        sockets.add(c);
        c.on('close', () => sockets.delete(c));
        c.on('error', () => {});
        c.write(`220 ${banner} ESMTP greeter\r\n`);
        let buf = '';
        c.on('data', (d) => {
          buf += d.toString('latin1');
          let i: number;
          while ((i = buf.indexOf('\r\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (/^HELO /i.test(line)) {
              helos.push(line.slice(5));
              c.write(`250 ${banner}\r\n`);
            } else if (/^QUIT/i.test(line)) c.end('221 bye\r\n');
            else c.write('502 not implemented\r\n');
          }
        });
      });
      s.once('error', reject);
      s.listen(port, address, () => {
        const a = s.address();
        port = typeof a === 'object' && a !== null ? a.port : port;
        server = s;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const s = server;
      server = undefined;
      if (s === undefined) return resolve();
      for (const c of sockets) c.destroy();
      s.close(() => resolve());
    });
  await start();
  return {
    address,
    get port() {
      return port;
    },
    get running() {
      return server !== undefined;
    },
    helos,
    start,
    stop,
  };
}

export interface DnsResponder extends Restartable {
  /** Queried names (dotted). */
  readonly names: string[];
}

/** Question name of a query (labels, no compression in questions) and the offset after the question. */
function question(msg: Buffer): { name: string; end: number } | null {
  const labels: string[] = [];
  let off = 12;
  while (off < msg.length) {
    const len = msg[off] ?? 0;
    if (len === 0) return off + 5 <= msg.length ? { name: labels.join('.'), end: off + 5 } : null;
    labels.push(msg.subarray(off + 1, off + 1 + len).toString('latin1'));
    off += 1 + len;
  }
  return null;
}

export async function startDnsResponder(address: string, answer = '192.0.2.1'): Promise<DnsResponder> {
  const names: string[] = [];
  let sock: UdpSocket | undefined;
  let port = 0;
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createSocket('udp4');
      s.on('message', (msg, rinfo) => {
        const q = question(msg);
        if (msg.length < 12 || q === null) return;
        names.push(q.name);
        const head = Buffer.from(msg.subarray(0, q.end));
        head.writeUInt16BE(0x8180, 2); // QR, RD, RA, NOERROR
        head.writeUInt16BE(1, 6); // ANCOUNT
        head.writeUInt16BE(0, 8);
        head.writeUInt16BE(0, 10);
        const rr = Buffer.alloc(16);
        rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
        rr.writeUInt16BE(1, 2); // A
        rr.writeUInt16BE(1, 4); // IN
        rr.writeUInt32BE(60, 6);
        rr.writeUInt16BE(4, 10);
        answer.split('.').forEach((o, i) => rr.writeUInt8(Number(o) & 0xff, 12 + i));
        s.send(Buffer.concat([head, rr]), rinfo.port, rinfo.address);
      });
      s.once('error', reject);
      s.bind(port, address, () => {
        port = s.address().port;
        sock = s;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const s = sock;
      sock = undefined;
      if (s === undefined) return resolve();
      s.close(() => resolve());
    });
  await start();
  return {
    address,
    get port() {
      return port;
    },
    get running() {
      return sock !== undefined;
    },
    names,
    start,
    stop,
  };
}
