/**
 * Stable diagnostic codes of the config reader (text → ConfigNode tree). Never reuse or rename a code:
 * tests, tooling and users grep for them.
 */
export const ReaderCode = {
  /** The main configuration file (or glob) gave no readable file. */
  CONFIG_NOT_FOUND: 'KTS_CONFIG_NOT_FOUND',
  /** The main configuration glob matched more than one file (keepalived reads them all, and warns). */
  MULTIPLE_FILES: 'KTS_CONFIG_MULTIPLE_FILES',
  /** An include matched nothing / some brace alternatives matched nothing. */
  INCLUDE_MISSING: 'KTS_CONFIG_INCLUDE_MISSING',
  /** An included path is a directory, executable, not a regular file, or cannot be opened. */
  INCLUDE_UNREADABLE: 'KTS_CONFIG_INCLUDE_UNREADABLE',
  /** A file includes itself (directly or through others). */
  INCLUDE_LOOP: 'KTS_CONFIG_INCLUDE_LOOP',
  /** Includes nested deeper than the reader allows. */
  INCLUDE_DEPTH: 'KTS_CONFIG_INCLUDE_DEPTH',
  /** `include_check` with an unknown or duplicate check name. */
  INCLUDE_CHECK: 'KTS_CONFIG_INCLUDE_CHECK',
  /** A physical line longer than keepalived's 1024-byte buffer. */
  LINE_TOO_LONG: 'KTS_CONFIG_LINE_TOO_LONG',
  /** A line containing a NUL byte. */
  EMBEDDED_NUL: 'KTS_CONFIG_EMBEDDED_NUL',
  /** A `"` opened and not closed on the line (comment stripping stage). */
  UNTERMINATED_QUOTE: 'KTS_CONFIG_UNTERMINATED_QUOTE',
  /** A `'` or `"` opened and not closed when splitting the line into words. */
  UNMATCHED_QUOTE: 'KTS_CONFIG_UNMATCHED_QUOTE',
  /** `}` with no open block. */
  EXTRA_EOB: 'KTS_CONFIG_EXTRA_EOB',
  /** End of configuration with blocks still open. */
  MISSING_EOB: 'KTS_CONFIG_MISSING_EOB',
  /** `{` that does not follow a keyword line. */
  UNEXPECTED_BOB: 'KTS_CONFIG_UNEXPECTED_BOB',
  /** Malformed `~SEQ(...)`. */
  INVALID_SEQ: 'KTS_CONFIG_INVALID_SEQ',
  /** Malformed `~LST(...)`. */
  INVALID_LST: 'KTS_CONFIG_INVALID_LST',
  /** `$NAME` substitution would make the line longer than 1024 bytes. */
  PARAM_TOO_LONG: 'KTS_CONFIG_PARAM_TOO_LONG',
  /** `$NAME` substitution does not terminate (e.g. `$A=$A`). */
  PARAM_RECURSION: 'KTS_CONFIG_PARAM_RECURSION',
  /** `${_RANDOM a b c}` / `${_ENV}`: wrong number or kind of parameters. */
  PARAM_ARGS: 'KTS_CONFIG_PARAM_ARGS',
} as const;

export type ReaderCodeValue = (typeof ReaderCode)[keyof typeof ReaderCode];
