/**
 * LVS / health-checker keyword tables (keepalived 2.2.7 check/check_parser.c, check_api.c and the
 * check_*.c checkers): virtual_server, real_server, every checker block, HTTP `url`, SSL, and the
 * FILE_CHECK / BFD_CHECK blocks.
 */
import { keywordTable, kw, kwAlias, kwBlock, unsupported, type KeywordSpec, type KeywordTable } from './types.js';

/** check_api.c install_checker_common_keywords(connection_keywords). */
function checkerCommon(connection: boolean): KeywordSpec[] {
  const conn = connection ? kw('connect_ip', 'connect_port', 'bindto', 'bind_port', 'bind_if', 'connect_timeout', 'fwmark') : [];
  return [...conn, ...kw('retry', 'delay_before_retry', 'warmup', 'delay_loop', 'alpha', 'log_all_failures')];
}

export const httpUrlKeywords: KeywordTable = keywordTable('url', [
  ...kw('path', 'digest', 'status_code', 'virtualhost', 'regex', 'regex_no_match', 'regex_options'),
  ...kw('regex_min_offset', 'regex_max_offset', 'regex_stack'),
]);

function httpKeywords(block: 'HTTP_GET' | 'SSL_GET'): KeywordTable {
  return keywordTable(block, [
    ...checkerCommon(true),
    // nb_get_retry: deprecated; keepalived reports it as a config error but still applies it as retry.
    kwAlias('nb_get_retry', 'retry'),
    ...kw('virtualhost', 'http_protocol', 'enable_sni', 'fast_recovery'),
    kwBlock('url', httpUrlKeywords),
  ]);
}

export const httpGetKeywords: KeywordTable = httpKeywords('HTTP_GET');
export const sslGetKeywords: KeywordTable = httpKeywords('SSL_GET');
export const tcpCheckKeywords: KeywordTable = keywordTable('TCP_CHECK', checkerCommon(true));
export const pingCheckKeywords: KeywordTable = keywordTable('PING_CHECK', checkerCommon(true));
export const miscCheckKeywords: KeywordTable = keywordTable('MISC_CHECK', [
  ...checkerCommon(false),
  ...kw('misc_path', 'misc_timeout', 'misc_dynamic', 'user'),
]);
export const smtpHostKeywords: KeywordTable = keywordTable('host', checkerCommon(true));
export const smtpCheckKeywords: KeywordTable = keywordTable('SMTP_CHECK', [
  ...kw('helo_name'),
  ...checkerCommon(true),
  // Legacy `host { … }` sub-block (pre 2.0): accepted, not modelled.
  kwBlock('host', smtpHostKeywords, false),
]);
export const dnsCheckKeywords: KeywordTable = keywordTable('DNS_CHECK', [...checkerCommon(true), ...kw('type', 'name')]);
export const udpCheckKeywords: KeywordTable = keywordTable('UDP_CHECK', [
  ...checkerCommon(true),
  ...kw('payload', 'require_reply', 'min_reply_length', 'max_reply_length'),
]);
export const fileCheckKeywords: KeywordTable = keywordTable('FILE_CHECK', kw('track_file', 'weight'));
export const bfdCheckKeywords: KeywordTable = keywordTable('BFD_CHECK', unsupported('name', 'alpha'));

/** The checker block keywords, as they appear in real_server. */
export const checkerBlocks: readonly KeywordSpec[] = [
  kwBlock('MISC_CHECK', miscCheckKeywords),
  kwBlock('SMTP_CHECK', smtpCheckKeywords),
  kwBlock('TCP_CHECK', tcpCheckKeywords),
  kwBlock('PING_CHECK', pingCheckKeywords),
  kwBlock('UDP_CHECK', udpCheckKeywords),
  kwBlock('HTTP_GET', httpGetKeywords),
  kwBlock('SSL_GET', sslGetKeywords),
  kwBlock('DNS_CHECK', dnsCheckKeywords),
  kwBlock('FILE_CHECK', fileCheckKeywords),
  kwBlock('BFD_CHECK', bfdCheckKeywords, false),
];

export const realServerKeywords: KeywordTable = keywordTable('real_server', [
  ...kw('weight', 'lvs_method', 'uthreshold', 'lthreshold', 'inhibit_on_failure', 'notify_up', 'notify_down'),
  ...kw('alpha', 'retry', 'delay_before_retry', 'warmup', 'connect_timeout', 'delay_loop', 'smtp_alert', 'virtualhost'),
  ...unsupported('snmp_name'),
  ...checkerBlocks,
]);

export const virtualServerKeywords: KeywordTable = keywordTable('virtual_server', [
  ...kw('ip_family', 'retry', 'delay_before_retry', 'warmup', 'connect_timeout', 'delay_loop', 'inhibit_on_failure'),
  ...kw('lvs_sched'),
  kwAlias('lb_algo', 'lvs_sched'),
  ...kw('hashed', 'ops', 'flag-1', 'flag-2', 'flag-3', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback'),
  ...kw('lvs_method'),
  kwAlias('lb_kind', 'lvs_method'),
  ...kw('persistence_engine', 'persistence_timeout', 'persistence_granularity', 'protocol', 'ha_suspend'),
  ...kw('smtp_alert', 'virtualhost'),
  ...unsupported('snmp_name'),
  ...kw('alpha', 'omega', 'quorum_up', 'quorum_down', 'quorum', 'hysteresis', 'weight'),
  ...kw('sorry_server', 'sorry_server_inhibit', 'sorry_server_lvs_method'),
  kwBlock('real_server', realServerKeywords),
]);

export const sslKeywords: KeywordTable = keywordTable('SSL', unsupported('password', 'ca', 'certificate', 'key'));
