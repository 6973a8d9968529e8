/**
 * Issue 5 acceptance, the rest of the list through the whole checker host (worker thread, real
 * config pipeline): an SMTP greeter pool (SMTP_CHECK, with quorum scripts) and the UDP DNS pool of
 * `test/fixtures/conf/feat-lvs-udp-dns.conf` (DNS_CHECK), each server stopped and restarted.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startDnsResponder, startSmtpGreeter, type DnsResponder, type SmtpGreeter } from './greeters.js';
import { destWeights, loadTestConfig, notifyScript, runHost, tempDir, waitForLine, type RunningHost, type TempDir } from './harness.js';
import { freePort } from './nginx.js';
import { adaptSeedConf } from './seed-adapt.js';

describe('whole-host SMTP_CHECK and DNS_CHECK', () => {
  let dir: TempDir | undefined;
  let run: RunningHost | undefined;
  const servers: (SmtpGreeter | DnsResponder)[] = [];
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    for (const s of servers.splice(0)) await s.stop();
    dir?.remove();
  });

  it('SMTP greeters: a stopped greeter leaves the pool (quorum_down), a restarted one returns (quorum_up)', async () => {
    dir = tempDir('smtp');
    const notify = notifyScript(dir.path);
    const mx1 = await startSmtpGreeter('127.0.0.26', 'mx1.test');
    const mx2 = await startSmtpGreeter('127.0.0.27', 'mx2.test');
    servers.push(mx1, mx2);
    const vsPort = await freePort('127.0.0.25');
    const rs = (g: SmtpGreeter, name: string): string => `
    real_server ${g.address} ${g.port} {
        weight 1
        notify_up "${notify.script} up ${name}"
        notify_down "${notify.script} down ${name}"
        SMTP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 0.2
            helo_name e2e.keepalived.test
        }
    }`;
    const config = loadTestConfig(
      dir.path,
      `virtual_server 127.0.0.25 ${vsPort} {
    delay_loop 0.2
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    quorum 2
    quorum_up "${notify.script} quorum up"
    quorum_down "${notify.script} quorum down"
${rs(mx1, 'mx1')}
${rs(mx2, 'mx2')}
}
`,
    );
    run = await runHost(config);
    const both = { [`${mx1.address}:${mx1.port}`]: 1, [`${mx2.address}:${mx2.port}`]: 1 };
    await run.until((s) => s.checkers.length === 2 && s.checkers.every((c) => c.lastOk === true), 'both greeters pass');
    expect(mx1.helos).toContain('e2e.keepalived.test');
    expect(destWeights(await run.until(() => true, 'snapshot'))).toEqual(both);

    const before = (await run.until(() => true, 'snapshot')).checkers[1]?.attempts ?? 0;
    await mx2.stop();
    const s = await run.until((x) => !(`${mx2.address}:${mx2.port}` in destWeights(x)), 'mx2 removed');
    expect((s.checkers[1]?.attempts ?? 0) - before).toBeGreaterThanOrEqual(1 + 1); // retry 1
    expect(s.checkers[1]?.lastReason).toMatch(/refused|closed/i);
    expect(destWeights(s)).toEqual({ [`${mx1.address}:${mx1.port}`]: 1 });
    expect(s.pool.virtualServers[0]?.quorumUp).toBe(false); // weight 1 < quorum 2
    await waitForLine(notify.lines, 'down mx2');
    await waitForLine(notify.lines, 'quorum down');
    expect(await run.host.dump()).toMatch(new RegExp(`-> ${mx1.address}:${mx1.port}\\s+Masq\\s+1\\s`));

    await mx2.start();
    const back = await run.until((x) => x.pool.virtualServers[0]?.quorumUp === true, 'quorum back');
    expect(destWeights(back)).toEqual(both);
    await waitForLine(notify.lines, 'up mx2');
    await waitForLine(notify.lines, 'quorum up');
    expect(notify.lines().filter((l) => l.includes('mx1'))).toEqual([]);
  });

  it('DNS responders of feat-lvs-udp-dns.conf: a stopped responder leaves the UDP service and returns on restart', async () => {
    dir = tempDir('dns');
    const notify = notifyScript(dir.path);
    const ns1 = await startDnsResponder('127.0.0.11');
    const ns2 = await startDnsResponder('127.0.0.12');
    servers.push(ns1, ns2);
    const vs = { address: '127.0.0.53', port: await freePort('127.0.0.53') };
    const names = new Map([['10.20.3.11 53', 'ns1'], ['10.20.3.12 53', 'ns2']]);
    const text = adaptSeedConf(readFileSync('test/fixtures/conf/feat-lvs-udp-dns.conf', 'utf8'), {
      servers: new Map([
        ['192.168.100.53 53', vs],
        ['10.20.3.11 53', ns1],
        ['10.20.3.12 53', ns2],
      ]),
      delays: { delay_loop: 0.2 },
      checkerLines: ['connect_timeout 0.5', 'retry 1', 'delay_before_retry 0.2'],
      realServerLines: (k) => [`notify_up "${notify.script} up ${names.get(k) ?? k}"`, `notify_down "${notify.script} down ${names.get(k) ?? k}"`],
    });
    const config = loadTestConfig(dir.path, text);
    expect(config.virtualServers[0]?.protocol).toBe('UDP');
    run = await runHost(config);
    const k1 = `${ns1.address}:${ns1.port}`;
    const k2 = `${ns2.address}:${ns2.port}`;
    await run.until((s) => s.checkers.length === 2 && s.checkers.every((c) => c.lastOk === true), 'both responders pass');
    expect(ns1.names).toContain('example.com');
    expect(destWeights(await run.until(() => true, 'snapshot'))).toEqual({ [k1]: 1, [k2]: 1 });
    expect(await run.host.dump()).toContain(`UDP  ${vs.address}:${vs.port} rr`);

    await ns1.stop();
    const s = await run.until((x) => !(k1 in destWeights(x)), 'ns1 removed');
    expect(destWeights(s)).toEqual({ [k2]: 1 });
    expect(s.checkers[0]?.lastReason).toMatch(/timeout|refused/);
    await waitForLine(notify.lines, 'down ns1');
    const dump = await run.host.dump();
    expect(dump).not.toContain(`-> ${k1}`);
    expect(dump).toMatch(new RegExp(`-> ${k2}\\s+Route\\s+1\\s`));

    await ns1.start();
    expect(ns1.port).toBe(Number(k1.split(':')[1]));
    const back = await run.until((x) => k1 in destWeights(x), 'ns1 back');
    expect(destWeights(back)).toEqual({ [k1]: 1, [k2]: 1 });
    await waitForLine(notify.lines, 'up ns1');
  });
});
