/**
 * The daemon's smtp_alert sender: keeps each instance's / group's last mailed state, builds the mails
 * (`smtp-alerts.ts`) and queues them fire-and-forget on a bounded SmtpQueue (io/smtp), logging
 * failures with keepalived's lines. At shutdown keepalived's own "Stopping" mails never complete (the
 * process exits under the connection), so none are sent then. Never throws.
 */
import type { Logger } from 'pino';
import type { GlobalDefs, KeepalivedConfig } from '../config/model.js';
import { SmtpQueue, formatSmtpHost, sendSmtpMail, type SmtpEndpoint, type SmtpEnvelope, type SmtpOutcome, type SmtpSendOptions } from '../io/smtp/client.js';
import { localName as defaultLocalName, localUser as defaultLocalUser } from '../io/smtp/local-name.js';
import type { NotifyScope, NotifyState } from '../vrrp/notify/format.js';
import { buildAlertMail, checkerAlert, mailIdentity, smtpConfigured, vrrpAlert, vrrpSmtpAlertEnabled, type AlertMessage, type CheckerAlert, type MailIdentity } from './smtp-alerts.js';

interface Job {
  readonly endpoint: SmtpEndpoint;
  readonly envelope: SmtpEnvelope;
  readonly timeoutMs: number;
  readonly subject: string;
}

export interface SmtpAlerterDeps {
  readonly log: Logger;
  /** keepalived -D: log "Remote SMTP server … connected." / "SMTP alert successfully sent.". */
  readonly logDetail?: boolean;
  /** Test seams. */
  readonly send?: (endpoint: SmtpEndpoint, envelope: SmtpEnvelope, opts: SmtpSendOptions) => Promise<SmtpOutcome>;
  readonly localName?: () => string;
  readonly localUser?: () => string;
  readonly now?: () => Date;
  readonly maxPending?: number;
}

/** Decides, builds and queues the mails of a running daemon. Never throws. */
export class SmtpAlerter {
  private globals: GlobalDefs | undefined;
  private instanceAlert = new Map<string, boolean | null>();
  private groupAlert = new Map<string, boolean | null>();
  private readonly lastEmailState = new Map<string, NotifyState>();
  private stopping = false;
  private readonly queue: SmtpQueue<Job>;
  private identityCache: { readonly localName: string; readonly user: string } | undefined;

  constructor(private readonly deps: SmtpAlerterDeps) {
    const send = deps.send ?? sendSmtpMail;
    this.queue = new SmtpQueue<Job>({
      send: (j) =>
        send(j.endpoint, j.envelope, {
          timeoutMs: j.timeoutMs,
          logDetail: deps.logDetail === true,
          onLog: (line) => this.deps.log.info({ smtp: formatSmtpHost(j.endpoint) }, line),
        }),
      onOutcome: (j, o) => {
        if (o.failure !== null) this.deps.log.debug({ code: o.failure.code, stage: o.failure.stage, smtp: formatSmtpHost(j.endpoint) }, `SMTP alert "${j.subject}" not delivered`);
      },
      onDrop: (j) => this.deps.log.warn({ code: 'KTS_SMTP_QUEUE_FULL' }, `SMTP alert queue full, dropping "${j.subject}"`),
      ...(deps.maxPending !== undefined ? { maxPending: deps.maxPending } : {}),
    });
  }

  /** (Re)reads the configuration (start and every reload). */
  configure(config: KeepalivedConfig): void {
    this.globals = config.globalDefs;
    // Instances/groups a reload removes keep their setting for their last (STOP/DELETED) mail.
    this.instanceAlert = new Map([...this.instanceAlert, ...config.vrrpInstances.map((i) => [i.name, i.smtpAlert] as const)]);
    this.groupAlert = new Map([...this.groupAlert, ...config.syncGroups.map((s) => [s.name, s.smtpAlert] as const)]);
  }

  /** Jobs queued or in flight. */
  get pending(): number {
    return this.queue.size;
  }

  /** An instance or sync group entered `state` (alongside its notify scripts). */
  vrrpState(scope: NotifyScope, name: string, state: NotifyState): void {
    const g = this.globals;
    if (g === undefined) return;
    const key = `${scope}:${name}`;
    const own = (scope === 'INSTANCE' ? this.instanceAlert : this.groupAlert).get(name) ?? null;
    const msg = vrrpAlert(scope, name, state, {
      enabled: vrrpSmtpAlertEnabled(own, g),
      noEmailFaults: g.noEmailFaults,
      lastEmailState: this.lastEmailState.get(key) ?? null,
      routerId: this.identity(g).routerId,
    });
    if (msg === null) return;
    this.lastEmailState.set(key, state);
    this.send(msg);
  }

  /** A checker-side event from the checker worker. */
  checker(a: CheckerAlert): void {
    const g = this.globals;
    if (g === undefined) return;
    const msg = checkerAlert(a, g, this.identity(g).routerId);
    if (msg !== null) this.send(msg);
  }

  /** Shutdown has begun: later mails are not sent (keepalived's never complete then). */
  shutdown(): void {
    this.stopping = true;
  }

  /** Waits (bounded) for queued mails. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.queue.drain(timeoutMs);
  }

  private identity(g: GlobalDefs): MailIdentity & { readonly routerId: string } {
    this.identityCache ??= { localName: (this.deps.localName ?? defaultLocalName)(), user: (this.deps.localUser ?? defaultLocalUser)() };
    return mailIdentity(g, this.identityCache.localName, this.identityCache.user);
  }

  private send(msg: AlertMessage): void {
    const g = this.globals;
    if (g === undefined || g.smtpServer === null || !smtpConfigured(g)) return;
    if (this.stopping) {
      this.deps.log.debug({ subject: msg.subject }, 'SMTP alert not sent: shutting down');
      return;
    }
    const id = this.identity(g);
    const endpoint = { host: g.smtpServer.address, port: g.smtpServer.port };
    this.queue.push({
      endpoint,
      envelope: buildAlertMail(msg, id, (this.deps.now ?? (() => new Date()))()),
      timeoutMs: Math.max(1, Math.round(g.smtpConnectTimeoutUs / 1000)),
      subject: msg.subject,
    });
  }
}
