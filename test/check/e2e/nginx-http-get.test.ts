/**
 * Issue 5 acceptance, HTTP_GET against Debian's nginx: the seeds' HTTP_GET pools
 * (seed001 LVS-DR `/demo.php` pool, seed003 director's two virtual servers sharing two web
 * servers), loaded through the real config pipeline, checked by the checker worker through
 * startCheckerHost, with nginx instances stopped and restarted under it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adaptSeedConf, type Endpoint } from './seed-adapt.js';
import { destWeights, loadTestConfig, notifyScript, runHost, tempDir, waitForLine, type RunningHost, type TempDir } from './harness.js';
import { freePort, startNginx, type Nginx } from './nginx.js';

const FAST = { delay_loop: 0.2, connect_timeout: 1, delay_before_retry: 0.2 } as const;
const key = (n: Nginx): string => `${n.address}:${n.port}`;

describe('seed001 LVS-DR HTTP_GET pool (test/fixtures/conf/seed001-lvs-dr-restored.conf) against nginx', () => {
  let dir: TempDir;
  let web1: Nginx;
  let web2: Nginx;
  let run: RunningHost | undefined;
  const vs: Endpoint = { address: '127.0.0.199', port: 0 };
  const sorry: Endpoint = { address: '127.0.0.250', port: 8080 };

  beforeAll(async () => {
    dir = tempDir('seed001');
    web1 = await startNginx({ address: '127.0.0.222', pages: { '/demo.php': 'web1 demo\n' } });
    web2 = await startNginx({ address: '127.0.0.223', pages: { '/demo.php': 'web2 demo\n' } });
    (vs as { port: number }).port = await freePort(vs.address);
  });
  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });
  afterAll(async () => {
    await web1.close();
    await web2.close();
    dir.remove();
  });

  it('removes a stopped server after retry failures, returns it on restart, and switches to the sorry server at quorum loss', async () => {
    const notify = notifyScript(dir.path);
    const seed = readFileSync('test/fixtures/conf/seed001-lvs-dr-restored.conf', 'utf8');
    const names = new Map([['192.168.1.222 80', 'web1'], ['192.168.1.223 80', 'web2']]);
    const text = adaptSeedConf(seed, {
      servers: new Map([
        ['192.168.1.199 80', vs],
        ['192.168.1.222 80', web1],
        ['192.168.1.223 80', web2],
      ]),
      delays: FAST,
      virtualServerLines: () => [`sorry_server ${sorry.address} ${sorry.port}`],
      realServerLines: (k) => [`notify_up "${notify.script} up ${names.get(k) ?? k}"`, `notify_down "${notify.script} down ${names.get(k) ?? k}"`],
    });
    const config = loadTestConfig(dir.path, text);
    expect(config.virtualServers[0]?.realServers.map((r) => r.checkers[0]?.kind)).toEqual(['HTTP_GET', 'HTTP_GET']);
    expect(config.virtualServers[0]?.realServers[0]?.checkers[0]).toMatchObject({ retry: 3 });

    run = await runHost(config);
    const both = { [key(web1)]: 1, [key(web2)]: 1 };
    await run.until((s) => s.checkers.length === 2 && s.checkers.every((c) => c.lastOk === true), 'both checks passing');
    expect(destWeights(await run.until(() => true, 'snapshot'))).toEqual(both);
    let dump = await run.host.dump();
    expect(dump).toContain(`TCP  ${vs.address}:${vs.port} rr`);
    expect(dump).toMatch(new RegExp(`-> ${web1.address}:${web1.port}\\s+Route\\s+1\\s`));
    expect(dump).toMatch(new RegExp(`-> ${web2.address}:${web2.port}\\s+Route\\s+1\\s`));
    // nginx saw keepalived's request (HTTP/1.0, KeepAliveClient) for the seed's url
    expect(web1.accessLog().some((l) => l.includes('"GET /demo.php HTTP/1.0" 200') && l.endsWith('"KeepAliveClient"'))).toBe(true);

    // web1 goes away: it leaves the table only once its checker has failed 1 + retry times.
    const isWeb1 = (c: { target: string }): boolean => c.target.startsWith(`[${web1.address}]:tcp:${web1.port}`);
    const attemptsBefore = (await run.until(() => true, 'snapshot')).checkers.find(isWeb1)?.attempts ?? 0;
    await web1.stop();
    let s = await run.until((x) => !(key(web1) in destWeights(x)), 'web1 removed');
    expect(destWeights(s)).toEqual({ [key(web2)]: 1 });
    expect(run.logs).toContain(`info HTTP_CHECK on service [${web1.address}]:tcp:${web1.port} failed after 3 retries.`);
    const c1 = s.checkers.find(isWeb1);
    expect(c1).toMatchObject({ lastOk: false });
    expect((c1?.attempts ?? 0) - attemptsBefore).toBeGreaterThanOrEqual(1 + 3); // nb_get_retry 3
    expect(s.pool.virtualServers[0]?.quorumUp).toBe(true);
    await waitForLine(notify.lines, 'down web1');
    dump = await run.host.dump();
    expect(dump).not.toContain(`-> ${web1.address}:${web1.port}`);
    expect(dump).toContain(`-> ${web2.address}:${web2.port}`);

    // web1 comes back.
    await web1.start();
    s = await run.until((x) => key(web1) in destWeights(x), 'web1 back');
    expect(destWeights(s)).toEqual(both);
    await waitForLine(notify.lines, 'up web1');

    // Everything down: quorum lost, the sorry server takes over.
    await web1.stop();
    await web2.stop();
    s = await run.until((x) => x.pool.virtualServers[0]?.sorryAlive === true, 'sorry server in use');
    expect(destWeights(s)).toEqual({ [`${sorry.address}:${sorry.port}`]: 1 });
    expect(destWeights(s, 0, 'applied')).toEqual({ [`${sorry.address}:${sorry.port}`]: 1 });
    expect(s.pool.virtualServers[0]?.quorumUp).toBe(false);
    await waitForLine(notify.lines, 'down web2');
    dump = await run.host.dump();
    expect(dump).toMatch(new RegExp(`-> ${sorry.address}:${sorry.port}\\s+Route\\s+1\\s`));
    expect(dump).not.toContain(`-> ${web2.address}:${web2.port}`);
    expect(dump).toContain('sorry server = [127.0.0.250]:tcp:8080 (in use)');

    // One server back restores quorum: the sorry server leaves.
    await web2.start();
    s = await run.until((x) => x.pool.virtualServers[0]?.quorumUp === true, 'quorum back');
    expect(destWeights(s)).toEqual({ [key(web2)]: 1 });
    await waitForLine(notify.lines, 'up web2');
    await run.until(() => notify.lines().filter((l) => l === 'down web1').length === 2, 'second notify_down of web1');
    await web1.start();
  });
});

describe('seed003 director: two virtual servers sharing two nginx web servers (test/fixtures/conf/seed003-director1.conf)', () => {
  let dir: TempDir;
  let web10: Nginx;
  let web20: Nginx;
  let run: RunningHost | undefined;

  beforeAll(async () => {
    dir = tempDir('seed003');
    web10 = await startNginx({ address: '127.0.0.10', pages: { '/': 'web10 index\n' } });
    web20 = await startNginx({ address: '127.0.0.20', pages: { '/': 'web20 index\n' } });
  });
  afterAll(async () => {
    await run?.stop();
    await web10.close();
    await web20.close();
    dir.remove();
  });

  it('keeps a failed server at weight 0 in both virtual servers with inhibit_on_failure, back to 1 on restart', async () => {
    const notify = notifyScript(dir.path);
    const vs111: Endpoint = { address: '127.0.0.111', port: await freePort('127.0.0.111') };
    const vs222: Endpoint = { address: '127.0.0.112', port: await freePort('127.0.0.112') };
    const seed = readFileSync('test/fixtures/conf/seed003-director1.conf', 'utf8');
    const names = new Map([['192.168.0.10 80', 'web10'], ['192.168.0.20 80', 'web20']]);
    const text = adaptSeedConf(seed, {
      servers: new Map([
        ['192.168.0.111 80', vs111],
        ['192.168.0.222 80', vs222],
        ['192.168.0.10 80', web10],
        ['192.168.0.20 80', web20],
      ]),
      delays: FAST,
      realServerLines: (k) => ['inhibit_on_failure', `notify_down "${notify.script} down ${names.get(k) ?? k}"`, `notify_up "${notify.script} up ${names.get(k) ?? k}"`],
    });
    const config = loadTestConfig(dir.path, text);
    expect(config.virtualServers).toHaveLength(2);
    expect(config.vrrpInstances).toHaveLength(2); // the seed's VRRP part is loaded too, the checker ignores it

    run = await runHost(config);
    const up = { [key(web10)]: 1, [key(web20)]: 1 };
    await run.until((s) => s.checkers.length === 4 && s.checkers.every((c) => c.lastOk === true), 'four checks passing');

    await web20.stop();
    const s = await run.until((x) => destWeights(x, 0)[key(web20)] === 0 && destWeights(x, 1)[key(web20)] === 0, 'web20 at weight 0 in both services');
    const inhibited = { [key(web10)]: 1, [key(web20)]: 0 };
    expect(destWeights(s, 0)).toEqual(inhibited);
    expect(destWeights(s, 1)).toEqual(inhibited);
    expect(s.pool.virtualServers.map((v) => v.quorumUp)).toEqual([true, true]);
    const dump = await run.host.dump();
    for (const v of [vs111, vs222]) expect(dump).toContain(`TCP  ${v.address}:${v.port} rr`);
    expect(dump.match(new RegExp(`-> ${web20.address}:${web20.port}\\s+Route\\s+0\\s`, 'g'))).toHaveLength(2);
    expect(dump.match(new RegExp(`-> ${web10.address}:${web10.port}\\s+Route\\s+1\\s`, 'g'))).toHaveLength(2);
    await waitForLine(notify.lines, 'down web20');
    // one checker per virtual server: the server is reported down once per virtual server
    await run.until(() => notify.lines().filter((l) => l === 'down web20').length === 2, 'two notify_down runs');

    await web20.start();
    const back = await run.until((x) => destWeights(x, 0)[key(web20)] === 1 && destWeights(x, 1)[key(web20)] === 1, 'web20 back');
    expect(destWeights(back, 0)).toEqual(up);
    expect(destWeights(back, 1)).toEqual(up);
    await waitForLine(notify.lines, 'up web20');
    expect(notify.lines().filter((l) => l.includes('web10'))).toEqual([]);
  });
});
