/**
 * Top-level keyword table: every root keyword keepalived 2.2.7 accepts, pointing at the per-block
 * tables (global.ts, vrrp.ts, check.ts). `include` never reaches here (the reader inlines files).
 */
import { checkerBlocks, sslKeywords, virtualServerKeywords } from './check.js';
import { globalDefsKeywords } from './global.js';
import { keywordTable, kw, kwAlias, kwBlock, kwValues, unsupported, unsupportedValues, type KeywordSpec, type KeywordTable } from './types.js';
import {
  garpGroupKeywords,
  trackFileKeywords,
  trackGroupKeywords,
  vrrpInstanceKeywords,
  vrrpScriptKeywords,
  vrrpSyncGroupKeywords,
  vrrpTrackProcessKeywords,
} from './vrrp.js';

export const bfdInstanceKeywords: KeywordTable = keywordTable(
  'bfd_instance',
  kw(
    'source_ip',
    'neighbor_ip',
    'neighbour_ip',
    'min_rx',
    'min_tx',
    'idle_tx',
    'multiplier',
    'passive',
    'ttl',
    'hoplimit',
    'max_hops',
    'weight',
    'vrrp',
    'checker',
  ),
);

export const rootKeywords: KeywordTable = keywordTable('root', [
  ...kw('net_namespace'),
  ...unsupported('linkbeat_use_polling', 'net_namespace_ipvs', 'namespace_with_ipsets', 'use_pid_dir', 'instance', 'child_wait_time'),
  kwBlock('global_defs', globalDefsKeywords),
  kwBlock('track_group', trackGroupKeywords, false),
  ...kwValues('static_ipaddress', 'static_routes', 'static_rules'),
  kwBlock('vrrp_sync_group', vrrpSyncGroupKeywords),
  kwBlock('garp_group', garpGroupKeywords, false),
  ...unsupportedValues('linkbeat_interfaces', 'interface_up_down_delays'),
  kwBlock('vrrp_instance', vrrpInstanceKeywords),
  kwBlock('vrrp_script', vrrpScriptKeywords),
  kwBlock('vrrp_track_process', vrrpTrackProcessKeywords),
  kwBlock('SSL', sslKeywords, false),
  ...kwValues('virtual_server_group'),
  kwBlock('virtual_server', virtualServerKeywords),
  kwBlock('bfd_instance', bfdInstanceKeywords),
  kwBlock('track_file', trackFileKeywords),
  { ...kwAlias('vrrp_track_file', 'track_file', 'block'), sub: trackFileKeywords },
]);

/** Every table reachable from the root, for tests and documentation. */
export function allKeywordTables(): KeywordTable[] {
  const seen = new Set<KeywordTable>();
  const visit = (t: KeywordTable): void => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const s of t.keywords.values()) if (s.sub !== undefined) visit(s.sub);
  };
  visit(rootKeywords);
  return [...seen];
}

export type { KeywordSpec, KeywordTable };
export { checkerBlocks };
