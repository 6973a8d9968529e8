import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HttpChecker, MiscChecker } from '../../src/config/model.js';
import { buildRequest, checkUrl, httpProbe, md5Hex, parseResponse } from '../../src/check/probes/http.js';
import { miscProbe } from '../../src/check/probes/misc.js';
import { smtpProbe } from '../../src/check/probes/smtp.js';
import { checkDnsAnswer, dnsProbe, encodeDnsQuery } from '../../src/check/probes/dns.js';
import { tcpProbe } from '../../src/check/probes/tcp.js';
import { checkUdpReply, udpProbe } from '../../src/check/probes/udp.js';
import type { UdpChecker } from '../../src/config/model.js';
import { createSocket } from 'node:dgram';
import type { ProbeEndpoint } from '../../src/check/probes/types.js';
import { model } from './helpers.js';
import { startDns, startHttp, startHttps, startSmtp, startTcp } from './servers.js';

const ep = (port: number, timeoutMs = 2000): ProbeEndpoint => ({ address: '127.0.0.1', family: 'inet', port, bindAddress: null, bindPort: null, timeoutMs });
const signal = new AbortController().signal;

function firstChecker<T>(text: string): T {
  const c = model(text).virtualServers[0]?.realServers[0]?.checkers[0];
  if (c === undefined) throw new Error('no checker');
  return c as T;
}

describe('TCP_CHECK probe', () => {
  it('succeeds against a listener and fails once it is closed', async () => {
    const srv = await startTcp();
    expect(await tcpProbe(ep(srv.port))(signal)).toEqual({ ok: true });
    await srv.close();
    const r = await tcpProbe(ep(srv.port))(signal);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toContain('ECONNREFUSED');
  });
});

