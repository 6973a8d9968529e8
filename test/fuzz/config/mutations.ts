/**
 * keepalived.conf mutations for the config-pipeline fuzzer. A case is a small, serialisable recipe
 * (fixture name + edit operations + an include wrapper) so the large-budget runner can ship it to a
 * worker and a failure can be replayed; `materializeCase` turns it into files in a scratch directory.
 *
 * Operations: token swaps, deleted/added braces, binary garbage, huge and malformed numbers, deleted
 * or duplicated lines, dictionary keywords and nasty snippets (definitions, ~SEQ, conditionals),
 * deep nesting, 1 MB lines, truncation. Wrappers: deep include chains, include loops (self, pair,
 * glob fan-out), and includes of special files.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { fixturePath } from '../support/repo.js';
import { generateConfig, grammarChoicesArb } from './grammar.js';

export type ConfigOp =
  | { readonly k: 'swap-tokens'; readonly a: number; readonly b: number }
  | { readonly k: 'delete-brace'; readonly at: number }
  | { readonly k: 'add-brace'; readonly at: number; readonly open: boolean }
  | { readonly k: 'garbage'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly k: 'number'; readonly at: number; readonly value: string }
  | { readonly k: 'delete-line'; readonly at: number }
  | { readonly k: 'duplicate-line'; readonly at: number; readonly times: number }
  | { readonly k: 'insert-line'; readonly at: number; readonly line: string }
  | { readonly k: 'nest'; readonly at: number; readonly depth: number; readonly keyword: string }
  | { readonly k: 'long-line'; readonly at: number; readonly length: number; readonly fill: string }
  | { readonly k: 'truncate'; readonly at: number };

export type IncludeWrap =
  | { readonly k: 'none' }
  | { readonly k: 'deep'; readonly depth: number }
  | { readonly k: 'loop'; readonly variant: 'self' | 'pair' | 'glob' }
  | { readonly k: 'special'; readonly path: string };

export interface ConfigCase {
  /** A file in test/fixtures/conf, or `grammar` for a text generated from the keyword tables. */
  readonly fixture: string;
  /** Random choices driving the grammar generator (fixture `grammar` only). */
  readonly choices?: readonly number[];
  readonly ops: readonly ConfigOp[];
  readonly wrap: IncludeWrap;
  /** Validate against the fake host (config/fake-host.ts) instead of --no-host-checks. */
  readonly hostChecks?: boolean;
  /** `-e` / --all-config: every include must exist. */
  readonly allConfig?: boolean;
}

/** ConfigCase.fixture of grammar-generated texts. */
export const GRAMMAR = 'grammar';

/** File name of the main configuration inside the scratch directory. */
export const MAIN_FILE = 'keepalived.conf';

// ---- fixtures and dictionary ---------------------------------------------------------------------

interface Corpus {
  readonly names: readonly string[];
  readonly texts: ReadonlyMap<string, string>;
  /** Every distinct first word of a line in the fixtures (keywords). */
  readonly keywords: readonly string[];
  /** Every distinct word (arguments included). */
  readonly words: readonly string[];
}

let corpus: Corpus | undefined;

export function configCorpus(): Corpus {
  if (corpus !== undefined) return corpus;
  const dir = fixturePath('conf');
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.conf'))
    .sort();
  const texts = new Map<string, string>();
  const keywords = new Set<string>();
  const words = new Set<string>();
  for (const n of names) {
    const text = readFileSync(join(dir, n), 'latin1');
    texts.set(n, text);
    for (const line of text.split('\n')) {
      const w = line.trim().split(/\s+/).filter((x) => x !== '');
      if (w[0] !== undefined && !w[0].startsWith('#') && !w[0].startsWith('!')) keywords.add(w[0]);
      for (const x of w) words.add(x);
    }
  }
  if (names.length === 0) throw new Error(`fuzz: no .conf fixtures in ${dir}`);
  corpus = { names, texts, keywords: [...keywords].sort(), words: [...words].sort() };
  return corpus;
}

// ---- generators ------------------------------------------------------------------------------------

const NASTY_NUMBERS = [
  '0', '-0', '-1', '256', '65536', '4294967295', '4294967296', '9007199254740993', '99999999999999999999999999999',
  '1e308', '1e309', '-1e309', 'NaN', 'Infinity', '0x10', '010', '1.5', '.5', '5.', '1..2', '+3', '1e-400', '٣', '0.0001', '3.99999999999999999999',
];

