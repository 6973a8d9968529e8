/**
 * Model-builder plumbing: the diagnostics helpers every block builder uses (file/line/keyword
 * always set, keepalived's wording) and the generic block walker that dispatches each ConfigNode
 * to its keyword handler through the Map-based keyword tables.
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { KeywordTable } from '../keywords/types.js';
import type { ConfigNode } from '../source/tree.js';

/** Stable diagnostic codes of the model builder. */
export const BuildCodes = {
  UNKNOWN_KEYWORD: 'KTS_UNKNOWN_KEYWORD',
  NOT_SUPPORTED: 'KTS_NOT_SUPPORTED',
  MISSING_PARAMETER: 'KTS_MISSING_PARAMETER',
  /** A word keepalived's reader requires is absent: keepalived aborts the parse and exits 2. */
  MISSING_WORD: 'KTS_MISSING_WORD',
  MISSING_BLOCK: 'KTS_MISSING_BLOCK',
  UNEXPECTED_BLOCK: 'KTS_UNEXPECTED_BLOCK',
  UNEXPECTED_PARAMETER: 'KTS_UNEXPECTED_PARAMETER',
  INVALID_NUMBER: 'KTS_INVALID_NUMBER',
  INVALID_VALUE: 'KTS_INVALID_VALUE',
  INVALID_ADDRESS: 'KTS_INVALID_ADDRESS',
  DEPRECATED: 'KTS_DEPRECATED',
  DUPLICATE: 'KTS_DUPLICATE',
  UNKNOWN_REFERENCE: 'KTS_UNKNOWN_REFERENCE',
  TRUNCATED: 'KTS_TRUNCATED',
  INCOMPLETE: 'KTS_INCOMPLETE',
} as const;

export class BuildContext {
  private readonly notSupportedSeen = new Set<string>();

  constructor(readonly sink: DiagnosticSink) {}

  /** A problem keepalived reports as a configuration error (exit 5 under -t). */
  error(node: ConfigNode, code: string, message: string): void {
    this.sink.error(code, message, node.pos, node.keyword);
  }

  warning(node: ConfigNode, code: string, message: string): void {
    this.sink.warning(code, message, node.pos, node.keyword);
  }

  /** Informational note, does not change the -t exit code. */
  info(node: ConfigNode, code: string, message: string): void {
    this.sink.add({ code, severity: 'info', message, file: node.pos.file, line: node.pos.line, keyword: node.keyword });
  }

  /** Accepted by keepalived, ignored here: reported once per keyword. */
  notSupported(node: ConfigNode): void {
    if (this.notSupportedSeen.has(node.keyword)) return;
    this.notSupportedSeen.add(node.keyword);
    this.info(node, BuildCodes.NOT_SUPPORTED, `'${node.keyword}' is not supported by keepalived-ts, ignored`);
  }

  /**
   * Argument `index` (1 = first word after the keyword). keepalived aborts the whole parse with
   * exit 2 on a missing parameter; we report an error and let the handler skip the line.
   */
  arg(node: ConfigNode, index: number): string | undefined {
    const v = node.args[index - 1];
    if (v === undefined) {
      this.error(
        node,
        BuildCodes.MISSING_WORD,
        `Configuration line starting \`${node.keyword}\` is missing a parameter after keyword \`${index === 1 ? node.keyword : (node.args[index - 2] ?? node.keyword)}\` at word position ${index + 1}`,
      );
    }
    return v;
  }
}

export type Handler<S> = (ctx: BuildContext, node: ConfigNode, state: S) => void;
export type HandlerMap<S> = ReadonlyMap<string, Handler<S>>;

export function handlers<S>(entries: Record<string, Handler<S>>): HandlerMap<S> {
  return new Map(Object.entries(entries));
}

/** The lines of a value block (`virtual_ipaddress { … }`) as word lists, keyword first. */
export function valueLines(node: ConfigNode): readonly ConfigNode[] {
  return node.children ?? [];
}

/**
 * Walk the lines of a block against its keyword table, calling the handler of each supported
 * keyword with `state`. Unknown keywords are warned about (keepalived -t exits 5) and, like
 * keepalived, a stray `{ … }` after an unknown keyword is read at the current level.
 * Blocks read at the current level are walked with an explicit stack, not by recursion: a hostile
 * configuration can nest them 10^6 deep (`~SEQ`), which would overflow the call stack.
 */
export function walkBlock<S>(
  ctx: BuildContext,
  nodes: readonly ConfigNode[],
  table: KeywordTable,
  map: HandlerMap<S>,
  state: S,
  reportUnsupported = true,
): void {
  const pending: Iterator<ConfigNode>[] = [nodes[Symbol.iterator]()];
  for (let top = pending.at(-1); top !== undefined; top = pending.at(-1)) {
    const next = top.next();
    if (next.done === true) {
      pending.pop();
      continue;
    }
    const node = next.value;
    const spec = table.keywords.get(node.keyword);
    if (spec === undefined) {
      ctx.warning(node, BuildCodes.UNKNOWN_KEYWORD, `Unknown keyword '${node.keyword}'`);
      if (node.children !== undefined) pending.push(node.children[Symbol.iterator]());
      continue;
    }
    if (spec.kind === 'value' && node.children !== undefined) {
      ctx.error(node, BuildCodes.UNEXPECTED_BLOCK, `Unexpected '{' after '${node.keyword}' - ignoring`);
    }
    // keepalived alloc_value_block(): words between the keyword and '{' are an error (the block is still read).
    if (spec.kind === 'valueBlock' && node.args.length > (spec.name === 'virtual_server_group' ? 1 : 0)) {
      const extra = node.args[spec.name === 'virtual_server_group' ? 1 : 0] ?? '';
      ctx.error(node, BuildCodes.UNEXPECTED_PARAMETER, `Block ${node.keyword} has extra parameters ${extra} ...`);
    }
    if (spec.kind !== 'value' && node.children === undefined) {
      ctx.error(node, BuildCodes.MISSING_BLOCK, `Missing '{' at beginning of configuration block '${node.keyword}'`);
    }
    const handler = spec.supported ? map.get(spec.aliasOf ?? spec.name) : undefined;
    if (handler === undefined) {
      if (reportUnsupported) ctx.notSupported(node);
      if (spec.kind === 'block' && spec.sub !== undefined && node.children !== undefined) {
        walkBlock(ctx, node.children, spec.sub, new Map<string, Handler<null>>(), null, false);
      }
    } else {
      handler(ctx, node, state);
    }
    if (spec.kind === 'value' && node.children !== undefined) pending.push(node.children[Symbol.iterator]());
  }
}

/** Builders fill a mutable copy of a model object, then hand it out as readonly. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
