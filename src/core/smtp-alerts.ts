/**
 * smtp_alert e-mail notifications, keepalived 2.2.7 parity (vrrp_notify.c, ipwrapper.c, check_*.c,
 * core/smtp.c): which events send a mail, its subject, body and headers, and the checkers' texts.
 *
 *  - VRRP: an instance (`smtp_alert` ⇐ smtp_alert_vrrp ⇐ smtp_alert ⇐ off) mails when it enters MASTER,
 *    BACKUP, FAULT (not with `no_email_faults`), STOP or DELETED, and only when that state differs from
 *    the last state it mailed (keepalived's last_email_state); sync groups alike (no DELETED).
 *  - Checkers: a real server (`smtp_alert` ⇐ smtp_alert_checker ⇐ smtp_alert ⇐ ON) mails when one of
 *    its checkers changes state ("[rid] Realserver RS of virtual server VS - UP|DOWN" with the checker's
 *    text), a virtual server (⇐ … ⇐ off) when its quorum changes ("[rid] Virtualserver VS - UP|DOWN").
 *  - Nothing is sent without both `notification_email` addresses and `smtp_server`.
 *
 * Mail: HELO smtp_helo_name (default local name), MAIL FROM notification_email_from (default
 * `<user>@<local name>`), headers Date (RFC 822, local time), From, Subject, X-Mailer: Keepalived,
 * To (comma-separated), then the body and an empty line. Subjects are cut at 255 characters, bodies
 * at 511, as keepalived's buffers do. Pure (no I/O; the checker worker imports it too): the daemon's
 * sender is `smtp-alerter.ts`.
 */
import type { GlobalDefs } from '../config/model.js';
import type { SmtpEnvelope } from '../io/smtp/client.js';
import type { NotifyScope, NotifyState } from '../vrrp/notify/format.js';

/** MAX_HEADERS_LENGTH - 1 / MAX_BODY_LENGTH - 1. */
export const SUBJECT_MAX_CHARS = 255;
export const BODY_MAX_CHARS = 511;

/** A checker-side event, sent by the checker worker (plain data). FMT_VS / FMT_RS strings. */
export type CheckerAlert =
  | {
      /** A checker of this real server changed state (RS_MSG): subject UP/DOWN from `alive`. */
      readonly kind: 'realserver';
      readonly virtualServer: string;
      readonly realServer: string;
      /** The real server's alive state after the change. */
      readonly alive: boolean;
      /** The change moved the real server's alive state (no_checker_emails mails only those). */
      readonly aliveChanged: boolean;
      /** The checker's text, e.g. "=> TCP CHECK failed on service <=". */
      readonly body: string;
      /** The real server's own `smtp_alert` (null = inherit). */
      readonly smtpAlert: boolean | null;
    }
  | {
      /** A real server taken out at shutdown (omega) or removed by a reload (RS_SHUT): always DOWN. */
      readonly kind: 'realserver-removed';
      readonly virtualServer: string;
      readonly realServer: string;
      readonly body: string;
      readonly smtpAlert: boolean | null;
    }
  | {
      /** Quorum gained / lost (VS_MSG). */
      readonly kind: 'virtualserver';
      readonly virtualServer: string;
      readonly up: boolean;
      readonly body: string;
      readonly smtpAlert: boolean | null;
    };

export interface AlertMessage {
  readonly subject: string;
  readonly body: string;
}

/** Guard for CheckerAlert arriving over the worker channel. */
export function isCheckerAlert(x: unknown): x is CheckerAlert {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Readonly<Record<string, unknown>>;
  const flag = r['smtpAlert'] === null || typeof r['smtpAlert'] === 'boolean';
  if (typeof r['virtualServer'] !== 'string' || typeof r['body'] !== 'string' || !flag) return false;
  switch (r['kind']) {
    case 'realserver':
      return typeof r['realServer'] === 'string' && typeof r['alive'] === 'boolean' && typeof r['aliveChanged'] === 'boolean';
    case 'realserver-removed':
      return typeof r['realServer'] === 'string';
    case 'virtualserver':
      return typeof r['up'] === 'boolean';
    default:
      return false;
  }
}

// ---- smtp_alert inheritance -------------------------------------------------------------------

export function vrrpSmtpAlertEnabled(own: boolean | null, g: GlobalDefs): boolean {
  return own ?? g.smtpAlertVrrp ?? g.smtpAlert ?? false;
}