const NASTY_LINES = [
  '$A=$A$A',
  '$A',
  '$B=x',
  '$B=${B}${B}${B}${B}',
  '${B}',
  '$C={',
  '$F(X,Y)=$X $Y',
  '$F(1)',
  '${F(a,b,c)}',
  '${_ENV HOME}',
  '${_RANDOM 1 999999999999}',
  '~SEQ(i,1,3000) vrrp_script s$i { }',
  '~SEQ(i,10,1,-1) garbage $i',
  '~SEQ(i,1,0,0) x',
  '~LST(i,a,b,c) virtual_ipaddress { 10.0.0.$i }',
  '@nosuchhost vrrp_instance X {',
  '@^nosuchhost }',
  '@',
  'include',
  'include ""',
  'include {a,b}{c,d}{e,f}/*.conf',
  'include /dev/null',
  'includer /nonexistent/*.conf',
  '"unterminated string',
  "'single",
  '\\',
  '{}',
  '} }',
  '{ {',
  '#',
  '!',
  'vrrp_instance',
  'virtual_server',
  'virtual_server 1.2.3.4',
  'virtual_server group',
  'virtual_server fwmark',
  'real_server',
  'virtual_ipaddress { 999.1.1.1/33 dev eth0 label a:b:c }',
  'virtual_ipaddress { ::1/129 }',
  'unicast_peer { 1.1.1.1 min_ttl 300 max_ttl -1 }',
  'track_script { nosuch weight -300 reverse }',
  'notify_master "/bin/sh -c \'x\'" user nobody nobody extra',
  'advert_int 0.001',
  'advert_int 999999999',
  'priority 0',
  'virtual_router_id 0',
];

const posArb = fc.nat({ max: 1 << 20 });

const configOpArb: fc.Arbitrary<ConfigOp> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('swap-tokens' as const), a: posArb, b: posArb }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('delete-brace' as const), at: posArb }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('add-brace' as const), at: posArb, open: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('garbage' as const), at: posArb, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 32 }) }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('number' as const), at: posArb, value: fc.constantFrom(...NASTY_NUMBERS) }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('delete-line' as const), at: posArb }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('duplicate-line' as const), at: posArb, times: fc.integer({ min: 1, max: 40 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant('insert-line' as const),
      at: posArb,
      line: fc.oneof(
        fc.constantFrom(...NASTY_LINES),
        fc
          .tuple(fc.constantFrom(...configCorpus().keywords), fc.array(fc.oneof(fc.constantFrom(...configCorpus().words), fc.constantFrom(...NASTY_NUMBERS), fc.string({ maxLength: 8 })), { maxLength: 4 }))
          .map(([kw, args]) => [kw, ...args].join(' ')),
      ),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ k: fc.constant('nest' as const), at: posArb, depth: fc.integer({ min: 2, max: 3000 }), keyword: fc.constantFrom(...configCorpus().keywords) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ k: fc.constant('long-line' as const), at: posArb, length: fc.constantFrom(1022, 1023, 1024, 4096, 65537, 1 << 20), fill: fc.constantFrom('a', '{', '$', ' ', '1.', '"') }),
    weight: 1,
  },
  { arbitrary: fc.record({ k: fc.constant('truncate' as const), at: posArb }), weight: 1 },
);

const wrapArb: fc.Arbitrary<IncludeWrap> = fc.oneof(
  { arbitrary: fc.constant<IncludeWrap>({ k: 'none' }), weight: 12 },
  { arbitrary: fc.integer({ min: 1, max: 40 }).map((depth): IncludeWrap => ({ k: 'deep', depth })), weight: 1 },
  { arbitrary: fc.constantFrom('self' as const, 'pair' as const, 'glob' as const).map((variant): IncludeWrap => ({ k: 'loop', variant })), weight: 1 },
  {
    arbitrary: fc.constantFrom('/dev/zero', '/dev/null', '/dev/stdin', '/proc/self/status', '/', '.', '*', '/etc/passwd', 'nonexistent/*').map((path): IncludeWrap => ({ k: 'special', path })),
    weight: 1,
  },
);

export function configCaseArb(maxOps = 6): fc.Arbitrary<ConfigCase> {
  const fromFixture = fc.record({
    fixture: fc.constantFrom(...configCorpus().names),
    ops: fc.array(configOpArb, { minLength: 1, maxLength: maxOps }),
    wrap: wrapArb,
    hostChecks: fc.boolean(),
    allConfig: fc.boolean(),
  });
  const fromGrammar = fc.record({
    fixture: fc.constant(GRAMMAR),
    choices: grammarChoicesArb,
    ops: fc.array(configOpArb, { minLength: 0, maxLength: 2 }),
    wrap: wrapArb,
    hostChecks: fc.boolean(),
    allConfig: fc.boolean(),
  });
  return fc.oneof({ arbitrary: fromFixture, weight: 2 }, { arbitrary: fromGrammar, weight: 1 });
}

