/**
 * Signal handling, keepalived's way: SIGTERM/SIGINT stop, SIGHUP reload, SIGUSR1 writes the state dump
 * (/tmp/keepalived.data), SIGUSR2 the counters (/tmp/keepalived.stats). Handlers only queue work on the
 * event loop; a second stop signal while stopping is ignored (the stop path is idempotent).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SignalActions {
  stop(signal: 'SIGTERM' | 'SIGINT'): void;
  reload(): void;
  dumpData(): void;
  dumpStats(): void;
}

/** keepalived writes its dumps to TMPDIR (default /tmp). */
function dumpDir(): string {
  return process.env['TMPDIR'] !== undefined && process.env['TMPDIR'] !== '' ? tmpdir() : '/tmp';
}

export const dataDumpPath = (): string => join(dumpDir(), 'keepalived.data');
export const statsDumpPath = (): string => join(dumpDir(), 'keepalived.stats');

/** Installs the handlers; returns a function that removes them again. */
export function installSignalHandlers(actions: SignalActions, target: NodeJS.EventEmitter = process): () => void {
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
  return () => {
    target.off('SIGTERM', onTerm);
    target.off('SIGINT', onInt);
    target.off('SIGHUP', onHup);
    target.off('SIGUSR1', onUsr1);
    target.off('SIGUSR2', onUsr2);
  };
}
