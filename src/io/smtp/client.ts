/**
 * A minimal SMTP client for smtp_alert mails, on node:net (no dependency), with keepalived 2.2.7's
 * dialogue and failure wording (keepalived/core/smtp.c):
 *
 *   connect ─ 220 ─▶ HELO name ─ 250 ─▶ MAIL FROM:<from> ─ 250 ─▶ RCPT TO:<addr> ─ 250 (per address)
 *     ─▶ DATA ─ 354 ─▶ message + "\r\n.\r\n" ─ 250 ─▶ QUIT ─ 221 ─▶ close
 *
 * One connection per mail. Multi-line replies (`250-…`) are skipped up to their last line, whose code
 * decides. Every wait (connect, each reply) is bounded by `smtp_connect_timeout`. An unexpected code
 * logs "Error processing <cmd> cmd on SMTP server [ip]:port. SMTP status code = N" and sends QUIT; a
 * reply wait that times out sends QUIT too; a refused connect is "smtp fd N returned write error" (what
 * keepalived logs for it), an unreachable one "Timeout opening connection to remote SMTP server …". The message body is dot-stuffed (keepalived's fixed texts
 * never need it, but names in subjects could). `sendSmtpMail` never rejects and never throws: the result
 * says whether the mail was accepted, the failure (stable `KTS_SMTP_*` code) and the log lines to emit.
 *
 * `SmtpQueue` runs sends in the background with a bounded queue and a small in-flight limit, so a slow
 * or dead server never delays the caller (VRRP); overflowing mails are dropped and reported.
 */
import { connect, type Socket } from 'node:net';

export interface SmtpEndpoint {
  readonly host: string;
  readonly port: number;
}

export interface SmtpEnvelope {
  /** HELO argument. */
  readonly heloName: string;
  readonly mailFrom: string;
  /** One RCPT TO per address, in order. */
  readonly rcptTo: readonly string[];
  /** The message (headers, blank line, body), CRLF line ends; sent dot-stuffed, then "\r\n.\r\n". */
  readonly data: string;
}

export type SmtpStage = 'connect' | 'greeting' | 'HELO' | 'MAIL' | 'RCPT' | 'DATA' | 'BODY' | 'QUIT';

export type SmtpFailureCode =
  | 'KTS_SMTP_NO_RECIPIENTS'
  | 'KTS_SMTP_CONNECT'
  | 'KTS_SMTP_CONNECT_TIMEOUT'
  | 'KTS_SMTP_READ_TIMEOUT'
  | 'KTS_SMTP_READ_ERROR'
  | 'KTS_SMTP_CLOSED'
  | 'KTS_SMTP_REPLY'
  | 'KTS_SMTP_OVERFLOW';

export interface SmtpFailure {
  readonly code: SmtpFailureCode;
  readonly stage: SmtpStage;
  /** The unexpected reply code (KTS_SMTP_REPLY), else null. */
  readonly replyCode: number | null;
}

export interface SmtpOutcome {
  /** The server accepted the message (250 after the data). */
  readonly delivered: boolean;
  /** The first failure, null when the dialogue ran to the end. */
  readonly failure: SmtpFailure | null;
  /** keepalived's log lines for this mail, in order (detail lines only with `logDetail`). */
  readonly log: readonly string[];
}

export interface SmtpSendOptions {
  /** smtp_connect_timeout: bound of the connect and of every reply wait. */
  readonly timeoutMs: number;
  /** keepalived -D (LOG_DETAIL): also "Remote SMTP server … connected." / "SMTP alert successfully sent.". */
  readonly logDetail?: boolean;
  /** Each log line as it happens (they are also collected in the outcome). */
  readonly onLog?: (line: string) => void;
}

/** keepalived's reply buffer: a reply that does not fit is an overflow. */
export const SMTP_REPLY_BUFFER_MAX = 1024;

const EXPECTED: Readonly<Record<Exclude<SmtpStage, 'connect'>, number>> = {
  greeting: 220,
  HELO: 250,
  MAIL: 250,
  RCPT: 250,
  DATA: 354,
  BODY: 250,
  QUIT: 221,
};

/** keepalived's name of each step in "Error processing %s cmd". */
const CMD_NAME: Readonly<Record<Exclude<SmtpStage, 'connect'>, string>> = {
  greeting: '(E)SMTP',
  HELO: 'HELO',
  MAIL: 'MAIL',
  RCPT: 'RCPT',
  DATA: 'DATA',
  BODY: 'BODY',
  QUIT: 'QUIT',
};