// ---- applying operations ------------------------------------------------------------------------------

function spans(text: string, re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(re)) out.push([m.index, m.index + m[0].length]);
  return out;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function insertAt(text: string, at: number, s: string): string {
  return text.slice(0, at) + s + text.slice(at);
}

export function applyConfigOp(text: string, op: ConfigOp): string {
  switch (op.k) {
    case 'swap-tokens': {
      const t = spans(text, /\S+/g);
      if (t.length < 2) return text;
      let [a, b] = [t[op.a % t.length]!, t[op.b % t.length]!];
      if (a[0] === b[0]) return text;
      if (a[0] > b[0]) [a, b] = [b, a];
      return text.slice(0, a[0]) + text.slice(b[0], b[1]) + text.slice(a[1], b[0]) + text.slice(a[0], a[1]) + text.slice(b[1]);
    }
    case 'delete-brace': {
      const t = spans(text, /[{}]/g);
      if (t.length === 0) return text;
      const [s, e] = t[op.at % t.length]!;
      return text.slice(0, s) + text.slice(e);
    }
    case 'add-brace': {
      const l = lineStarts(text);
      return insertAt(text, l[op.at % l.length]!, op.open ? '{\n' : '}\n');
    }
    case 'garbage':
      return insertAt(text, op.at % (text.length + 1), String.fromCharCode(...op.bytes));
    case 'number': {
      const t = spans(text, /(?<![\w.])\d+(?:\.\d+)?(?![\w.])/g);
      if (t.length === 0) return text;
      const [s, e] = t[op.at % t.length]!;
      return text.slice(0, s) + op.value + text.slice(e);
    }
    case 'delete-line':
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = op.at % lines.length;
      if (op.k === 'delete-line') lines.splice(i, 1);
      else lines.splice(i, 0, ...Array<string>(op.times).fill(lines[i]!));
      return lines.join('\n');
    }
    case 'insert-line': {
      const l = lineStarts(text);
      return insertAt(text, l[op.at % l.length]!, `${op.line}\n`);
    }
    case 'nest': {
      const l = lineStarts(text);
      return insertAt(text, l[op.at % l.length]!, `${op.keyword} {\n`.repeat(op.depth));
    }
    case 'long-line': {
      const l = lineStarts(text);
      return insertAt(text, l[op.at % l.length]!, `${op.fill.repeat(Math.ceil(op.length / op.fill.length)).slice(0, op.length)}\n`);
    }
    case 'truncate':
      return text.slice(0, op.at % (text.length + 1));
  }
}

/** The mutated main text (before include wrapping). */
export function mutatedText(c: ConfigCase): string {
  const base = c.fixture === GRAMMAR ? generateConfig(c.choices ?? [0]) : configCorpus().texts.get(c.fixture);
  if (base === undefined) throw new Error(`fuzz: unknown fixture ${c.fixture}`);
  return c.ops.reduce(applyConfigOp, base);
}

/**
 * Writes the case into `dir` (emptied first) and returns the main file's path. Files are written as
 * latin1, one byte per char, so garbage bytes reach the reader unchanged. The fixtures' include.d is
 * copied so relative includes of the original configs still resolve.
 */
export function materializeCase(c: ConfigCase, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const incDir = fixturePath('conf', 'include.d');
  if (existsSync(incDir)) cpSync(incDir, join(dir, 'include.d'), { recursive: true });
  const text = mutatedText(c);
  const write = (name: string, body: string): void => writeFileSync(join(dir, name), body, 'latin1');
  const w = c.wrap;
  switch (w.k) {
    case 'none':
      write(MAIN_FILE, text);
      break;
    case 'deep':
      write(MAIN_FILE, `include deep1.conf\n`);
      for (let i = 1; i < w.depth; i++) write(`deep${i}.conf`, `include deep${i + 1}.conf\n`);
      write(`deep${w.depth}.conf`, text);
      break;
    case 'loop':
      if (w.variant === 'self') write(MAIN_FILE, `${text}\ninclude ${MAIN_FILE}\n`);
      else if (w.variant === 'pair') {
        write(MAIN_FILE, `${text}\ninclude other.conf\n`);
        write('other.conf', `include ${MAIN_FILE}\n`);
      } else {
        write(MAIN_FILE, `${text}\ninclude loop*.conf\n`);
        for (const n of ['loop1.conf', 'loop2.conf', 'loop3.conf']) write(n, `include loop*.conf\ninclude ${MAIN_FILE}\n`);
      }
      break;
    case 'special':
      write(MAIN_FILE, `include ${w.path}\n${text}`);
      break;
  }
  return join(dir, MAIN_FILE);
}

/** Short human description of a case (reports). */
export function describeCase(c: ConfigCase): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v));
}
