/**
 * `npm run lab` — the README's main job: a VRRP failover you can watch.
 *
 * Builds two routers and a client on one bridge (network namespaces, nothing touches the host's own
 * network), starts keepalived-ts on both routers with conf/lab/router1.conf and router2.conf, shows which
 * router is MASTER and that the client reaches the virtual address, kills the master with SIGKILL, measures
 * how long the VIP takes to move and the client to reach it again, restarts router 1 (it preempts back),
 * and removes everything — also on failure or Ctrl-C.
 *
 * `KTS_LAB_IMPL=keepalived npm run lab` runs the same scenario with the reference keepalived 2.2.7.
 * Exit code 0 when every step succeeded, 1 otherwise.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Lab, repoRoot, sleep, waitFor } from './netns.js';
import type { Netns, NsProcess } from './netns.js';

const SUBNET_PREFIX = '10.77.0';
const VIP = `${SUBNET_PREFIX}.200`;
/** Values from conf/lab/*.conf: advert_int 1 s, backup priority 100 ⇒ Master_Down_Interval = 3 s + skew. */
const ADVERT_INT_S = 1;
const BACKUP_PRIORITY = 100;
const MASTER_DOWN_MS = 3 * ADVERT_INT_S * 1000 + ((256 - BACKUP_PRIORITY) / 256) * ADVERT_INT_S * 1000;

const impl = process.env['KTS_LAB_IMPL'] === 'keepalived' ? 'keepalived' : 'keepalived-ts';
const t0 = Date.now();

function say(msg: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(2).padStart(6);
  process.stdout.write(`[${s}s] ${msg}\n`);
}

function start(r: Netns, conf: string): NsProcess {
  return impl === 'keepalived' ? r.startKeepalived(conf) : r.startKeepalivedTs(conf);
}

/** Which routers currently hold the VIP. */
async function holders(routers: readonly Netns[]): Promise<Netns[]> {
  const has = await Promise.all(routers.map((r) => r.hasAddress(VIP)));
  return routers.filter((_, i) => has[i] === true);
}

