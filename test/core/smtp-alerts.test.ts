import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { GlobalDefs, KeepalivedConfig } from '../../src/config/model.js';
import { SmtpAlerter } from '../../src/core/smtp-alerter.js';
import {
  buildAlertMail,
  checkerAlert,
  checkerAlertBody,
  formatRfc822Date,
  isCheckerAlert,
  mailIdentity,
  quorumAlertBody,
  realServerSmtpAlertEnabled,
  smtpCheckFailureText,
  virtualServerSmtpAlertEnabled,
  vrrpAlert,
  vrrpSmtpAlertEnabled,
  type CheckerAlert,
} from '../../src/core/smtp-alerts.js';
import type { SmtpEndpoint, SmtpEnvelope } from '../../src/io/smtp/client.js';
import { FakeSmtpServer } from '../io/smtp/fake-server.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function globals(over: Partial<GlobalDefs> = {}): GlobalDefs {
  return {
    routerId: null,
    notificationEmails: ['ops@example.com'],
    notificationEmailFrom: null,
    smtpServer: { address: '127.0.0.1', family: 'inet', port: 25, pos: { file: 'k.conf', line: 1 } },
    smtpHeloName: null,
    smtpConnectTimeoutUs: 30_000_000,
    smtpAlert: null,
    smtpAlertVrrp: null,
    smtpAlertChecker: null,
    noEmailFaults: false,
    ...over,
  } as GlobalDefs;
}

function config(g: GlobalDefs, instances: Record<string, boolean | null> = {}, groups: Record<string, boolean | null> = {}): KeepalivedConfig {
  return {
    globalDefs: g,
    vrrpInstances: Object.entries(instances).map(([name, smtpAlert]) => ({ name, smtpAlert })),
    syncGroups: Object.entries(groups).map(([name, smtpAlert]) => ({ name, smtpAlert })),
  } as unknown as KeepalivedConfig;
}

/** The client side of one SMTP session as the fixtures hold it. */
function transcript(env: SmtpEnvelope): string {
  return [`HELO ${env.heloName}`, `MAIL FROM:<${env.mailFrom}>`, ...env.rcptTo.map((r) => `RCPT TO:<${r}>`), 'DATA'].map((l) => `${l}\r\n`).join('') + `${env.data}\r\n.\r\nQUIT\r\n`;
}

describe('vrrpAlert', () => {
  const ctx = { enabled: true, noEmailFaults: false, lastEmailState: null, routerId: 'R1' } as const;

  it('has keepalived\'s subjects and bodies for every instance state', () => {
    expect(vrrpAlert('INSTANCE', 'VI_1', 'MASTER', ctx)).toEqual({ subject: '[R1] VRRP Instance VI_1 - Entering MASTER state', body: '=> VRRP Instance is now owning VRRP VIPs <=' });
    expect(vrrpAlert('INSTANCE', 'VI_1', 'BACKUP', ctx)?.body).toBe('=> VRRP Instance is no longer owning VRRP VIPs <=');
    expect(vrrpAlert('INSTANCE', 'VI_1', 'FAULT', ctx)?.subject).toBe('[R1] VRRP Instance VI_1 - Entering FAULT state');
    expect(vrrpAlert('INSTANCE', 'VI_1', 'STOP', ctx)).toEqual({ subject: '[R1] VRRP Instance VI_1 - Stopping', body: '=> VRRP Instance stopping <=' });
    expect(vrrpAlert('INSTANCE', 'VI_1', 'DELETED', ctx)).toEqual({ subject: '[R1] VRRP Instance VI_1 - Deleted', body: '=> VRRP Deleted at reload <=' });
  });

  it('groups have their own texts and no DELETED mail', () => {
    expect(vrrpAlert('GROUP', 'G1', 'MASTER', ctx)).toEqual({ subject: '[R1] VRRP Group G1 - Entering MASTER state', body: '=> All VRRP group instances are now in MASTER state <=' });
    expect(vrrpAlert('GROUP', 'G1', 'FAULT', ctx)?.body).toBe('=> All VRRP group instances are now in FAULT state <=');
    expect(vrrpAlert('GROUP', 'G1', 'STOP', ctx)?.body).toBe('=> All VRRP group instances are now stopping <=');
    expect(vrrpAlert('GROUP', 'G1', 'DELETED', ctx)).toBeNull();
  });

  it('is silent when disabled, for the state already mailed, and for FAULT with no_email_faults', () => {
    expect(vrrpAlert('INSTANCE', 'VI_1', 'MASTER', { ...ctx, enabled: false })).toBeNull();
    expect(vrrpAlert('INSTANCE', 'VI_1', 'MASTER', { ...ctx, lastEmailState: 'MASTER' })).toBeNull();
    expect(vrrpAlert('INSTANCE', 'VI_1', 'FAULT', { ...ctx, noEmailFaults: true })).toBeNull();
    expect(vrrpAlert('INSTANCE', 'VI_1', 'BACKUP', { ...ctx, noEmailFaults: true })).not.toBeNull();
  });

  it('cuts long subjects at 255 characters', () => {
    expect(vrrpAlert('INSTANCE', 'V'.repeat(400), 'MASTER', ctx)?.subject).toHaveLength(255);
  });
});

