/**
 * Logical lines → ConfigNode tree. A keyword line followed by `{` (on the same line or the next one) owns
 * the lines up to the matching `}` as children. Brace problems are reported in keepalived's words and the
 * tree is still built: an extra `}` is dropped, a `{` that follows no keyword is ignored (its contents stay
 * at the current level), blocks still open at the end are closed.
 */
import type { DiagnosticSink, SourcePos } from '../../core/diagnostics.js';
import { ReaderCode } from './codes.js';
import { tokenizeLine } from './lexer.js';
import type { LogicalLine } from './line-reader.js';
import type { ConfigNode, ConfigToken } from './tree.js';

interface MutableNode {
  keyword: string;
  args: string[];
  tokens: ConfigToken[];
  children?: MutableNode[];
  pos: SourcePos;
  line: string;
}

interface OpenBlock {
  /** The node whose body this is, or null for a stray `{` (contents stay in the enclosing list). */
  readonly owner: MutableNode | null;
  readonly list: MutableNode[];
  readonly pos: SourcePos;
}

/** Build the tree from a line source; `endPos` gives a position for end-of-input problems. */
export function buildTree(nextLine: () => LogicalLine | null, sink: DiagnosticSink, endPos: () => SourcePos): ConfigNode[] {
  const root: MutableNode[] = [];
  const stack: OpenBlock[] = [];
  let list = root;
  // The last keyword line at this level that could still take a `{` body.
  let candidate: MutableNode | null = null;
  for (let line = nextLine(); line !== null; line = nextLine()) {
    if (line.kind === 'open') {
      if (candidate !== null && candidate.children === undefined) {
        candidate.children = [];
        stack.push({ owner: candidate, list, pos: candidate.pos });
        list = candidate.children;
      } else {
        sink.error(ReaderCode.UNEXPECTED_BOB, "Unexpected '{' - ignoring", line.pos);
        stack.push({ owner: null, list, pos: line.pos });
      }
      candidate = null;
      continue;
    }
    if (line.kind === 'close') {
      const top = stack.pop();
      if (top === undefined) sink.error(ReaderCode.EXTRA_EOB, "Extra '}' found", line.pos);
      else list = top.list;
      candidate = null;
      continue;
    }
    const node = toNode(line, sink);
    if (node === null) continue;
    list.push(node);
    candidate = node;
  }
  if (stack.length > 0) {
    const outer = stack[0];
    sink.error(
      ReaderCode.MISSING_EOB,
      `There are ${stack.length} missing '}'s or extra '{'s`,
      outer !== undefined ? outer.pos : endPos(),
      outer?.owner?.keyword,
    );
  }
  return root;
}

// Matches any byte that is not 7-bit ASCII (files are read as latin1).
const NON_ASCII = /[\u0080-\u00ff]/;

function fromLatin1(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

function toNode(line: LogicalLine, sink: DiagnosticSink): MutableNode | null {
  const r = tokenizeLine(line.text);
  // Files are read as latin1; only lines with non-ASCII bytes need decoding back to UTF-8.
  const conv = line.maybeNonAscii && NON_ASCII.test(line.text) ? fromLatin1 : identity;
  if (r.unterminatedQuote === "'") {
    sink.error(ReaderCode.UNMATCHED_QUOTE, `String '${conv(line.text)}': missing terminating '`, line.pos);
  }
  const first = r.tokens[0];
  if (first === undefined) return null;
  const n = r.tokens.length - 1;
  const args: string[] = new Array<string>(n);
  let tokens: ConfigToken[];
  if (conv === identity) {
    tokens = r.tokens.slice(1);
    for (let i = 0; i < n; i++) args[i] = (tokens[i] as ConfigToken).text;
  } else {
    tokens = new Array<ConfigToken>(n);
    for (let i = 0; i < n; i++) {
      const t = r.tokens[i + 1] as ConfigToken;
      const text = conv(t.text);
      tokens[i] = { text, quoted: t.quoted, raw: t.raw === undefined || t.raw === t.text ? text : conv(t.raw) };
      args[i] = text;
    }
  }
  return { keyword: conv(first.text), args, tokens, pos: line.pos, line: conv(line.text) };
}

function identity(s: string): string {
  return s;
}
