/**
 * Issue 5 acceptance, `digest` checks against Debian's nginx: seed001's SSL_GET virtual server
 * (two urls, each with an MD5 `digest`), digests computed with the project's genhash against the
 * running nginx, then the page content changed / nginx stopped and restored under the checker
 * host. Run twice: as published (SSL_GET, nginx with a self-signed openssl certificate) and with
 * the checker switched to HTTP_GET against a plain-HTTP nginx.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { genhashDigest, type GenhashOptions } from '../../../src/check/index.js';
import { adaptSeedConf, type Endpoint } from './seed-adapt.js';
import { destWeights, loadTestConfig, notifyScript, runHost, tempDir, waitForLine, type RunningHost, type TempDir } from './harness.js';
import { freePort, startNginx, type Nginx } from './nginx.js';

const SEED = 'test/fixtures/check/seed001-lvs-ssl-restored.conf';
const INDEX = '<html><body>seed001 real server</body></html>\n';
const MRTG = '<html><body>mrtg graphs</body></html>\n';
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

async function genhash(n: Nginx, url: string): Promise<string> {
  const o: GenhashOptions = { server: n.address, port: n.port, url, ssl: n.tls, sni: false, virtualhost: null, protocol: '1.0', timeoutSec: 2, verbose: false };
  const r = await genhashDigest(o);
  if (!r.ok) throw new Error(`genhash ${url}: ${r.error}`);
  return r.digest;
}

describe.each([
  { kind: 'SSL_GET', tls: true },
  { kind: 'HTTP_GET', tls: false },
] as const)('seed001 $kind with url digests against nginx (tls: $tls)', ({ kind, tls }) => {
  let dir: TempDir | undefined;
  let web: Nginx | undefined;
  let run: RunningHost | undefined;
  afterEach(async () => {
    await run?.stop();
    await web?.close();
    dir?.remove();
  });

  it('follows digest mismatches and a stopped server, and takes the server back when they are fixed', async () => {
    dir = tempDir(`digest-${kind}`);
    web = await startNginx({ address: '127.0.0.100', pages: { '/': INDEX, '/mrtg/': MRTG }, tls });
    const w = web;
    const digests = new Map([
      ['/', await genhash(w, '/')],
      ['/mrtg/', await genhash(w, '/mrtg/')],
    ]);
    // genhash hashes exactly the body nginx serves
    expect(digests).toEqual(new Map([['/', md5(INDEX)], ['/mrtg/', md5(MRTG)]]));

    const notify = notifyScript(dir.path);
    const vs: Endpoint = { address: '127.0.0.200', port: await freePort('127.0.0.200') };
    const text = adaptSeedConf(readFileSync(SEED, 'utf8'), {
      servers: new Map([
        ['192.168.200.100 443', vs],
        ['192.168.201.100 443', w],
      ]),
      delays: { delay_loop: 0.2, connect_timeout: 1, delay_before_retry: 0.2 },
      digests,
      ...(kind === 'HTTP_GET' ? { checkerKind: { from: 'SSL_GET', to: 'HTTP_GET' } } : {}),
      realServerLines: () => [`notify_up "${notify.script} up"`, `notify_down "${notify.script} down"`],
    });
    const config = loadTestConfig(dir.path, text);
    const checker = config.virtualServers[0]?.realServers[0]?.checkers[0];
    expect(checker?.kind).toBe(kind);
    expect(checker !== undefined && 'urls' in checker ? checker.urls.map((u) => [u.path, u.digest]) : []).toEqual([...digests]);

    run = await runHost(config);
    const r = run;
    const me = `${w.address}:${w.port}`;
    await r.until((s) => s.checkers[0]?.lastOk === true, 'digest check passing');
    expect(destWeights(await r.until(() => true, 'snapshot'))).toEqual({ [me]: 1 });
    const dump = await r.host.dump();
    expect(dump).toContain(`TCP  ${vs.address}:${vs.port} rr persistent 50`);
    expect(dump).toMatch(new RegExp(`-> ${me}\\s+Masq\\s+1\\s`));

    // The page changes: the digest no longer matches, the server leaves after its retries.
    w.setPage('/mrtg/', '<html><body>mrtg is broken</body></html>\n');
    let s = await r.until((x) => !(me in destWeights(x)), 'server removed on digest mismatch');
    expect(s.checkers[0]?.lastReason).toContain('MD5 digest error to [/mrtg/]');
    expect(s.pool.virtualServers[0]?.quorumUp).toBe(false);
    await waitForLine(notify.lines, 'down');
    expect(await r.host.dump()).not.toContain(`-> ${me}`);

    w.setPage('/mrtg/', MRTG);
    s = await r.until((x) => me in destWeights(x), 'server back with the right page');
    expect(destWeights(s)).toEqual({ [me]: 1 });
    await waitForLine(notify.lines, 'up');

    // nginx itself stops and comes back.
    await w.stop();
    s = await r.until((x) => !(me in destWeights(x)), 'server removed when nginx stops');
    expect(s.checkers[0]?.lastReason).not.toContain('MD5');
    await w.start();
    s = await r.until((x) => me in destWeights(x), 'server back after restart');
    // the scripts run asynchronously to the table update: wait for the fourth before comparing
    await r.until(() => notify.lines().length >= 4, 'fourth notify script');
    expect(notify.lines()).toEqual(['down', 'up', 'down', 'up']);
  });
});
