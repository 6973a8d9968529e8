/**
 * `--signum=JSON` (36) and `--signum=STATS_CLEAR` (63) on a running daemon: two routers, two instances
 * (r1 MASTER of VI_1 over multicast with a track_script, BACKUP of VI_2 over unicast). `kill -36`
 * must leave the daemon running and write $TMPDIR/keepalived.json in keepalived's layout (same keys
 * and types as the recorded keepalived 2.2.7 fixture) reflecting the live state; `kill -63` writes the
 * stats dump and clears the counters. `KTS_IT_IMPL=keepalived` runs the same checks against keepalived.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/netns.js';
import { assertBuilt, integrationSkipReason, topologyPerTest } from './helpers.js';
import type { Router } from './helpers.js';

type JsonInstance = { data: Record<string, unknown>; stats: Record<string, number> };

const fixture = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'core', 'fixtures', 'keepalived-2.2.7.json'), 'utf8'),
) as JsonInstance[];

const SUBNET = '10.93.0';
const VIP1 = `${SUBNET}.201`;
const VIP2 = `${SUBNET}.202`;

function conf(routerId: string, self: string, peer: string, prio1: number, prio2: number, withScript: boolean): string {
  return [
    'global_defs {', `  router_id ${routerId}`, '}',
    ...(withScript ? ['vrrp_script chk_ok {', '  script "/bin/true"', '  interval 1', '  weight 10', '}'] : []),
    'vrrp_instance VI_1 {', '  state BACKUP', '  interface eth0', '  virtual_router_id 61', `  priority ${prio1}`, '  advert_int 1',
    '  authentication {', '    auth_type PASS', '    auth_pass jsonpw', '  }',
    ...(withScript ? ['  track_script {', '    chk_ok', '  }', '  notify_master "/bin/echo master"'] : []),
    '  virtual_ipaddress {', `    ${VIP1}/24`, '  }', '}',
    'vrrp_instance VI_2 {', '  state BACKUP', '  interface eth0', '  virtual_router_id 62', `  priority ${prio2}`, '  advert_int 1',
    `  unicast_src_ip ${self}`, '  unicast_peer {', `    ${peer}`, '  }',
    '  virtual_ipaddress {', `    ${VIP2}/24`, '  }', '}', '',
  ].join('\n');
}

/** Deletes the old dump, sends `signo` to the daemon and returns the new document. */
async function dumpJson(r: Router, tmp: string): Promise<JsonInstance[]> {
  const path = join(tmp, 'keepalived.json');
  rmSync(path, { force: true });
  process.kill(r.proc!.pid!, 36);
  await waitFor('keepalived.json', () => existsSync(path) && readFileSync(path, 'utf8').endsWith('\n'), 3000);
  return JSON.parse(readFileSync(path, 'utf8')) as JsonInstance[];
}

const typeOf = (v: unknown): string => (Array.isArray(v) ? `array<${[...new Set(v.map((e) => typeof e))].join('|')}>` : typeof v);
const shape = (o: object): [string, string][] => Object.entries(o).map(([k, v]) => [k, typeOf(v)]);

describe.skipIf(integrationSkipReason() !== undefined)('keepalived.json and STATS_CLEAR signals', () => {
  const topology = topologyPerTest();

  it('kill -36 writes keepalived.json with the live state and the daemon keeps running; kill -63 clears the counters', async () => {
    assertBuilt();
    const topo = await topology.build('itj', SUBNET, 2);
    const [r1, r2] = [topo.routers[0]!, topo.routers[1]!];
    const tmp = join(topo.lab.dir, 'tmp');
    mkdirSync(tmp);
    r2.start(conf('it-r2', r2.ip, r1.ip, 100, 200, false));
    r1.start(conf('it-r1', r1.ip, r2.ip, 150, 50, true), undefined, [], { TMPDIR: tmp });
    await waitFor('r1 MASTER of VI_1', () => r1.hasVip(VIP1), 8000);
    await waitFor('r2 MASTER of VI_2', () => r2.hasVip(VIP2), 8000);
    await sleep(2500); // a few adverts each way

    const doc = await dumpJson(r1, tmp);
    expect(r1.proc!.running).toBe(true);
    expect(statSync(join(tmp, 'keepalived.json')).mode & 0o777).toBe(0o600);
    expect(doc.map((i) => i.data['iname'])).toEqual(['VI_1', 'VI_2']);
    const [vi1, vi2] = [doc[0]!, doc[1]!];
    // Same key order and JSON types as keepalived 2.2.7's dump of similar instances (fixture VI_1: multicast
    // MASTER with auth, track_script, notify scripts; VI_2: unicast BACKUP without them).
    const want1 = Object.fromEntries(shape(fixture[0]!.data).filter(([k]) => !['script_backup', 'script', 'evips'].includes(k)));
    expect(Object.fromEntries(shape(vi1.data))).toEqual(want1);
    expect(shape(vi1.data).map(([k]) => k)).toEqual(Object.keys(want1));
    expect(shape(vi2.data)).toEqual(shape(fixture[1]!.data));
    expect(shape(vi1.stats)).toEqual(shape(fixture[0]!.stats));

    expect(vi1.data).toMatchObject({
      state: 2, wantstate: 2, vipset: true, vrid: 61, base_priority: 150, effective_priority: 160, auth_type: 1, auth_data: 'jsonpw',
      adver_int: 1, master_adver_int: 1, vips: [`${VIP1}/24 dev eth0 scope global set`], ifp_ifname: 'eth0',
    });
    expect(vi1.data['track_script']).toEqual([expect.stringMatching(/^'\/(usr\/)?bin\/true'$/)]);
    expect(vi2.data).toMatchObject({ state: 1, vipset: false, master_priority: 200, base_priority: 50, vips: [`${VIP2}/24 dev eth0 scope global`] });
    expect(vi1.stats['become_master']).toBe(1);
    expect(vi1.stats['advert_sent']).toBeGreaterThan(1);
    expect(vi2.stats['advert_rcvd']).toBeGreaterThan(1);
    const lastTransition = vi1.data['last_transition'] as number;
    expect(Math.abs(lastTransition - Date.now() / 1000)).toBeLessThan(60);

    // STATS_CLEAR: the stats file is written with the counters as they were, then they restart from 0.
    const statsPath = join(tmp, 'keepalived.stats');
    rmSync(statsPath, { force: true });
    process.kill(r1.proc!.pid!, 63);
    await waitFor('keepalived.stats', () => existsSync(statsPath) && readFileSync(statsPath, 'utf8').includes('VI_2'), 3000);
    expect(readFileSync(statsPath, 'utf8')).toMatch(/Became master: 1/);
    const after = await dumpJson(r1, tmp);
    expect(r1.proc!.running).toBe(true);
    expect(after[0]!.stats['become_master']).toBe(0);
    expect(after[0]!.stats['advert_sent']).toBeLessThan(vi1.stats['advert_sent']!);
    expect(after[1]!.stats['advert_rcvd']).toBeLessThan(vi2.stats['advert_rcvd']!);
    expect(after[0]!.data['state']).toBe(2);
    expect(await r1.hasVip(VIP1)).toBe(true);
  });
});