describe('smtp_alert inheritance', () => {
  it('vrrp: own, then smtp_alert_vrrp, then smtp_alert, else off', () => {
    expect(vrrpSmtpAlertEnabled(null, globals())).toBe(false);
    expect(vrrpSmtpAlertEnabled(null, globals({ smtpAlert: true }))).toBe(true);
    expect(vrrpSmtpAlertEnabled(null, globals({ smtpAlert: true, smtpAlertVrrp: false }))).toBe(false);
    expect(vrrpSmtpAlertEnabled(true, globals({ smtpAlertVrrp: false }))).toBe(true);
  });
  it('checkers: virtual servers default off, real servers default on', () => {
    expect(virtualServerSmtpAlertEnabled(null, globals())).toBe(false);
    expect(realServerSmtpAlertEnabled(null, globals())).toBe(true);
    expect(realServerSmtpAlertEnabled(null, globals({ smtpAlert: false }))).toBe(false);
    expect(realServerSmtpAlertEnabled(null, globals({ smtpAlert: false, smtpAlertChecker: true }))).toBe(true);
    expect(virtualServerSmtpAlertEnabled(false, globals({ smtpAlertChecker: true }))).toBe(false);
  });
});

describe('checker mails', () => {
  const rs: CheckerAlert = { kind: 'realserver', virtualServer: '[10.0.0.1]:tcp:80', realServer: '[10.0.0.2]:tcp:8080', alive: false, aliveChanged: true, body: checkerAlertBody('TCP_CHECK', false), smtpAlert: null };

  it('real server subject and checker text', () => {
    expect(checkerAlert(rs, globals(), 'R1')).toEqual({ subject: '[R1] Realserver [10.0.0.2]:tcp:8080 of virtual server [10.0.0.1]:tcp:80 - DOWN', body: '=> TCP CHECK failed on service <=' });
    expect(checkerAlert({ ...rs, alive: true, body: checkerAlertBody('TCP_CHECK', true) }, globals(), 'R1')?.subject.endsWith(' - UP')).toBe(true);
    expect(checkerAlert({ ...rs, smtpAlert: false }, globals(), 'R1')).toBeNull();
    expect(checkerAlert({ ...rs, aliveChanged: false }, globals(), 'R1', true)).toBeNull();
    expect(checkerAlert({ ...rs, aliveChanged: false }, globals(), 'R1', false)).not.toBeNull();
  });

  it('virtual server quorum and removed real server', () => {
    const vs: CheckerAlert = { kind: 'virtualserver', virtualServer: '[10.0.0.1]:tcp:80', up: false, body: quorumAlertBody(false, false, 2, 1, 1, 0), smtpAlert: true };
    expect(checkerAlert(vs, globals(), 'R1')).toEqual({ subject: '[R1] Virtualserver [10.0.0.1]:tcp:80 - DOWN', body: '=> Lost quorum 2+1=1 <= 0 <=' });
    expect(checkerAlert({ ...vs, smtpAlert: null }, globals(), 'R1')).toBeNull();
    const gone: CheckerAlert = { kind: 'realserver-removed', virtualServer: 'V', realServer: 'R', body: '=> Removing <=', smtpAlert: null };
    expect(checkerAlert(gone, globals(), 'R1')?.subject).toBe('[R1] Realserver R of virtual server V - DOWN');
  });

  it('checker texts per kind', () => {
    expect(checkerAlertBody('HTTP_GET', false)).toBe('=> CHECK failed on service : HTTP request failed <=');
    expect(checkerAlertBody('SSL_GET', true)).toBe('=> CHECK succeed on service <=');
    expect(checkerAlertBody('DNS_CHECK', true)).toBe('=> DNS_CHECK: succeed on service <=');
    expect(checkerAlertBody('UDP_CHECK', false)).toBe('=> UDP CHECK failed on service <=');
    expect(checkerAlertBody('MISC_CHECK', false, 'timed out')).toBe('=> MISC CHECK timed out on service <=');
    expect(checkerAlertBody('MISC_CHECK', true)).toBe('=> MISC CHECK succeeded on service <=');
    expect(checkerAlertBody('SMTP_CHECK', false, 'Connection timeout to server [1.2.3.4]:25')).toBe('=> CHECK failed on service : Connection timeout to server [1.2.3.4]:25 <=');
    expect(quorumAlertBody(true, false, 1, 0, 1, 3)).toBe('=> Gained quorum 1+0=1 <= 3 <=');
    const srv = '[10.0.0.2]:25';
    expect(smtpCheckFailureText('bad greeting code 421', srv)).toBe('Bad greeting banner from server [10.0.0.2]:25');
    expect(smtpCheckFailureText('HELO refused with 550', srv)).toBe('Bad HELO response from server [10.0.0.2]:25');
    expect(smtpCheckFailureText('no greeting: timeout', srv)).toBe('Read timeout from server [10.0.0.2]:25');
    expect(smtpCheckFailureText('no HELO reply: connection closed', srv)).toBe('Read failure from server [10.0.0.2]:25');
    expect(smtpCheckFailureText('timeout after 5000 ms', srv)).toBe('Connection timeout to server [10.0.0.2]:25');
    expect(smtpCheckFailureText('connection refused', srv)).toBe('Error connecting to server [10.0.0.2]:25');
    expect(quorumAlertBody(false, true, 1, 0, 1, 0)).toBe('=> Starting with quorum down 1+0=1 <= 0 <=');
  });

  it('guards the wire form', () => {
    expect(isCheckerAlert(rs)).toBe(true);
    expect(isCheckerAlert({ ...rs, alive: 'yes' })).toBe(false);
    expect(isCheckerAlert({ ...rs, kind: 'other' })).toBe(false);
    expect(isCheckerAlert(null)).toBe(false);
  });
});

