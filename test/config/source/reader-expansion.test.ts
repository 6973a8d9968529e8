/**
 * Definitions, conditionals and generators. Expected keyword sequences were checked against
 * keepalived 2.2.7 `-t` ("Unknown keyword 'x'" messages list the expanded keywords in order).
 */
import { describe, expect, it } from 'vitest';
import { codes, read, render } from './helpers.js';

const keywords = (text: string, opts?: Parameters<typeof read>[1]): string[] => read(text, opts).nodes.map((n) => n.keyword);

describe('$NAME definitions', () => {
  it('substitutes $NAME and ${NAME}, lazily and recursively', () => {
    const r = read(`$R=r_$Q
$Q=q
$R
$R,z
x \${R}
\${R}y
`);
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual(['r_q', 'r_q,z', 'x r_q', 'r_$Qy']);
  });

  it('only recognises $NAME before a blank , ) or end of line', () => {
    expect(render(read('$X=10.0.0.1\nip $X/32 $X, ($X) $X\n').nodes)).toEqual(['ip $X/32 10.0.0.1, (10.0.0.1) 10.0.0.1']);
  });

  it('leaves undefined names untouched (an unquoted ${ still splits the line at its brace)', () => {
    expect(render(read('a $NOPE $1 $\n').nodes)).toEqual(['a $NOPE $1 $']);
    expect(render(read('a ${NOPE} b\n').nodes)).toEqual(['a $ {', '  NOPE', 'b']);
  });

  it('accepts blanks before the closing brace only without parameters', () => {
    expect(render(read('$A=a\nx ${A } ${_RANDOM 3 3 } ${_RANDOM 3 3}\n', { random: (min) => min }).nodes)).toEqual(['x a $ {', '  _RANDOM 3 3', '3']);
  });

  it('is not a definition with a blank before =', () => {
    expect(render(read('$A =x\n').nodes)).toEqual(['$A =x']);
  });

  it('expands multi-line definitions into lines of their own', () => {
    const text = `$M=m1_a \\
   m2_b \\
   m3_c
$M
pre $M
$E=\\
  e1
$E
`;
    const r = read(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.nodes.map((n) => n.keyword)).toEqual(['m1_a', 'm2_b', 'm3_c', 'pre', 'm2_b', 'm3_c', 'e1']);
    expect(r.nodes.map((n) => n.pos.line)).toEqual([4, 4, 4, 5, 5, 5, 8]);
    expect(r.nodes[3]!.args).toEqual(['m1_a']);
  });

  it('ends a multi-line definition at a blank line', () => {
    expect(keywords('$M=a \\\n  b \\\n\nc\n$M\n')).toEqual(['c', 'a', 'b']);
  });

  it('does not use a multi-line definition in the middle of a line', () => {
    expect(render(read('$M=a \\\n  b\nx $M y\n').nodes)).toEqual(['x $M y']);
  });

  it('expands multi-line definitions that contain blocks', () => {
    const r = read('$VIPS=virtual_ipaddress { \\\n  10.0.0.1 \\\n}\nvrrp_instance A {\n  $VIPS\n}\n');
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual(['vrrp_instance A {', '  virtual_ipaddress {', '    10.0.0.1']);
  });

  it('re-applies comment stripping after substitution, as keepalived does', () => {
    // keepalived 2.2.7 dumps router_id "a" for `router_id a${_HASH}b`.
    expect(render(read('router_id a${_HASH}b\nx "${_BANG}"\n').nodes)).toEqual(['router_id a', 'x !']);
  });

  it('provides _INSTANCE, _PWD, _ENV and _RANDOM', () => {
    const r = read('i ${_INSTANCE}\np ${_PWD}\ne ${_ENV HOME} ${_ENV NOPE}.\nr ${_RANDOM 5 9} ${_RANDOM}\n', {
      configId: 'lb7',
      env: { HOME: '/root' },
      random: (min, max) => min * 100 + max,
    });
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual(['i lb7', 'p /virtual', 'e /root .', 'r 509 32767']);
  });

  it('reports bad parameters of predefined names', () => {
    const r = read('r ${_RANDOM x}\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_PARAM_ARGS@1']);
    expect(r.diagnostics[0]!.message).toBe('Definition _RANDOM requires numeric parameters only.');
  });

  it('stops self-referencing definitions with a diagnostic instead of hanging', () => {
    const r = read('$A=$A\nk $A\nnext\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_PARAM_RECURSION@2']);
    expect(keywords('$A=$A\nk $A\nnext\n')).toEqual(['k', 'next']);
    // Growing self-reference ends at the line length limit instead.
    expect(codes(read('$B=x $B\n$B\n').diagnostics)).toEqual(['KTS_CONFIG_PARAM_TOO_LONG@2']);
  });

  it('stops substitution that would exceed the line length', () => {
    const r = read(`$A=${'y'.repeat(600)}\nk $A $A\n`);
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_PARAM_TOO_LONG@2']);
  });

  it('allows redefinition; later uses see the new value', () => {
    expect(keywords('$A=one\n$A\n$A=two\n$A\n')).toEqual(['one', 'two']);
  });
});