export function virtualServerSmtpAlertEnabled(own: boolean | null, g: GlobalDefs): boolean {
  return own ?? g.smtpAlertChecker ?? g.smtpAlert ?? false;
}

/** keepalived: "inconsistent with the defaults for other smtp_alerts", a real server defaults to on. */
export function realServerSmtpAlertEnabled(own: boolean | null, g: GlobalDefs): boolean {
  return own ?? g.smtpAlertChecker ?? g.smtpAlert ?? true;
}

/** Mails go out only with recipients and a server. */
export function smtpConfigured(g: GlobalDefs): boolean {
  return g.notificationEmails.length > 0 && g.smtpServer !== null;
}

// ---- texts ------------------------------------------------------------------------------------

const INSTANCE_TEXTS: Readonly<Record<NotifyState, readonly [string, string]>> = {
  MASTER: ['Entering MASTER state', '=> VRRP Instance is now owning VRRP VIPs <='],
  BACKUP: ['Entering BACKUP state', '=> VRRP Instance is no longer owning VRRP VIPs <='],
  FAULT: ['Entering FAULT state', '=> VRRP Instance is no longer owning VRRP VIPs <='],
  STOP: ['Stopping', '=> VRRP Instance stopping <='],
  DELETED: ['Deleted', '=> VRRP Deleted at reload <='],
};

const GROUP_TEXTS: Readonly<Partial<Record<NotifyState, readonly [string, string]>>> = {
  MASTER: ['Entering MASTER state', '=> All VRRP group instances are now in MASTER state <='],
  BACKUP: ['Entering BACKUP state', '=> All VRRP group instances are now in BACKUP state <='],
  FAULT: ['Entering FAULT state', '=> All VRRP group instances are now in FAULT state <='],
  STOP: ['Stopping', '=> All VRRP group instances are now stopping <='],
};

function message(subject: string, body: string): AlertMessage {
  return { subject: subject.slice(0, SUBJECT_MAX_CHARS), body: body.slice(0, BODY_MAX_CHARS) };
}

/**
 * vrrp_smtp_notifier / vrrp_sync_smtp_notifier: the mail for an instance or group entering `state`,
 * or null. `lastEmailState`: the state this instance/group last mailed (null = none yet).
 */
export function vrrpAlert(
  scope: NotifyScope,
  name: string,
  state: NotifyState,
  ctx: { readonly enabled: boolean; readonly noEmailFaults: boolean; readonly lastEmailState: NotifyState | null; readonly routerId: string },
): AlertMessage | null {
  if (!ctx.enabled || (ctx.noEmailFaults && state === 'FAULT') || ctx.lastEmailState === state) return null;
  const texts = scope === 'INSTANCE' ? INSTANCE_TEXTS[state] : GROUP_TEXTS[state];
  if (texts === undefined) return null;
  return message(`[${ctx.routerId}] VRRP ${scope === 'INSTANCE' ? 'Instance' : 'Group'} ${name} - ${texts[0]}`, texts[1]);
}

/** The mail for a checker-side event, or null. `noCheckerEmails`: global no_checker_emails. */
export function checkerAlert(a: CheckerAlert, g: GlobalDefs, routerId: string, noCheckerEmails = false): AlertMessage | null {
  switch (a.kind) {
    case 'realserver':
      if (!realServerSmtpAlertEnabled(a.smtpAlert, g) || (noCheckerEmails && !a.aliveChanged)) return null;
      return message(`[${routerId}] Realserver ${a.realServer} of virtual server ${a.virtualServer} - ${a.alive ? 'UP' : 'DOWN'}`, a.body);
    case 'realserver-removed':
      if (!realServerSmtpAlertEnabled(a.smtpAlert, g)) return null;
      return message(`[${routerId}] Realserver ${a.realServer} of virtual server ${a.virtualServer} - DOWN`, a.body);
    case 'virtualserver':
      if (!virtualServerSmtpAlertEnabled(a.smtpAlert, g)) return null;
      return message(`[${routerId}] Virtualserver ${a.virtualServer} - ${a.up ? 'UP' : 'DOWN'}`, a.body);
  }
}

/**
 * SMTP_CHECK's failure wording (check_smtp.c smtp_final) for one of our probe's failure reasons;
 * `server` is the checked `[address]:port`.
 */
