/**
 * The daemon's NotifyPort: runs notify scripts through io/notify's runner (as `script_user` or the
 * script's own user), and writes state lines to `notify_fifo` / `vrrp_notify_fifo` (starting their
 * `*_fifo_script` readers). Failures are logged, never thrown: a broken notify script must not stop VRRP.
 */
import type { Logger } from 'pino';
import type { GlobalDefs, NotifyFifo, ScriptSpec } from '../config/model.js';
import { FifoWriter, resolveScriptUser, runScript, startFifoScript } from '../io/notify/index.js';
import type { ScriptCredentials, ScriptHandle } from '../io/notify/index.js';
import type { NotifyPort } from './ports.js';
import type { SmtpAlerter } from './smtp-alerter.js';
import type { NotifyScope, NotifyState } from '../vrrp/notify/format.js';

/** notify_stop is awaited at shutdown, at most this long. */
const STOP_SCRIPT_WAIT_MS = 5000;

export class Notifier implements NotifyPort {
  private readonly fifos: FifoWriter[] = [];
  private readonly fifoScripts: ScriptHandle[] = [];
  private readonly running = new Set<ScriptHandle>();

  constructor(
    private readonly globals: GlobalDefs,
    private readonly log: Logger,
    /** smtp_alert mails for instance / sync group states. */
    private readonly alerts?: SmtpAlerter,
  ) {
    for (const [fifo, script] of [
      [globals.notifyFifo, globals.notifyFifoScript],
      [globals.vrrpNotifyFifo, globals.vrrpNotifyFifoScript],
    ] as const) {
      if (fifo === null) continue;
      this.openFifo(fifo, script);
    }
  }

  private openFifo(fifo: NotifyFifo, script: ScriptSpec | null): void {
    try {
      this.fifos.push(new FifoWriter(fifo.path, { onError: (err) => this.log.warn({ err, fifo: fifo.path }, 'notify FIFO write failed') }));
      if (script !== null) {
        const creds = this.credentials(script);
        this.fifoScripts.push(startFifoScript(script.argv, fifo.path, creds !== undefined ? { credentials: creds } : {}));
      }
    } catch (err) {
      this.log.error({ err, fifo: fifo.path }, `cannot open notify FIFO ${fifo.path}`);
    }
  }

  private credentials(script: ScriptSpec): ScriptCredentials | undefined {
    const user = script.user ?? this.globals.scriptUser?.user ?? null;
    const group = script.user !== null ? script.group : (this.globals.scriptUser?.group ?? null);
    if (user === null) return undefined;
    try {
      return resolveScriptUser(user, group ?? undefined);
    } catch (err) {
      this.log.error({ err, user }, `cannot resolve script user ${user}; running ${script.commandLine} as the daemon user`);
      return undefined;
    }
  }

  runScript(script: ScriptSpec, extraArgs: readonly string[], opts: { readonly wait: boolean; readonly what: string }): Promise<void> {
    const creds = this.credentials(script);
    const handle = runScript([...script.argv, ...extraArgs], creds !== undefined ? { credentials: creds } : {});
    this.running.add(handle);
    const done = handle.result.then((r) => {
      this.running.delete(handle);
      if (r.status === 'failed-to-start') this.log.error({ script: script.commandLine, error: r.message }, `${opts.what} script failed to start`);
      else this.log.debug({ script: script.commandLine, result: r.status }, `${opts.what} script finished`);
    });
    if (!opts.wait) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((res) => {
      timer = setTimeout(() => {
        this.log.warn({ script: script.commandLine }, `${opts.what} script still running after ${STOP_SCRIPT_WAIT_MS} ms`);
        res();
      }, STOP_SCRIPT_WAIT_MS);
    });
    return Promise.race([done, bound]).finally(() => clearTimeout(timer));
  }

  writeFifo(line: string): void {
    for (const f of this.fifos) {
      try {
        f.write(line);
      } catch (err) {
        this.log.warn({ err, fifo: f.path }, 'notify FIFO write failed');
      }
    }
  }

  stateNotify(scope: NotifyScope, name: string, state: NotifyState): void {
    this.alerts?.vrrpState(scope, name, state);
  }

  /** Closes FIFOs and terminates FIFO reader scripts (shutdown). */
  close(): void {
    for (const f of this.fifos) f.close();
    for (const s of this.fifoScripts) s.kill();
    this.fifos.length = 0;
    this.fifoScripts.length = 0;
  }
}