describe('@id conditional lines', () => {
  it('keeps @id lines for the config id and @^id lines for others', () => {
    const text = '@lb1 c_yes\n@^lb1 c_no\n@other c_other\n@^other c_notother\n@lb1\n';
    expect(keywords(text, { configId: 'lb1' })).toEqual(['c_yes', 'c_notother']);
    expect(keywords(text, { configId: 'other' })).toEqual(['c_no', 'c_other']);
  });

  it('combines with definitions ($X=@id trick)', () => {
    expect(keywords('$C=@lb1\n$C cc_yes\n$D=@zz\n$D dd\n', { configId: 'lb1' })).toEqual(['cc_yes']);
  });

  it('drops only the line, so a dropped block opener leaves its body and an extra }', () => {
    const r = read('@lb2 vrrp_instance X {\n  priority 1\n}\n', { configId: 'lb1' });
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_EXTRA_EOB@3']);
    expect(render(r.nodes)).toEqual(['priority 1']);
  });
});

describe('~SEQ and ~LST generators', () => {
  it('generates sequences with 1, 2 and 3 parameters, in hex with ~SEQx', () => {
    expect(keywords('~SEQ(i,3) s_$i\n')).toEqual(['s_1', 's_2', 's_3']);
    expect(keywords('~SEQ(i,-2) s_$i\n')).toEqual(['s_-1', 's_-2']);
    expect(keywords('~SEQ(i,5,3) s_$i\n')).toEqual(['s_5', 's_4', 's_3']);
    expect(keywords('~SEQ(i, 0, 5, 12) s_$i\n')).toEqual(['s_0', 's_5', 's_10']);
    expect(keywords('~SEQx(i,9,2,13) s_$i\n')).toEqual(['s_9', 's_b', 's_d']);
    expect(keywords('~SEQ(i,0x10,0x11) s_$i\n')).toEqual(['s_16', 's_17']);
  });

  it('generates lists, with and without braces', () => {
    expect(keywords('~LST(v, a, b,c) l_$v\n')).toEqual(['l_a', 'l_b', 'l_c']);
    expect(keywords('~LST({a,b},{1,2},{3}) l_${a}_${b}x\n')).toEqual(['l_1_2x', 'l_3_x']);
  });

  it('nests and combines generators', () => {
    expect(keywords('~SEQ(i,1,2) ~LST(j,a,b) k_${i}_$j\n')).toEqual(['k_1_a', 'k_1_b', 'k_2_a', 'k_2_b']);
  });

  it('runs generators stored in definitions', () => {
    expect(keywords('$G=~SEQ(n,1,2) g_$n\n$G\n')).toEqual(['g_1', 'g_2']);
  });

  it('uses definitions in ~SEQ parameters', () => {
    expect(keywords('$N=3\n~SEQ(i,2,$N) s_$i\n')).toEqual(['s_2', 's_3']);
  });

  it('generates blocks with the line of the generator', () => {
    const r = read('~SEQ(i,1,2) vrrp_instance VI_$i { virtual_router_id $i }\n');
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual(['vrrp_instance VI_1 {', '  virtual_router_id 1', 'vrrp_instance VI_2 {', '  virtual_router_id 2']);
    expect(r.nodes.every((n) => n.pos.line === 1)).toBe(true);
  });

  it('reports invalid generators', () => {
    const r = read('~SEQ(i) a\n~SEQ(i,1,-1,5) a\n~SEQx(i,-3) a\n~LST(i) a\n~LST({a},{1,2}) a\n~SEQ i\n');
    expect(codes(r.diagnostics)).toEqual([
      'KTS_CONFIG_INVALID_SEQ@1',
      'KTS_CONFIG_INVALID_SEQ@2',
      'KTS_CONFIG_INVALID_SEQ@3',
      'KTS_CONFIG_INVALID_LST@4',
      'KTS_CONFIG_INVALID_LST@5',
      'KTS_CONFIG_INVALID_SEQ@6',
    ]);
    expect(r.diagnostics[1]!.message).toBe("Invalid ~SEQ values '~SEQ(i,1,-1,5) a'");
    expect(r.diagnostics[4]!.message).toBe("~LST specification has too many values '~LST({a},{1,2}) a'");
    expect(r.nodes).toEqual([]);
  });

  it('refuses runaway sequences', () => {
    const r = read('~SEQ(i,1,100000000) a\n');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_INVALID_SEQ@1']);
  });
});
