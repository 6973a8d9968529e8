/**
 * Fault-injection helpers for the fault-matrix tests: VRRP loss and partitions with nftables in the lab's
 * switch namespace (bridge family, so they act on the wire between routers and bypass nothing the daemon
 * reads), state-change counting from daemon logs, and the host-leftover snapshot (addresses, links, routes).
 */
import { mustRun, run } from '../../lab/netns.js';
import type { Netns } from '../../lab/netns.js';
import type { Router } from '../helpers.js';

const TABLE = 'kts_faults';

/**
 * Drops `percent` % of the VRRP packets (IP protocol 112) forwarded by the switch's bridge, chosen at random
 * per packet (`numgen random mod 100 < percent`); 100 is a full VRRP partition. Replaces any earlier rule.
 */
export async function dropVrrp(sw: Netns, percent: number): Promise<void> {
  await clearVrrpDrop(sw);
  const rule = percent >= 100 ? 'ip protocol vrrp drop' : `ip protocol vrrp numgen random mod 100 < ${percent} drop`;
  const script = [
    `table bridge ${TABLE} {`,
    '  chain vrrp_drop {',
    '    type filter hook forward priority 0; policy accept;',
    `    ${rule}`,
    '  }',
    '}',
    '',
  ].join('\n');
  const file = sw.lab.writeFile(`nft-${sw.role}.nft`, script);
  const r = await sw.exec('nft', ['-f', file]);
  if (r.code !== 0) throw new Error(`nft -f failed: ${r.stderr.trim()}`);
}

/** Removes the drop rule (heals the partition / ends the loss window). */
export async function clearVrrpDrop(sw: Netns): Promise<void> {
  await sw.exec('nft', ['delete', 'table', 'bridge', TABLE]);
}

/** Number of "Entering X STATE" lines the router's daemon has logged so far. */
export function transitions(r: Router): number {
  return r.proc?.lines.filter((l) => /Entering \w+ STATE/.test(l)).length ?? 0;
}

/** The host namespace's addresses, macvlans and routes, as sorted text (to prove a test left nothing behind). */
export async function hostSnapshot(): Promise<string> {
  const [addrs, links, routes] = await Promise.all([
    mustRun('ip', ['-j', 'addr', 'show']),
    run('ip', ['-j', 'link', 'show', 'type', 'macvlan']),
    mustRun('ip', ['-j', 'route', 'show', 'table', 'all']),
  ]);
  const parse = (json: string): Record<string, unknown>[] => JSON.parse(json.trim() === '' ? '[]' : json) as Record<string, unknown>[];
  const out: string[] = [];
  for (const l of parse(addrs)) {
    for (const a of (l['addr_info'] as Record<string, unknown>[] | undefined) ?? []) out.push(`addr ${String(l['ifname'])} ${String(a['local'])}/${String(a['prefixlen'])}`);
  }
  for (const l of parse(links.stdout)) out.push(`macvlan ${String(l['ifname'])}`);
  for (const r of parse(routes)) out.push(`route ${String(r['table'] ?? 'main')} ${String(r['dst'])} ${String(r['dev'])}`);
  return out.sort().join('\n');
}
