/**
 * A small glob(3) for `include`: csh brace expansion (`{a,b}`, nested), `*`, `?`, `[...]` (with `!`/`^`
 * negation and ranges) and `\` escapes, hidden files only matched by an explicit leading `.`, results
 * sorted per brace alternative, directories marked with a trailing `/` (glibc GLOB_MARK | GLOB_BRACE).
 *
 * It also counts what keepalived's include checks need: literal paths that do not exist (`missingFiles`),
 * directories that could not be opened (`missingDirs`) and whether any wildcard was expanded.
 * Node 20 has no fs.glob, hence this module.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export interface GlobResult {
  /** Matches, spelled the way the pattern was (relative stays relative), directories end with `/`. */
  readonly matches: string[];
  readonly missingFiles: number;
  readonly missingDirs: number;
  /** A directory had to be listed (the pattern had a wildcard outside a brace-only expansion). */
  readonly haveWildcards: boolean;
}

/** True when the pattern contains an unescaped `{` (keepalived's have_brace). */
export function hasBrace(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123) return true;
  }
  return false;
}

/** Expand csh-style braces; a `{` without a matching `}` or without a top-level `,` stays literal. */
export function expandBraces(pattern: string): string[] {
  const open = findBraceOpen(pattern, 0);
  if (open < 0) return [pattern];
  const close = findBraceClose(pattern, open);
  if (close < 0) return [pattern];
  const alternatives = splitAlternatives(pattern.slice(open + 1, close));
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const out: string[] = [];
  for (const alt of alternatives) {
    for (const expanded of expandBraces(head + alt + tail)) out.push(expanded);
  }
  return out;
}

function findBraceOpen(p: string, from: number): number {
  for (let i = from; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123) return i;
  }
  return -1;
}

function findBraceClose(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123) depth++;
    else if (c === 125) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function splitAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123) depth++;
    else if (c === 125) depth--;
    else if (c === 44 && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** True when a path segment has an unescaped `*`, `?` or `[`. */
export function hasWildcard(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 42 || c === 63 || c === 91) return true;
  }
  return false;
}

function unescape(segment: string): string {
  return segment.indexOf('\\') < 0 ? segment : segment.replace(/\\(.)/g, '$1');
}

/** fnmatch(3) for one path segment (no `/` inside), without FNM_PERIOD handling (done by the caller). */
export function matchSegment(pattern: string, name: string): boolean {
  return matchFrom(pattern, 0, name, 0);
}

function matchFrom(p: string, pi: number, s: string, si: number): boolean {
  // Iterative with backtracking on the last `*` (classic wildcard matcher, linear-ish).
  let starP = -1;
  let starS = -1;
  while (si < s.length) {
    if (pi < p.length) {
      const c = p.charCodeAt(pi);
      if (c === 42 /* * */) {
        starP = pi++;
        starS = si;
        continue;
      }
      if (c === 63 /* ? */) {
        pi++;
        si++;
        continue;
      }
      if (c === 91 /* [ */) {
        const cls = matchClass(p, pi, s.charCodeAt(si));
        if (cls.valid) {
          if (cls.matched) {
            pi = cls.next;
            si++;
            continue;
          }
        } else if (s.charCodeAt(si) === 91) {
          pi++;
          si++;
          continue;
        }
      } else {
        let lit = c;
        let adv = 1;
        if (c === 92 && pi + 1 < p.length) {
          lit = p.charCodeAt(pi + 1);
          adv = 2;
        }
        if (lit === s.charCodeAt(si)) {
          pi += adv;
          si++;
          continue;
        }
      }
    }
    if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
      continue;
    }
    return false;
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}

function matchClass(p: string, at: number, ch: number): { valid: boolean; matched: boolean; next: number } {
  let i = at + 1;
  let negate = false;
  if (i < p.length && (p.charCodeAt(i) === 33 || p.charCodeAt(i) === 94)) {
    negate = true;
    i++;
  }
  let matched = false;
  let first = true;
  while (i < p.length) {
    let c = p.charCodeAt(i);
    if (c === 93 /* ] */ && !first) {
      return { valid: true, matched: matched !== negate, next: i + 1 };
    }
    first = false;
    if (c === 92 && i + 1 < p.length) {
      i++;
      c = p.charCodeAt(i);
    }
    let hi = c;
    if (i + 2 < p.length && p.charCodeAt(i + 1) === 45 /* - */ && p.charCodeAt(i + 2) !== 93) {
      hi = p.charCodeAt(i + 2);
      if (hi === 92 && i + 3 < p.length) {
        hi = p.charCodeAt(i + 3);
        i++;
      }
      i += 2;
    }
    if (ch >= c && ch <= hi) matched = true;
    i++;
  }
  return { valid: false, matched: false, next: at + 1 };
}

function joinPath(prefix: string, name: string): string {
  if (prefix === '') return name;
  if (prefix.endsWith('/')) return prefix + name;
  return `${prefix}/${name}`;
}

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Glob `pattern` (relative patterns are resolved against `baseDir` for file system access, but matches
 * keep the pattern's spelling, like glob(3) after keepalived's chdir into the including file's directory).
 */
export function globFiles(pattern: string, baseDir: string): GlobResult {
  const matches: string[] = [];
  let missingFiles = 0;
  let missingDirs = 0;
  let haveWildcards = false;
  for (const alt of expandBraces(pattern)) {
    const absolute = alt.startsWith('/');
    const segments = alt.split('/').filter((s) => s.length > 0);
    let candidates: string[] = [absolute ? '/' : ''];
    let lastWasLiteral = true;
    for (let k = 0; k < segments.length; k++) {
      const seg = segments[k] ?? '';
      const last = k === segments.length - 1;
      if (!hasWildcard(seg)) {
        const lit = unescape(seg);
        candidates = candidates.map((c) => joinPath(c, lit));
        lastWasLiteral = true;
        continue;
      }
      lastWasLiteral = false;
      haveWildcards = true;
      const next: string[] = [];
      for (const cand of candidates) {
        const dirAbs = resolve(baseDir, cand === '' ? '.' : cand);
        let names: string[];
        try {
          names = readdirSync(dirAbs);
        } catch {
          missingDirs++;
          continue;
        }
        const explicitDot = seg.charCodeAt(0) === 46;
        for (const name of names) {
          if (name.charCodeAt(0) === 46 && !explicitDot) continue;
          if (!matchSegment(seg, name)) continue;
          const path = joinPath(cand, name);
          if (!last && !isDirectory(resolve(baseDir, path))) continue;
          next.push(path);
        }
      }
      candidates = next;
    }
    const found: string[] = [];
    for (const cand of candidates) {
      if (cand === '' ) continue;
      const abs = resolve(baseDir, cand);
      if (lastWasLiteral) {
        try {
          lstatSync(abs);
        } catch {
          missingFiles++;
          continue;
        }
      }
      found.push(isDirectory(abs) && !cand.endsWith('/') ? `${cand}/` : cand);
    }
    found.sort();
    for (const f of found) matches.push(f);
  }
  return { matches, missingFiles, missingDirs, haveWildcards };
}