async function main(): Promise<number> {
  const root = repoRoot();
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    process.stderr.write('npm run lab needs root (it creates network namespaces).\n');
    return 1;
  }
  if (impl === 'keepalived-ts' && !existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    process.stderr.write('dist/ is missing: run `npm run build` first (npm run lab does).\n');
    return 1;
  }
  const conf1 = join(root, 'conf', 'lab', 'router1.conf');
  const conf2 = join(root, 'conf', 'lab', 'router2.conf');

  say(`keepalived-ts namespace lab — implementation under test: ${impl}`);
  const lab = Lab.create('lab');
  let ok = true;
  try {
    say(`1. topology: bridge + router1 (${SUBNET_PREFIX}.11), router2 (${SUBNET_PREFIX}.12), client (${SUBNET_PREFIX}.100); namespaces ${lab.prefix}-*`);
    const r1 = await lab.addHost('router1', { ipv4: `${SUBNET_PREFIX}.11/24` });
    const r2 = await lab.addHost('router2', { ipv4: `${SUBNET_PREFIX}.12/24` });
    const client = await lab.addHost('client', { ipv4: `${SUBNET_PREFIX}.100/24` });
    const routers = [r1, r2];
    const macs = new Map<Netns, string>([
      [r1, await r1.mac()],
      [r2, await r2.mac()],
    ]);
    say(`   router1 eth0 ${macs.get(r1)}, router2 eth0 ${macs.get(r2)}`);

    say(`2. starting ${impl} on both routers (VRID 51, VIP ${VIP}; router1 priority 150, router2 priority 100)`);
    const procs = new Map<Netns, NsProcess>([
      [r1, start(r1, conf1)],
      [r2, start(r2, conf2)],
    ]);
    const tStart = Date.now();
    const master = await waitFor('a MASTER holding the VIP', async () => {
      const h = await holders(routers);
      return h.length === 1 ? h[0] : undefined;
    }, 20_000, 50);
    const backup = master === r1 ? r2 : r1;
    say(`   MASTER is ${master.role} after ${((Date.now() - tStart) / 1000).toFixed(2)} s (holds ${VIP}); ${backup.role} is BACKUP and holds no VIP`);
    await sleep(1500);
    const both = await holders(routers);
    if (both.length !== 1) {
      say(`   !! expected exactly one VIP holder, found ${both.length}`);
      ok = false;
    }

    say(`3. client pings ${VIP}`);
    const reached = await waitFor('the client reaching the VIP', () => client.ping(VIP, 500), 10_000, 100).catch(() => false);
    const arp1 = await client.neighMac(VIP);
    say(`   ${reached ? 'reply received' : '!! no reply'}; client ARP entry ${VIP} → ${arp1 ?? '(none)'} (${arp1 === macs.get(master) ? master.role : 'unexpected MAC'})`);
    if (!reached || arp1 !== macs.get(master)) ok = false;

    say(`4. killing the MASTER (${master.role}) with SIGKILL — no goodbye advert, the backup must time out`);
    say(`   expected takeover after Master_Down_Interval = 3 × ${ADVERT_INT_S} s + skew = ${(MASTER_DOWN_MS / 1000).toFixed(3)} s`);
    const tKill = Date.now();
    // keepalived forks a VRRP child: kill every process of the router's namespace, not only the parent.
    await master.killAll('SIGKILL');
    await procs.get(master)?.exited;
    const leftover = await master.hasAddress(VIP);
    if (leftover) {
      // A SIGKILLed daemon cannot remove its VIP; a dead router would not answer either. Take the address
      // down with it so the client cannot reach the old one.
      await master.setLink('eth0', false);
      say(`   (${master.role}'s VIP stays configured after SIGKILL; its eth0 is set down to simulate a dead router)`);
    }
    await waitFor(`${backup.role} to take the VIP`, () => backup.hasAddress(VIP), 15_000, 20);
    const tMove = Date.now();
    say(`   VIP moved to ${backup.role} after ${((tMove - tKill) / 1000).toFixed(3)} s`);
    const back = await waitFor('the client reaching the VIP again', () => client.ping(VIP, 300), 10_000, 20).catch(() => false);
    const tReach = Date.now();
    const arp2 = await client.neighMac(VIP);
    say(`   client reaches ${VIP} again after ${((tReach - tKill) / 1000).toFixed(3)} s; ARP entry → ${arp2 ?? '(none)'} (${arp2 === macs.get(backup) ? `${backup.role}, updated by gratuitous ARP` : 'unexpected MAC'})`);
    if (!back || arp2 !== macs.get(backup)) ok = false;
    const failoverMs = tMove - tKill;
    if (failoverMs > MASTER_DOWN_MS + 1500) {
      say(`   !! failover took longer than Master_Down_Interval + 1.5 s`);
      ok = false;
    }

    if (master === r1) {
      say(`5. restarting router1 (priority 150): it waits for its own down timer, then preempts router2`);
      if (leftover) await r1.setLink('eth0', true);
      procs.set(r1, start(r1, conf1));
      const tRe = Date.now();
      await waitFor('router1 to take the VIP back', async () => {
        const h = await holders(routers);
        return h.length === 1 && h[0] === r1;
      }, 20_000, 50);
      say(`   router1 is MASTER again after ${((Date.now() - tRe) / 1000).toFixed(2)} s; router2 released the VIP`);
      const again = await waitFor('the client reaching the VIP', () => client.ping(VIP, 300), 10_000, 50).catch(() => false);
      say(`   client ${again ? 'reaches' : '!! does not reach'} ${VIP}; ARP entry → ${(await client.neighMac(VIP)) ?? '(none)'}`);
      if (!again) ok = false;
    }

    say(`6. stopping the daemons with SIGTERM (priority-0 adverts, VIPs removed)`);
    await Promise.all([...procs.values()].map((p) => p.stop('SIGTERM', 5000)));
    const remaining = await holders(routers);
    say(`   VIP holders after stop: ${remaining.length === 0 ? 'none' : remaining.map((r) => r.role).join(', ')}`);
    if (remaining.length !== 0) ok = false;

    say(`   daemon logs (last lines):`);
    for (const [r, p] of procs) for (const l of p.lines.filter((x) => /STATE|VIP|address|Stopp|Starting/i.test(x)).slice(-6)) process.stdout.write(`     ${r.role}: ${l}\n`);
  } catch (err) {
    ok = false;
    say(`!! ${(err as Error).message}`);
  } finally {
    say('7. cleaning up: killing daemons, deleting namespaces');
    await lab.cleanup();
  }
  say(ok ? 'lab finished: OK' : 'lab finished: FAILED');
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
