/**
 * Fuzz targets for what health-check probes parse off the network (src/check/probes): HTTP responses
 * (status line, headers, Content-Length and chunked bodies — parseResponse, then checkUrl), DNS answers
 * (checkDnsAnswer) and UDP replies (checkUdpReply). A real server is untrusted input: never throw,
 * never hang the checker thread.
 */
import * as fc from 'fast-check';
import { checkDnsAnswer } from '../../../src/check/probes/dns.js';
import { checkUrl, parseResponse } from '../../../src/check/probes/http.js';
import { checkUdpReply } from '../../../src/check/probes/udp.js';
import type { HttpUrl } from '../../../src/config/model.js';
import { applyByteOps, byteOpsArb, type ByteOp } from '../support/bytes.js';
import { expectThat, hex, mustNotThrow, runnable, type FuzzTarget, type RunnableTarget } from '../support/target.js';

export interface HttpCase {
  readonly statusLine: string;
  readonly headers: readonly string[];
  readonly chunks: readonly string[] | null;
  readonly body: string;
  readonly ops: readonly ByteOp[];
  readonly closed: boolean;
}

const chunkSize = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((n) => n.toString(16)),
  fc.constantFrom('0', '-1', '-a', '-4', '-ffff', 'ffffffffffffffff', '7fffffff', 'x', '', ' 3', '3;ext=1', '0x3', '1e3', '+2', '00000003'),
);

const httpCaseArb: fc.Arbitrary<HttpCase> = fc.record({
  statusLine: fc.oneof(fc.constantFrom('HTTP/1.1 200 OK', 'HTTP/1.0 404 Not Found', 'HTTP/1.1 999', 'HTTP/2.0 200', 'HTTP/1.1 20', 'ICY 200 OK', ''), fc.string({ maxLength: 20 })),
  headers: fc.array(
    fc.oneof(
      fc.constantFrom('Transfer-Encoding: chunked', 'transfer-encoding: gzip, chunked', 'Content-Length: 5', 'Content-Length: 0', 'Content-Length: -1', 'Content-Length: 99999999999999999999', 'Content-Length: 1e3', 'Content-Length:', ': x', 'X'),
      fc.string({ maxLength: 30 }),
    ),
    { maxLength: 4 },
  ),
  chunks: fc.option(fc.array(fc.tuple(chunkSize, fc.string({ maxLength: 12 })).map(([s, d]) => `${s}\r\n${d}\r\n`), { maxLength: 5 }), { nil: null }),
  body: fc.string({ maxLength: 40 }),
  ops: byteOpsArb.map((ops) => ops.slice(0, 2)),
  closed: fc.boolean(),
});

function httpBytes(c: HttpCase): Buffer {
  const head = [c.statusLine, ...c.headers].join('\r\n');
  const body = c.chunks !== null ? c.chunks.join('') : c.body;
  return Buffer.from(applyByteOps(Buffer.from(`${head}\r\n\r\n${body}`, 'latin1'), c.ops));
}

const url: HttpUrl = {
  pos: { file: 'fuzz', line: 1 },
  path: '/',
  digest: 'd41d8cd98f00b204e9800998ecf8427e',
  statusCodes: [[200, 299]],
  virtualhost: null,
  regex: 'o+k',
  regexNoMatch: false,
  regexOptions: [],
  regexMinOffset: 1,
  regexMaxOffset: 30,
  regexStack: null,
} as HttpUrl;

export const httpResponseTarget: FuzzTarget<HttpCase> = {
  name: 'check.http.parseResponse',
  arbitrary: httpCaseArb,
  describe: (c) => `closed=${c.closed} ${JSON.stringify(httpBytes(c).toString('latin1'))}`,
  check: (c) => {
    const bytes = httpBytes(c);
    const r = mustNotThrow('parseResponse', () => parseResponse(bytes, c.closed));
    if (r === null) {
      expectThat(!c.closed, 'null (incomplete) for a closed connection');
      return;
    }
    if ('error' in r) {
      expectThat(typeof r.error === 'string' && r.error.length > 0, 'empty error');
      return;
    }
    expectThat(Number.isInteger(r.status) && r.status >= 100 && r.status <= 999, `status ${r.status}`);
    expectThat(r.body.length <= bytes.length, 'body longer than the response');
    const verdict = mustNotThrow('checkUrl', () => checkUrl(url, r));
    expectThat(verdict === null || typeof verdict === 'string', 'checkUrl verdict type');
  },
};

export const dnsAnswerTarget: FuzzTarget<{ readonly id: number; readonly msg: Uint8Array }> = {
  name: 'check.dns.checkDnsAnswer',
  arbitrary: fc.record({
    id: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer()),
    msg: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 12, maxLength: 40 }).map((b) => Uint8Array.from([0x12, 0x34, b[2]! | 0x80, ...b.subarray(3)]))),
  }),
  describe: (c) => `id=${c.id} ${hex(c.msg)}`,
  check: (c) => {
    const r = mustNotThrow('checkDnsAnswer', () => checkDnsAnswer(c.id, c.msg));
    if (r.ok) expectThat(Number.isInteger(r.answers) && r.answers >= 0 && r.answers <= 0xffff && c.msg.length >= 12, `answers ${r.answers}`);
    else expectThat(typeof r.reason === 'string' && r.reason.length > 0, 'empty reason');
  },
};

export const udpReplyTarget: FuzzTarget<{ readonly data: string | null; readonly min: number; readonly max: number; readonly reply: Uint8Array }> = {
  name: 'check.udp.checkUdpReply',
  arbitrary: fc.record({
    data: fc.option(fc.oneof(fc.constantFrom('', 'abcd', 'a', 'zz', '00ff'), fc.string({ maxLength: 10 })), { nil: null }),
    min: fc.integer({ min: 0, max: 70 }),
    max: fc.integer({ min: 0, max: 70 }),
    reply: fc.uint8Array({ maxLength: 64 }),
  }),
  describe: (c) => `${JSON.stringify({ ...c, reply: hex(c.reply) })}`,
  check: (c) => {
    const r = mustNotThrow('checkUdpReply', () => checkUdpReply({ requireReplyData: c.data, minReplyLength: c.min, maxReplyLength: c.max }, c.reply));
    expectThat(r === null || (typeof r === 'string' && r.length > 0), 'verdict type');
    if (r === null) expectThat(c.reply.length >= c.min && (c.max === 0 || c.reply.length <= c.max), 'accepted a reply outside the length limits');
  },
};

/**
 * Targets with a known, reported hang that would block the single-threaded vitest run: skipped there
 * (with the reason) until fixed, still run by `npm run fuzz`, whose watchdog reports them.
 */
export const KNOWN_HANGS: ReadonlyMap<string, string> = new Map<string, string>([
  // (none: the negative chunk-size loop in src/check/probes/http.ts decodeChunked was fixed; see regressions.test.ts)
]);

export const probeTargets: readonly RunnableTarget[] = [runnable(httpResponseTarget), runnable(dnsAnswerTarget), runnable(udpReplyTarget)];
