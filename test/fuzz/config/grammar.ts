/**
 * Grammar-based keepalived.conf generator for the config fuzzer: walks the keyword tables in
 * src/config/keywords (root → vrrp_instance → …, virtual_server → real_server → HTTP_GET → url …)
 * and writes random but mostly well-formed blocks, with argument lists taken from the same keyword's
 * lines in the fixtures, words from the whole corpus, or nasty numbers. This reaches the builder's
 * handlers and the validator far more often than byte-level damage does.
 */
import * as fc from 'fast-check';
import { rootKeywords, type KeywordSpec, type KeywordTable } from '../../../src/config/keywords/index.js';
import { configCorpus } from './mutations.js';

let argsByKeyword: Map<string, string[][]> | undefined;

/** Argument lists seen after each keyword in the fixtures, and value-block lines by block keyword. */
function corpusArgs(): Map<string, string[][]> {
  if (argsByKeyword !== undefined) return argsByKeyword;
  argsByKeyword = new Map();
  const stack: string[] = [];
  for (const text of configCorpus().texts.values()) {
    for (const raw of text.split('\n')) {
      const line = raw.replace(/[#!].*$/, '').trim();
      if (line === '') continue;
      const words = line.split(/\s+/);
      const kw = words[0]!;
      if (kw === '}') {
        stack.pop();
        continue;
      }
      const opens = words.at(-1) === '{';
      const args = words.slice(1, opens ? -1 : undefined);
      const key = kw;
      const list = argsByKeyword.get(key) ?? [];
      if (list.length < 50) list.push(args);
      argsByKeyword.set(key, list);
      // Lines inside a value block are recorded under `<block>/` too.
      const parent = stack.at(-1);
      if (parent !== undefined) {
        const l2 = argsByKeyword.get(`${parent}/`) ?? [];
        if (l2.length < 50) l2.push(words);
        argsByKeyword.set(`${parent}/`, l2);
      }
      if (opens) stack.push(kw);
    }
  }
  return argsByKeyword;
}

const NUMBERS = ['0', '1', '2', '3', '5', '10', '50', '100', '150', '254', '255', '256', '1000', '65535', '65536', '-1', '0.5', '1.5', '99999999999'];

/** Root blocks real configurations are made of, chosen most of the time. */
const ROOT_PREFERRED = [
  'global_defs', 'vrrp_instance', 'vrrp_instance', 'virtual_server', 'virtual_server', 'vrrp_script', 'vrrp_sync_group',
  'virtual_server_group', 'track_file', 'static_ipaddress', 'static_routes', 'vrrp_track_process',
];

/** A choice source so generation can be driven by fast-check's random (replayable). */
interface Rng {
  int(max: number): number;
}

function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[r.int(xs.length)]!;
}

function argList(r: Rng, keyword: string): string {
  const known = corpusArgs().get(keyword);
  const roll = r.int(10);
  if (known !== undefined && known.length > 0 && roll < 7) {
    const args = [...pick(r, known)];
    if (args.length > 0 && r.int(4) === 0) args[r.int(args.length)] = r.int(2) === 0 ? pick(r, NUMBERS) : pick(r, configCorpus().words);
    return args.join(' ');
  }
  const n = r.int(4);
  return Array.from({ length: n }, () => (r.int(2) === 0 ? pick(r, NUMBERS) : pick(r, configCorpus().words))).join(' ');
}

function valueLines(r: Rng, keyword: string, indent: string): string[] {
  const known = corpusArgs().get(`${keyword}/`) ?? [];
  const n = r.int(4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = known.length > 0 && r.int(4) !== 0 ? pick(r, known) : [pick(r, configCorpus().words)];
    out.push(`${indent}${words.join(' ')}`);
  }
  return out;
}

function blockLines(r: Rng, table: KeywordTable, depth: number, indent: string): string[] {
  const specs: KeywordSpec[] = [...table.keywords.values()];
  if (specs.length === 0) return [];
  const out: string[] = [];
  const n = 1 + r.int(depth === 0 ? 6 : 8);
  const preferred = depth === 0 ? ROOT_PREFERRED.map((k) => table.keywords.get(k)).filter((x) => x !== undefined) : [];
  for (let i = 0; i < n; i++) {
    const s = preferred.length > 0 && r.int(10) < 7 ? pick(r, preferred) : pick(r, specs);
    const args = argList(r, s.name);
    const head = `${indent}${s.name}${args !== '' ? ` ${args}` : ''}`;
    if (s.kind === 'value') out.push(head);
    else if (s.kind === 'valueBlock') out.push(`${head} {`, ...valueLines(r, s.name, `${indent}  `), `${indent}}`);
    else if (depth < 4 && s.sub !== undefined) out.push(`${head} {`, ...blockLines(r, s.sub, depth + 1, `${indent}  `), `${indent}}`);
    else out.push(`${head} {`, `${indent}}`);
  }
  return out;
}

/** A whole configuration text from the keyword grammar, driven by a list of random choices. */
export function generateConfig(choices: readonly number[]): string {
  let i = 0;
  const r: Rng = { int: (max) => (max <= 1 ? 0 : (choices[i++ % choices.length] ?? 0) % max) };
  return `${blockLines(r, rootKeywords, 0, '').join('\n')}\n`;
}

/** Random choice lists for generateConfig (the text itself is derived, so cases stay small). */
export const grammarChoicesArb: fc.Arbitrary<readonly number[]> = fc.array(fc.nat({ max: 0xffff }), { minLength: 64, maxLength: 400 });
