/**
 * VRRP-side keyword tables (keepalived 2.2.7 vrrp/vrrp_parser.c, trackers/track_file.c):
 * vrrp_instance (+ authentication), vrrp_sync_group, vrrp_script, vrrp_track_process, track_file,
 * and the Tier C roots that keepalived-ts accepts without modelling (track_group, garp_group, …).
 */
import { keywordTable, kw, kwAlias, kwBlock, kwValues, unsupported, unsupportedValues, type KeywordTable } from './types.js';

export const authenticationKeywords: KeywordTable = keywordTable('authentication', kw('auth_type', 'auth_pass'));

export const vrrpInstanceKeywords: KeywordTable = keywordTable('vrrp_instance', [
  ...kw('use_vmac', 'use_vmac_addr', 'vmac_xmit_base'),
  ...unsupported('use_ipvlan'),
  ...kwValues('unicast_peer'),
  ...kw('unicast_fault_no_peer', 'check_unicast_src', 'old_unicast_checksum', 'native_ipv6'),
  ...kw('state', 'interface', 'vrf', 'dont_track_primary'),
  ...kwValues('track_interface', 'track_script', 'track_file', 'track_process', 'track_bfd'),
  ...kw('mcast_src_ip', 'unicast_src_ip', 'mcast_dst_ip', 'track_src_ip', 'virtual_router_id', 'unicast_ttl'),
  ...kw('version', 'priority', 'advert_int'),
  ...kwValues('virtual_ipaddress', 'virtual_ipaddress_excluded', 'virtual_routes', 'virtual_rules'),
  ...kw('promote_secondaries', 'linkbeat_use_polling', 'accept', 'no_accept', 'skip_check_adv_addr', 'strict_mode'),
  ...kw('preempt', 'nopreempt', 'preempt_delay', 'debug'),
  ...kw('notify_backup', 'notify_master', 'notify_fault', 'notify_stop', 'notify_deleted', 'notify', 'notify_master_rx_lower_pri'),
  ...kw('smtp_alert', 'notify_priority_changes', 'lvs_sync_daemon_interface'),
  ...kw('garp_master_delay', 'garp_master_refresh', 'garp_master_repeat', 'garp_master_refresh_repeat'),
  ...kw('garp_lower_prio_delay', 'garp_lower_prio_repeat', 'down_timer_adverts', 'garp_extra_if'),
  kwAlias('vmac_garp_intvl', 'garp_extra_if'),
  ...kw('lower_prio_no_advert', 'higher_prio_send_advert', 'kernel_rx_buf_size'),
  kwBlock('authentication', authenticationKeywords),
]);

export const vrrpSyncGroupKeywords: KeywordTable = keywordTable('vrrp_sync_group', [
  ...kwValues('group', 'track_interface', 'track_script', 'track_file', 'track_process', 'track_bfd'),
  ...kw('notify_backup', 'notify_master', 'notify_fault', 'notify_stop', 'notify', 'smtp_alert'),
  ...kw('global_tracking', 'sync_group_tracking_weight', 'notify_priority_changes'),
]);

export const vrrpScriptKeywords: KeywordTable = keywordTable(
  'vrrp_script',
  kw('script', 'interval', 'timeout', 'weight', 'rise', 'fall', 'user', 'init_fail'),
);

export const vrrpTrackProcessKeywords: KeywordTable = keywordTable(
  'vrrp_track_process',
  kw('process', 'param_match', 'weight', 'quorum', 'quorum_max', 'delay', 'terminate_delay', 'fork_delay', 'full_command'),
);

export const trackFileKeywords: KeywordTable = keywordTable('track_file', kw('file', 'weight', 'init_file'));

export const trackGroupKeywords: KeywordTable = keywordTable('track_group', unsupportedValues('group'));

export const garpGroupKeywords: KeywordTable = keywordTable('garp_group', [
  ...unsupported('garp_interval', 'gna_interval', 'interface'),
  ...unsupportedValues('interfaces'),
]);
