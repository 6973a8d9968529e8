/**
 * A scripted in-test SMTP server (node:net): answers each command with a configurable reply (or
 * stays silent / hangs up), records the command lines and the DATA content it received.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface FakeSmtpScript {
  /** Greeting; default "220 fake ESMTP". */
  readonly greeting?: string | null;
  /** Reply by command verb (HELO, MAIL, RCPT, DATA, BODY = after the data, QUIT); null = stay silent; 'close' = hang up. */
  readonly replies?: Partial<Record<'HELO' | 'MAIL' | 'RCPT' | 'DATA' | 'BODY' | 'QUIT', string | null | 'close'>>;
}

export interface Session {
  readonly commands: string[];
  data: string | null;
}

const DEFAULTS = { HELO: '250 fake', MAIL: '250 2.1.0 Ok', RCPT: '250 2.1.5 Ok', DATA: '354 End data with <CR><LF>.<CR><LF>', BODY: '250 2.0.0 Ok: queued', QUIT: '221 2.0.0 Bye' } as const;

export class FakeSmtpServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly sessions: readonly Session[],
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(script: FakeSmtpScript = {}): Promise<FakeSmtpServer> {
    const sessions: Session[] = [];
    const sockets = new Set<Socket>();
    const server = createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => undefined);
      const session: Session = { commands: [], data: null };
      sessions.push(session);
      let buf = '';
      let inData = false;
      const reply = (verb: keyof typeof DEFAULTS): void => {
        const r = script.replies?.[verb] === undefined ? DEFAULTS[verb] : script.replies[verb];
        if (r === null) return;
        if (r === 'close') {
          sock.destroy();
          return;
        }
        sock.write(r.endsWith('\r\n') ? r : `${r}\r\n`);
      };
      const greeting = script.greeting === undefined ? '220 fake ESMTP' : script.greeting;
      if (greeting !== null) sock.write(greeting.endsWith('\r\n') ? greeting : `${greeting}\r\n`);
      sock.on('data', (chunk) => {
        buf += chunk.toString('latin1');
        for (;;) {
          if (inData) {
            const end = buf.indexOf('\r\n.\r\n');
            if (end < 0) return;
            session.data = buf.slice(0, end + 2);
            buf = buf.slice(end + 5);
            inData = false;
            reply('BODY');
            continue;
          }
          const eol = buf.indexOf('\r\n');
          if (eol < 0) return;
          const line = buf.slice(0, eol);
          buf = buf.slice(eol + 2);
          session.commands.push(line);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'HELO' || verb === 'MAIL' || verb === 'RCPT' || verb === 'QUIT') reply(verb);
          else if (verb === 'DATA') {
            const r = script.replies?.DATA === undefined ? DEFAULTS.DATA : script.replies.DATA;
            if (typeof r === 'string' && r.startsWith('354')) inData = true;
            reply('DATA');
          } else sock.write('500 unknown\r\n');
        }
      });
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const addr = server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    return new FakeSmtpServer(server, port, sessions, sockets);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}
