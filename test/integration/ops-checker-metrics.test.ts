/**
 * Checker metrics in the namespace lab (issues 6 and 7): a router runs keepalived-ts with --metrics and an
 * HTTP_GET pool whose real server is an HTTP server in the client namespace. `/metrics` (scraped inside the
 * router namespace) shows success counts growing and durations observed; once the target is stopped,
 * failures are counted, the real server goes down (gauge 0, one down transition) and `status --json` shows
 * the failing check with its last run time and duration.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, run, waitFor } from '../lab/netns.js';
import type { NsProcess } from '../lab/netns.js';
import { assertBuilt, integrationSkipReason, IMPL, topologyPerTest, vrrpConf } from './helpers.js';
import type { Router } from './helpers.js';
import { validateStatusDocument } from '../../src/ops/status-schema.js';
import type { StatusDocument } from '../../src/ops/status-schema.js';

const SUBNET = '10.88.0';
const RS_PORT = 18088;
const METRICS_PORT = 9652;
const VS = `[${SUBNET}.250]:tcp:80`;
const RS = `[${SUBNET}.100]:tcp:${RS_PORT}`;

/** Sum of the samples of `name` whose labels contain every `k="v"` of `labels`. */
function sample(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** A plain HTTP server answering 200 on every path, in the client namespace. */
function startTarget(client: Router['ns'], address: string, port: number): NsProcess {
  return client.spawn('http-target', process.execPath, ['-e',
    `require('http').createServer((q, s) => { s.end('ok'); }).listen(${port}, '${address}', () => console.log('ready'));`]);
}

describe.skipIf(integrationSkipReason() !== undefined || IMPL !== 'keepalived-ts')('checker metrics in the lab', () => {
  const topology = topologyPerTest();

  it('counts HTTP_GET successes, then failures, and takes the real server down when the target stops', async () => {
    assertBuilt();
    const topo = await topology.build('itckm', SUBNET);
    const r1 = topo.routers[0] as Router;
    const target = startTarget(topo.client, `${SUBNET}.100`, RS_PORT);
    await target.waitForLine(/^ready$/, 10_000);
    const vs = [
      `virtual_server ${SUBNET}.250 80 {`, '    delay_loop 1', '    lb_algo rr', '    lb_kind NAT', '    protocol TCP',
      `    real_server ${SUBNET}.100 ${RS_PORT} {`, '        weight 3', '        HTTP_GET {', '            url {', '                path /',
      '                status_code 200', '            }', '            connect_timeout 1', '            retry 1', '            delay_before_retry 1',
      '        }', '    }', '}',
    ];
    const sock = join(topo.lab.dir, 'r1-ckm-control.sock');
    r1.start(vrrpConf('it-ckm-r1', { vrid: 88, priority: 150, vips: [`${SUBNET}.200/24`], preamble: vs }), 'keepalived-ts',
      ['--control-socket', sock, `--metrics=127.0.0.1:${METRICS_PORT}`]);
    const scrape = async (): Promise<string> => {
      const res = await r1.ns.exec('curl', ['-sf', `http://127.0.0.1:${METRICS_PORT}/metrics`]);
      return res.code === 0 ? res.stdout : '';
    };
    const rsLabels = { virtual_server: VS, real_server: RS };
    const ok = (t: string): number => sample(t, 'keepalived_ts_checker_results_total', { ...rsLabels, checker: 'HTTP_GET', result: 'success' });
    const bad = (t: string): number => sample(t, 'keepalived_ts_checker_results_total', { ...rsLabels, checker: 'HTTP_GET', result: 'failure' });

    const first = await waitFor('a first successful check', async () => {
      const t = await scrape();
      return ok(t) >= 1 ? t : undefined;
    }, 15_000, 200);
    const later = await waitFor('more successful checks', async () => {
      const t = await scrape();
      return ok(t) >= ok(first) + 2 ? t : undefined;
    }, 10_000, 200);
    expect(bad(later)).toBe(0);
    expect(sample(later, 'keepalived_ts_real_server_up', rsLabels)).toBe(1);
    expect(sample(later, 'keepalived_ts_real_server_weight', rsLabels)).toBe(3);
    expect(sample(later, 'keepalived_ts_checker_duration_seconds_count', { checker: 'HTTP_GET' })).toBeGreaterThanOrEqual(ok(later));
    expect(sample(later, 'keepalived_ts_checker_duration_seconds_sum', { checker: 'HTTP_GET' })).toBeGreaterThan(0);
    expect(sample(later, 'keepalived_ts_real_server_transitions_total', { ...rsLabels, to: 'down' })).toBe(0);
    expect(sample(later, 'keepalived_ts_ipvs_reconcile_errors_total')).toBe(0);

    await target.stop();
    const down = await waitFor('the real server down', async () => {
      const t = await scrape();
      return sample(t, 'keepalived_ts_real_server_up', rsLabels) === 0 && t !== '' ? t : undefined;
    }, 15_000, 200);
    // retry 1: two failed attempts before the server is taken down.
    expect(bad(down)).toBeGreaterThanOrEqual(2);
    expect(sample(down, 'keepalived_ts_real_server_transitions_total', { ...rsLabels, to: 'down' })).toBe(1);
    expect(sample(down, 'keepalived_ts_real_server_weight', rsLabels)).toBe(0);

    const res = await run(process.execPath, [join(repoRoot(), 'bin', 'keepalived-ts'), 'status', '--json', '--control-socket', sock]);
    expect(res.code, res.stderr).toBe(0);
    const v = validateStatusDocument(JSON.parse(res.stdout) as unknown);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    const doc: StatusDocument = v.doc;
    const rs = doc.virtualServers[0]?.realServers[0];
    expect(rs?.alive).toBe(false);
    expect(rs?.checks[0]?.status).toBe('down');
    expect(rs?.checks[0]?.lastCheckedAt).not.toBeNull();
    expect(Date.now() - Date.parse(rs?.checks[0]?.lastCheckedAt ?? '0')).toBeLessThan(10_000);
    expect(rs?.checks[0]?.lastDurationMs).toBeGreaterThanOrEqual(0);
    expect(rs?.checks[0]?.detail).not.toBeNull();
  }, 60_000);
});