export function smtpCheckFailureText(reason: string, server: string): string {
  if (reason.startsWith('bad greeting')) return `Bad greeting banner from server ${server}`;
  if (reason.startsWith('HELO refused')) return `Bad HELO response from server ${server}`;
  if (reason.startsWith('no greeting') || reason.startsWith('no HELO')) {
    return reason.includes('timeout') || reason.includes('timed out') || reason.includes('aborted') ? `Read timeout from server ${server}` : `Read failure from server ${server}`;
  }
  if (reason.includes('timeout') || reason === 'aborted') return `Connection timeout to server ${server}`;
  return `Error connecting to server ${server}`;
}

/** The checker's body text for a real-server mail (check_tcp.c, check_http.c, … wording). */
export function checkerAlertBody(kind: string, up: boolean, detail?: string): string {
  switch (kind) {
    case 'TCP_CHECK':
      return up ? '=> TCP CHECK succeed on service <=' : '=> TCP CHECK failed on service <=';
    case 'UDP_CHECK':
      return up ? '=> UDP CHECK succeed on service <=' : '=> UDP CHECK failed on service <=';
    case 'PING_CHECK':
      return up ? '=> ICMP CHECK succeed on service <=' : '=> ICMP CHECK failed on service <=';
    case 'HTTP_GET':
    case 'SSL_GET':
      return up ? '=> CHECK succeed on service <=' : '=> CHECK failed on service : HTTP request failed <=';
    case 'DNS_CHECK':
      return up ? '=> DNS_CHECK: succeed on service <=' : '=> DNS_CHECK: failed on service <=';
    case 'SMTP_CHECK':
      return up ? '=> CHECK succeed on service <=' : detail !== undefined && detail !== '' ? `=> CHECK failed on service : ${detail} <=` : '=> CHECK failed on service <=';
    case 'MISC_CHECK':
      return `=> MISC CHECK ${up ? 'succeeded' : detail === 'timed out' ? 'timed out' : 'failed'} on service <=`;
    default:
      return up ? '=> CHECK succeed on service <=' : '=> CHECK failed on service <=';
  }
}

/** do_vs_notifies' body: "=> Gained quorum 1+0=1 <= 2 <=" (keepalived prints "+" and "<=" for both directions). */
export function quorumAlertBody(up: boolean, init: boolean, quorum: number, hysteresis: number, threshold: number, weightSum: number): string {
  const what = up ? (init ? 'Starting with quorum up' : 'Gained quorum') : init ? 'Starting with quorum down' : 'Lost quorum';
  return `=> ${what} ${quorum}+${hysteresis}=${threshold} <= ${weightSum} <=`;
}

// ---- the mail ---------------------------------------------------------------------------------

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** strftime("%a, %d %b %Y %H:%M:%S %z") in local time, C locale. */
export function formatRfc822Date(d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const offMin = -d.getTimezoneOffset();
  const sign = offMin < 0 ? '-' : '+';
  const abs = Math.abs(offMin);
  return `${DAYS[d.getDay()] ?? ''}, ${p2(d.getDate())} ${MONTHS[d.getMonth()] ?? ''} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
}

export interface MailIdentity {
  readonly heloName: string;
  readonly from: string;
  readonly to: readonly string[];
}

/** The envelope and message keepalived sends for one alert. */
export function buildAlertMail(msg: AlertMessage, id: MailIdentity, date: Date): SmtpEnvelope {
  const data =
    `Date: ${formatRfc822Date(date)}\r\nFrom: ${id.from}\r\nSubject: ${msg.subject}\r\n` +
    `X-Mailer: Keepalived\r\nTo: ${id.to.join(', ')}\r\n\r\n${msg.body}\r\n`;
  return { heloName: id.heloName, mailFrom: id.from, rcptTo: id.to, data };
}

/** router_id, HELO name and From with keepalived's defaults (local name, `<user>@<local name>`). */
export function mailIdentity(g: GlobalDefs, localName: string, user: string): MailIdentity & { readonly routerId: string } {
  return {
    routerId: g.routerId ?? localName,
    heloName: g.smtpHeloName ?? localName,
    from: g.notificationEmailFrom ?? `${user}@${localName}`,
    to: g.notificationEmails,
  };
}
