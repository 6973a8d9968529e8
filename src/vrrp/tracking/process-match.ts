/**
 * vrrp_track_process matching (pure): decides whether one process, as read from /proc, counts for a
 * `vrrp_track_process` object, with keepalived 2.2.7's rules (track_process.c read_procs /
 * check_process / check_params):
 *
 *  - without `full_command` the configured `process` is compared (exactly, case-sensitive, no regex)
 *    with the kernel's comm (/proc/PID/stat field 2, at most 15 characters: a longer name can never
 *    match — `commNameTooLong()` lets the daemon warn about it);
 *  - with `full_command` (implied by parameters on the `process` line and by `param_match`) it is
 *    compared with argv[0], the command line up to its first NUL;
 *  - parameters are compared as keepalived does, on the NUL-terminated byte string that follows
 *    argv[0] in /proc/PID/cmdline: `exact` = the same parameters, no more; `partial` = the configured
 *    parameters are the first ones (whole words); `initial` = like partial but the last configured
 *    parameter may be the start of a longer one; `none` = parameters are not looked at;
 *  - zombies never count (keepalived skips state Z and gets their exit event).
 *
 * Also parses /proc/PID/stat text; nothing here throws on odd /proc content.
 */

/** The parts of a `vrrp_track_process` the matcher needs. */
export interface ProcessMatchSpec {
  readonly process: string;
  readonly params: readonly string[];
  readonly paramMatch: 'none' | 'exact' | 'initial' | 'partial';
  readonly fullCommand: boolean;
}

/** One process as read from /proc. */
export interface ProcRecord {
  readonly pid: number;
  readonly ppid: number;
  /** /proc/PID/comm (≤ 15 characters). */
  readonly comm: string;
  /** One-letter state from /proc/PID/stat (R, S, D, Z, …). */
  readonly state: string;
  /** Start time in clock ticks since boot (stat field 22): with the pid, identifies a process across pid reuse. */
  readonly startTime: string;
  /** Raw /proc/PID/cmdline (NUL-separated, usually NUL-terminated); null when not read. */
  readonly cmdline: string | null;
}

/** Linux TASK_COMM_LEN − 1 (bytes). */
export const COMM_MAX_CHARS = 15;

/** The fields of /proc/PID/stat the tracker uses; null when the text is not a stat line. */
export function parseProcStat(text: string): { readonly pid: number; readonly comm: string; readonly state: string; readonly ppid: number; readonly startTime: string } | null {
  const open = text.indexOf('(');
  // comm may itself contain ')' or spaces: the field ends at the last ')'.
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number.parseInt(text.slice(0, open).trim(), 10);
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] = state (field 3), rest[1] = ppid (field 4), rest[19] = starttime (field 22)
  const state = rest[0];
  const ppid = Number.parseInt(rest[1] ?? '', 10);
  const startTime = rest[19];
  if (!Number.isSafeInteger(pid) || pid <= 0 || state === undefined || state.length !== 1 || !Number.isSafeInteger(ppid) || startTime === undefined) return null;
  return { pid, comm: text.slice(open + 1, close), state, ppid, startTime };
}

/** keepalived's process_params: each parameter followed by a NUL. */
function paramBytes(params: readonly string[]): string {
  return params.map((p) => `${p}\0`).join('');
}

/** keepalived check_params() on the text after argv[0]'s NUL. */
export function paramsMatch(spec: Pick<ProcessMatchSpec, 'params' | 'paramMatch'>, actual: string): boolean {
  if (spec.paramMatch === 'none') return true;
  const want = paramBytes(spec.params);
  if (spec.paramMatch === 'exact') return actual === want;
  if (actual.length < want.length) return false;
  if (want.length === 0) return true;
  if (spec.paramMatch === 'partial') return actual.startsWith(want);
  // initial: the configured bytes without their final NUL.
  return want.length === 1 || actual.startsWith(want.slice(0, -1));
}

/** Whether `rec` counts for `spec`. A full-command spec with `rec.cmdline === null` never matches. */
export function processMatches(spec: ProcessMatchSpec, rec: ProcRecord): boolean {
  if (rec.state === 'Z' || rec.state === 'X') return false;
  // keepalived compares comm only in this mode (param_match and parameters imply full_command).
  if (!spec.fullCommand) return rec.comm === spec.process;
  if (rec.cmdline === null) return false;
  const nul = rec.cmdline.indexOf('\0');
  const argv0 = nul < 0 ? rec.cmdline : rec.cmdline.slice(0, nul);
  if (argv0 !== spec.process) return false;
  return paramsMatch(spec, nul < 0 ? '' : rec.cmdline.slice(nul + 1));
}

/** True when a comm-matched spec names a process the kernel's 15-character comm can never equal. */
export function commNameTooLong(spec: Pick<ProcessMatchSpec, 'process' | 'fullCommand'>): boolean {
  return !spec.fullCommand && new TextEncoder().encode(spec.process).length > COMM_MAX_CHARS;
}
