/**
 * `$NAME=value` parameters: definition lines (single and multi-line), `$NAME` / `${NAME}` substitution
 * (recursive, lazy, undefined names left untouched) and the predefined names
 * `${_PWD} ${_INSTANCE} ${_RANDOM [min [max]]} ${_ENV VAR} ${_HASH} ${_BANG}`.
 *
 * Rules (keepalived 2.2.7, plus `_ENV` from 2.4):
 *  - a definition line is `$NAME=value` at the start of a line, no blank before `=`; NAME is
 *    `[A-Za-z_][A-Za-z0-9_]*`; a value ending in `\` continues on following lines;
 *  - `$NAME` is only recognised when followed by a blank, `,`, `)` or the end of the line; `${NAME}` anywhere;
 *  - a multi-line value can only be used as the last thing on a line: its first line replaces the reference,
 *    the other lines follow as lines of their own;
 *  - substituted text is rescanned (so values may refer to other names); a value starting with `~` stops
 *    substitution so the line can be re-read as a `~SEQ`/`~LST` generator.
 */

/** Max bytes of a line after substitution (keepalived's MAXBUF less the terminating NUL). */
export const MAX_LINE_LENGTH = 1023;
/** Guard against `$A=$A`-style definitions that keepalived would loop on forever. */
export const MAX_SUBSTITUTIONS_PER_LINE = 512;

export interface Definition {
  readonly name: string;
  /** Lines joined with `\n` for multi-line values. */
  value: string;
  multiline: boolean;
  /** Predefined names compute their value at use time. */
  fn?: ((params: readonly string[]) => string) | undefined;
  minParams: number;
  maxParams: number;
  numbersOnly: boolean;
}

export interface SubstituteProblem {
  readonly code: 'too-long' | 'recursion' | 'params';
  readonly message: string;
}

export interface SubstituteResult {
  /** True when at least one reference was replaced. */
  readonly changed: boolean;
  readonly text: string;
  /** Remaining lines of a multi-line value used at the end of the line, to be read next. */
  readonly followingLines: readonly string[];
  readonly problem?: SubstituteProblem;
}

