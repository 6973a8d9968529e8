import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpQueue, dotStuff, formatSmtpHost, sendSmtpMail, type SmtpEnvelope, type SmtpOutcome } from '../../../src/io/smtp/client.js';
import { FakeSmtpServer } from './fake-server.js';

const ENVELOPE: SmtpEnvelope = {
  heloName: 'lb1.example.com',
  mailFrom: 'keepalived@lb1',
  rcptTo: ['ops@example.com', 'noc@example.com'],
  data: 'Subject: hi\r\n\r\nbody line\r\n',
};

let server: FakeSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A port nothing listens on (bound then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof a === 'object' && a !== null ? a.port : 1;
}

describe('sendSmtpMail', () => {
  it('runs HELO, MAIL, one RCPT per address, DATA, the message, QUIT', async () => {
    server = await FakeSmtpServer.start();
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 2000, logDetail: true });
    expect(out.delivered).toBe(true);
    expect(out.failure).toBeNull();
    expect(server.sessions[0]?.commands).toEqual([
      'HELO lb1.example.com',
      'MAIL FROM:<keepalived@lb1>',
      'RCPT TO:<ops@example.com>',
      'RCPT TO:<noc@example.com>',
      'DATA',
      'QUIT',
    ]);
    // keepalived ends the data with "\r\n.\r\n" after the body's own CRLF: the message ends with an empty line.
    expect(server.sessions[0]?.data).toBe('Subject: hi\r\n\r\nbody line\r\n\r\n');
    expect(out.log).toEqual([`Remote SMTP server [127.0.0.1]:${server.port} connected.`, 'SMTP alert successfully sent.']);
  });

  it('skips multi-line greetings and replies up to their last line', async () => {
    server = await FakeSmtpServer.start({
      greeting: '220-fake.example ESMTP\r\n220-second line\r\n220 ready',
      replies: { HELO: '250-fake.example\r\n250-PIPELINING\r\n250 8BITMIME' },
    });
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 2000 });
    expect(out.delivered).toBe(true);
    expect(out.log).toEqual([]);
  });

  it('dot-stuffs lines starting with a dot', async () => {
    server = await FakeSmtpServer.start();
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, { ...ENVELOPE, data: '.leading\r\nmid\r\n.\r\n' }, { timeoutMs: 2000 });
    expect(out.delivered).toBe(true);
    expect(server.sessions[0]?.data).toBe('..leading\r\nmid\r\n..\r\n\r\n');
  });

  it('a 5xx reply is logged keepalived\'s way and the client QUITs', async () => {
    server = await FakeSmtpServer.start({ replies: { RCPT: '550 5.1.1 no such user' } });
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 2000 });
    expect(out.delivered).toBe(false);
    expect(out.failure).toEqual({ code: 'KTS_SMTP_REPLY', stage: 'RCPT', replyCode: 550 });
    expect(out.log).toEqual([`Error processing RCPT cmd on SMTP server [127.0.0.1]:${server.port}. SMTP status code = 550`]);
    expect(server.sessions[0]?.commands.at(-1)).toBe('QUIT');
    expect(server.sessions[0]?.commands).not.toContain('DATA');
  });

  it('a 4xx greeting is an (E)SMTP error', async () => {
    server = await FakeSmtpServer.start({ greeting: '421 busy' });
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 2000 });
    expect(out.failure?.replyCode).toBe(421);
    expect(out.log[0]).toBe(`Error processing (E)SMTP cmd on SMTP server [127.0.0.1]:${server.port}. SMTP status code = 421`);
  });

  it('a rejected message (after the data) is a BODY error, not delivered', async () => {
    server = await FakeSmtpServer.start({ replies: { BODY: '554 rejected' } });
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 2000 });
    expect(out.delivered).toBe(false);
    expect(out.failure?.stage).toBe('BODY');
  });

  it('a silent server times out, then QUIT is sent and its own wait times out too', async () => {
    server = await FakeSmtpServer.start({ replies: { MAIL: null, QUIT: null } });
    const streamed: string[] = [];
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 150, onLog: (l) => streamed.push(l) });
    expect(streamed).toEqual(out.log);
    const host = `[127.0.0.1]:${server.port}`;
    expect(out.failure).toEqual({ code: 'KTS_SMTP_READ_TIMEOUT', stage: 'MAIL', replyCode: null });
    expect(out.log).toEqual([`Timeout reading data to remote SMTP server ${host}.`, `Timeout reading data to remote SMTP server ${host}.`]);
    expect(server.sessions[0]?.commands.at(-1)).toBe('QUIT');
  });

  it('a server that hangs up is reported', async () => {
    server = await FakeSmtpServer.start({ replies: { HELO: 'close' } });
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 2000 });
    expect(out.failure?.code).toBe('KTS_SMTP_CLOSED');
    expect(out.log).toEqual([`Remote SMTP server [127.0.0.1]:${server.port} has closed the connection.`]);
  });

  it('a refused connection is keepalived\'s "smtp fd N returned write error"', async () => {
    const port = await closedPort();
    const out = await sendSmtpMail({ host: '127.0.0.1', port }, ENVELOPE, { timeoutMs: 2000 });
    expect(out.failure?.code).toBe('KTS_SMTP_CONNECT');
    expect(out.log).toHaveLength(1);
    expect(out.log[0]).toMatch(/^smtp fd \d+ returned write error$/);
  });

  it('an unanswered connect times out', async () => {
    // 192.0.2.0/24 (TEST-NET-1) is not routed: the SYN goes nowhere (or the route is missing: an error).
    const out = await sendSmtpMail({ host: '192.0.2.1', port: 25 }, ENVELOPE, { timeoutMs: 100 });
    expect(out.delivered).toBe(false);
    if (out.failure?.code === 'KTS_SMTP_CONNECT_TIMEOUT') expect(out.log).toEqual(['Timeout opening connection to remote SMTP server [192.0.2.1]:25.']);
    else expect(out.failure?.code).toBe('KTS_SMTP_CONNECT');
  });

  it('an oversized reply is an overflow', async () => {
    server = await FakeSmtpServer.start({ greeting: `220 ${'x'.repeat(1500)}` });
    const out = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 500 });
    // The long line completes in one go here, so it parses as a 220; a reply without its CRLF overflows.
    expect(out.delivered).toBe(true);
    await server.close();
    server = await FakeSmtpServer.start({ greeting: `220-${'x'.repeat(1500)}` });
    const over = await sendSmtpMail({ host: '127.0.0.1', port: server.port }, ENVELOPE, { timeoutMs: 500 });
    expect(over.delivered).toBe(false);
    expect(over.failure).not.toBeNull();
  });

  it('no recipients: nothing is sent', async () => {
    const out = await sendSmtpMail({ host: '127.0.0.1', port: 1 }, { ...ENVELOPE, rcptTo: [] }, { timeoutMs: 100 });
    expect(out.failure?.code).toBe('KTS_SMTP_NO_RECIPIENTS');
  });
});

