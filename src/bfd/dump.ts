/**
 * SIGUSR1 text dump of the BFD sessions ($TMPDIR/keepalived_bfd.data), with the section title and
 * field labels of keepalived 2.2.7's BFD process (bfd_data.c dump_bfd) so grep-based tooling finds
 * "local state = Up"; keepalived's internal thread/fd lines are left out. Pure formatter.
 */
import type { BfdInstance } from '../config/model.js';
import { BFD_DIAG_NAMES, BFD_STATE_NAMES } from './packet.js';
import type { BfdSessionView } from './session.js';

export interface BfdDumpEntry {
  readonly inst: BfdInstance;
  readonly view: BfdSessionView;
  /** Wall-clock ms of the last accepted packet; null = never. */
  readonly lastSeenMs: number | null;
}

const hex = (v: number): string => `0x${v.toString(16)}`;

export function formatBfdDump(entries: readonly BfdDumpEntry[], now: Date = new Date()): string {
  const out: string[] = [`------< Keepalived-ts BFD data dump: ${now.toISOString()} >------`];
  if (entries.length > 0) out.push('------< BFD Topology >------');
  for (const { inst: b, view: v, lastSeenMs } of entries) {
    out.push(` BFD Instance = ${b.name}`, `   Neighbor IP = ${b.neighborIp.address}`);
    if (b.sourceIp !== null) out.push(`   Source IP = ${b.sourceIp.address}`);
    out.push(
      `   Required min RX interval = ${b.minRxUs} us`,
      `   Desired min TX interval = ${b.minTxUs} us`,
      `   Desired idle TX interval = ${b.idleTxUs} us`,
      `   Detection multiplier = ${b.multiplier}`,
      `   ${b.neighborIp.family === 'inet' ? 'TTL' : 'hoplimit'} = ${b.ttl}`,
      `   max_hops = ${b.maxHops}`,
      `   passive = ${b.passive ? 'true' : 'false'}`,
      `   send event to VRRP process = ${b.vrrp ? 'Yes' : 'No'}`,
      `   send event to checker process = ${b.checker ? 'Yes' : 'No'}`,
      `   local state = ${BFD_STATE_NAMES[v.sessionState]}`,
      `   remote state = ${BFD_STATE_NAMES[v.remoteSessionState]}`,
      `   local discriminator = ${hex(v.localDiscr)}`,
      `   remote discriminator = ${hex(v.remoteDiscr)}`,
      `   local diag = ${BFD_DIAG_NAMES[v.localDiag] ?? v.localDiag}`,
      `   remote diag = ${BFD_DIAG_NAMES[v.remoteDiag] ?? v.remoteDiag}`,
      `   remote min tx intv = ${v.remoteMinTxUs} us`,
      `   remote min rx intv = ${v.remoteMinRxUs} us`,
      '   local demand = 0',
      '   remote demand = 0',
      `   remote detect multiplier = ${v.remoteDetectMult}`,
      `   ${v.poll ? '' : '!'}poll, ${v.final ? '' : '!'}final`,
      `   local tx intv = ${v.txIntervalUs} us`,
      `   remote tx intv = ${v.remoteTxIntervalUs} us`,
      `   local detection time = ${v.detectTimeUs} us`,
      `   remote detection time = ${b.multiplier * v.txIntervalUs} us`,
      lastSeenMs === null ? '   last_seen = [never]' : `   last seen = ${(lastSeenMs / 1000).toFixed(6)} (${new Date(lastSeenMs).toISOString()})`,
    );
  }
  return `${out.join('\n')}\n`;
}