describe('the mail (keepalived 2.2.7 fixtures)', () => {
  it('formats the Date header as strftime %a, %d %b %Y %H:%M:%S %z', () => {
    const d = new Date(2026, 10, 5, 7, 3, 9);
    const s = formatRfc822Date(d);
    expect(s).toMatch(/^Thu, 05 Nov 2026 07:03:09 [+-]\d{4}$/);
    const off = -d.getTimezoneOffset();
    expect(s.endsWith(`${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}${String(Math.abs(off) % 60).padStart(2, '0')}`)).toBe(true);
  });

  for (const [fixture, scope, name, state, g] of [
    ['vrrp-master', 'INSTANCE', 'VI_1', 'MASTER', globals({ routerId: 'R1', notificationEmailFrom: 'kts@example.com', notificationEmails: ['ops@example.com', 'noc@example.com'] })],
    ['vrrp-backup', 'INSTANCE', 'VI_1', 'BACKUP', globals({ routerId: 'R1', notificationEmailFrom: 'kts@example.com', notificationEmails: ['ops@example.com', 'noc@example.com'] })],
    ['group-backup', 'GROUP', 'G1', 'BACKUP', globals({ routerId: 'R2' })],
  ] as const) {
    it(`matches keepalived's ${fixture} mail byte for byte (Date aside)`, () => {
      const expected = readFileSync(join(FIXTURES, `keepalived-mail-${fixture}.txt`), 'latin1');
      const date = /^Date: (.*)\r$/m.exec(expected)?.[1] ?? '';
      const id = mailIdentity(g, 'vm', 'root');
      const msg = vrrpAlert(scope, name, state, { enabled: true, noEmailFaults: false, lastEmailState: null, routerId: id.routerId });
      expect(msg).not.toBeNull();
      const env = buildAlertMail(msg!, id, new Date());
      expect(transcript(env).replace(/^Date: .*\r$/m, `Date: ${date}\r`)).toBe(expected);
    });
  }

  it('defaults: router_id, HELO and From come from the local name and user', () => {
    expect(mailIdentity(globals(), 'lb1.example.com', 'root')).toMatchObject({ routerId: 'lb1.example.com', heloName: 'lb1.example.com', from: 'root@lb1.example.com' });
    expect(mailIdentity(globals({ routerId: 'R', smtpHeloName: 'h', notificationEmailFrom: 'f@x' }), 'n', 'u')).toMatchObject({ routerId: 'R', heloName: 'h', from: 'f@x' });
  });
});