describe('helpers', () => {
  it('formats the server as keepalived does', () => {
    expect(formatSmtpHost({ host: '192.0.2.1', port: 25 })).toBe('[192.0.2.1]:25');
    expect(formatSmtpHost({ host: '2001:db8::1', port: 2525 })).toBe('[2001:db8::1]:2525');
  });
  it('dot-stuffs only line starts', () => {
    expect(dotStuff('a.b\r\n.c\r\n..d')).toBe('a.b\r\n..c\r\n...d');
    expect(dotStuff('.x')).toBe('..x');
  });
});

describe('SmtpQueue', () => {
  const ok: SmtpOutcome = { delivered: true, failure: null, log: [] };

  it('never blocks push, bounds in-flight sends and drops beyond the queue', async () => {
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const finished: number[] = [];
    const dropped: number[] = [];
    const q = new SmtpQueue<number>({
      send: (n) => {
        started.push(n);
        return new Promise((res) => releases.push(() => res(ok)));
      },
      onOutcome: (n) => finished.push(n),
      onDrop: (n) => dropped.push(n),
      maxInFlight: 2,
      maxPending: 1,
    });
    expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false]);
    expect(started).toEqual([1, 2]);
    expect(dropped).toEqual([4]);
    expect(q.size).toBe(3);
    releases.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(finished).toEqual([1]);
    expect(started).toEqual([1, 2, 3]);
    expect(await q.drain(10)).toBe(false);
    for (const r of releases.splice(0)) r();
    expect(await q.drain(1000)).toBe(true);
    expect(finished.sort()).toEqual([1, 2, 3]);
  });

  it('a send that throws or rejects still frees its slot', async () => {
    const outcomes: boolean[] = [];
    const q = new SmtpQueue<number>({
      send: (n) => {
        if (n === 1) throw new Error('boom');
        return n === 2 ? Promise.reject(new Error('no')) : Promise.resolve(ok);
      },
      onOutcome: (_n, o) => outcomes.push(o.delivered),
      maxInFlight: 1,
    });
    q.push(1);
    q.push(2);
    q.push(3);
    expect(await q.drain(1000)).toBe(true);
    expect(outcomes).toEqual([false, false, true]);
  });
});