/** FMT_SMTP_HOST: `[address]:port` (IPv6 too). */
export function formatSmtpHost(e: SmtpEndpoint): string {
  return `[${e.host}]:${e.port}`;
}

/** RFC 5321 §4.5.2: a line starting with "." gets one more. */
export function dotStuff(data: string): string {
  return data.replace(/(^|\r\n)\./g, '$1..');
}

/** Sends one mail over one connection. Never rejects. */
export function sendSmtpMail(endpoint: SmtpEndpoint, envelope: SmtpEnvelope, opts: SmtpSendOptions): Promise<SmtpOutcome> {
  const host = formatSmtpHost(endpoint);
  if (envelope.rcptTo.length === 0) {
    return Promise.resolve({ delivered: false, failure: { code: 'KTS_SMTP_NO_RECIPIENTS', stage: 'connect', replyCode: null }, log: [] });
  }
  return new Promise<SmtpOutcome>((resolve) => {
    const log: string[] = [];
    const note = (line: string): void => {
      log.push(line);
      opts.onLog?.(line);
    };
    let stage: SmtpStage = 'connect';
    let rcptIndex = 0;
    let buf = '';
    let delivered = false;
    let failure: SmtpFailure | null = null;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let sock: Socket | undefined;
    /** The socket's descriptor, for keepalived's "smtp fd N returned … error" lines. */
    let fd = -1;

    const fail = (code: SmtpFailureCode, replyCode: number | null = null): void => {
      if (failure === null) failure = { code, stage, replyCode };
    };
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock?.destroy();
      resolve({ delivered, failure, log });
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, Math.max(1, opts.timeoutMs));
    };
    const send = (next: SmtpStage, text: string): void => {
      stage = next;
      arm();
      sock?.write(text, 'utf8');
    };
    const quit = (): void => send('QUIT', 'QUIT\r\n');

    function onTimeout(): void {
      if (done) return;
      if (stage === 'connect') {
        note(`Timeout opening connection to remote SMTP server ${host}.`);
        fail('KTS_SMTP_CONNECT_TIMEOUT');
        finish();
        return;
      }
      note(`Timeout reading data to remote SMTP server ${host}.`);
      fail('KTS_SMTP_READ_TIMEOUT');
      if (stage === 'QUIT') finish();
      else quit();
    }

    const onReply = (status: number): void => {
      if (stage === 'connect') return;
      if (status !== EXPECTED[stage]) {
        note(`Error processing ${CMD_NAME[stage]} cmd on SMTP server ${host}. SMTP status code = ${status}`);
        fail('KTS_SMTP_REPLY', status);
        // keepalived would send QUIT again after a bad QUIT reply; one is enough.
        if (stage === 'QUIT') finish();
        else quit();
        return;
      }
      switch (stage) {
        case 'greeting':
          send('HELO', `HELO ${envelope.heloName}\r\n`);
          return;
        case 'HELO':
          send('MAIL', `MAIL FROM:<${envelope.mailFrom}>\r\n`);
          return;
        case 'MAIL':
        case 'RCPT': {
          const addr = envelope.rcptTo[rcptIndex];
          if (addr !== undefined) {
            rcptIndex++;
            send('RCPT', `RCPT TO:<${addr ?? ''}>\r\n`);
          } else send('DATA', 'DATA\r\n');
          return;
        }
        case 'DATA':
          send('BODY', `${dotStuff(envelope.data)}\r\n.\r\n`);
          return;
        case 'BODY':
          delivered = true;
          if (opts.logDetail === true) note('SMTP alert successfully sent.');
          quit();
          return;
        case 'QUIT':
          finish();
          return;
      }
    };

    const onData = (chunk: Buffer): void => {
      if (done) return;
      buf += chunk.toString('latin1');
      for (;;) {
        const eol = buf.indexOf('\r\n');
        if (eol < 0) break;
        const line = buf.slice(0, eol);
        buf = buf.slice(eol + 2);
        if (line.charAt(3) === '-') continue; // multi-line reply: the last line carries the code
        const m = /^(\d{3})/.exec(line);
        onReply(m?.[1] !== undefined ? Number(m[1]) : 0);
        if (done) return;
      }
      if (buf.length >= SMTP_REPLY_BUFFER_MAX) {
        note(`Received buffer from remote SMTP server ${host} overflow our get read buffer length.`);
        fail('KTS_SMTP_OVERFLOW');
        buf = '';
        if (stage === 'QUIT') finish();
        else quit();
      }
    };

    try {
      arm();
      const s = connect({ host: endpoint.host, port: endpoint.port });
      sock = s;
      s.setNoDelay(true);
      process.nextTick(() => (fd = socketFd(s, fd))); // runs after node's own connect tick made the handle
      sock.on('connect', () => {
        fd = socketFd(s, fd);
        if (opts.logDetail === true) note(`Remote SMTP server ${host} connected.`);
        stage = 'greeting';
        arm();
      });
      sock.on('data', onData);
      // keepalived sees a refused/failed connect (EPOLLERR) as a write error, a reset later as a read error.
      sock.on('error', () => {
        if (done) return;
        if (stage === 'connect') {
          note(`smtp fd ${fd} returned write error`);
          fail('KTS_SMTP_CONNECT');
        } else {
          note(`smtp fd ${fd} returned read error`);
          fail('KTS_SMTP_READ_ERROR');
        }
        finish();
      });
      sock.on('close', () => {
        if (done) return;
        note(`Remote SMTP server ${host} has closed the connection.`);
        fail('KTS_SMTP_CLOSED');
        finish();
      });
    } catch {
      // Invalid address/port: keepalived closes the socket without a word; say it anyway.
      note(`SMTP connection ERROR to ${host}.`);
      fail('KTS_SMTP_CONNECT');
      finish();
    }
  });
}

