/**
 * `--signum=SIGFUNC`: the signal number keepalived uses for each control function (Linux numbering,
 * glibc's SIGRTMIN = 34 / SIGRTMAX = 64), printed exactly like keepalived 2.2.7 (a JSON-enabled build
 * without THREAD_DUMP, i.e. Debian's).
 */
export const SIGFUNC_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['STOP', 15], // SIGTERM
  ['RELOAD', 1], // SIGHUP
  ['DATA', 10], // SIGUSR1
  ['STATS', 12], // SIGUSR2
  ['STATS_CLEAR', 63], // SIGRTMAX - 1
  ['JSON', 36], // SIGRTMIN + 2
]);

export function signumFor(name: string): number | null {
  return SIGFUNC_NUMBERS.get(name) ?? null;
}
