/**
 * The logical-line pipeline of the config reader: physical lines from the file stack (with `include`
 * globs), comment stripping, multi-line `$NAME=` definitions, `@id`/`@^id` conditional lines, `~SEQ`/`~LST`
 * generators, `$NAME` substitution, and splitting braces into lines of their own. Its output is a stream
 * of `{`, `}` and keyword lines, each with the file and line it came from, which tree-builder.ts turns into
 * ConfigNodes.
 *
 * Files are read as latin1 so that string length equals byte length (keepalived's 1024-byte line buffer);
 * tree-builder converts tokens back to UTF-8.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DiagnosticSink, SourcePos } from '../../core/diagnostics.js';
import { ReaderCode } from './codes.js';
import { Definitions, MAX_LINE_LENGTH } from './definitions.js';
import type { Definition } from './definitions.js';
import { parseLst, parseSeq } from './generators.js';
import type { LineGenerator } from './generators.js';
import { globFiles, hasBrace } from './glob.js';
import { applyIncludeCheck, IncludeCheck, parseIncludeDirective } from './include-directives.js';
import { decomment, splitBraces } from './lexer.js';

/** Includes nested deeper than this are refused (keepalived has no limit and runs out of descriptors). */
export const MAX_INCLUDE_DEPTH = 32;
/** Rounds of conditional/definition/substitution processing of one line before we give up. */
const MAX_PASSES = 16;

export type LineKind = 'open' | 'close' | 'text';

export interface LogicalLine {
  readonly kind: LineKind;
  /** For 'text' lines: the decommented, expanded text (no unquoted braces). */
  readonly text: string;
  readonly pos: SourcePos;
  /** Some file read so far had bytes above 0x7f (the text may need decoding from latin1). */
  readonly maybeNonAscii: boolean;
}

export interface LineReaderOptions {
  readonly configId: string;
  readonly allConfig: boolean;
  readonly env: Readonly<Record<string, string>>;
  readonly random?: (min: number, max: number) => number;
}

interface FileFrame {
  readonly absPath: string;
  readonly display: string;
  readonly dir: string;
  readonly lines: readonly string[];
  idx: number;
  lineNo: number;
}

interface GlobGroup {
  readonly pattern: string;
  readonly matches: readonly string[];
  next: number;
  readonly includeType: number;
  readonly savedIncludeCheck: number;
  /** Directory relative matches are resolved against. */
  readonly baseDir: string;
  /** Where the include was written (for diagnostics), undefined for the main file. */
  readonly at: SourcePos | undefined;
  file: FileFrame | null;
}

type Producer =
  /** `substituted`: the rest of a line after a brace, already through `$` substitution (never substituted again,
   *  or `$B=${B}${B}` would regrow the residue for ever). */
  | { readonly kind: 'lines'; readonly lines: readonly string[]; idx: number; readonly pos: SourcePos; readonly substituted?: boolean }
  | { readonly kind: 'gen'; readonly gen: LineGenerator; readonly pos: SourcePos };

function defaultRandom(min: number, max: number): number {
  return Math.floor(Math.random() * (max - min + 1)) + min;
}

export class LineReader {
  readonly files: string[] = [];
  /** An include failed one of its checks (keepalived then exits KEEPALIVED_EXIT_NO_CONFIG). */
  includeFileError = false;

