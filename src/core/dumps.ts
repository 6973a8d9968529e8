/**
 * SIGUSR1 / SIGUSR2 dumps: /tmp/keepalived.data in the spirit of keepalived's (its section names and field
 * labels, so grep-based exporters find "State = MASTER") and /tmp/keepalived.stats exactly as keepalived
 * 2.2.7 lays it out. Pure formatters + a symlink-safe writer.
 */
import { writeDumpFile } from './dump-file.js';
import { keepalivedStats } from './json-dump.js';
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

/**
 * `/tmp/keepalived.stats`: per-instance counters, line for line as keepalived 2.2.7 writes them (exporters
 * parse this file by section and label, so no extra lines: our other counters are in status and metrics).
 * The counters come from the same mapping as keepalived.json's `stats` object.
 */
export function formatStatsDump(drivers: readonly InstanceDriver[]): string {
  const out: string[] = [];
  for (const d of drivers) {
    const st = keepalivedStats(d.stats);
    out.push(
      `VRRP Instance: ${d.name}`,
      '  Advertisements:',
      `    Received: ${st.advert_rcvd}`,
      `    Sent: ${st.advert_sent}`,
      `  Became master: ${st.become_master}`,
      `  Released master: ${st.release_master}`,
      '  Packet Errors:',
      `    Length: ${st.packet_len_err}`,
      `    TTL: ${st.ip_ttl_err}`,
      `    Invalid Type: ${st.invalid_type_rcvd}`,
      `    Advertisement Interval: ${st.advert_interval_err}`,
      `    Address List: ${st.addr_list_err}`,
      '  Authentication Errors:',
      `    Invalid Type: ${st.invalid_authtype}`,
      `    Type Mismatch: ${st.authtype_mismatch}`,
      `    Failure: ${st.auth_failure}`,
      '  Priority Zero:',
      `    Received: ${st.pri_zero_rcvd}`,
      `    Sent: ${st.pri_zero_sent}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** Writes a dump file with mode 0644 (see dump-file.ts); an error message instead of throwing. */
export function writeDump(path: string, text: string): string | undefined {
  return writeDumpFile(path, text, 0o644);
}
