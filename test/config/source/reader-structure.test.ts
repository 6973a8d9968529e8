import { describe, expect, it } from 'vitest';
import { codes, read, render } from './helpers.js';

describe('block tree', () => {
  it('builds one node per keyword line with children for bodies', () => {
    const r = read(`global_defs {
   router_id LB1
}
vrrp_instance VI_1 {
    state MASTER
    virtual_ipaddress {
        10.0.0.1/24 dev eth0
    }
}
`);
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual([
      'global_defs {',
      '  router_id LB1',
      'vrrp_instance VI_1 {',
      '  state MASTER',
      '  virtual_ipaddress {',
      '    10.0.0.1/24 dev eth0',
    ]);
    const vi = r.nodes[1]!;
    expect(vi.pos).toEqual({ file: '/virtual/keepalived.conf', line: 4 });
    expect(vi.children![1]!.children![0]!.pos.line).toBe(7);
  });

  it('accepts braces on their own line and sharing lines with content', () => {
    const r = read(`vrrp_instance VI_1
{
  virtual_ipaddress { 10.0.0.1 10.0.0.2 }
  track_interface {
    eth0 } unicast_peer { 10.1.1.1
  }}
static_routes {}
`);
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual([
      'vrrp_instance VI_1 {',
      '  virtual_ipaddress {',
      '    10.0.0.1 10.0.0.2',
      '  track_interface {',
      '    eth0',
      '  unicast_peer {',
      '    10.1.1.1',
      'static_routes {',
    ]);
    expect(r.nodes[1]!.children).toEqual([]);
  });

  it('keeps comments out and quoted text intact', () => {
    const r = read(`vrrp_script chk { # comment
  script "/usr/bin/pgrep -f 'x # y'"   ! other comment
}
`);
    expect(r.nodes[0]!.children![0]!.args).toEqual(["/usr/bin/pgrep -f 'x # y'"]);
    expect(r.nodes[0]!.children![0]!.tokens[0]!.quoted).toBe(true);
  });

  it('reports an extra } and keeps going', () => {
    const r = read('a {\n}\n}\nb\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_EXTRA_EOB@3']);
    expect(r.diagnostics[0]!.message).toBe("Extra '}' found");
    expect(render(r.nodes)).toEqual(['a {', 'b']);
  });

  it('reports missing } at end of file once, at the unclosed block', () => {
    const r = read('x\na {\n b {\n  c\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_MISSING_EOB@2']);
    expect(r.diagnostics[0]!.message).toBe("There are 2 missing '}'s or extra '{'s");
    expect(render(r.nodes)).toEqual(['x', 'a {', '  b {', '    c']);
  });

  it('reports a { that follows no keyword, keeps its content at the current level', () => {
    const r = read('a {\n}\n{\n b\n}\nc\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_UNEXPECTED_BOB@3']);
    expect(render(r.nodes)).toEqual(['a {', 'b', 'c']);
  });

  it('reports unterminated quotes with severity error', () => {
    const r = read('router_id "abc\nb \'x\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_UNTERMINATED_QUOTE@1', 'KTS_CONFIG_UNMATCHED_QUOTE@2']);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(render(r.nodes)).toEqual(['router_id abc', 'b x']);
  });

  it('ignores over-long lines and lines with NUL, with a message each', () => {
    const r = read(`a\nrouter_id ${'x'.repeat(1100)}\nb\0c\nd\n`);
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_LINE_TOO_LONG@2', 'KTS_CONFIG_EMBEDDED_NUL@3']);
    expect(render(r.nodes)).toEqual(['a', 'd']);
  });

  it('accepts a line of 1022 bytes (keepalived buffer is 1024 with newline and NUL)', () => {
    const r = read(`k ${'x'.repeat(1020)}\n`);
    expect(r.diagnostics).toEqual([]);
  });

  it('handles CRLF files and UTF-8 text', () => {
    const r = read('a {\r\n  notification_email_from "Zoë <z@x>"\r\n}\r\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.nodes[0]!.children![0]!.args).toEqual(['Zoë <z@x>']);
  });

  it('escapes comment characters outside quotes', () => {
    expect(render(read('auth_pass ab\\#c\\!d\n').nodes)).toEqual(['auth_pass ab#c!d']);
  });
});

describe('node details', () => {
  it('keeps the expanded logical line for re-splitting', () => {
    const r = read("$S=/bin/check.sh\nvrrp_script x {\n  script \"$S 'a b'\" # c\n}\n");
    const script = r.nodes[0]!.children![0]!;
    expect(script.line).toBe('script "/bin/check.sh \'a b\'"');
    expect(script.args).toEqual(["/bin/check.sh 'a b'"]);
  });

  it('reports an unterminated quote created by substitution', () => {
    const r = read('$Q="\nk $Q\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_UNTERMINATED_QUOTE@1', 'KTS_CONFIG_UNTERMINATED_QUOTE@2']);
  });

  it('reads empty and comment-only input as an empty tree', () => {
    expect(read('').nodes).toEqual([]);
    expect(read('# only\n\n   ! comments\n').nodes).toEqual([]);
  });
});
