/** Property tests: the reader never throws, always positions its output, and round-trips simple trees. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigNode } from '../../../src/config/source/tree.js';
import { read, render } from './helpers.js';

const piece = fc.constantFrom(
  '{', '}', ' ', '\t', '"', "'", '\\', '#', '!', '$', '$A', '${A}', '$A=', '${_RANDOM 1 2}', '@lb1 ', '@^lb1 ',
  '~SEQ(i,1,3) ', '~LST(v,a,b) ', '$i', 'include ', 'x', 'vrrp_instance', '10.0.0.1', '\n', '\r\n', '\\\n', ',', ')', '(',
);
const configText = fc.array(piece, { maxLength: 80 }).map((p) => p.join(''));

function walk(nodes: readonly ConfigNode[], f: (n: ConfigNode) => void): void {
  for (const n of nodes) {
    f(n);
    if (n.children) walk(n.children, f);
  }
}

describe('reader properties', () => {
  it('never throws and positions every node and diagnostic', () => {
    fc.assert(
      fc.property(configText, (text) => {
        const r = read(text);
        const lines = text.split('\n').length;
        walk(r.nodes, (n) => {
          expect(n.pos.line).toBeGreaterThanOrEqual(1);
          expect(n.pos.line).toBeLessThanOrEqual(lines);
          expect(n.keyword).toBe(n.keyword); // defined
        });
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^KTS_CONFIG_/);
          expect(d.file).toBeDefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  const word = fc.stringMatching(/^[a-z0-9_./:-]{1,8}$/);
  interface T {
    kw: string;
    args: string[];
    children?: T[];
  }
  const tree: fc.Arbitrary<T[]> = fc.letrec<{ nodes: T[]; node: T }>((tie) => ({
    nodes: fc.array(tie('node'), { maxLength: 4 }),
    node: fc.record(
      { kw: word, args: fc.array(word, { maxLength: 3 }), children: fc.oneof({ depthSize: 'small' }, fc.constant(undefined), tie('nodes')) },
      { requiredKeys: ['kw', 'args'] },
    ) as fc.Arbitrary<T>,
  })).nodes;

  function print(nodes: T[], style: number, indent = ''): string {
    let out = '';
    for (const n of nodes) {
      const head = [n.kw, ...n.args].join(' ');
      if (n.children === undefined) out += `${indent}${head}\n`;
      else if (style % 3 === 0) out += `${indent}${head} {\n${print(n.children, style, `${indent}  `)}${indent}}\n`;
      else if (style % 3 === 1) out += `${indent}${head}\n${indent}{\n${print(n.children, style, `${indent}  `)}${indent}}\n`;
      else {
        // `head { first` … `last }`: braces sharing lines with content.
        const body = print(n.children, style, `${indent}  `).trimEnd();
        out += body.length === 0 ? `${indent}${head} {}\n` : `${indent}${head} { ${body.trimStart()} }\n`;
      }
    }
    return out;
  }
  function expected(nodes: T[], indent = ''): string[] {
    const out: string[] = [];
    for (const n of nodes) {
      out.push(`${indent}${[n.kw, ...n.args].join(' ')}${n.children !== undefined ? ' {' : ''}`);
      if (n.children !== undefined) out.push(...expected(n.children, `${indent}  `));
    }
    return out;
  }

  it('reads back any printed tree, whatever the brace layout', () => {
    fc.assert(
      fc.property(tree, fc.nat(2), (t, style) => {
        const r = read(print(t, style));
        expect(r.diagnostics).toEqual([]);
        expect(render(r.nodes)).toEqual(expected(t));
      }),
      { numRuns: 300 },
    );
  });
});
