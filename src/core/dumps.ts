/**
 * SIGUSR1 / SIGUSR2 dumps, in the spirit of keepalived's /tmp/keepalived.data and /tmp/keepalived.stats
 * (keepalived documents neither format as stable; ours keeps its section names and field labels so the
 * usual grep-based exporters find "State = MASTER" and the counters). Pure formatters + a writer.
 */
import { writeFileSync } from 'node:fs';
import type { InstanceDriver } from './instance.js';
import { currentMasterDownIntervalUs } from '../vrrp/fsm/index.js';

const secs = (us: number): string => (us / 1_000_000).toFixed(6);

/** `/tmp/keepalived.data`: configuration and state of every VRRP instance. */
export function formatDataDump(drivers: readonly InstanceDriver[], now: Date = new Date()): string {
  const out: string[] = [];
  out.push(`------< Keepalived-ts data dump: ${now.toISOString()} >------`, '', '------< VRRP Topology >------');
  for (const d of drivers) {
    const c = d.config;
    const s = d.fsmState;
    out.push(
      ` VRRP Instance = ${c.name}`,
      `   VRRP Version = ${c.version}`,
      `   State = ${s.state}`,
      `   Master router = ${s.state === 'MASTER' ? (c.sourceAddress ?? '?') : (s.masterAddr ?? '(unknown)')}`,
      `   Master priority = ${s.state === 'MASTER' ? s.effectivePriority : (s.masterPriority ?? 0)}`,
      `   Interface = ${c.ifname}`,
      `   Using src_ip = ${c.sourceAddress ?? '(none)'}`,
      `   Virtual Router ID = ${c.vrid}`,
      `   Priority = ${s.basePriority}`,
      `   Effective priority = ${s.effectivePriority}`,
      `   Advert interval = ${c.adverIntervalCs * 10} milli-sec`,
      `   Master down interval = ${secs(currentMasterDownIntervalUs(s))} sec`,
      `   Preempt = ${c.params.preempt ? 'enabled' : 'disabled'}`,
      `   Preempt delay = ${secs(c.params.preemptDelayUs)} secs`,
      `   Authentication type = ${c.authType === 1 ? 'SIMPLE_PASSWORD' : 'none'}`,
      c.unicastPeers.length > 0 ? `   Unicast Peer = ${c.unicastPeers.join(', ')}` : `   Multicast group = ${c.multicastGroup}`,
      `   Virtual IP = ${c.vips.length}`,
      ...c.vips.map((v) => `     ${v.address}/${v.spec.prefixLen ?? (v.family === 4 ? 32 : 128)} dev ${v.ifname}${v.excluded ? ' (excluded)' : ''}`),
      `   VIPs set = ${s.vipsSet ? 'yes' : 'no'}`,
      `   State transitions = ${s.transitions}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** `/tmp/keepalived.stats`: per-instance counters. */
export function formatStatsDump(drivers: readonly InstanceDriver[]): string {
  const out: string[] = [];
  for (const d of drivers) {
    const st = d.stats;
    const drop = (code: string): number => st.drops[code] ?? 0;
    out.push(
      `VRRP Instance: ${d.name}`,
      '  Advertisements:',
      `    Received: ${st.advertsReceived}`,
      `    Sent: ${st.advertsSent}`,
      `  Became master: ${st.becameMaster}`,
      `  Released master: ${st.releasedMaster}`,
      '  Packet Errors:',
      `    Length: ${drop('too-short') + drop('length') + drop('ip-truncated') + drop('ip-total-length') + drop('ip-header-length')}`,
      `    TTL: ${drop('ttl')}`,
      `    Invalid Type: ${drop('type')}`,
      `    Advertisement Interval: ${drop('interval') + drop('interval-zero')}`,
      `    Address List: ${(st.warnings['addr-count-mismatch'] ?? 0) + (st.warnings['addr-list-mismatch'] ?? 0)}`,
      `    Checksum: ${drop('checksum')}`,
      `    Version: ${drop('version') + drop('version-mismatch')}`,
      '  Authentication Errors:',
      `    Invalid Type: ${drop('auth-type')}`,
      `    Failure: ${drop('auth-pass')}`,
      '  Priority Zero:',
      `    Received: ${st.priorityZeroReceived}`,
      `    Sent: ${st.priorityZeroSent}`,
      `  Send errors: ${st.sendErrors}`,
      `  VIPs re-added after external deletion: ${st.vipsReadded}`,
      `  Other VRIDs seen: ${st.otherVrid}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** Writes a dump file (mode 0644); returns an error message instead of throwing. */
export function writeDump(path: string, text: string): string | undefined {
  try {
    writeFileSync(path, text, { mode: 0o644 });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
