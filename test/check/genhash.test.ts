import { describe, expect, it } from 'vitest';
import { hexDump, parseGenhashArgs, runGenhash } from '../../src/check/genhash.js';
import { startHttp, startTcp } from './servers.js';

function capture(): { out: string[]; err: string[]; io: { out: (s: string) => void; err: (s: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s) => out.push(s), err: (s) => err.push(s) } };
}

describe('genhash', () => {
  it('hex dump layout matches keepalived genhash -v (lines recorded from keepalived 2.2.7)', () => {
    expect(hexDump(Buffer.from('HTTP/1.0 200 OK\r\n'))).toBe(
      '0000  48 54 54 50 2f 31 2e 30 - 20 32 30 30 20 4f 4b 0d   HTTP/1.0 200 OK.\n0016  0a                      -                           .               \n',
    );
    expect(hexDump(Buffer.from('e05003f6b7448aa2c2497bb671696f04', 'hex'))).toBe('0000  e0 50 03 f6 b7 44 8a a2 - c2 49 7b b6 71 69 6f 04   .P...D...I{.qio.\n');
  });

  it('parses options like genhash', () => {
    expect(parseGenhashArgs(['-s', '127.0.0.1', '-p', '80', '-u', '/', '-S', '-V', 'h.test', '--protocol=1.0c', '-t', '2'])).toMatchObject({
      server: '127.0.0.1', port: 80, url: '/', ssl: true, virtualhost: 'h.test', protocol: '1.0C', timeoutSec: 2,
    });
    expect(parseGenhashArgs(['-s', '127.0.0.1', '-p', '80'])).toBe('usage');
    expect(parseGenhashArgs(['-x'])).toBe('usage');
  });

  it('prints the MD5 of the body (any status), "Connection failed", or usage with exit 1', async () => {
    const srv = await startHttp((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('hello keepalived\n');
    });
    try {
      const a = capture();
      expect(await runGenhash(['-s', '127.0.0.1', '-p', String(srv.port), '-u', '/index.html'], a.io)).toBe(0);
      expect(a.out.join('')).toBe('e05003f6b7448aa2c2497bb671696f04\n'); // md5sum of "hello keepalived\n"
      const b = capture();
      await runGenhash(['-s', '127.0.0.1', '-p', String(srv.port), '-u', '/missing', '-v'], b.io);
      const text = b.out.join('');
      expect(text).toContain('-----------------------[    HTTP Header Buffer    ]-----------------------\n0000  48 54 54 50 2f 31 2e 31 - 20 34 30 34');
      expect(text).toContain('-----------------------[ HTML hash final resulting ]-----------------------\ne05003f6b7448aa2c2497bb671696f04\n');
    } finally {
      await srv.close();
    }
    const closed = await startTcp();
    await closed.close();
    const c = capture();
    expect(await runGenhash(['-s', '127.0.0.1', '-p', String(closed.port), '-u', '/'], c.io)).toBe(0);
    expect(c.out.join('')).toBe('Connection failed\n');
    const d = capture();
    expect(await runGenhash(['-s', '127.0.0.1'], d.io)).toBe(1);
    expect(d.err.join('')).toContain('Usage: keepalived --genhash COMMAND [OPTIONS]');
  });
});
