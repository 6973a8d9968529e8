/**
 * `~SEQ` / `~SEQx` / `~LST` line generators. A generator line repeats the rest of the line once per value,
 * with the loop variable set as an ordinary `$NAME` definition before each repetition:
 *
 *   ~SEQ(i, 1, 3) virtual_ipaddress_$i     (start, step, end; also (end) and (start, end))
 *   ~SEQx(n, 10, 12) addr fe80::$n          (values printed in lower-case hex)
 *   ~LST(ip, 10.0.0.1, 10.0.0.2) $ip
 *   ~LST({ip,dev}, {10.0.0.1,eth0}, {10.0.0.2,eth1}) $ip dev $dev
 *
 * The repeated text is read again like a fresh line, so generators nest (`~SEQ(i,1,2) ~SEQ(j,1,2) …`).
 * Parsing never throws: it returns an error message in keepalived's words instead.
 */

/** Upper bound on repetitions of one generator (keepalived has none; this keeps a typo from hanging us). */
export const MAX_GENERATOR_ITERATIONS = 1_000_000;

export interface GeneratorStep {
  /** Definitions to set before reading `text`. */
  readonly assignments: ReadonlyArray<readonly [name: string, value: string]>;
  readonly text: string;
}

export interface LineGenerator {
  /** The next repetition, or null when done. */
  next(): GeneratorStep | null;
}

export type GeneratorParse = { readonly ok: true; readonly generator: LineGenerator } | { readonly ok: false; readonly message: string };

function skipBlanks(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** strtol(…, 0)-like: optional blanks and sign, 0x hex, leading-0 octal, decimal; no digits → 0. */
function parseLong(s: string, at: number): { value: number; next: number } {
  let i = skipBlanks(s, at);
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    if (s[i] === '-') sign = -1;
    i++;
  }
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const digitsStart = i;
  let v = 0;
  while (i < s.length) {
    const d = Number.parseInt(s[i] ?? '', 16);
    if (Number.isNaN(d) || d >= base) break;
    v = v * base + d;
    i++;
  }
  if (i === digitsStart && base !== 8) return { value: 0, next: at };
  return { value: sign * v, next: i };
}

/**
 * Parse a line starting with `~SEQ`. `expandParams` substitutes `$NAME`s inside the parentheses
 * (keepalived allows definitions there) and returns null for a multi-line definition.
 */
export function parseSeq(line: string, expandParams: (s: string) => string | null): GeneratorParse {
  let p = 4;
  let hex = false;
  if (line[p] === 'x') {
    hex = true;
    p++;
  }
  const invalid = (): GeneratorParse => ({ ok: false, message: `Invalid ~SEQ definition '${line}'` });
  p = skipBlanks(line, p);
  if (line[p] !== '(') return { ok: false, message: `Invalid ~SEQ specification '${line}'` };
  p = skipBlanks(line, p + 1);
  const varStart = p;
  while (p < line.length && !' \t,)'.includes(line[p] ?? '')) p++;
  const variable = line.slice(varStart, p);
  p = skipBlanks(line, p);
  if (p >= line.length || line[p] === ')' || variable.length === 0) return invalid();
  p++; // the ',' (keepalived does not check which character it is)
  const close = line.indexOf(')', p);
  if (close < 0) return invalid();
  const expanded = expandParams(line.slice(p, close + 1));
  if (expanded === null) return { ok: false, message: `~SEQ parameter is multiline definition '${line}'` };

  const nums: number[] = [];
  let q = 0;
  for (;;) {
    const r = parseLong(expanded, q);
    nums.push(r.value);
    q = skipBlanks(expanded, r.next);
    if (expanded[q] === ')') break;
    if (expanded[q] !== ',' || nums.length === 3) return invalid();
    q++;
  }
  let start: number;
  let step: number;
  let end: number;
  if (nums.length === 1) {
    end = nums[0] ?? 0;
    step = end < 1 ? -1 : 1;
    start = end < 0 ? -1 : 1;
  } else if (nums.length === 2) {
    start = nums[0] ?? 0;
    end = nums[1] ?? 0;
    step = start <= end ? 1 : -1;
  } else {
    start = nums[0] ?? 0;
    step = nums[1] ?? 0;
    end = nums[2] ?? 0;
    if (step === 0 || (start < end && step < 0) || (start > end && step > 0)) {
      return { ok: false, message: `Invalid ~SEQ values '${line}'` };
    }
  }
  if (hex && (start < 0 || end < 0)) return { ok: false, message: `~SEQx is only valid for positive numbers '${line}'` };
  if (Math.floor((end - start) / step) + 1 > MAX_GENERATOR_ITERATIONS) {
    return { ok: false, message: `~SEQ would generate more than ${MAX_GENERATOR_ITERATIONS} lines '${line}'` };
  }
  const text = line.slice(skipBlanks(line, close + 1));
  let current = start;
  let done = false;
  return {
    ok: true,
    generator: {
      next(): GeneratorStep | null {
        if (done) return null;
        const value = hex ? current.toString(16) : String(current);
        current += step;
        if ((step > 0 && current > end) || (step < 0 && current < end)) done = true;
        return { assignments: [[variable, value]], text };
      },
    },
  };
}

/** Parse a line starting with `~LST`. */
export function parseLst(line: string): GeneratorParse {
  const invalid = (): GeneratorParse => ({ ok: false, message: `Invalid ~LST specification '${line}'` });
  let p = skipBlanks(line, 4);
  if (line[p] !== '(') return invalid();
  p = skipBlanks(line, p + 1);
  let endChar = ',';
  if (line[p] === '{') {
    endChar = '}';
    p = skipBlanks(line, p + 1);
  }
  const names: string[] = [];
  for (;;) {
    const s = p;
    while (p < line.length && !' \t,}'.includes(line[p] ?? '')) p++;
    names.push(line.slice(s, p));
    p = skipBlanks(line, p);
    if (line[p] === endChar) break;
    if (line[p] !== ',') return invalid();
    p = skipBlanks(line, p + 1);
  }
  if (line[p] === '}') p = skipBlanks(line, p + 1);
  if (line[p] !== ',') return invalid();
  p = skipBlanks(line, p + 1);

  const sets: string[][] = [];
  for (;;) {
    let setEnd = ',';
    if (line[p] === '{') {
      setEnd = '}';
      p = skipBlanks(line, p + 1);
    }
    const values: string[] = [];
    for (;;) {
      const s = p;
      while (p < line.length && !' \t,})'.includes(line[p] ?? '')) p++;
      values.push(line.slice(s, p));
      p = skipBlanks(line, p);
      if (line[p] === setEnd || (line[p] === ')' && setEnd === ',')) break;
      if (line[p] !== ',') return invalid();
      p = skipBlanks(line, p + 1);
      if (values.length >= names.length) return { ok: false, message: `~LST specification has too many values '${line}'` };
    }
    while (values.length < names.length) values.push('');
    sets.push(values);
    if (line[p] === '}' && setEnd === '}') p = skipBlanks(line, p + 1);
    if (line[p] === ')') break;
    if (line[p] !== ',') return invalid();
    p = skipBlanks(line, p + 1);
  }
  if (names.length === 0 || sets.length === 0) return invalid();
  const text = line.slice(skipBlanks(line, p + 1));
  let index = 0;
  return {
    ok: true,
    generator: {
      next(): GeneratorStep | null {
        const values = sets[index];
        if (values === undefined) return null;
        index++;
        return { assignments: names.map((n, k) => [n, values[k] ?? ''] as const), text };
      },
    },
  };
}
