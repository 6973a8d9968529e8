/**
 * Value parsers with keepalived 2.2.7's rules (lib/parser.c): integers as strtol/strtoul in base
 * 10 with a range, fixed-point decimals (timers in µs), BOOL words, IP addresses with optional
 * prefix, script command lines. In `-t` mode keepalived rejects any number with trailing junk,
 * so do we. Pure functions: they return a result, the caller reports.
 */
import { isIPv4, isIPv6 } from 'node:net';

import type { AddressFamily, IpAddress, ScriptSpec } from '../model.js';
import type { ConfigNode } from '../source/tree.js';

export type NumResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: string };

const INT_RE = /^[ \t]*[+-]?\d+$/;

/** strtol-style signed integer within [min, max]. */
export function parseInt10(text: string, min: number, max: number): NumResult {
  if (!INT_RE.test(text)) return { ok: false, reason: `invalid number '${text}'` };
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value)) return { ok: false, reason: `number '${text}' outside integer range` };
  if (value < min || value > max) return { ok: false, reason: `number '${text}' outside range [${min}, ${max}]` };
  return { ok: true, value };
}

/** strtoul-style unsigned integer within [min, max]; a leading '-' is an error. */
export function parseUnsigned(text: string, min: number, max: number): NumResult {
  if (/^[ \t]*-/.test(text)) return { ok: false, reason: `negative number '${text}'` };
  return parseInt10(text, min, max);
}

/**
 * Decimal with up to `shift` places, returned as value × 10^shift (timers: shift 6 → µs).
 * Too many places is reported by keepalived but the rounded value is still used: `ok` with `warning`.
 */
export function parseDecimal(text: string, shift: number, min: number, max: number): NumResult & { readonly warning?: string } {
  if (text.startsWith('-')) return { ok: false, reason: `negative number '${text}'` };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || (m[1] === '' && (m[2] ?? '') === '')) return { ok: false, reason: `invalid number '${text}'` };
  const intPart = m[1] ?? '';
  let frac = m[2] ?? '';
  let warning: string | undefined;
  let roundUp = false;
  if (frac.length > shift) {
    warning = `number '${text}' has too many decimal places`;
    roundUp = (frac[shift] ?? '0') >= '5';
    frac = frac.slice(0, shift);
  }
  const scaled = Number(intPart + frac.padEnd(shift, '0')) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(scaled)) return { ok: false, reason: `number '${text}' outside unsigned decimal range` };
  if (scaled < min || scaled > max) {
    const unit = 10 ** shift;
    const fmt = (v: number): string => `${Math.floor(v / unit)}.${String(v % unit).padStart(shift, '0')}`;
    return { ok: false, reason: `number '${text}' outside range [${fmt(min)}, ${fmt(max)}]` };
  }
  return warning === undefined ? { ok: true, value: scaled } : { ok: true, value: scaled, warning };
}

/** Decimal seconds → µs (keepalived TIMER_HZ resolution). */
export function parseTimerUs(text: string, minUs: number, maxUs: number): NumResult & { readonly warning?: string } {
  return parseDecimal(text, 6, minUs, maxUs);
}

/** keepalived check_true_false(): true/on/yes, false/off/no, else null. */
export function parseBool(text: string): boolean | null {
  if (text === 'true' || text === 'on' || text === 'yes') return true;
  if (text === 'false' || text === 'off' || text === 'no') return false;
  return null;
}

export function familyOf(text: string): AddressFamily | null {
  if (isIPv4(text)) return 'inet';
  if (isIPv6(text)) return 'inet6';
  return null;
}

/** A bare IP address (no prefix). */
export function parseIp(text: string): IpAddress | null {
  const family = familyOf(text);
  return family === null ? null : { address: text, family };
}

export interface PrefixedIp extends IpAddress {
  readonly prefixLen: number;
  readonly prefixGiven: boolean;
}

/** `ADDR[/LEN]`; LEN defaults to the host prefix (32 / 128). */
export function parseIpPrefix(text: string): PrefixedIp | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addr);
  if (ip === null) return null;
  const max = ip.family === 'inet' ? 32 : 128;
  if (slash < 0) return { ...ip, prefixLen: max, prefixGiven: false };
  const len = parseUnsigned(text.slice(slash + 1), 0, max);
  if (!len.ok) return null;
  return { ...ip, prefixLen: len.value, prefixGiven: true };
}

/** Split a command line into argv, honouring '…', "…" and backslash escapes (keepalived set_script_params_array). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line.charAt(++i);
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < line.length) cur += line.charAt(++i);
    else cur += c;
  }
  if (inWord) out.push(cur);
  return out;
}

/**
 * `KEYWORD "cmd args" [user [[:]group]]` starting at argument `first` (1-based). Returns null when
 * no command is present or it splits to nothing.
 */
export function parseScript(node: ConfigNode, first = 1): ScriptSpec | null {
  const commandLine = node.args[first - 1];
  if (commandLine === undefined) return null;
  const argv = splitCommandLine(commandLine);
  if (argv.length === 0) return null;
  const user = node.args[first] ?? null;
  let group = node.args[first + 1] ?? null;
  if (group !== null && group.startsWith(':')) group = group.slice(1);
  return { commandLine, argv, user, group, pos: node.pos };
}

/** Whole seconds, µs per second. */
export const US_PER_SEC = 1_000_000;
/** keepalived TIMER_MAXIMUM (ULONG_MAX on 64-bit, effectively unbounded); we cap at a safe integer. */
export const TIMER_MAX_US = Number.MAX_SAFE_INTEGER;
export const UINT_MAX = 4294967295;
export const INT_MAX = 2147483647;
