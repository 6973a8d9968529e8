/**
 * Human-readable rendering of a status document (`keepalived-ts status` without `--json`).
 * Pure: the same document always gives the same text. One block per VRRP instance (state, effective
 * and base priority, master seen, VIPs, last transition with reason and time, trackers with weights,
 * faults, split-brain findings), then sync groups, then virtual servers with their real servers,
 * weights and check results. Lines are indented by two spaces per level; no colours.
 */

import type {
  StatusAddress,
  StatusCheck,
  StatusDocument,
  StatusInstance,
  StatusRealServer,
  StatusTracker,
  StatusVirtualServer,
} from './status-schema.js';

function addr(a: StatusAddress): string {
  return `${a.address}${a.prefixLength !== null ? `/${a.prefixLength}` : ''}${a.interface !== null ? ` dev ${a.interface}` : ''}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function tracker(t: StatusTracker): string {
  const effect = t.weight === 0 ? (t.status === 'down' ? 'FAULT' : 'fault on failure') : signed(t.contribution);
  return `${t.type} ${t.name} weight ${t.weight} ${t.status} (${effect})`;
}

function instanceLines(i: StatusInstance): string[] {
  const head = `  ${i.name}  ${i.state}  VRID ${i.vrid} on ${i.interface} IPv${i.family} VRRPv${i.version}  priority ${i.priority.effective} (base ${i.priority.base})`;
  const lines = [head];
  const field = (label: string, value: string): void => {
    lines.push(`    ${`${label}:`.padEnd(14)}${value}`);
  };
  field(
    'master',
    i.master.address === null ? 'unknown' : `${i.master.address}${i.master.priority !== null ? ` (priority ${i.master.priority})` : ''}`,
  );
  field('advert', `every ${i.advertIntervalCs / 100} s (master ${i.masterAdverIntervalCs / 100} s)`);
  field('VIPs', i.vips.length === 0 ? 'none' : `${i.vips.map(addr).join(', ')} (${i.vipsInstalled ? 'installed' : 'not installed'})`);
  if (i.excludedVips.length > 0) field('excluded VIPs', i.excludedVips.map(addr).join(', '));
  field(
    'last change',
    i.lastTransition === null
      ? `none (${i.transitions} transitions)`
      : `${i.lastTransition.from} -> ${i.lastTransition.to} at ${i.lastTransition.at} (${i.lastTransition.reason}); ${i.transitions} transitions`,
  );
  if (i.trackers.length === 0) field('trackers', 'none');
  else i.trackers.forEach((t, n) => field(n === 0 ? 'trackers' : '', tracker(t)));
  if (i.syncGroup !== null) field('sync group', i.syncGroup);
  if (i.faults.length > 0) field('faults', i.faults.join('; '));
  if (i.stats !== undefined) {
    const s = i.stats;
    field('adverts', `${s.advertsSent} sent, ${s.advertsReceived} received, ${s.advertsDropped} dropped; ${s.garpSent} GARP/NA sent`);
  }
  for (const f of i.splitBrain) field('WARNING', `${f.kind} with ${f.peer} since ${f.since}: ${f.detail}`);
  return lines;
}

function check(c: StatusCheck): string {
  const extra = [c.lastDurationMs !== null ? `${c.lastDurationMs} ms` : null, c.detail].filter((x): x is string => x !== null);
  return `${c.type} ${c.status}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

function realServer(r: StatusRealServer): string {
  const where = r.address.includes(':') ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
  const checks = r.checks.length === 0 ? 'no checks' : r.checks.map(check).join('; ');
  return `    ${where}  ${r.alive ? 'UP  ' : 'DOWN'}  weight ${r.weight}/${r.configuredWeight}  ${checks}`;
}

function virtualServerLines(v: StatusVirtualServer): string[] {
  const q = v.quorum;
  const lines = [`  ${v.name}  ${v.scheduler}  quorum ${q.up ? 'up' : 'DOWN'} (alive weight ${q.aliveWeight}, required ${q.required})`];
  if (v.sorryServer !== null) {
    const s = v.sorryServer;
    lines.push(`    sorry server ${s.address}${s.port !== null ? `:${s.port}` : ''} ${s.active ? 'ACTIVE' : 'standby'}`);
  }
  if (v.realServers.length === 0) lines.push('    no real servers');
  for (const r of v.realServers) lines.push(realServer(r));
  return lines;
}

/** The full text, ending with a line feed. */
export function renderStatusText(doc: StatusDocument): string {
  const d = doc.daemon;
  const lines = [
    `${doc.generator.name} ${doc.generator.version}, pid ${d.pid}, started ${d.startedAt}` +
      (d.lastReloadAt !== null ? `, reloaded ${d.lastReloadAt}` : '') +
      (d.configFile !== null ? `, config ${d.configFile}` : ''),
    `status at ${doc.generatedAt}`,
    '',
    `VRRP instances (${doc.vrrp.instances.length})`,
  ];
  if (doc.vrrp.instances.length === 0) lines.push('  none');
  for (const i of doc.vrrp.instances) lines.push(...instanceLines(i));
  if (doc.vrrp.syncGroups.length > 0) {
    lines.push('', `Sync groups (${doc.vrrp.syncGroups.length})`);
    for (const g of doc.vrrp.syncGroups) lines.push(`  ${g.name}  ${g.state}  members ${g.members.join(', ')}`);
  }
  lines.push('', `Virtual servers (${doc.virtualServers.length})`);
  if (doc.virtualServers.length === 0) lines.push('  none');
  for (const v of doc.virtualServers) lines.push(...virtualServerLines(v));
  return lines.join('\n') + '\n';
}
