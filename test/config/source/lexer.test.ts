import { describe, expect, it } from 'vitest';
import { decomment, splitBraces, splitPlainWords, splitQuotedEscaped, tokenizeLine } from '../../../src/config/source/lexer.js';

describe('decomment', () => {
  it('strips ! and # comments and surrounding blanks', () => {
    expect(decomment('   priority 100   # the priority').text).toBe('priority 100');
    expect(decomment('state MASTER! comment').text).toBe('state MASTER');
    expect(decomment('# whole line').text).toBe('');
  });

  it('keeps comment characters inside double quotes', () => {
    expect(decomment('script "echo #1 !x" # c').text).toBe('script "echo #1 !x"');
  });

  it('does not protect comment characters with single quotes (keepalived only tracks ")', () => {
    expect(decomment("script 'echo #1'").text).toBe("script 'echo");
  });

  it('turns \\# and \\! outside quotes into the literal characters', () => {
    expect(decomment('auth_pass ab\\#cd\\!e').text).toBe('auth_pass ab#cd!e');
    expect(decomment('x "a\\#b"').text).toBe('x "a\\#b"');
  });

  it('flags a trailing backslash as a continuation and keeps it', () => {
    const r = decomment('$A=foo   \\');
    expect(r.continued).toBe(true);
    expect(r.text).toBe('$A=foo\\');
  });

  it('reports an unterminated double quote', () => {
    expect(decomment('router_id "abc').unterminatedQuote).toBe(true);
    expect(decomment('router_id "abc"').unterminatedQuote).toBe(false);
  });
});

describe('splitBraces', () => {
  it('splits keyword lines at their brace', () => {
    expect(splitBraces('vrrp_instance VI_1 {')).toEqual({ head: 'vrrp_instance VI_1', residue: '{' });
    expect(splitBraces('{ 10.0.0.1 }')).toEqual({ head: '{', residue: '10.0.0.1 }' });
    expect(splitBraces('10.0.0.1 }')).toEqual({ head: '10.0.0.1', residue: '}' });
    expect(splitBraces('}}')).toEqual({ head: '}', residue: '}' });
    expect(splitBraces('} else_kw x')).toEqual({ head: '}', residue: 'else_kw x' });
    expect(splitBraces('}')).toEqual({ head: '}', residue: null });
  });

  it('ignores braces inside double quotes', () => {
    expect(splitBraces('script "a { b }" x')).toEqual({ head: 'script "a { b }" x', residue: null });
    expect(splitBraces('script "a { b }" {')).toEqual({ head: 'script "a { b }"', residue: '{' });
  });
});

describe('tokenizeLine', () => {
  const words = (s: string): string[] => tokenizeLine(s).tokens.map((t) => t.text);

  it('splits on blanks', () => {
    expect(words('  a\tb   c ')).toEqual(['a', 'b', 'c']);
    expect(words('')).toEqual([]);
  });

  it('groups quoted text and concatenates adjacent parts', () => {
    expect(words('abcd" efg h jkl "mnop')).toEqual(['abcd efg h jkl mnop']);
    expect(words('abcd "efg h jkl" mnop')).toEqual(['abcd', 'efg h jkl', 'mnop']);
    expect(words(`'a "b" c' "d 'e'"`)).toEqual(['a "b" c', "d 'e'"]);
    expect(words('""')).toEqual(['']);
  });

  it('marks quoted tokens and keeps their raw text', () => {
    const t = tokenizeLine('x "y z"').tokens;
    expect(t.map((k) => k.quoted)).toEqual([false, true]);
    expect(t[1]?.raw).toBe('"y z"');
  });

  it('resolves shell-like escapes', () => {
    expect(words('"a\\tb\\n" \\x41\\101 \\cA \\q \\\\ \\"')).toEqual(['a\tb\n', 'AA', '\x01', 'q', '\\', '"']);
    expect(words('\\E\\a\\b\\f\\r\\v')).toEqual(['\x1b\x07\b\f\r\v']);
  });

  it('reports an unterminated quote and keeps the word', () => {
    const r = tokenizeLine("a 'b c");
    expect(r.unterminatedQuote).toBe("'");
    expect(r.tokens.map((t) => t.text)).toEqual(['a', 'b c']);
  });

  it('keeps a dangling backslash literally', () => {
    const r = tokenizeLine('a b\\');
    expect(r.danglingEscape).toBe(true);
    expect(r.tokens.map((t) => t.text)).toEqual(['a', 'b\\']);
  });
});

describe('splitQuotedEscaped (script command lines)', () => {
  it('splits a command into argv like keepalived', () => {
    expect(splitQuotedEscaped("/usr/bin/check.sh arg1 'two words' \"x y\"")).toEqual(['/usr/bin/check.sh', 'arg1', 'two words', 'x y']);
  });
  it('returns null on an open quote', () => {
    expect(splitQuotedEscaped("/bin/x 'open")).toBeNull();
  });
});

describe('splitPlainWords (keepalived 2.2.7 ordinary keywords)', () => {
  it('keeps single quotes and backslashes, splits at double quotes', () => {
    // keepalived 2.2.7 dumps `router_id 'ab c'` as Router ID = 'ab and `smtp_helo_name x\ty` verbatim.
    expect(splitPlainWords("router_id 'ab c'").words).toEqual(['router_id', "'ab", "c'"]);
    expect(splitPlainWords('x\\ty a"b c"d').words).toEqual(['x\\ty', 'a', 'b c', 'd']);
  });
  it('reports an unmatched quote', () => {
    expect(splitPlainWords('a "b c')).toEqual({ words: ['a'], unmatchedQuote: true });
  });
});
