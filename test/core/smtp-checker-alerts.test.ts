/**
 * smtp_alert events of the checker side: the engine reports checker transitions (with the checker's
 * text), the pool quorum changes and omega shutdowns; `checkerAlert` turns them into keepalived's mails.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { CheckerEngine } from '../../src/check/engine.js';
import { LvsPool, type PoolEffect } from '../../src/check/pool.js';
import type { ProbeOutcome } from '../../src/check/probes/types.js';
import { checkerAlert, type CheckerAlert } from '../../src/core/smtp-alerts.js';
import { model } from '../check/helpers.js';

const alerts = (fx: readonly PoolEffect[]): CheckerAlert[] => fx.flatMap((e) => (e.kind === 'alert' ? [e.alert] : []));

function conf(kind: 'TCP_CHECK' | 'MISC_CHECK', extra = ''): string {
  const checker = kind === 'TCP_CHECK' ? 'TCP_CHECK { connect_timeout 1\n retry 0 }' : 'MISC_CHECK { misc_path "/bin/true" }';
  return `global_defs {
  router_id LB1
  notification_email { ops@example.com }
  smtp_server 127.0.0.1
}
virtual_server 10.0.0.1 80 {
  protocol TCP
  delay_loop 10
  quorum 1
  smtp_alert
  ${extra}
  real_server 192.168.0.2 80 { ${checker} }
}`;
}

async function run(kind: 'TCP_CHECK' | 'MISC_CHECK', outcomes: ProbeOutcome[], extra = ''): Promise<{ fx: PoolEffect[]; engine: CheckerEngine }> {
  const config = model(conf(kind, extra));
  const clock = new FakeClock(0);
  const fx: PoolEffect[] = [];
  const engine = new CheckerEngine({
    config,
    clock,
    random: () => 0,
    onTable: () => undefined,
    onEffects: (e) => fx.push(...e),
    probeFactory: () => () => Promise.resolve(outcomes.shift() ?? { ok: true }),
  });
  engine.start();
  for (let i = 0; i < 3; i++) {
    clock.advance(10_000_000);
    for (let j = 0; j < 5; j++) await Promise.resolve();
  }
  return { fx, engine };
}

describe('checker smtp_alert events', () => {
  it('a TCP checker going down then up: real server and quorum mails with keepalived\'s texts', async () => {
    const { fx } = await run('TCP_CHECK', [{ ok: false, reason: 'refused' }, { ok: true }]);
    const config = model(conf('TCP_CHECK'));
    const mails = alerts(fx).map((a) => checkerAlert(a, config.globalDefs, 'LB1'));
    // keepalived's order too: update_quorum_state mails the virtual server, then the checker its real server.
    expect(mails).toEqual([
      { subject: '[LB1] Virtualserver [10.0.0.1]:tcp:80 - DOWN', body: '=> Lost quorum 1+0=1 <= 0 <=' },
      { subject: '[LB1] Realserver [192.168.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN', body: '=> TCP CHECK failed on service <=' },
      { subject: '[LB1] Virtualserver [10.0.0.1]:tcp:80 - UP', body: '=> Gained quorum 1+0=1 <= 1 <=' },
      { subject: '[LB1] Realserver [192.168.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - UP', body: '=> TCP CHECK succeed on service <=' },
    ]);
    expect(alerts(fx).map((a) => a.kind)).toEqual(['virtualserver', 'realserver', 'virtualserver', 'realserver']);
  });

  it('a checker staying up sends nothing; MISC_CHECK reports its first result (keepalived does)', async () => {
    expect(alerts((await run('TCP_CHECK', [{ ok: true }, { ok: true }])).fx)).toEqual([]);
    const misc = alerts((await run('MISC_CHECK', [{ ok: true }, { ok: true }])).fx);
    expect(misc).toHaveLength(1);
    expect(misc[0]).toMatchObject({ kind: 'realserver', alive: true, aliveChanged: false, body: '=> MISC CHECK succeeded on service <=' });
  });

  it('omega: shutdown mails for the alive real servers and the virtual server', () => {
    const config = model(conf('TCP_CHECK', 'omega'));
    const pool = new LvsPool(config.virtualServers);
    pool.start();
    const out = alerts(pool.stop());
    expect(out).toMatchObject([
      { kind: 'realserver-removed', virtualServer: '[10.0.0.1]:tcp:80', realServer: '[192.168.0.2]:tcp:80', body: '=> Shutting down <=' },
      { kind: 'virtualserver', virtualServer: '[10.0.0.1]:tcp:80', up: false, body: '=> Shutting down <=', smtpAlert: true },
    ]);
    expect(out).toHaveLength(2);
    expect(alerts(new LvsPool(model(conf('TCP_CHECK')).virtualServers).stop())).toEqual([]);
  });
});
