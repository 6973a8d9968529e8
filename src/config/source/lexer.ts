/**
 * Lexing of keepalived.conf lines: comment stripping (`decomment`), splitting braces off into their own
 * logical lines (`splitBraces`), and splitting a line into words with quotes and shell-like escapes
 * (`tokenizeLine`, `splitQuotedEscaped`). Pure string functions, no I/O, no diagnostics sink: callers
 * get flags back and report them with a position.
 *
 * Behaviour follows keepalived 2.2.7 lib/parser.c:
 *  - `!` and `#` start a comment anywhere outside `"…"` (single quotes do NOT protect them);
 *    `\#` / `\!` outside double quotes stand for the literal character.
 *  - `{` and `}` outside `"…"` end the current logical line; text after them is the next logical line.
 *  - words are separated by blanks; `"…"` and `'…'` group, adjacent quoted/unquoted text is one word;
 *    `\a \b \E \f \n \r \t \v \nnn \xHH \cC` and `\C` escapes are resolved.
 */
import type { ConfigToken } from './tree.js';

const CH_TAB = 9;
const CH_LF = 10;
const CH_VT = 11;
const CH_FF = 12;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_BANG = 33;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_SQUOTE = 39;
const CH_BACKSLASH = 92;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

/** Blank for trimming purposes: space or tab (keepalived `isblank`). */
export function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}

/** Word separator: space, tab, FF, LF, CR, VT (keepalived WHITE_SPACE). */
export function isWhite(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_LF || c === CH_CR || c === CH_VT || c === CH_FF;
}

export interface DecommentResult {
  /** Line without comment, leading and trailing blanks; a continuation `\` is kept as the last char. */
  readonly text: string;
  /** The line ended with an unescaped `\` (only meaningful for multi-line `$NAME=` definitions). */
  readonly continued: boolean;
  /** A `"` was left open. */
  readonly unterminatedQuote: boolean;
}

/**
 * Remove comments and comment-character escapes, plus leading/trailing blanks.
 * `\#`/`\!` outside double quotes become `#`/`!`; other escapes are left for the tokenizer.
 */
export function decomment(line: string): DecommentResult {
  let start = 0;
  const n = line.length;
  while (start < n && isBlank(line.charCodeAt(start))) start++;
  let quote = false;
  let continued = false;
  let end = n;
  // Pieces are only needed when an escaped comment char is removed; otherwise one slice.
  let pieces: string[] | null = null;
  let pieceStart = start;
  let i = start;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === CH_DQUOTE) {
      quote = !quote;
      i++;
    } else if (c === CH_BACKSLASH) {
      if (i + 1 >= n) {
        continued = true;
        end = i;
        break;
      }
      const d = line.charCodeAt(i + 1);
      if (!quote && (d === CH_HASH || d === CH_BANG)) {
        pieces ??= [];
        pieces.push(line.slice(pieceStart, i));
        pieceStart = i + 1;
      }
      i += 2;
    } else if (!quote && (c === CH_BANG || c === CH_HASH)) {
      end = i;
      break;
    } else {
      i++;
    }
  }
  let text: string;
  if (pieces === null) text = line.slice(start, end);
  else {
    pieces.push(line.slice(pieceStart, end));
    text = pieces.join('');
  }
  let t = text.length;
  while (t > 0 && isBlank(text.charCodeAt(t - 1))) t--;
  if (t !== text.length) text = text.slice(0, t);
  if (continued) text += '\\';
  return { text, continued, unterminatedQuote: quote };
}

export interface BraceSplit {
  /** The first logical line: `{`, `}`, or text without an unquoted brace. */
  readonly head: string;
  /** What followed, to be processed as a new logical line (same file position), or null. */
  readonly residue: string | null;
}

/**
 * Split a decommented line at its first brace outside double quotes, as keepalived's read_line does:
 * `a b { c }` → head `a b`, residue `{ c }`; `{ c }` → head `{`, residue `c }`.
 */
export function splitBraces(text: string): BraceSplit {
  const n = text.length;
  let p = -1;
  const first = n > 0 ? text.charCodeAt(0) : 0;
  if (first === CH_LBRACE || first === CH_RBRACE) p = 0;
  else {
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === CH_LBRACE || c === CH_RBRACE) {
        p = i;
        break;
      }
      if (c === CH_DQUOTE) {
        const close = text.indexOf('"', i + 1);
        if (close < 0) break;
        i = close + 1;
      } else i++;
    }
  }
  if (p < 0) return { head: trimEnd(text), residue: null };
  if (p === 0) {
    let r = 1;
    while (r < n && isBlank(text.charCodeAt(r))) r++;
    const rest = trimEnd(text.slice(r));
    return { head: text.charAt(0), residue: rest.length > 0 ? rest : null };
  }
  return { head: trimEnd(text.slice(0, p)), residue: trimEnd(text.slice(p)) };
}

function trimEnd(s: string): string {
  let t = s.length;
  while (t > 0 && isBlank(s.charCodeAt(t - 1))) t--;
  return t === s.length ? s : s.slice(0, t);
}

export interface TokenizeResult {
  readonly tokens: ConfigToken[];
  /** The quote character left open at end of line, if any (the open word is still returned). */
  readonly unterminatedQuote: '"' | "'" | null;
  /** The line ended in a lone backslash (kept in the last word). */
  readonly danglingEscape: boolean;
}

/**
 * Split into words with keepalived's "quoted escaped" rules. Never throws.
 * Each token keeps `raw`, the exact source text it was built from.
 */