  private readonly groups: GlobGroup[] = [];
  private readonly producers: Producer[] = [];
  private readonly defs: Definitions;
  private pendingDef: Definition | null = null;
  private includeCheck: number;
  private lastPos: SourcePos = { file: '', line: 0 };
  private sawNonAscii = false;

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly opts: LineReaderOptions,
  ) {
    this.includeCheck = opts.allConfig ? IncludeCheck.ALL : IncludeCheck.NONE;
    this.defs = new Definitions({
      pwd: () => this.currentDir(),
      configId: opts.configId,
      env: opts.env,
      random: opts.random ?? defaultRandom,
    });
  }

  /** Start reading from in-memory text (the main file's content). */
  pushText(text: string, display: string, absPath: string): void {
    const frame = makeFrame(text, display, absPath);
    this.noteFile(absPath, text);
    this.groups.push({
      pattern: display,
      matches: [display],
      next: 1,
      includeType: IncludeCheck.READ | IncludeCheck.MATCH | IncludeCheck.WILDCARD,
      savedIncludeCheck: this.includeCheck,
      baseDir: dirname(absPath),
      at: undefined,
      file: frame,
    });
  }

  /** Start reading from the files a main-config glob matched (already checked by the caller). */
  pushMainGlob(pattern: string, matches: readonly string[], baseDir: string): void {
    this.openGroup(pattern, matches, IncludeCheck.READ | IncludeCheck.MATCH | IncludeCheck.WILDCARD, baseDir, undefined);
  }

  /** Where the reader currently is (for end-of-input diagnostics). */
  get position(): SourcePos {
    return this.lastPos;
  }

  /** The next logical line, or null at end of input. */
  next(): LogicalLine | null {
    for (;;) {
      const cand = this.nextCandidate();
      if (cand === null) return null;
      if (this.pendingDef !== null) {
        if (!this.defs.continueMultiline(this.pendingDef, cand.text)) this.pendingDef = null;
        continue;
      }
      const text = this.process(cand.text, cand.pos, cand.substituted);
      if (text === null || text.length === 0) continue;
      if (this.checkInclude(text, cand.pos)) continue;
      const split = splitBraces(text);
      if (split.residue !== null) this.producers.push({ kind: 'lines', lines: [split.residue], idx: 0, pos: cand.pos, substituted: true });
      if (split.head.length === 0) continue;
      if (split.head === '{') return { kind: 'open', text: '{', pos: cand.pos, maybeNonAscii: false };
      if (split.head === '}') return { kind: 'close', text: '}', pos: cand.pos, maybeNonAscii: false };
      if (split.head.startsWith('include_check') && (split.head.length === 13 || isBlankCode(split.head.charCodeAt(13)))) {
        this.applyIncludeCheck(split.head, cand.pos);
      }
      return { kind: 'text', text: split.head, pos: cand.pos, maybeNonAscii: this.sawNonAscii };
    }
  }

  /** Next line to process: from a producer (residue, multi-line value, generator) or from a file. */
  private nextCandidate(): { text: string; pos: SourcePos; substituted?: boolean } | null {
    for (;;) {
      const top = this.producers[this.producers.length - 1];
      if (top !== undefined) {
        if (top.kind === 'lines') {
          const line = top.lines[top.idx++];
          if (line === undefined) {
            this.producers.pop();
            continue;
          }
          return { text: line, pos: top.pos, substituted: top.substituted === true };
        }
        const step = top.gen.next();
        if (step === null) {
          this.producers.pop();
          continue;
        }
        for (const [name, value] of step.assignments) this.defs.set(name, value);
        return { text: step.text, pos: top.pos };
      }
      return this.nextPhysical();
    }
  }

  private nextPhysical(): { text: string; pos: SourcePos } | null {
    for (;;) {
      const group = this.groups[this.groups.length - 1];
      if (group === undefined) {
        if (this.pendingDef !== null) {
          this.defs.endMultiline(this.pendingDef);
          this.pendingDef = null;
        }
        return null;
      }
      const frame = group.file;
      if (frame === null || frame.idx >= frame.lines.length) {
        this.endFile(group);
        continue;
      }
      let raw = frame.lines[frame.idx++] ?? '';
      frame.lineNo++;
      const pos: SourcePos = { file: frame.display, line: frame.lineNo };
      this.lastPos = pos;
      let end = raw.length;
      while (end > 0 && raw.charCodeAt(end - 1) === 13) end--;
      if (end !== raw.length) raw = raw.slice(0, end);
      // keepalived reads lines into a 1024-byte buffer: 1022 bytes of text, the newline and a NUL.
      if (raw.length > MAX_LINE_LENGTH - 1) {
        this.sink.error(ReaderCode.LINE_TOO_LONG, 'line too long - ignoring', pos);
        raw = '';
      } else if (raw.indexOf('\0') >= 0) {
        this.sink.error(ReaderCode.EMBEDDED_NUL, 'configuration appears to have embedded NULs - ignoring line', pos);
        raw = '';
      }
      if (raw.length === 0) {
        if (this.pendingDef !== null) {
          this.defs.endMultiline(this.pendingDef);
          this.pendingDef = null;
        }
        continue;
      }
      const dc = decomment(raw);
      if (dc.unterminatedQuote) this.sink.error(ReaderCode.UNTERMINATED_QUOTE, `Unterminated quote '${dc.text}'`, pos);
      if (dc.text.length === 0) continue;
      return { text: dc.text, pos };
    }
  }

  /** Conditionals, definitions, generators and substitution. Returns the text to use, or null if consumed. */
  private process(input: string, pos: SourcePos, substituted = false): string | null {
    let text = input;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      if (text.charCodeAt(0) === 64 /* @ */) {
        const rev = text.charCodeAt(1) === 94; /* ^ */
        const ofs = rev ? 2 : 1;
        let blank = ofs;
        while (blank < text.length && !isBlankCode(text.charCodeAt(blank))) blank++;
        if (blank >= text.length) return null;
        const matches = text.slice(ofs, blank) === this.opts.configId;
        if (matches === rev) return null;
        let s = blank;
        while (s < text.length && isBlankCode(text.charCodeAt(s))) s++;
        text = text.slice(s);
      }
      if (text.charCodeAt(0) === 36 /* $ */) {
        const d = this.defs.tryDefine(text);
        if (d !== null) {
          if (d.pending) this.pendingDef = d.def;
          return null;
        }
      }
      if (text.startsWith('~SEQ') || text.startsWith('~LST')) {
        this.addGenerator(text, pos);
        return null;
      }
      if (text.charCodeAt(0) === 126 /* ~ */) return text;
      if (substituted || text.indexOf('$') < 0) return text;
      const sub = this.defs.substitute(text);
      if (sub.problem !== undefined) {
        const code =
          sub.problem.code === 'too-long' ? ReaderCode.PARAM_TOO_LONG : sub.problem.code === 'recursion' ? ReaderCode.PARAM_RECURSION : ReaderCode.PARAM_ARGS;
        this.sink.error(code, sub.problem.message, pos);
      }
      if (!sub.changed) return text;
      if (sub.followingLines.length > 0) this.producers.push({ kind: 'lines', lines: sub.followingLines, idx: 0, pos });
      const dc = decomment(sub.text);
      if (dc.unterminatedQuote) this.sink.error(ReaderCode.UNTERMINATED_QUOTE, `Unterminated quote '${dc.text}'`, pos);
      text = dc.text;
      if (sub.problem !== undefined) return text;
      if (text.charCodeAt(0) !== 64 && text.indexOf('$') < 0) return text;
    }
    this.sink.error(ReaderCode.PARAM_RECURSION, `Parameter substitution on line '${input}' does not terminate - stopped`, pos);
    return text;
  }

  private addGenerator(text: string, pos: SourcePos): void {
    const parsed = text.charCodeAt(1) === 83 /* S */ ? parseSeq(text, (s) => this.expandSeqParams(s)) : parseLst(text);
    if (!parsed.ok) {
      this.sink.error(text.charCodeAt(1) === 83 ? ReaderCode.INVALID_SEQ : ReaderCode.INVALID_LST, parsed.message, pos);
      return;
    }
    this.producers.push({ kind: 'gen', gen: parsed.generator, pos });
  }

  private expandSeqParams(s: string): string | null {
    const r = this.defs.substitute(s);
    if (r.followingLines.length > 0) return null;
    return r.text;
  }

  // ---------------------------------------------------------------- includes

  private currentDir(): string {
    for (let i = this.groups.length - 1; i >= 0; i--) {
      const f = this.groups[i]?.file;
      if (f) return f.dir;
    }
    return process.cwd();
  }

  private checkInclude(text: string, pos: SourcePos): boolean {
    const directive = parseIncludeDirective(text);
    if (directive === null) return false;
    const { pattern, type } = directive;
    if (this.groups.length >= MAX_INCLUDE_DEPTH) {
      this.sink.error(ReaderCode.INCLUDE_DEPTH, `Include depth exceeds ${MAX_INCLUDE_DEPTH} - not including '${pattern}'`, pos);
      return true;
    }
    const baseDir = this.currentDir();
    const check = this.includeCheck | type;
    const g = globFiles(pattern, baseDir);
    if (g.matches.length === 0) {
      if (g.missingFiles > 0 || g.missingDirs > 0) {
        this.fileError(check, hasBrace(pattern) ? IncludeCheck.BRACE : IncludeCheck.MATCH, ReaderCode.INCLUDE_MISSING, `Config files missing '${pattern}'.`, pos);
      } else if (g.haveWildcards && (check & IncludeCheck.WILDCARD) !== 0) {
        this.fileError(check, IncludeCheck.WILDCARD, ReaderCode.INCLUDE_MISSING, `No config files matched '${pattern}'.`, pos);
      }
      return true;
    }
    if (g.missingFiles > 0 || g.missingDirs > 0) {
      this.fileError(check, IncludeCheck.BRACE, ReaderCode.INCLUDE_MISSING, `Some config files missing: "${pattern}".`, pos);
      if ((check & IncludeCheck.BRACE) !== 0) return true;
    }
    this.openGroup(pattern, g.matches, type, baseDir, pos);
    return true;
  }

  private openGroup(pattern: string, matches: readonly string[], includeType: number, baseDir: string, at: SourcePos | undefined): void {
    const group: GlobGroup = {
      pattern,
      matches,
      next: 0,
      includeType,
      savedIncludeCheck: this.includeCheck,
      baseDir,
      at,
      file: null,
    };
    this.groups.push(group);
    this.openNextInGroup(group);
  }

  /** Open the next readable match of the group; pops the group when none is left. */
  private openNextInGroup(group: GlobGroup): void {
    const check = this.includeCheck | group.includeType;
    const where = group.at;
    while (group.next < group.matches.length) {
      const match = group.matches[group.next++] ?? '';
      if (match.endsWith('/')) {
        this.fileError(check, IncludeCheck.READ, ReaderCode.INCLUDE_UNREADABLE, `Configuration file '${match}' is a directory - skipping`, where);
        continue;
      }
      const abs = resolve(group.baseDir, match);
      let ok = false;
      try {
        const st = statSync(abs);
        ok = st.isFile() && (st.mode & 0o111) === 0;
      } catch {
        ok = false;
      }
      if (!ok) {
        this.fileError(check, IncludeCheck.READ, ReaderCode.INCLUDE_UNREADABLE, `Configuration file '${match}' is not a regular non-executable file - skipping`, where);
        continue;
      }
      if (this.groups.some((g) => g.file?.absPath === abs)) {
        this.sink.error(ReaderCode.INCLUDE_LOOP, `Configuration file '${match}' includes itself - skipping`, where ?? { file: match, line: 0 });
        continue;
      }
      let text: string;
      try {
        text = readFileSync(abs, 'latin1');
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        this.fileError(check, IncludeCheck.READ, ReaderCode.INCLUDE_UNREADABLE, `Configuration file '${match}' open problem (${reason}) - skipping`, where);
        continue;
      }
      this.noteFile(abs, text);
      group.file = makeFrame(text, match, abs);
      return;
    }
    group.file = null;
    const idx = this.groups.lastIndexOf(group);
    if (idx >= 0) this.groups.splice(idx, 1);
  }

  private endFile(group: GlobGroup): void {
    // include_check changes made inside a file last until the end of that file.
    this.includeCheck = group.savedIncludeCheck;
    this.openNextInGroup(group);
  }

  private fileError(check: number, errorType: number, code: string, message: string, at: SourcePos | undefined): void {
    const fatal = (check & errorType) !== 0;
    if (fatal) this.includeFileError = true;
    const d = { code, severity: fatal ? ('fatal' as const) : ('info' as const), message };
    this.sink.add(at !== undefined ? { ...d, file: at.file, line: at.line } : d);
  }

  private applyIncludeCheck(text: string, pos: SourcePos): void {
    this.includeCheck = applyIncludeCheck(text.split(/[ \t]+/).slice(1), this.includeCheck, (message) =>
      this.sink.error(ReaderCode.INCLUDE_CHECK, message, pos, 'include_check'),
    );
  }

  private noteFile(abs: string, text: string): void {
    if (!this.files.includes(abs)) this.files.push(abs);
    if (!this.sawNonAscii && NON_ASCII.test(text)) this.sawNonAscii = true;
  }
}

const NON_ASCII = /[\u0080-\u00ff]/;

function makeFrame(text: string, display: string, absPath: string): FileFrame {
  const lines = text.split('\n');
  // A trailing newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { absPath, display, dir: dirname(absPath), lines, idx: 0, lineNo: 0 };
}

function isBlankCode(c: number): boolean {
  return c === 32 || c === 9;
}