describe('HTTP_GET / SSL_GET probe', () => {
  const body = 'hello keepalived\n';
  const digest = md5Hex(Buffer.from(body));

  it('builds the request bytes keepalived 2.2.7 sends (captured from its genhash)', () => {
    expect(buildRequest({ endpoint: ep(18080), tls: false, path: '/a', virtualhost: null, protocol: '1.0', sni: null })).toBe(
      'GET /a HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:18080\r\n\r\n',
    );
    expect(buildRequest({ endpoint: ep(18080), tls: false, path: '/b', virtualhost: 'vh.test', protocol: '1.1', sni: null })).toBe(
      'GET /b HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: vh.test\r\n\r\n',
    );
    expect(buildRequest({ endpoint: ep(18080), tls: false, path: '/c', virtualhost: null, protocol: '1.0C', sni: null })).toBe(
      'GET /c HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: 127.0.0.1:18080\r\n\r\n',
    );
    expect(buildRequest({ endpoint: ep(80), tls: false, path: '/d', virtualhost: null, protocol: '1.0', sni: null })).toBe(
      'GET /d HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:80\r\n\r\n',
    );
  });

  it('parses chunked and length-delimited bodies', () => {
    const chunked = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    const r = parseResponse(chunked, false);
    expect(r !== null && 'body' in r ? r.body.toString() : r).toBe('hello world');
    expect(parseResponse(Buffer.from('HTTP/1.0 404 NF\r\nContent-Length: 10\r\n\r\nabc'), false)).toBeNull();
    expect(parseResponse(Buffer.from('garbage\r\n\r\n'), true)).toEqual({ error: "bad status line 'garbage'" });
  });

  it('checks status, digest and virtualhost against a live server', async () => {
    const srv = await startHttp((req, res) => {
      if (req.url === '/ok') res.end(body);
      else {
        res.statusCode = 503;
        res.end('down');
      }
    });
    try {
      const good = firstChecker<HttpChecker>(`virtual_server 10.0.0.1 80 { protocol TCP
  real_server 127.0.0.1 ${srv.port} { HTTP_GET { url { path /ok
    digest ${digest} }
    virtualhost app.test } } }`);
      expect(await httpProbe(ep(srv.port), good)(signal)).toEqual({ ok: true });
      expect(srv.requests.at(-1)?.headers.host).toBe('app.test');
      expect(srv.requests.at(-1)?.headers['user-agent']).toBe('KeepAliveClient');

      const wrongDigest = firstChecker<HttpChecker>(`virtual_server 10.0.0.1 80 { protocol TCP
  real_server 127.0.0.1 ${srv.port} { HTTP_GET { url { path /ok
    digest 00000000000000000000000000000000 } } } }`);
      const r1 = await httpProbe(ep(srv.port), wrongDigest)(signal);
      expect(r1.ok ? '' : r1.reason).toContain('MD5 digest error');

      const status = firstChecker<HttpChecker>(`virtual_server 10.0.0.1 80 { protocol TCP
  real_server 127.0.0.1 ${srv.port} { HTTP_GET { url { path /bad } } } }`);
      const r2 = await httpProbe(ep(srv.port), status)(signal);
      expect(r2.ok ? '' : r2.reason).toContain('503');

      const accept503 = firstChecker<HttpChecker>(`virtual_server 10.0.0.1 80 { protocol TCP
  real_server 127.0.0.1 ${srv.port} { HTTP_GET { url { path /bad
    status_code 500-599 } } } }`);
      expect((await httpProbe(ep(srv.port), accept503)(signal)).ok).toBe(true);
    } finally {
      await srv.close();
    }
  });

  it('SSL_GET talks TLS to a self-signed server and sends SNI with enable_sni', async () => {
    const srv = await startHttps((_req, res) => res.end(body));
    try {
      const c = firstChecker<HttpChecker>(`virtual_server 10.0.0.1 443 { protocol TCP
  real_server 127.0.0.1 ${srv.port} { SSL_GET { url { path /
    digest ${digest} }
    virtualhost secure.test
    enable_sni } } }`);
      expect(await httpProbe(ep(srv.port), c)(signal)).toEqual({ ok: true });
      expect(srv.servernames).toContain('secure.test');
    } finally {
      await srv.close();
    }
  });

  it('a server that never answers fails with a timeout', async () => {
    const srv = await startHttp(() => {
      /* never respond */
    });
    try {
      const c = firstChecker<HttpChecker>(`virtual_server 10.0.0.1 80 { protocol TCP
  real_server 127.0.0.1 ${srv.port} { HTTP_GET { url { path / } } } }`);
      const r = await httpProbe(ep(srv.port, 200), c)(signal);
      expect(r.ok ? '' : r.reason).toContain('timeout');
    } finally {
      await srv.close();
    }
  });

  it('regex and regex_no_match', () => {
    const c = firstChecker<HttpChecker>(`virtual_server 10.0.0.1 80 { protocol TCP
  real_server 127.0.0.1 80 { HTTP_GET { url { path /
    regex "ALIVE" } } } }`);
    const url = c.urls[0];
    if (url === undefined) throw new Error('no url');
    expect(checkUrl(url, { status: 200, headers: new Map(), body: Buffer.from('I am ALIVE'), rawHead: Buffer.alloc(0) })).toBeNull();
    expect(checkUrl(url, { status: 200, headers: new Map(), body: Buffer.from('dead'), rawHead: Buffer.alloc(0) })).toContain('did not match');
  });
});

