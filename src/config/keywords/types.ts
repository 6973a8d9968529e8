/**
 * Keyword-table shapes: which words keepalived 2.2.7 accepts in each configuration block, and
 * how each one is shaped (plain line, `{ … }` of values, or a nested block with its own table).
 *
 * Tables are data only; the model builder (src/config/build) attaches meaning to the keywords it
 * supports. Lookups are Map based (keepalived itself scans its vectors linearly).
 */

export type KeywordKind =
  /** A plain keyword line: `priority 100`. */
  | 'value'
  /** A `{ … }` of value lines read by the keyword's handler: `virtual_ipaddress { … }`. */
  | 'valueBlock'
  /** A `{ … }` whose lines are keywords of the nested table `sub`: `vrrp_instance X { … }`. */
  | 'block';

export interface KeywordSpec {
  readonly name: string;
  readonly kind: KeywordKind;
  /** Nested table for kind 'block'. */
  readonly sub?: KeywordTable;
  /** True when keepalived-ts gives the keyword a meaning; others are accepted and reported as not supported. */
  readonly supported: boolean;
  /** The modern keyword this one is a legacy spelling of (`lb_algo` → `lvs_sched`). */
  readonly aliasOf?: string;
}

export interface KeywordTable {
  /** Block name used in messages (`vrrp_instance`, `HTTP_GET`, …). */
  readonly block: string;
  readonly keywords: ReadonlyMap<string, KeywordSpec>;
}

/** Build a table; a later entry with the same name replaces an earlier one (keepalived takes the first, we never list twice). */
export function keywordTable(block: string, specs: readonly KeywordSpec[]): KeywordTable {
  const keywords = new Map<string, KeywordSpec>();
  for (const s of specs) keywords.set(s.name, s);
  return { block, keywords };
}

/** Supported plain keyword(s). */
export function kw(...names: string[]): KeywordSpec[] {
  return names.map((name) => ({ name, kind: 'value', supported: true }));
}
/** Supported value-block keyword(s). */
export function kwValues(...names: string[]): KeywordSpec[] {
  return names.map((name) => ({ name, kind: 'valueBlock', supported: true }));
}
/** Supported nested block. */
export function kwBlock(name: string, sub: KeywordTable, supported = true): KeywordSpec {
  return { name, kind: 'block', sub, supported };
}
/** Legacy spelling of a supported keyword. */
export function kwAlias(name: string, aliasOf: string, kind: KeywordKind = 'value'): KeywordSpec {
  return { name, kind, supported: true, aliasOf };
}
/** Accepted by keepalived, ignored by keepalived-ts (plain keyword lines). */
export function unsupported(...names: string[]): KeywordSpec[] {
  return names.map((name) => ({ name, kind: 'value', supported: false }));
}
/** Accepted by keepalived, ignored by keepalived-ts (value blocks). */
export function unsupportedValues(...names: string[]): KeywordSpec[] {
  return names.map((name) => ({ name, kind: 'valueBlock', supported: false }));
}
