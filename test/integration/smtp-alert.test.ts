/**
 * smtp_alert end to end: two routers with `smtp_alert` and an SMTP sink (test/integration/smtp-sink.mjs)
 * on the client host. Each router mails its state changes; a kill -9 of the master makes the backup
 * mail "Entering MASTER state" with keepalived's headers, envelope and body.
 * `KTS_IT_IMPL=keepalived` runs the same expectations against keepalived 2.2.7.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../lab/netns.js';
import type { NsProcess } from '../lab/netns.js';
import { localName } from '../../src/io/smtp/local-name.js';
import { IMPL, assertBuilt, integrationSkipReason, masterDownMs, topologyPerTest, vrrpConf, waitForMaster } from './helpers.js';
import type { Router } from './helpers.js';

const VIP = '10.87.0.200';
const SUBNET = '10.87.0';
const SINK = `${SUBNET}.100`;
const SINK_PORT = 2525;

interface Mail {
  readonly commands: readonly string[];
  readonly data: string | null;
}

function conf(r: Router, priority: number): string {
  const base = vrrpConf(`it-${r.role}`, {
    vrid: 87,
    priority,
    state: priority > 100 ? 'MASTER' : 'BACKUP',
    advertInt: 1,
    vips: [`${VIP}/24`],
    instanceLines: ['smtp_alert'],
  });
  return base.replace(
    'global_defs {\n',
    [
      'global_defs {',
      '    notification_email {',
      '        ops@example.com',
      '        noc@example.com',
      '    }',
      '    notification_email_from kts@example.com',
      `    smtp_server ${SINK} ${SINK_PORT}`,
      '    smtp_connect_timeout 5',
      '',
    ].join('\n'),
  );
}

function mails(sink: NsProcess): Mail[] {
  return sink.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Mail);
}

function subjectOf(m: Mail): string | undefined {
  return /^Subject: (.*)\r$/m.exec(m.data ?? '')?.[1];
}

function waitForMail(sink: NsProcess, subject: string, timeoutMs: number): Promise<Mail> {
  return waitFor(`mail "${subject}"`, () => mails(sink).find((m) => subjectOf(m) === subject), timeoutMs, 50);
}

describe.skipIf(integrationSkipReason() !== undefined)('smtp_alert', () => {
  const topology = topologyPerTest();

  it('a failover mails "Entering MASTER state" with keepalived\'s envelope, headers and body', async () => {
    assertBuilt();
    const topo = await topology.build('itsm', SUBNET);
    const [r1, r2] = topo.routers as [Router, Router];
    const sink = topo.client.spawn('smtp-sink', process.execPath, ['test/integration/smtp-sink.mjs', SINK, String(SINK_PORT)]);
    await sink.waitForLine(/^listening /, 5000);

    r1.start(conf(r1, 150));
    r2.start(conf(r2, 100));
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(100, 1) + 4000);
    await waitForMail(sink, '[it-r1] VRRP Instance VI_1 - Entering MASTER state', 5000);
    const backup = await waitForMail(sink, '[it-r2] VRRP Instance VI_1 - Entering BACKUP state', 5000);
    expect(backup.data).toContain('\r\n\r\n=> VRRP Instance is no longer owning VRRP VIPs <=\r\n\r\n');

    await r1.kill9();
    await r1.ns.setLink('eth0', false);
    const m = await waitForMail(sink, '[it-r2] VRRP Instance VI_1 - Entering MASTER state', masterDownMs(100, 1) + 5000);
    expect(m.commands).toEqual([
      `HELO ${localName()}`,
      'MAIL FROM:<kts@example.com>',
      'RCPT TO:<ops@example.com>',
      'RCPT TO:<noc@example.com>',
      'DATA',
      'QUIT',
    ]);
    expect(m.data).toMatch(
      /^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}\r\n/,
    );
    expect(m.data?.replace(/^Date: .*\r\n/, '')).toBe(
      'From: kts@example.com\r\n' +
        'Subject: [it-r2] VRRP Instance VI_1 - Entering MASTER state\r\n' +
        'X-Mailer: Keepalived\r\n' +
        'To: ops@example.com, noc@example.com\r\n' +
        '\r\n' +
        '=> VRRP Instance is now owning VRRP VIPs <=\r\n' +
        '\r\n',
    );
    // -D (the harness starts both implementations with it): keepalived's detail lines.
    await r2.proc!.waitForLine(new RegExp(`Remote SMTP server \\[${SINK.replace(/\./g, '\\.')}\\]:${SINK_PORT} connected\\.`), 2000);
    await r2.proc!.waitForLine(/SMTP alert successfully sent\./, 2000);
    // Each state is mailed once per router.
    const subjects = mails(sink).map(subjectOf).filter((s) => s !== undefined);
    expect(subjects.filter((s) => s === '[it-r2] VRRP Instance VI_1 - Entering MASTER state')).toHaveLength(1);
  });

  it('an unreachable SMTP server is logged keepalived\'s way and VRRP carries on', async () => {
    assertBuilt();
    const topo = await topology.build('itsm', SUBNET);
    const [r1] = topo.routers as [Router, Router];
    // Nothing listens on the client: the connection is refused (keepalived: EPOLLERR on the connect).
    const proc = r1.start(conf(r1, 150));
    await waitForMaster(topo.routers, VIP, r1, masterDownMs(150, 1) + 4000);
    await proc.waitForLine(/smtp fd \d+ returned write error/, 5000);
    expect(await r1.hasVip(VIP)).toBe(true);
  });

  it.skipIf(IMPL === 'keepalived')('a real server going down mails from the checker side (worker → main)', async () => {
    // keepalived 2.2.7's checker process needs kernel IPVS (absent here); keepalived-ts falls back to memory.
    assertBuilt();
    const topo = await topology.build('itsm', SUBNET);
    const [r1] = topo.routers as [Router, Router];
    const sink = topo.client.spawn('smtp-sink', process.execPath, ['test/integration/smtp-sink.mjs', SINK, String(SINK_PORT)]);
    const backend = topo.client.spawn('rs', process.execPath, ['test/integration/smtp-sink.mjs', SINK, '8080']);
    await sink.waitForLine(/^listening /, 5000);
    await backend.waitForLine(/^listening /, 5000);
    const vs = [
      `virtual_server ${VIP} 80 {`,
      '    delay_loop 1',
      '    lb_algo rr',
      '    lb_kind NAT',
      '    protocol TCP',
      '    smtp_alert',
      `    real_server ${SINK} 8080 {`,
      '        TCP_CHECK {',
      '            connect_timeout 1',
      '            retry 0',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n');
    const proc = r1.start(`${conf(r1, 150)}\n${vs}`);
    await proc.waitForLine(/TCP connection to \[10\.87\.0\.100\]:tcp:8080 success/, 10_000);
    expect(mails(sink).filter((m) => subjectOf(m)?.includes('Realserver') === true)).toEqual([]);
    await backend.stop('SIGKILL');
    const rsMail = await waitForMail(sink, `[it-r1] Realserver [${SINK}]:tcp:8080 of virtual server [${VIP}]:tcp:80 - DOWN`, 8000);
    expect(rsMail.data).toContain('\r\n\r\n=> TCP CHECK failed on service <=\r\n');
    const vsMail = await waitForMail(sink, `[it-r1] Virtualserver [${VIP}]:tcp:80 - DOWN`, 2000);
    expect(vsMail.data).toContain('\r\n\r\n=> Lost quorum 1+0=1 <= 0 <=\r\n');
  });
});
