/**
 * Signal handling, keepalived's way: SIGTERM/SIGINT stop, SIGHUP reload, SIGUSR1 writes the state dump
 * (/tmp/keepalived.data), SIGUSR2 the counters (/tmp/keepalived.stats), SIGRTMIN+2 (`--signum=JSON`)
 * /tmp/keepalived.json, SIGRTMAX-1 (`--signum=STATS_CLEAR`) the counters then clears them. Handlers
 * only queue work on the event loop; a second stop signal while stopping is ignored (the stop path is
 * idempotent). The real-time signals go through the native addon (src/io/native/rt-signals.ts):
 * Node.js cannot listen to them, and unhandled they would terminate the process.
 */
import { join } from 'node:path';
import { signumFor } from '../cli/signum.js';
import { onRealtimeSignals } from '../io/native/rt-signals.js';

export interface SignalActions {
  stop(signal: 'SIGTERM' | 'SIGINT'): void;
  reload(): void;
  dumpData(): void;
  dumpStats(): void;
  /** `--signum=JSON` (36): writes $TMPDIR/keepalived.json. */
  dumpJson?(): void;
  /** `--signum=STATS_CLEAR` (63): writes the stats dump, then zeroes the counters (keepalived's order). */
  clearStats?(): void;
  /** The real-time signal handlers could not be installed (native addon missing). */
  realtimeUnavailable?(err: Error): void;
}

/** Installs handlers for real-time signal numbers; returns their removal (src/io/native/rt-signals.ts). */
export type RealtimeSignalSource = (signals: readonly number[], handler: (signo: number) => void) => () => void;

/** keepalived's SIGJSON / SIGSTATS_CLEAR numbers (Linux, glibc). */
export const SIGJSON = signumFor('JSON') ?? 36;
export const SIGSTATS_CLEAR = signumFor('STATS_CLEAR') ?? 63;

/** keepalived writes its dumps to TMPDIR when it is an absolute path, else to /tmp. */
function dumpDir(): string {
  const dir = process.env['TMPDIR'];
  return dir !== undefined && dir.startsWith('/') ? dir : '/tmp';
}

export const dataDumpPath = (): string => join(dumpDir(), 'keepalived.data');
export const statsDumpPath = (): string => join(dumpDir(), 'keepalived.stats');
export const jsonDumpPath = (): string => join(dumpDir(), 'keepalived.json');

/**
 * Installs the handlers; returns a function that removes them again. The real-time signals are only
 * handled when `dumpJson` or `clearStats` is given (removing them sets them to SIG_IGN).
 */
export function installSignalHandlers(
  actions: SignalActions,
  target: NodeJS.EventEmitter = process,
  realtime: RealtimeSignalSource = onRealtimeSignals,
): () => void {
  const onTerm = (): void => actions.stop('SIGTERM');
  const onInt = (): void => actions.stop('SIGINT');
  const onHup = (): void => actions.reload();
  const onUsr1 = (): void => actions.dumpData();
  const onUsr2 = (): void => actions.dumpStats();
  target.on('SIGTERM', onTerm);
  target.on('SIGINT', onInt);
  target.on('SIGHUP', onHup);
  target.on('SIGUSR1', onUsr1);
  target.on('SIGUSR2', onUsr2);
  let offRealtime: (() => void) | undefined;
  const { dumpJson, clearStats } = actions;
  const rtSignals = [...(dumpJson ? [SIGJSON] : []), ...(clearStats ? [SIGSTATS_CLEAR] : [])];
  if (rtSignals.length > 0) {
    try {
      offRealtime = realtime(rtSignals, (signo) => {
        if (signo === SIGJSON) dumpJson?.();
        else if (signo === SIGSTATS_CLEAR) clearStats?.();
      });
    } catch (err) {
      actions.realtimeUnavailable?.(err as Error);
    }
  }
  return () => {
    offRealtime?.();
    target.off('SIGTERM', onTerm);
    target.off('SIGINT', onInt);
    target.off('SIGHUP', onHup);
    target.off('SIGUSR1', onUsr1);
    target.off('SIGUSR2', onUsr2);
  };
}