export function tokenizeLine(text: string): TokenizeResult {
  const tokens: ConfigToken[] = [];
  const n = text.length;
  let i = 0;
  let unterminatedQuote: '"' | "'" | null = null;
  let danglingEscape = false;
  while (i < n) {
    while (i < n && isWhite(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const wordStart = i;
    let out = '';
    let segStart = i;
    let quote = 0;
    let quoted = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) {
          out += text.slice(segStart, i);
          quote = 0;
          i++;
          segStart = i;
          continue;
        }
        if (c !== CH_BACKSLASH) {
          i++;
          continue;
        }
      } else {
        if (isWhite(c)) break;
        if (c === CH_DQUOTE || c === CH_SQUOTE) {
          out += text.slice(segStart, i);
          quote = c;
          quoted = true;
          i++;
          segStart = i;
          continue;
        }
        if (c !== CH_BACKSLASH) {
          i++;
          continue;
        }
      }
      // Backslash escape.
      out += text.slice(segStart, i);
      if (i + 1 >= n) {
        // Kept literally, as keepalived's plain word splitter does.
        danglingEscape = true;
        out += '\\';
        i++;
        segStart = i;
        break;
      }
      const esc = readEscape(text, i + 1);
      out += esc.value;
      i = esc.next;
      segStart = i;
    }
    if (quote !== 0) unterminatedQuote = quote === CH_DQUOTE ? '"' : "'";
    if (segStart === wordStart) {
      // Plain word: no quote or escape, text and raw are the same string.
      const word = text.slice(wordStart, i);
      tokens.push({ text: word, quoted, raw: word });
    } else {
      out += text.slice(segStart, i);
      tokens.push({ text: out, quoted, raw: text.slice(wordStart, i) });
    }
  }
  return { tokens, unterminatedQuote, danglingEscape };
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function hexVal(c: number): number {
  if (c <= 57) return c - 48;
  if (c <= 70) return c - 55;
  return c - 87;
}

/** Decode the escape whose letter is at `at` (just after the backslash). */
function readEscape(text: string, at: number): { value: string; next: number } {
  const c = text.charCodeAt(at);
  const n = text.length;
  if (c === 120 /* x */ && at + 1 < n && isHex(text.charCodeAt(at + 1))) {
    let v = 0;
    let j = at + 1;
    while (j < n && isHex(text.charCodeAt(j))) {
      v = ((v << 4) | hexVal(text.charCodeAt(j))) & 0xff; // keepalived accumulates into a char
      j++;
    }
    return { value: String.fromCharCode(v), next: j };
  }
  if (c === 99 /* c */ && at + 1 < n) {
    return { value: String.fromCharCode(text.charCodeAt(at + 1) & 0x1f), next: at + 2 };
  }
  if (c >= 48 && c <= 55) {
    let v = c - 48;
    let j = at + 1;
    for (let k = 0; k < 2 && j < n; k++) {
      const d = text.charCodeAt(j);
      if (d < 48 || d > 55) break;
      v = (v << 3) + (d - 48);
      j++;
    }
    return { value: String.fromCharCode(v & 0xff), next: j };
  }
  switch (c) {
    case 97: // a
      return { value: '\x07', next: at + 1 };
    case 98: // b
      return { value: '\b', next: at + 1 };
    case 69: // E
      return { value: '\x1b', next: at + 1 };
    case 102: // f
      return { value: '\f', next: at + 1 };
    case 110: // n
      return { value: '\n', next: at + 1 };
    case 114: // r
      return { value: '\r', next: at + 1 };
    case 116: // t
      return { value: '\t', next: at + 1 };
    case 118: // v
      return { value: '\v', next: at + 1 };
    default:
      return { value: text.charAt(at), next: at + 1 };
  }
}

/**
 * Split a script command (the already-unquoted text of a `script`/`notify*` argument) into argv, the way
 * keepalived re-parses it: unquoted blanks separate words, quotes group, escapes are resolved.
 * Returns null when a quote is left open (keepalived then ignores the script).
 */
export function splitQuotedEscaped(command: string): string[] | null {
  const r = tokenizeLine(command);
  if (r.unterminatedQuote !== null || r.danglingEscape) return null;
  return r.tokens.map((t) => t.text);
}

export interface PlainSplit {
  readonly words: string[];
  /** A `"` was not closed (keepalived: "Unmatched quote"); words up to it are returned. */
  readonly unmatchedQuote: boolean;
}

/**
 * keepalived 2.2.7's word splitter for ordinary keywords (alloc_strvec_r): blanks separate words, a word
 * starting with `"` runs to the next `"` (kept verbatim, no escapes), a `"` also ends an unquoted word,
 * and single quotes are ordinary characters. `tokenizeLine` is the richer "quoted escaped" splitter.
 */
export function splitPlainWords(text: string): PlainSplit {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && isWhite(text.charCodeAt(i))) i++;
    if (i >= n) return { words, unmatchedQuote: false };
    if (text.charCodeAt(i) === CH_DQUOTE) {
      const close = text.indexOf('"', i + 1);
      if (close < 0) return { words, unmatchedQuote: true };
      words.push(text.slice(i + 1, close));
      i = close + 1;
    } else {
      const s = i;
      while (i < n && !isWhite(text.charCodeAt(i)) && text.charCodeAt(i) !== CH_DQUOTE) i++;
      words.push(text.slice(s, i));
    }
  }
}
