/**
 * Notify formatting, keepalived 2.2.7 exact: the four arguments appended to the generic `notify`
 * script, and the lines written to `notify_fifo` / `vrrp_notify_fifo`:
 *
 *   INSTANCE "VI_1" MASTER 100\n        GROUP "G1" BACKUP 0\n
 *
 * Event-only states (never an instance state): MASTER_RX_LOWER_PRI, MASTER_PRIORITY,
 * BACKUP_PRIORITY. Group notifies always carry priority 0. Pure: no I/O here; the daemon
 * executes scripts and writes the FIFO in the order the FSM emits the effects.
 */

export type NotifyScope = 'INSTANCE' | 'GROUP';
/** States a notify script (`notify_<state>` and generic `notify`) is run for. */
export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'DELETED';
/** Everything that can appear in the third field of a FIFO line. */
export type FifoState = NotifyState | 'MASTER_RX_LOWER_PRI' | 'MASTER_PRIORITY' | 'BACKUP_PRIORITY';

/** Arguments appended to the generic `notify` script: `INSTANCE|GROUP name STATE priority`. */
export function notifyScriptArgs(
  scope: NotifyScope,
  name: string,
  state: NotifyState,
  priority: number,
): readonly string[] {
  return [scope, name, state, String(scope === 'GROUP' ? 0 : priority)];
}

/** One FIFO line, newline-terminated, as keepalived writes it. */
export function fifoLine(scope: NotifyScope, name: string, state: FifoState, priority: number): string {
  return `${scope} "${name}" ${state} ${scope === 'GROUP' ? 0 : priority}\n`;
}

/** Parses a FIFO line back (for tests and tooling); null if it is not one. */
export function parseFifoLine(
  line: string,
): { scope: NotifyScope; name: string; state: FifoState; priority: number } | null {
  const m = /^(INSTANCE|GROUP) "([^"]*)" (MASTER_RX_LOWER_PRI|MASTER_PRIORITY|BACKUP_PRIORITY|MASTER|BACKUP|FAULT|STOP|DELETED) (\d+)\n?$/.exec(line);
  if (!m) return null;
  return {
    scope: m[1] as NotifyScope,
    name: m[2] ?? '',
    state: m[3] as FifoState,
    priority: Number(m[4]),
  };
}
