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
  return NON_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

function toNode(line: LogicalLine, sink: DiagnosticSink): MutableNode | null {
  const r = tokenizeLine(line.text);
  if (r.unterminatedQuote === "'") {
    sink.error(ReaderCode.UNMATCHED_QUOTE, `String '${fromLatin1(line.text)}': missing terminating '`, line.pos);
  }
  const first = r.tokens[0];
  if (first === undefined) return null;
  const tokens: ConfigToken[] = [];
  const args: string[] = [];
  for (let i = 1; i < r.tokens.length; i++) {
    const t = r.tokens[i];
    if (t === undefined) continue;
    const text = fromLatin1(t.text);
    tokens.push({ text, quoted: t.quoted, raw: fromLatin1(t.raw ?? t.text) });
    args.push(text);
  }
  return { keyword: fromLatin1(first.text), args, tokens, pos: line.pos };
}