describe('MISC_CHECK probe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-h8-misc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string): string => {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  const misc = (path: string, extra = ''): MiscChecker =>
    firstChecker<MiscChecker>(`virtual_server 10.0.0.1 80 { protocol TCP
  real_server 127.0.0.1 80 { MISC_CHECK { misc_path "${path}"
    ${extra} } } }`);

  it('exit 0 passes, exit 1 fails', async () => {
    expect(await miscProbe(misc(script('ok.sh', 'exit 0')))(signal)).toEqual({ ok: true });
    const r = await miscProbe(misc(script('ko.sh', 'exit 1')))(signal);
    expect(r.ok ? '' : r.reason).toBe('exited with status 1');
  });

  it('misc_dynamic: exit status 2..255 sets weight = status - 2', async () => {
    expect(await miscProbe(misc(script('w.sh', 'exit 7'), 'misc_dynamic'))(signal)).toEqual({ ok: true, weight: 5, detail: 'exit 7' });
    const r = await miscProbe(misc(script('w2.sh', 'exit 7')))(signal);
    expect(r.ok).toBe(false);
  });

  it('misc_timeout kills a slow script', async () => {
    const r = await miscProbe(misc(script('slow.sh', 'sleep 5'), 'misc_timeout 1'))(signal);
    expect(r.ok ? '' : r.reason).toBe('timed out');
  });
});

describe('SMTP_CHECK and DNS_CHECK probes', () => {
  it('SMTP: greeting, HELO, QUIT', async () => {
    const srv = await startSmtp();
    try {
      expect(await smtpProbe(ep(srv.port), 'checker.test')(signal)).toEqual({ ok: true });
      expect(srv.helos).toEqual(['checker.test']);
    } finally {
      await srv.close();
    }
    const refusing = await startSmtp(550);
    try {
      const r = await smtpProbe(ep(refusing.port), 'x')(signal);
      expect(r.ok ? '' : r.reason).toBe('HELO refused with 550');
    } finally {
      await refusing.close();
    }
  });

  it('DNS: query bytes and answer checks', async () => {
    expect(encodeDnsQuery(0x1234, 'a.bc', 'A').toString('hex')).toBe('123401000001000000000000' + '01610262630000010001');
    expect(encodeDnsQuery(1, '.', 'SOA').subarray(12).toString('hex')).toBe('0000060001');
    const ok = await startDns(0);
    try {
      const r = await dnsProbe(ep(ok.port), 'SOA', '.')(signal);
      expect(r).toEqual({ ok: true, detail: '1 answers' });
      expect(ok.queries).toHaveLength(1);
    } finally {
      await ok.close();
    }
    const servfail = await startDns(2);
    try {
      const r = await dnsProbe(ep(servfail.port), 'A', 'x.test')(signal);
      expect(r.ok ? '' : r.reason).toBe('DNS RCODE 2');
    } finally {
      await servfail.close();
    }
    expect(checkDnsAnswer(5, Buffer.alloc(4))).toEqual({ ok: false, reason: 'short DNS answer (4 bytes)' });
  });
});

describe('UDP_CHECK probe', () => {
  const udp = (extra: string, port: number): UdpChecker =>
    firstChecker<UdpChecker>(`virtual_server 10.0.0.1 53 { protocol UDP
  real_server 127.0.0.1 ${port} { UDP_CHECK { ${extra} } } }`);

  it('passes on silence, fails on ICMP port unreachable, checks required replies', async () => {
    const echo = createSocket('udp4');
    const seen: Buffer[] = [];
    echo.on('message', (m, r) => {
      seen.push(m);
      echo.send(Buffer.from('pong!'), r.port, r.address);
    });
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', () => r()));
    const port = echo.address().port;
    try {
      expect(await udpProbe(ep(port, 300), udp('payload 70696e67\n require_reply 706f6e67', port))(signal)).toEqual({ ok: true });
      expect(seen[0]?.toString()).toBe('ping');
      const wrong = await udpProbe(ep(port, 300), udp('require_reply 0102', port))(signal);
      expect(wrong.ok ? '' : wrong.reason).toBe('reply data does not match');
    } finally {
      echo.close();
    }
    // nobody listens on the port now: ICMP port unreachable → ECONNREFUSED
    const refused = await udpProbe(ep(port, 1000), udp('', port))(signal);
    expect(refused.ok ? '' : refused.reason).toContain('ECONNREFUSED');
    expect(checkUdpReply({ requireReplyData: null, minReplyLength: 4, maxReplyLength: 0 }, Buffer.from('ab'))).toBe('reply too short (2 < 4)');
  });
});
