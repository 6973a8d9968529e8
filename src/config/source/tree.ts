/**
 * The configuration's block tree: what the reader (lexer + include + definitions + conditionals)
 * hands to the model builder. One node per keyword line; a `{ … }` body becomes `children`.
 *
 *   vrrp_instance VI_1 {          → { keyword: 'vrrp_instance', args: ['VI_1'], children: [ … ] }
 *       virtual_ipaddress { 10.0.0.1/24 dev eth0 }
 *                                 → { keyword: 'virtual_ipaddress', args: [], children: [
 *                                       { keyword: '10.0.0.1/24', args: ['dev', 'eth0'] } ] }
 *   }
 *
 * Tokens are already unquoted, escapes resolved, `$NAME`s expanded, `@id` lines selected,
 * `~SEQ`/`~LST` generated and `include`s inlined; each node keeps the file and line it came from.
 */
import type { SourcePos } from '../../core/diagnostics.js';

export interface ConfigToken {
  readonly text: string;
  /** True when any part of the token came from a quoted string (script keywords care). */
  readonly quoted: boolean;
  /** The token's source text before unquoting/unescaping (after `$NAME` expansion), when known. */
  readonly raw?: string;
}

export interface ConfigNode {
  readonly keyword: string;
  /** Arguments after the keyword on its line (not including `{`). */
  readonly args: readonly string[];
  /** Same as args with quoting information, for keywords whose meaning depends on it. */
  readonly tokens: readonly ConfigToken[];
  /** Present when the keyword opened a `{ … }` block (even an empty one). */
  readonly children?: readonly ConfigNode[];
  readonly pos: SourcePos;
  /**
   * The logical line this node came from (comments stripped, `$NAME`s expanded, braces split off), for
   * keywords that need to re-split it, e.g. with keepalived 2.2.7's plain splitter (`splitPlainWords`).
   */
  readonly line?: string;
}
