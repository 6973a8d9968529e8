/**
 * Public API of the keepalived.conf reader: file(s) → ConfigNode tree with file:line, plus diagnostics.
 *
 *   readConfig('/etc/keepalived/keepalived.conf', { configId: 'lb1' })
 *     → { nodes, diagnostics, files, mainFileMissing, includeFileError }
 *
 * The main path is itself a glob (like keepalived's -f). Reading is synchronous and never throws on bad
 * input: every problem is one Diagnostic with a stable KTS_* code (see codes.ts).
 *
 * keepalived -t compatibility: a main config file that cannot be found or read is only fatal (exit 4)
 * with -e/--all-config; without it keepalived 2.2.7 prints the message and `-t` exits 0, so the diagnostic
 * is 'info' and `mainFileMissing` tells the CLI that a normal run must stop (KEEPALIVED_EXIT_NO_CONFIG, 6).
 * An include failing its include_check sets `includeFileError` (keepalived then exits 6, even under -t).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { DiagnosticSink } from '../../core/diagnostics.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { ReaderCode } from './codes.js';
import { globFiles, hasBrace } from './glob.js';
import { IncludeCheck } from './include-directives.js';
import { LineReader } from './line-reader.js';
import { buildTree } from './tree-builder.js';
import type { ConfigNode } from './tree.js';

export type { ConfigNode, ConfigToken } from './tree.js';
export { ReaderCode } from './codes.js';
export { splitPlainWords, splitQuotedEscaped, tokenizeLine } from './lexer.js';

export interface ReaderOptions {
  /** `-i`: id for `@id` conditional lines and `${_INSTANCE}`; default: hostname up to the first dot. */
  readonly configId?: string;
  /** `-e`: every include check is an error (missing files are fatal). */
  readonly allConfig?: boolean;
  /** Environment for `${_ENV NAME}`; default: process.env. */
  readonly env?: Readonly<Record<string, string>>;
  /** Random source for `${_RANDOM}` (tests); returns an integer in [min, max]. */
  readonly random?: (min: number, max: number) => number;
}

export interface ReadResult {
  readonly nodes: ConfigNode[];
  readonly diagnostics: Diagnostic[];
  /** Absolute path of every file read, in the order first read. */
  readonly files: string[];
  /** The main configuration gave no readable file (normal run: exit 6; `-t`: by severity). */
  readonly mainFileMissing: boolean;
  /** An include failed an include check (keepalived exits 6, KEEPALIVED_EXIT_NO_CONFIG, even with -t). */
  readonly includeFileError: boolean;
}

/** hostname up to the first dot (keepalived's default config id). */
export function defaultConfigId(): string {
  const h = hostname();
  const dot = h.indexOf('.');
  return dot >= 0 ? h.slice(0, dot) : h;
}

function makeReader(sink: DiagnosticSink, opts: ReaderOptions | undefined): LineReader {
  const env: Record<string, string> = {};
  if (opts?.env !== undefined) Object.assign(env, opts.env);
  else for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return new LineReader(sink, {
    configId: opts?.configId ?? defaultConfigId(),
    allConfig: opts?.allConfig ?? false,
    env,
    ...(opts?.random !== undefined ? { random: opts.random } : {}),
  });
}

/** Read a configuration starting from `path` (a file name or glob, relative to the process cwd). */
export function readConfig(path: string, opts?: ReaderOptions): ReadResult {
  const sink = new DiagnosticSink();
  const check = opts?.allConfig === true ? IncludeCheck.ALL : IncludeCheck.NONE;
  const baseDir = process.cwd();
  const missing = (): ReadResult => ({ nodes: [], diagnostics: sink.items, files: [], mainFileMissing: true, includeFileError: false });
  const report = (errorType: number, message: string, alwaysFatal = false): void => {
    const fatal = alwaysFatal || (check & errorType) !== 0;
    sink.add({ code: ReaderCode.CONFIG_NOT_FOUND, severity: fatal ? 'fatal' : 'info', message, file: path });
  };

  const g = globFiles(path, baseDir);
  if (g.matches.length === 0) {
    if (g.missingFiles > 0 || g.missingDirs > 0) report(hasBrace(path) ? IncludeCheck.BRACE : IncludeCheck.MATCH, `Config files missing '${path}'.`);
    else report(IncludeCheck.WILDCARD, `No config files matched '${path}'.`);
    return missing();
  }
  if (g.missingFiles > 0 || g.missingDirs > 0) {
    report(IncludeCheck.BRACE, `Some config files missing: "${path}".`);
    if ((check & IncludeCheck.BRACE) !== 0) return missing();
  }
  const usable: string[] = [];
  let ok = true;
  for (const m of g.matches) {
    if (m.endsWith('/')) {
      report(IncludeCheck.READ, `Configuration file '${m}' is a directory - skipping`);
      ok = false;
      continue;
    }
    const abs = resolve(baseDir, m);
    let regular = false;
    try {
      const st = statSync(abs);
      regular = st.isFile() && (st.mode & 0o111) === 0;
    } catch {
      regular = false;
    }
    if (!regular) {
      report(IncludeCheck.READ, `Configuration file '${m}' is not a regular non-executable file - skipping`);
      ok = false;
      continue;
    }
    try {
      accessSync(abs, constants.R_OK);
    } catch {
      report(IncludeCheck.READ, `Unable to read configuration file ${m}`, true);
      ok = false;
      break;
    }
    usable.push(m);
  }
  if (!ok || usable.length === 0) return missing();
  if (usable.length > 1) {
    sink.add({
      code: ReaderCode.MULTIPLE_FILES,
      severity: 'warning',
      message: `WARNING, multiple configuration file matches of ${path}, starting with ${usable[0] ?? ''}`,
      file: path,
    });
  }
  const reader = makeReader(sink, opts);
  reader.pushMainGlob(path, usable, baseDir);
  return finish(reader, sink);
}

/**
 * Read configuration text as if it were the file `fileName` (includes resolve relative to its directory).
 * For tests and fuzzing.
 */
export function readConfigText(text: string, fileName: string, opts?: ReaderOptions): ReadResult {
  const sink = new DiagnosticSink();
  const reader = makeReader(sink, opts);
  // Files are handled as latin1 (one char per byte); convert the JS string the same way.
  reader.pushText(Buffer.from(text, 'utf8').toString('latin1'), fileName, resolve(fileName));
  return finish(reader, sink);
}

function finish(reader: LineReader, sink: DiagnosticSink): ReadResult {
  const nodes = buildTree(
    () => reader.next(),
    sink,
    () => reader.position,
  );
  return { nodes, diagnostics: sink.items, files: reader.files, mainFileMissing: false, includeFileError: reader.includeFileError };
}