describe('SmtpAlerter', () => {
  let server: FakeSmtpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const log = pino({ level: 'silent' });

  function recording(): { sent: { endpoint: SmtpEndpoint; env: SmtpEnvelope }[]; alerter: SmtpAlerter } {
    const sent: { endpoint: SmtpEndpoint; env: SmtpEnvelope }[] = [];
    const alerter = new SmtpAlerter({
      log,
      localName: () => 'vm',
      localUser: () => 'root',
      send: (endpoint, env) => {
        sent.push({ endpoint, env });
        return Promise.resolve({ delivered: true, failure: null, log: [] });
      },
    });
    return { sent, alerter };
  }

  it('mails each new instance state once, honours no_email_faults, and stays quiet at shutdown', () => {
    const { sent, alerter } = recording();
    alerter.configure(config(globals({ smtpAlert: true, noEmailFaults: true }), { VI_1: null }));
    alerter.vrrpState('INSTANCE', 'VI_1', 'BACKUP');
    alerter.vrrpState('INSTANCE', 'VI_1', 'MASTER');
    alerter.vrrpState('INSTANCE', 'VI_1', 'FAULT');
    // keepalived: FAULT was not mailed, so MASTER again is the last mailed state: no mail.
    alerter.vrrpState('INSTANCE', 'VI_1', 'MASTER');
    alerter.vrrpState('INSTANCE', 'VI_1', 'BACKUP');
    alerter.shutdown();
    alerter.vrrpState('INSTANCE', 'VI_1', 'STOP');
    expect(sent.map((s) => /Subject: (.*)\r/.exec(s.env.data)?.[1])).toEqual([
      '[vm] VRRP Instance VI_1 - Entering BACKUP state',
      '[vm] VRRP Instance VI_1 - Entering MASTER state',
      '[vm] VRRP Instance VI_1 - Entering BACKUP state',
    ]);
    expect(sent[0]?.endpoint).toEqual({ host: '127.0.0.1', port: 25 });
  });

  it('sends nothing without recipients or without smtp_alert', () => {
    const { sent, alerter } = recording();
    alerter.configure(config(globals({ notificationEmails: [] }), { VI_1: true }));
    alerter.vrrpState('INSTANCE', 'VI_1', 'MASTER');
    alerter.configure(config(globals(), { VI_1: null }));
    alerter.vrrpState('INSTANCE', 'VI_1', 'BACKUP');
    alerter.configure(config(globals({ smtpServer: null }), { VI_1: true }));
    alerter.vrrpState('INSTANCE', 'VI_1', 'FAULT');
    expect(sent).toEqual([]);
  });

  it('delivers to a real SMTP server and logs failures keepalived\'s way', async () => {
    server = await FakeSmtpServer.start();
    const lines: string[] = [];
    const capture = pino({ level: 'info' }, { write: (s: string) => void lines.push((JSON.parse(s) as { msg: string }).msg) });
    const alerter = new SmtpAlerter({ log: capture, localName: () => 'vm', localUser: () => 'root' });
    const g = globals({ smtpServer: { address: '127.0.0.1', family: 'inet', port: server.port, pos: { file: 'k', line: 1 } }, smtpAlert: true });
    alerter.configure(config(g, {}, { G1: null }));
    alerter.vrrpState('GROUP', 'G1', 'MASTER');
    expect(await alerter.drain(3000)).toBe(true);
    expect(server.sessions[0]?.commands).toEqual(['HELO vm', 'MAIL FROM:<root@vm>', 'RCPT TO:<ops@example.com>', 'DATA', 'QUIT']);
    expect(server.sessions[0]?.data).toContain('Subject: [vm] VRRP Group G1 - Entering MASTER state\r\n');
    await server.close();
    server = undefined;
    alerter.vrrpState('GROUP', 'G1', 'BACKUP');
    expect(await alerter.drain(3000)).toBe(true);
    expect(lines.at(-1)).toMatch(/^smtp fd \d+ returned write error$/);
  });
});

describe('Notifier → SmtpAlerter', () => {
  it('the notify port forwards instance and group states', async () => {
    const { Notifier } = await import('../../src/core/notifier.js');
    const seen: string[] = [];
    const alerter = { vrrpState: (scope: string, name: string, state: string) => void seen.push(`${scope} ${name} ${state}`) } as unknown as SmtpAlerter;
    const g = { notifyFifo: null, vrrpNotifyFifo: null, notifyFifoScript: null, vrrpNotifyFifoScript: null, scriptUser: null } as unknown as GlobalDefs;
    const n = new Notifier(g, pino({ level: 'silent' }), alerter);
    n.stateNotify('INSTANCE', 'VI_1', 'MASTER');
    n.stateNotify('GROUP', 'G1', 'BACKUP');
    expect(seen).toEqual(['INSTANCE VI_1 MASTER', 'GROUP G1 BACKUP']);
    n.close();
  });
});
