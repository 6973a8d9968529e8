/**
 * Regression tests for crashes the fuzzers found, one per finding, kept small and deterministic.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/config/build/index.js';
import { readConfigText } from '../../src/config/source/index.js';
import { DiagnosticSink } from '../../src/core/diagnostics.js';
import { parseIpv4 as nlParseIpv4, parseIpv6 as nlParseIpv6 } from '../../src/io/netlink/inet.js';
import { parseIpv4, parseIpv6 } from '../../src/vrrp/packet/index.js';

describe('fuzz regressions', () => {
  it('netlink parseIpv4 rejects leading zeros like inet_pton and the packet codec (io/netlink inet)', () => {
    for (const text of ['1.2.3.04', '01.2.3.4', '::ffff:1.2.3.04']) {
      expect(text.includes(':') ? nlParseIpv6(text) : nlParseIpv4(text), text).toBeUndefined();
      expect(text.includes(':') ? parseIpv6(text) : parseIpv4(text), text).toBeUndefined();
    }
    expect(nlParseIpv4('10.0.0.0')).toEqual(Uint8Array.of(10, 0, 0, 0));
  });

  it('a self-referencing definition split at a brace terminates (config/source line reader)', () => {
    // `${B}` grows to ~1 KB of `${B}${B}…` (too long, stopped); the rest of the line after each brace used to be
    // substituted again, regrowing for ever. keepalived 2.2.7 itself loops here; we report and go on.
    const read = readConfigText('$B=${B}${B}${B}${B}\n${B}\nglobal_defs {\n router_id after\n}\n', '/tmp/kts-fuzz-regression.conf', { configId: 'x', env: {} });
    expect(read.diagnostics.some((d) => d.code === 'KTS_CONFIG_PARAM_TOO_LONG')).toBe(true);
    // Reading carried on to the lines after the runaway one.
    expect(read.nodes.some((n) => n.keyword === 'global_defs')).toBe(true);
  });

  it('deeply nested blocks after unknown keywords do not overflow the stack (build/context walkBlock)', () => {
    // 100 000 unclosed `x {` blocks: keepalived reads a stray block at the current level; we used to recurse per level.
    const depth = 100_000;
    const text = `global_defs {\n router_id A\n}\n${'unknown_kw {\n'.repeat(depth)}vrrp_instance VI_1 {\n}\n`;
    const read = readConfigText(text, '/tmp/kts-fuzz-regression.conf', { configId: 'x', env: {} });
    const sink = new DiagnosticSink();
    for (const d of read.diagnostics) sink.add(d);
    const cfg = buildModel(read.nodes, sink);
    expect(cfg.globalDefs).toBeDefined();
    expect(sink.items.filter((d) => d.code === 'KTS_UNKNOWN_KEYWORD').length).toBeGreaterThanOrEqual(depth);
  });
});

describe('HTTP checker response parser (fuzz finding: negative chunk size looped for ever)', () => {
  it('returns an error for a malformed chunk size instead of looping', async () => {
    const { parseResponse } = await import('../../src/check/probes/http.js');
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (const body of ['-a\r\n', '0x1\r\nA\r\n0\r\n\r\n', ' \r\n']) {
      const r = parseResponse(Buffer.from(head + body, 'latin1'), true);
      expect(r).toEqual({ error: 'truncated chunked body' });
    }
    const ok = parseResponse(Buffer.from(head + '5\r\nhello\r\n0\r\n\r\n', 'latin1'), true);
    expect(ok !== null && 'body' in ok ? ok.body.toString() : null).toBe('hello');
  });
});
