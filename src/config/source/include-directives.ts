/**
 * The include directives and the include checks they select (keepalived include_t):
 *
 *   include GLOB    no checks (missing files are only mentioned)
 *   includer GLOB   matches must be readable regular non-executable files
 *   includem GLOB   … and a pattern without wildcards must match
 *   includew GLOB   … and a pattern with wildcards must match something
 *   includeb GLOB   readable, and every `{a,b}` alternative must match
 *   includea GLOB   all of the above
 *
 * `include_check [read|match|wildcard_match|brace_match|+name|-name …]` (global_defs) changes the checks
 * applied to every include for the rest of the file it appears in; `-e` turns them all on.
 */

/** keepalived include check bits. */
export const IncludeCheck = {
  NONE: 0,
  /** A match that is a directory, executable, not regular or unreadable is an error. */
  READ: 0x01,
  /** No match for a pattern without wildcards is an error. */
  MATCH: 0x02,
  /** No match even with wildcards is an error. */
  WILDCARD: 0x04,
  /** A brace alternative matching nothing is an error. */
  BRACE: 0x08,
  ALL: 0x0f,
} as const;

function isWhite(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** `include…` lines: the checks the variant adds and the glob (rest of the line, blanks included). */
export function parseIncludeDirective(text: string): { readonly type: number; readonly pattern: string } | null {
  if (!text.startsWith('include') || text.length < 9) return null;
  let type: number;
  let at: number;
  if (isWhite(text.charCodeAt(7))) {
    type = IncludeCheck.NONE;
    at = 8;
  } else if (isWhite(text.charCodeAt(8))) {
    const R = IncludeCheck.READ;
    switch (text.charAt(7)) {
      case 'r':
        type = R;
        break;
      case 'm':
        type = R | IncludeCheck.MATCH;
        break;
      case 'w':
        type = R | IncludeCheck.MATCH | IncludeCheck.WILDCARD;
        break;
      case 'b':
        type = R | IncludeCheck.BRACE;
        break;
      case 'a':
        type = IncludeCheck.ALL;
        break;
      default:
        return null;
    }
    at = 9;
  } else return null;
  while (at < text.length && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
  return { type, pattern: text.slice(at) };
}

const CHECK_NAMES: Readonly<Record<string, number>> = {
  read: IncludeCheck.READ,
  match: IncludeCheck.MATCH,
  wildcard_match: IncludeCheck.WILDCARD,
  brace_match: IncludeCheck.BRACE,
};

/**
 * New include check bits after an `include_check` line with these words (none = all checks).
 * A plain name sets `read` plus that check; `+name`/`-name` add/remove one. Problems go to `report`.
 */
export function applyIncludeCheck(words: readonly string[], current: number, report: (message: string) => void): number {
  if (words.length === 0) return IncludeCheck.ALL;
  let check = current;
  words.forEach((word, i) => {
    const sign = word.charAt(0);
    const relative = sign === '+' || sign === '-';
    if (!relative) {
      if (i !== 0) {
        report(`Duplicate include_check '${word}' specified - ignoring`);
        return;
      }
      check = 0;
    }
    const name = relative ? word.slice(1) : word;
    const flag = Object.hasOwn(CHECK_NAMES, name) ? (CHECK_NAMES[name] ?? 0) : 0;
    if (flag === 0) {
      report(`Unknown include_check type '${name}' - ignoring`);
      return;
    }
    if (!relative) check = IncludeCheck.READ | flag;
    else if (sign === '+') check |= flag;
    else check &= ~flag;
  });
  return check;
}