/** The descriptor behind a node socket (internal handle), or `fallback`. */
function socketFd(s: Socket, fallback: number): number {
  const h = (s as unknown as { readonly _handle?: { readonly fd?: unknown } | null })._handle;
  return typeof h?.fd === 'number' && h.fd >= 0 ? h.fd : fallback;
}

export interface SmtpQueueOptions<J> {
  /** Sends one job (normally `sendSmtpMail`); must not reject (a rejection counts as a lost mail). */
  readonly send: (job: J) => Promise<SmtpOutcome>;
  /** Called with each finished job. */
  readonly onOutcome?: (job: J, outcome: SmtpOutcome) => void;
  /** Called when a job is refused because the queue is full. */
  readonly onDrop?: (job: J) => void;
  /** Jobs waiting (not yet sending); default 64. */
  readonly maxPending?: number;
  /** Concurrent connections; default 4 (keepalived opens one per alert, unbounded). */
  readonly maxInFlight?: number;
}

/** Fire-and-forget mail queue: `push` returns at once; sends run in the background. */
export class SmtpQueue<J> {
  private readonly waiting: J[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly maxPending: number;
  private readonly maxInFlight: number;

  constructor(private readonly opts: SmtpQueueOptions<J>) {
    this.maxPending = Math.max(0, opts.maxPending ?? 64);
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 4);
  }

  /** Jobs queued or being sent. */
  get size(): number {
    return this.waiting.length + this.inFlight;
  }

  /** Queues a job; false (and `onDrop`) when the queue is full. */
  push(job: J): boolean {
    if (this.inFlight < this.maxInFlight) {
      this.start(job);
      return true;
    }
    if (this.waiting.length >= this.maxPending) {
      this.opts.onDrop?.(job);
      return false;
    }
    this.waiting.push(job);
    return true;
  }

  /** Resolves true when every job has finished, false if `timeoutMs` elapsed first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== onIdle);
        resolve(false);
      }, timeoutMs);
      const onIdle = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(onIdle);
    });
  }

  private start(job: J): void {
    this.inFlight++;
    let p: Promise<SmtpOutcome>;
    try {
      p = this.opts.send(job);
    } catch (err) {
      p = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    p.then(
      (outcome) => this.opts.onOutcome?.(job, outcome),
      () => this.opts.onOutcome?.(job, { delivered: false, failure: { code: 'KTS_SMTP_CONNECT', stage: 'connect', replyCode: null }, log: [] }),
    )
      .catch(() => undefined)
      .finally(() => {
        this.inFlight--;
        const next = this.waiting.shift();
        if (next !== undefined) this.start(next);
        else if (this.inFlight === 0) {
          const ws = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of ws) w();
        }
      });
  }
}