export interface DefinitionContext {
  /** Directory of the file being read (`${_PWD}`). */
  pwd(): string;
  /** `-i` config id (`${_INSTANCE}`). */
  readonly configId: string;
  readonly env: Readonly<Record<string, string>>;
  /** Random integer in [min, max] (`${_RANDOM}`), injectable for tests. */
  random(min: number, max: number): number;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export class Definitions {
  private readonly defs = new Map<string, Definition>();

  constructor(private readonly ctx: DefinitionContext) {
    this.addStd('_PWD', () => ctx.pwd(), 0, 0, false);
    this.addStd('_INSTANCE', () => ctx.configId, 0, 0, false);
    this.addStd(
      '_RANDOM',
      (params) => {
        const min = params[0] !== undefined ? Number.parseInt(params[0], 10) : 0;
        const max = params[1] !== undefined ? Number.parseInt(params[1], 10) : 32767;
        return String(ctx.random(min, max));
      },
      0,
      2,
      true,
    );
    this.addStd('_ENV', (params) => ctx.env[params[0] ?? ''] ?? '', 1, 1, false);
    this.addStd('_HASH', () => '#', 0, 0, false);
    this.addStd('_BANG', () => '!', 0, 0, false);
  }

  private addStd(name: string, fn: (p: readonly string[]) => string, minParams: number, maxParams: number, numbersOnly: boolean): void {
    this.defs.set(name, { name, value: '', multiline: false, fn, minParams, maxParams, numbersOnly });
  }

  get(name: string): Definition | undefined {
    return this.defs.get(name);
  }

  /** Set a single-line value (used by ~SEQ/~LST loop variables); overrides a predefined name. */
  set(name: string, value: string): void {
    const d = this.defs.get(name);
    if (d !== undefined) {
      d.value = value;
      d.multiline = false;
      d.fn = undefined;
      d.minParams = 0;
      d.maxParams = 0;
      return;
    }
    this.defs.set(name, { name, value, multiline: false, minParams: 0, maxParams: 0, numbersOnly: false });
  }

  /**
   * If `line` (decommented, starting with `$`) is a definition, record it and return it; the caller then
   * feeds continuation lines to `continueMultiline` while `multiline` is pending.
   */
  tryDefine(line: string): { def: Definition; pending: boolean } | null {
    if (line.charCodeAt(0) !== 36 || line.length < 2 || !isNameStart(line.charCodeAt(1))) return null;
    let p = 2;
    while (p < line.length && line.charCodeAt(p) !== 61) {
      if (!isNameChar(line.charCodeAt(p))) return null;
      p++;
    }
    if (p >= line.length) return null;
    const name = line.slice(1, p);
    p++;
    while (p < line.length && (line.charCodeAt(p) === 32 || line.charCodeAt(p) === 9)) p++;
    let value = line.slice(p);
    let pending = false;
    if (value.endsWith('\\')) {
      value = value.slice(0, -1);
      let t = value.length;
      while (t > 0 && (value.charCodeAt(t - 1) === 32 || value.charCodeAt(t - 1) === 9)) t--;
      value = value.slice(0, t);
      if (value.length > 0) value += '\n';
      pending = true;
    }
    this.set(name, value);
    const def = this.defs.get(name);
    if (def === undefined) return null;
    def.multiline = pending;
    return { def, pending };
  }

  /**
   * Add one (decommented) continuation line to a pending multi-line definition.
   * Returns true while the definition continues.
   */
  continueMultiline(def: Definition, line: string): boolean {
    let text = line;
    let more = false;
    if (text.endsWith('\\')) {
      text = text.slice(0, -1);
      let t = text.length;
      while (t > 0 && (text.charCodeAt(t - 1) === 32 || text.charCodeAt(t - 1) === 9)) t--;
      text = text.slice(0, t) + '\n';
      more = true;
    }
    if (text.length >= 2 || (text.length > 0 && !more)) def.value += text;
    if (!more) this.endMultiline(def);
    return more;
  }

  /** A blank line (or end of file) ends a multi-line definition. */
  endMultiline(def: Definition): void {
    if (def.value.endsWith('\n')) def.value = def.value.slice(0, -1);
    if (def.value.length === 0) def.multiline = false;
  }

  /**
   * Replace `$NAME` / `${NAME}` references in `text`. Never throws; problems are returned, and on a
   * problem the text substituted so far is kept (as keepalived does).
   */
  substitute(text: string): SubstituteResult {
    let buf = text;
    let pos = buf.indexOf('$');
    let changed = false;
    let following: readonly string[] = [];
    let count = 0;
    while (pos >= 0 && pos + 1 < buf.length) {
      const ref = this.findReference(buf, pos);
      if (ref === null) {
        pos = buf.indexOf('$', pos + 1);
        continue;
      }
      if ('problem' in ref) return { changed, text: buf, followingLines: following, problem: ref.problem };
      if (++count > MAX_SUBSTITUTIONS_PER_LINE) {
        return {
          changed,
          text: buf,
          followingLines: following,
          problem: { code: 'recursion', message: `Parameter substitution on line '${text}' does not terminate - stopped` },
        };
      }
      const { def, end, params } = ref;
      let value = def.fn !== undefined ? def.fn(params) : def.value;
      if (def.multiline) {
        const nl = value.indexOf('\n');
        if (nl >= 0) {
          following = value.slice(nl + 1).split('\n');
          value = value.slice(0, nl);
        }
      }
      const next = buf.slice(0, pos) + value + buf.slice(end);
      if (next.length > MAX_LINE_LENGTH) {
        return {
          changed,
          text: buf,
          followingLines: following,
          problem: { code: 'too-long', message: `Parameter substitution on line '${buf}' would exceed maximum line length` },
        };
      }
      buf = next;
      changed = true;
      // A value starting with `~` is a generator: stop here so the line is re-read as one.
      let v = 0;
      while (v < value.length && (value.charCodeAt(v) === 32 || value.charCodeAt(v) === 9)) v++;
      if (value.charCodeAt(v) === 126) break;
      pos = buf.indexOf('$', pos);
    }
    return { changed, text: buf, followingLines: following };
  }

  /** Recognise a reference at `buf[pos] === '$'`. */
  private findReference(
    buf: string,
    pos: number,
  ): { def: Definition; end: number; params: string[] } | { problem: SubstituteProblem } | null {
    let p = pos + 1;
    const braces = buf.charCodeAt(p) === 123;
    if (braces) p++;
    if (!isNameStart(buf.charCodeAt(p))) return null;
    const nameStart = p;
    while (p < buf.length && isNameChar(buf.charCodeAt(p))) p++;
    const name = buf.slice(nameStart, p);
    let params: string[] = [];
    let numbersOnly = true;
    if (braces) {
      const paramsStart = p;
      while (p < buf.length) {
        const c = buf.charCodeAt(p);
        if (c === 32 || c === 9 || isNameChar(c)) p++;
        else break;
      }
      if (buf.charCodeAt(p) !== 125) return null;
      const raw = buf.slice(paramsStart, p);
      params = raw.length > 0 ? raw.split(/[ \t]+/).filter((s) => s.length > 0) : [];
      if (params.length > 0) {
        // keepalived rejects a parameter list that ends with a blank (`${A }` alone is fine).
        const last = raw.charCodeAt(raw.length - 1);
        if (last === 32 || last === 9) return null;
        for (const prm of params) {
          for (let i = 0; i < prm.length; i++) if (!isDigit(prm.charCodeAt(i))) numbersOnly = false;
        }
      }
      p++; // past `}`
    } else {
      const c = buf.charCodeAt(p);
      if (p < buf.length && c !== 32 && c !== 9 && c !== 44 && c !== 41) return null;
    }
    const def = this.defs.get(name);
    if (def === undefined) return null;
    const atEnd = p >= buf.length;
    if (def.multiline && !atEnd) return null;
    if (params.length > 0) {
      if (def.maxParams === 0) return null;
      if (def.numbersOnly && !numbersOnly) {
        return { problem: { code: 'params', message: `Definition ${name} requires numeric parameters only.` } };
      }
      if (params.length > def.maxParams || params.length < def.minParams) {
        return {
          problem: {
            code: 'params',
            message: `Definition ${name} requires between ${def.minParams} and ${def.maxParams} parameters, ${params.length} specified.`,
          },
        };
      }
    } else if (def.minParams > 0) {
      return null;
    }
    return { def, end: p, params };
  }
}
