/**
 * Diagnostics: the one shape every config problem takes (file, line, keyword, stable code),
 * the severity scale, and the mapping to keepalived's `-t` exit codes.
 *
 * keepalived grades `-t` by the numerically highest problem seen:
 *   0 ok · 4 config cannot be run (missing file, unknown interface) · 5 any error or warning ·
 *   6 scripts configured without `enable_script_security`.
 * We keep that mapping exactly, so `keepalived -t` and `keepalived-ts -t` agree on exit codes.
 */

/** How bad a problem is, in keepalived's terms. */
export type Severity =
  /** Reported, keepalived would still run (exit 5 under -t). */
  | 'warning'
  | 'error'
  /** The configuration cannot be run at all (exit 4 under -t). */
  | 'fatal'
  /** Script security problem (exit 6 under -t). */
  | 'security'
  /** Informational only: not counted by -t (e.g. "not supported by keepalived-ts" notes when asked to be lenient). */
  | 'info';

export interface Diagnostic {
  /** Stable code, never reused: `KTS_*`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** File the problem was found in, absent for problems of the whole configuration. */
  readonly file?: string;
  /** 1-based line number within `file`. */
  readonly line?: number;
  /** The keyword the problem is about, where there is one. */
  readonly keyword?: string;
}

/** keepalived `-t` exit codes (lib/scheduler.h config_err_t ordering). */
export const ConfigTestExit = {
  OK: 0,
  CANNOT_RUN: 4,
  ERRORS: 5,
  SCRIPT_SECURITY: 6,
} as const;

/** keepalived records the numerically highest code seen, so a later error (5) masks an earlier fatal (4). */
export function exitCodeFor(diags: readonly Diagnostic[]): number {
  let code: number = ConfigTestExit.OK;
  for (const d of diags) {
    const c = severityExit(d.severity);
    if (c > code) code = c;
  }
  return code;
}

function severityExit(s: Severity): number {
  switch (s) {
    case 'info':
      return ConfigTestExit.OK;
    case 'fatal':
      return ConfigTestExit.CANNOT_RUN;
    case 'warning':
    case 'error':
      return ConfigTestExit.ERRORS;
    case 'security':
      return ConfigTestExit.SCRIPT_SECURITY;
  }
}

/** keepalived's message prefix: `(Line N)` or `(file: Line N)`, followed by our code. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file !== undefined && d.line !== undefined ? `(${d.file}: Line ${d.line}) ` : d.file !== undefined ? `(${d.file}) ` : '';
  return `${where}${d.message} [${d.code}]`;
}

/** Collects diagnostics in order; one message per problem. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  add(d: Diagnostic): void {
    this.items.push(d);
  }
  error(code: string, message: string, at?: SourcePos, keyword?: string): void {
    this.add(withPos({ code, severity: 'error', message, keyword }, at));
  }
  warning(code: string, message: string, at?: SourcePos, keyword?: string): void {
    this.add(withPos({ code, severity: 'warning', message, keyword }, at));
  }
  fatal(code: string, message: string, at?: SourcePos, keyword?: string): void {
    this.add(withPos({ code, severity: 'fatal', message, keyword }, at));
  }
  security(code: string, message: string, at?: SourcePos, keyword?: string): void {
    this.add(withPos({ code, severity: 'security', message, keyword }, at));
  }
}

/** A place in the configuration text. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
}

function withPos(d: { code: string; severity: Severity; message: string; keyword: string | undefined }, at: SourcePos | undefined): Diagnostic {
  const out: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { code: d.code, severity: d.severity, message: d.message };
  if (d.keyword !== undefined) out.keyword = d.keyword;
  if (at !== undefined) {
    out.file = at.file;
    out.line = at.line;
  }
  return out;
}
