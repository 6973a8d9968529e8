/**
 * LVS side → VirtualServerGroup / VirtualServer / RealServer / checkers (keepalived 2.2.7
 * check/check_parser.c, check_api.c, check_*.c). Timers and retries not configured on a checker
 * are resolved the way keepalived does: checker → real_server → virtual_server → checker default.
 */
import {
  dnsCheckKeywords,
  fileCheckKeywords,
  httpGetKeywords,
  httpUrlKeywords,
  miscCheckKeywords,
  pingCheckKeywords,
  realServerKeywords,
  smtpCheckKeywords,
  sslGetKeywords,
  tcpCheckKeywords,
  udpCheckKeywords,
  virtualServerKeywords,
} from '../keywords/check.js';
import type { KeywordTable } from '../keywords/types.js';
import type {
  Checker,
  CheckerKind,
  DnsQueryType,
  HttpUrl,
  LvsForwarding,
  RealServer,
  ScriptSpec,
  VirtualServer,
  VirtualServerGroup,
  VirtualServerGroupEntry,
  VirtualServerTarget,
} from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import { BuildCodes, handlers, walkBlock, type BuildContext, type Handler, type HandlerMap, type Mutable } from './context.js';
import { parseBool, parseIp, parseIpPrefix, parseScript, parseTimerUs, parseUnsigned, TIMER_MAX_US, UINT_MAX, US_PER_SEC } from './values.js';

const LVS_SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos']);
/** keepalived ip_vs.h: IPVS_WEIGHT_LIMIT = IPVS_WEIGHT_MAX = INT32_MAX. */
const IPVS_WEIGHT_LIMIT = 2147483647;
const IPVS_FWMARK_MAX = UINT_MAX;
const LVS_MAX_TIMEOUT = 86400 * 31;

// --- shared value helpers ---------------------------------------------------------------------

function timerArg(ctx: BuildContext, node: ConfigNode, minUs: number, maxUs: number, msg: (a: string) => string): number | undefined {
  const a = ctx.arg(node, 1);
  if (a === undefined) return undefined;
  const r = parseTimerUs(a, minUs, maxUs);
  if (!r.ok) {
    ctx.error(node, BuildCodes.INVALID_NUMBER, msg(a));
    return undefined;
  }
  if (r.warning !== undefined) ctx.error(node, BuildCodes.INVALID_NUMBER, r.warning);
  return r.value;
}

function unsignedArg(ctx: BuildContext, node: ConfigNode, min: number, max: number, msg: (a: string) => string): number | undefined {
  const a = ctx.arg(node, 1);
  if (a === undefined) return undefined;
  const r = parseUnsigned(a, min, max);
  if (!r.ok) {
    ctx.error(node, BuildCodes.INVALID_NUMBER, msg(a));
    return undefined;
  }
  return r.value;
}

function boolArg(ctx: BuildContext, node: ConfigNode, what: string): boolean | undefined {
  const a = node.args[0];
  if (a === undefined) return true;
  const b = parseBool(a);
  if (b === null) {
    ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid ${what} value '${a}'`);
    return undefined;
  }
  return b;
}

/** `lvs_method NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]`. */
function parseForwarding(ctx: BuildContext, node: ConfigNode, sType: string): LvsForwarding | undefined {
  const m = ctx.arg(node, 1);
  if (m === undefined) return undefined;
  if (m !== 'NAT' && m !== 'DR' && m !== 'TUN') {
    ctx.error(node, BuildCodes.INVALID_VALUE, `PARSER : unknown [${m}] routing method for ${sType} server.`);
    return undefined;
  }
  let tunnelType: LvsForwarding['tunnelType'] = null;
  let tunnelPort: number | null = null;
  let tunnelChecksum: LvsForwarding['tunnelChecksum'] = null;
  const a = node.args;
  for (let i = 1; i < a.length; i++) {
    const opt = a[i] ?? '';
    if (opt === 'type') {
      const t = a[i + 1];
      if (t === undefined) return void ctx.error(node, BuildCodes.MISSING_PARAMETER, `Missing tunnel type for ${sType} server.`);
      if (t !== 'ipip' && t !== 'gue' && t !== 'gre') return void ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown tunnel type ${t} for ${sType} server.`);
      tunnelType = t;
      i++;
    } else if (opt === 'port') {
      const p = a[i + 1];
      if (p === undefined) return void ctx.error(node, BuildCodes.MISSING_PARAMETER, `Missing port for ${sType} server gue tunnel.`);
      const r = parseUnsigned(p, 1, 65535);
      if (!r.ok) return void ctx.error(node, BuildCodes.INVALID_NUMBER, `Invalid gue tunnel port ${p} for ${sType} server.`);
      tunnelPort = r.value;
      i++;
    } else if (opt === 'nocsum' || opt === 'csum' || opt === 'remcsum') tunnelChecksum = opt;
    else return void ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid tunnel option ${opt} for ${sType} server.`);
  }
  if (m === 'TUN') {
    const type = tunnelType ?? 'ipip';
    if ((type === 'gue') !== (tunnelPort !== null)) return void ctx.error(node, BuildCodes.INVALID_VALUE, 'gue tunnels require port, otherwise cannot have port.');
    if (type === 'ipip' && tunnelChecksum !== null && tunnelChecksum !== 'nocsum') return void ctx.error(node, BuildCodes.INVALID_VALUE, 'ipip tunnels do not support checksum option.');
    if (type === 'gre' && tunnelChecksum === 'remcsum') return void ctx.error(node, BuildCodes.INVALID_VALUE, 'gre tunnels do not support remote checksum option.');
    return { method: m, tunnelType: type, tunnelPort, tunnelChecksum: tunnelChecksum ?? 'nocsum' };
  }
  return { method: m, tunnelType: null, tunnelPort: null, tunnelChecksum: null };
}

const NAT: LvsForwarding = { method: 'NAT', tunnelType: null, tunnelPort: null, tunnelChecksum: null };

/** `IP [PORT]` with port 0 = none; returns null (reported) when invalid. */
function parseServerAddress(ctx: BuildContext, node: ConfigNode, ipText: string, portText: string | undefined, what: string): { address: string; family: 'inet' | 'inet6'; port: number } | null {
  const ip = parseIp(ipText);
  let port = 0;
  if (portText !== undefined) {
    const r = parseUnsigned(portText, 0, 65535);
    if (!r.ok) {
      ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid ${what} IP address/port ${ipText}/${portText} - skipping`);
      return null;
    }
    port = r.value;
  }
  if (ip === null) {
    ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid ${what} IP address ${ipText} - skipping`);
    return null;
  }
  return { ...ip, port };
}

// --- virtual_server_group --------------------------------------------------------------------

export function buildVirtualServerGroup(ctx: BuildContext, node: ConfigNode, names: Set<string>): VirtualServerGroup | null {
  const name = ctx.arg(node, 1);
  if (name === undefined) return null;
  if (names.has(name)) {
    // keepalived 2.2.7 accepts the duplicate silently and finds the first by name.
    ctx.info(node, BuildCodes.DUPLICATE, `virtual_server_group ${name} already defined - using the first definition`);
    return null;
  }
  names.add(name);
  const entries: VirtualServerGroupEntry[] = [];
  for (const line of node.children ?? []) {
    if (line.keyword === 'fwmark') {
      const r = line.args[0] === undefined ? null : parseUnsigned(line.args[0], 0, IPVS_FWMARK_MAX);
      if (r === null || !r.ok) {
        ctx.error(line, BuildCodes.INVALID_NUMBER, `virtual server group fwmark '${line.args[0] ?? ''}' must be in [0, ${IPVS_FWMARK_MAX}] - ignoring`);
        continue;
      }
      const famText = line.args[1];
      const family = famText === 'inet' ? 'inet' : famText === 'inet6' ? 'inet6' : null;
      if (famText !== undefined && family === null) {
        ctx.error(line, BuildCodes.INVALID_VALUE, `unknown address family ${famText} for virtual server group fwmark - ignoring`);
        continue;
      }
      entries.push({ kind: 'fwmark', address: null, family, rangeEnd: null, prefixLen: null, port: 0, fwmark: r.value, pos: line.pos });
      continue;
    }
    const text = line.keyword;
    const dash = text.indexOf('-');
    const base = dash >= 0 ? text.slice(0, dash) : text;
    const p = parseIpPrefix(base);
    let port = 0;
    if (line.args[0] !== undefined) {
      const r = parseUnsigned(line.args[0], 0, 65535);
      if (!r.ok) {
        ctx.error(line, BuildCodes.INVALID_ADDRESS, `Invalid virtual server group IP address/port ${text}/${line.args[0]} - skipping`);
        continue;
      }
      port = r.value;
    }
    if (p === null) {
      ctx.error(line, BuildCodes.INVALID_ADDRESS, `Invalid virtual server group IP address ${text} - skipping`);
      continue;
    }
    let rangeEnd: string | null = null;
    if (dash >= 0) {
      const endText = text.slice(dash + 1);
      const ok = p.family === 'inet' ? parseUnsigned(endText, 0, 255).ok : /^[0-9a-fA-F]{1,4}$/.test(endText);
      if (!ok || p.prefixGiven) {
        ctx.error(line, BuildCodes.INVALID_ADDRESS, `Invalid virtual server group IP range ${text} - skipping`);
        continue;
      }
      rangeEnd = endText;
    }
    entries.push({ kind: 'ip', address: p.address, family: p.family, rangeEnd, prefixLen: p.prefixGiven ? p.prefixLen : null, port, fwmark: null, pos: line.pos });
  }
  return { name, pos: node.pos, entries };
}

// --- checkers --------------------------------------------------------------------------------

/** A checker while its block is read; `null` = not configured here (inherit). */
interface CheckerDraft {
  kind: CheckerKind;
  pos: ConfigNode['pos'];
  connectIp: Mutable<Checker & { kind: 'TCP_CHECK' }>['connectIp'];
  connectPort: number | null;
  bindTo: Mutable<Checker & { kind: 'TCP_CHECK' }>['bindTo'];
  bindPort: number | null;
  bindIf: string | null;
  connectTimeoutUs: number | null;
  fwmark: number | null;
  retry: number | null;
  delayBeforeRetryUs: number | null;
  warmupUs: number | null;
  delayLoopUs: number | null;
  alpha: boolean | null;
  logAllFailures: boolean;
  dropped: boolean;
  // HTTP / SSL
  urls: HttpUrl[];
  virtualhost: string | null;
  httpProtocol: '1.0' | '1.0C' | '1.1';
  enableSni: boolean;
  fastRecovery: boolean;
  // MISC
  miscPath: ScriptSpec | null;
  miscTimeoutUs: number | null;
  miscDynamic: boolean;
  user: string | null;
  group: string | null;
  // SMTP
  heloName: string | null;
  // DNS
  dnsType: DnsQueryType;
  dnsName: string;
  // UDP
  payload: string | null;
  requireReply: boolean;
  requireReplyData: string | null;
  minReplyLength: number;
  maxReplyLength: number;
  // FILE
  trackFile: { name: string; pos: ConfigNode['pos'] } | null;
  weight: number | null;
  weightReverse: boolean;
}

function newChecker(kind: CheckerKind, pos: ConfigNode['pos']): CheckerDraft {
  return {
    kind,
    pos,
    connectIp: null,
    connectPort: null,
    bindTo: null,
    bindPort: null,
    bindIf: null,
    connectTimeoutUs: null,
    fwmark: null,
    retry: null,
    delayBeforeRetryUs: null,
    warmupUs: null,
    delayLoopUs: null,
    alpha: null,
    logAllFailures: false,
    dropped: false,
    urls: [],
    virtualhost: null,
    httpProtocol: '1.0',
    enableSni: false,
    fastRecovery: false,
    miscPath: null,
    miscTimeoutUs: null,
    miscDynamic: false,
    user: null,
    group: null,
    heloName: null,
    dnsType: 'SOA',
    dnsName: '.',
    payload: null,
    requireReply: false,
    requireReplyData: null,
    minReplyLength: 0,
    maxReplyLength: 0,
    trackFile: null,
    weight: null,
    weightReverse: false,
  };
}

const commonCheckerHandlers: Record<string, Handler<CheckerDraft>> = {
  connect_ip: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const ip = parseIp(a);
    if (ip === null) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid connect_ip address ${a} - ignoring`);
    c.connectIp = ip;
  },
  connect_port: (ctx, node, c) => {
    const v = unsignedArg(ctx, node, 1, 65535, (a) => `Invalid checker connect_port '${a}'`);
    if (v !== undefined) c.connectPort = v;
  },
  bindto: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const ip = parseIp(a);
    if (ip === null) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid bindto address ${a} - ignoring`);
    c.bindTo = ip;
  },
  bind_port: (ctx, node, c) => {
    const v = unsignedArg(ctx, node, 1, 65535, (a) => `Invalid checker bind_port '${a}'`);
    if (v !== undefined) c.bindPort = v;
  },
  bind_if: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (a.length >= 16) return ctx.error(node, BuildCodes.INVALID_VALUE, `Checker bind_if ${a} too long - ignoring`);
    c.bindIf = a;
  },
  connect_timeout: (ctx, node, c) => {
    const v = timerArg(ctx, node, 1, UINT_MAX, (a) => `connect_timeout ${a} invalid - ignoring`);
    if (v !== undefined) c.connectTimeoutUs = v;
  },
  fwmark: (ctx, node, c) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Invalid fwmark connection value '${a}'`);
    if (v !== undefined) c.fwmark = v;
  },
  retry: (ctx, node, c) => {
    if (node.keyword === 'nb_get_retry') ctx.error(node, BuildCodes.DEPRECATED, "nb_get_retry is deprecated - please use 'retry'");
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Invalid ${node.keyword === 'nb_get_retry' ? 'nb_get_retry' : 'retry connection'} value '${a}'`);
    if (v !== undefined) c.retry = v;
  },
  delay_before_retry: (ctx, node, c) => {
    const v = timerArg(ctx, node, 0, TIMER_MAX_US, (a) => `Invalid delay_before_retry connection value '${a}'`);
    if (v !== undefined) c.delayBeforeRetryUs = v;
  },
  warmup: (ctx, node, c) => {
    const v = timerArg(ctx, node, 0, TIMER_MAX_US, (a) => `Invalid warmup connection value '${a}'`);
    if (v !== undefined) c.warmupUs = v;
  },
  delay_loop: (ctx, node, c) => {
    const v = timerArg(ctx, node, 1, TIMER_MAX_US, (a) => `delay_loop '${a}' is invalid - ignoring`);
    if (v !== undefined) c.delayLoopUs = v;
  },
  alpha: (ctx, node, c) => {
    const b = boolArg(ctx, node, 'alpha');
    if (b !== undefined) c.alpha = b;
  },
  log_all_failures: (ctx, node, c) => {
    const b = boolArg(ctx, node, 'log_all_failures');
    if (b !== undefined) c.logAllFailures = b;
  },
};

type UrlDraft = Mutable<HttpUrl> & { statusSet: boolean };

const urlHandlers = handlers<UrlDraft>({
  path: (ctx, node, u) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) u.path = a;
  },
  digest: (ctx, node, u) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (u.digest !== null) return ctx.error(node, BuildCodes.DUPLICATE, `Digest '${a}' is a duplicate - ignoring`);
    if (!/^[0-9a-fA-F]{32}$/.test(a)) return ctx.error(node, BuildCodes.INVALID_VALUE, `digest '${a}' is not a valid MD5 hex string - ignoring`);
    u.digest = a.toLowerCase();
  },
  status_code: (ctx, node, u) => {
    const ranges: [number, number][] = u.statusSet ? u.statusCodes.map((r) => [r[0], r[1]]) : [];
    for (const s of node.args) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(s);
      const min = m === null ? NaN : Number(m[1]);
      const max = m === null ? NaN : m[2] === undefined ? min : Number(m[2]);
      if (!(min >= 100 && max <= 599 && min <= max)) {
        ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid HTTP_GET status code '${s}'`);
        continue;
      }
      ranges.push([min, max]);
    }
    if (ranges.length > 0) {
      u.statusCodes = ranges;
      u.statusSet = true;
    }
  },
  virtualhost: (ctx, node, u) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) u.virtualhost = a;
  },
  regex: (ctx, node, u) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) u.regex = a;
  },
  regex_no_match: (_ctx, _node, u) => {
    u.regexNoMatch = true;
  },
  regex_options: (_ctx, node, u) => {
    u.regexOptions = [...u.regexOptions, ...node.args];
  },
  regex_min_offset: (ctx, node, u) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Invalid regex_min_offset ${a}`);
    if (v !== undefined) u.regexMinOffset = v;
  },
  regex_max_offset: (ctx, node, u) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Invalid regex_max_offset ${a}`);
    if (v !== undefined) u.regexMaxOffset = v;
  },
  regex_stack: (ctx, node, u) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Invalid regex_stack ${a}`);
    if (v !== undefined) u.regexStack = v;
  },
});

const httpHandlers = handlers<CheckerDraft>({
  ...commonCheckerHandlers,
  virtualhost: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) c.virtualhost = a;
  },
  http_protocol: (ctx, node, c) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'Missing http_protocol version');
    if (a === '1.0' || a === '1.1') c.httpProtocol = a;
    else if (a === '1.0C' || a === '1.0c') c.httpProtocol = '1.0C';
    else ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid http_protocol version ${a}`);
  },
  enable_sni: (ctx, node, c) => {
    const b = boolArg(ctx, node, 'enable_sni');
    if (b !== undefined) c.enableSni = b;
  },
  fast_recovery: (ctx, node, c) => {
    const b = boolArg(ctx, node, 'fast_recovery');
    if (b !== undefined) c.fastRecovery = b;
  },
  url: (ctx, node, c) => {
    const u: UrlDraft = {
      pos: node.pos,
      path: null,
      digest: null,
      statusCodes: [[200, 299]],
      statusSet: false,
      virtualhost: null,
      regex: null,
      regexNoMatch: false,
      regexOptions: [],
      regexMinOffset: null,
      regexMaxOffset: null,
      regexStack: null,
    };
    walkBlock(ctx, node.children ?? [], httpUrlKeywords, urlHandlers, u);
    if (u.path === null) return ctx.error(node, BuildCodes.INCOMPLETE, 'HTTP/SSL_GET checker url has no path - ignoring');
    const { statusSet: _s, ...url } = u;
    c.urls.push(url);
  },
});

const miscHandlers = handlers<CheckerDraft>({
  ...Object.fromEntries(Object.entries(commonCheckerHandlers).filter(([k]) => ['retry', 'delay_before_retry', 'warmup', 'delay_loop', 'alpha', 'log_all_failures'].includes(k))),
  misc_path: (ctx, node, c) => {
    if (c.miscPath !== null) return ctx.error(node, BuildCodes.DUPLICATE, 'MISC_CHECK misc_path already specified - ignoring');
    if (node.args.length === 0) return void ctx.arg(node, 1);
    c.miscPath = parseScript(node);
    if (c.miscPath !== null) {
      c.user = c.miscPath.user;
      c.group = c.miscPath.group;
    }
  },
  misc_timeout: (ctx, node, c) => {
    const v = unsignedArg(ctx, node, 0, Math.floor(UINT_MAX / US_PER_SEC), (a) => `Invalid misc_timeout value '${a}'`);
    if (v !== undefined) c.miscTimeoutUs = v * US_PER_SEC;
  },
  misc_dynamic: (_ctx, _node, c) => {
    c.miscDynamic = true;
  },
  user: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    c.user = a;
    c.group = node.args[1] ?? null;
  },
});

const smtpHandlers = handlers<CheckerDraft>({
  ...commonCheckerHandlers,
  helo_name: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) c.heloName = a;
  },
});

const DNS_TYPES = new Set<DnsQueryType>(['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA']);

const dnsHandlers = handlers<CheckerDraft>({
  ...commonCheckerHandlers,
  type: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const up = a.toUpperCase() as DnsQueryType;
    if (!DNS_TYPES.has(up)) return ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown DNS check type ${a} - defaulting to SOA`);
    c.dnsType = up;
  },
  name: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) c.dnsName = a;
  },
});

function hexArg(text: string): string | null {
  const h = text.replace(/[\s:]/g, '');
  return /^([0-9a-fA-F]{2})+$/.test(h) ? h.toLowerCase() : null;
}

const udpHandlers = handlers<CheckerDraft>({
  ...commonCheckerHandlers,
  payload: (ctx, node, c) => {
    const h = hexArg(node.args.join(''));
    if (h === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid hex payload ${node.args.join(' ')}`);
    c.payload = h;
  },
  require_reply: (ctx, node, c) => {
    c.requireReply = true;
    if (node.args.length === 0) return;
    const h = hexArg(node.args.join(''));
    if (h === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid hex require_reply ${node.args.join(' ')}`);
    c.requireReplyData = h;
  },
  min_reply_length: (ctx, node, c) => {
    const v = unsignedArg(ctx, node, 0, 65535, (a) => `Invalid min_reply_length ${a}`);
    if (v !== undefined) c.minReplyLength = v;
  },
  max_reply_length: (ctx, node, c) => {
    const v = unsignedArg(ctx, node, 0, 65535, (a) => `Invalid max_reply_length ${a}`);
    if (v !== undefined) c.maxReplyLength = v;
  },
});

const fileCheckHandlers = handlers<CheckerDraft>({
  track_file: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) c.trackFile = { name: a, pos: node.pos };
  },
  weight: (ctx, node, c) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = /^[+-]?\d+$/.test(a) ? Number(a) : NaN;
    if (!(r >= -IPVS_WEIGHT_LIMIT && r <= IPVS_WEIGHT_LIMIT)) return ctx.error(node, BuildCodes.INVALID_NUMBER, `FILE_CHECK weight ${a} is invalid - ignoring`);
    c.weight = r;
    if (node.args[1] === 'reverse') c.weightReverse = true;
    else if (node.args[1] !== undefined) ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown FILE_CHECK weight option ${node.args[1]}`);
  },
});

const CHECKER_TABLES: ReadonlyMap<CheckerKind, { table: KeywordTable; map: HandlerMap<CheckerDraft> }> = new Map<CheckerKind, { table: KeywordTable; map: HandlerMap<CheckerDraft> }>([
  ['HTTP_GET', { table: httpGetKeywords, map: httpHandlers }],
  ['SSL_GET', { table: sslGetKeywords, map: httpHandlers }],
  ['TCP_CHECK', { table: tcpCheckKeywords, map: handlers(commonCheckerHandlers) }],
  ['PING_CHECK', { table: pingCheckKeywords, map: handlers(commonCheckerHandlers) }],
  ['MISC_CHECK', { table: miscCheckKeywords, map: miscHandlers }],
  ['SMTP_CHECK', { table: smtpCheckKeywords, map: smtpHandlers }],
  ['DNS_CHECK', { table: dnsCheckKeywords, map: dnsHandlers }],
  ['UDP_CHECK', { table: udpCheckKeywords, map: udpHandlers }],
  ['FILE_CHECK', { table: fileCheckKeywords, map: fileCheckHandlers }],
]);

function checkerHandler(kind: CheckerKind): Handler<RsDraft> {
  return (ctx, node, rs) => {
    const t = CHECKER_TABLES.get(kind);
    if (t === undefined) return;
    const c = newChecker(kind, node.pos);
    walkBlock(ctx, node.children ?? [], t.table, t.map, c);
    if ((kind === 'HTTP_GET' || kind === 'SSL_GET') && c.urls.length === 0) {
      return ctx.error(node, BuildCodes.INCOMPLETE, 'HTTP/SSL_GET checker has no urls specified - ignoring');
    }
    if (kind === 'MISC_CHECK' && c.miscPath === null) return ctx.error(node, BuildCodes.INCOMPLETE, 'Misc check with no script specified - ignoring');
    if (kind === 'FILE_CHECK' && c.trackFile === null) return ctx.error(node, BuildCodes.INCOMPLETE, 'FILE_CHECK has no track_file specified - ignoring');
    if (kind === 'UDP_CHECK' && c.maxReplyLength !== 0 && c.minReplyLength > c.maxReplyLength) {
      ctx.error(node, BuildCodes.INVALID_VALUE, `UDP_CHECK min_reply length ${c.minReplyLength} > max_reply_length ${c.maxReplyLength} - will not match`);
    }
    rs.checkers.push(c);
  };
}

/** Resolve inherited values into the model's checker shape. */
function finishChecker(c: CheckerDraft, rs: RsDraft, vs: VsDraft): Checker {
  if (c.kind === 'FILE_CHECK') {
    return { kind: 'FILE_CHECK', pos: c.pos, trackFile: c.trackFile, weight: c.weight, weightReverse: c.weightReverse };
  }
  const delayLoopUs = c.delayLoopUs ?? rs.delayLoopUs ?? vs.v.delayLoopUs;
  const defaultRetry = c.kind === 'MISC_CHECK' ? 0 : c.kind === 'DNS_CHECK' ? 3 : 1;
  const defaultDbr = c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' ? 3 * US_PER_SEC : c.kind === 'DNS_CHECK' ? delayLoopUs : US_PER_SEC;
  const common = {
    pos: c.pos,
    connectIp: c.connectIp,
    connectPort: c.connectPort,
    bindTo: c.bindTo,
    bindPort: c.bindPort,
    bindIf: c.bindIf,
    connectTimeoutUs: c.connectTimeoutUs ?? rs.connectTimeoutUs ?? vs.v.connectTimeoutUs,
    fwmark: c.fwmark,
    retry: c.retry ?? rs.retry ?? vs.v.retry ?? defaultRetry,
    delayBeforeRetryUs: c.delayBeforeRetryUs ?? rs.delayBeforeRetryUs ?? vs.v.delayBeforeRetryUs ?? defaultDbr,
    warmupUs: c.warmupUs ?? rs.warmupUs ?? vs.v.warmupUs,
    delayLoopUs,
    alpha: c.alpha ?? rs.alpha ?? vs.v.alpha,
    logAllFailures: c.logAllFailures,
  };
  switch (c.kind) {
    case 'HTTP_GET':
    case 'SSL_GET':
      return { ...common, kind: c.kind, urls: c.urls, virtualhost: c.virtualhost ?? rs.virtualhost ?? vs.v.virtualhost, httpProtocol: c.httpProtocol, enableSni: c.enableSni, fastRecovery: c.fastRecovery };
    case 'TCP_CHECK':
    case 'PING_CHECK':
      return { ...common, kind: c.kind };
    case 'MISC_CHECK':
      return { ...common, kind: 'MISC_CHECK', miscPath: c.miscPath, miscTimeoutUs: c.miscTimeoutUs ?? delayLoopUs, miscDynamic: c.miscDynamic, user: c.user, group: c.group };
    case 'SMTP_CHECK':
      return { ...common, kind: 'SMTP_CHECK', heloName: c.heloName };
    case 'DNS_CHECK':
      return { ...common, kind: 'DNS_CHECK', type: c.dnsType, name: c.dnsName };
    case 'UDP_CHECK':
      return { ...common, kind: 'UDP_CHECK', payload: c.payload, requireReply: c.requireReply, requireReplyData: c.requireReplyData, minReplyLength: c.minReplyLength, maxReplyLength: c.maxReplyLength };
  }
}

// --- real_server -----------------------------------------------------------------------------

interface RsDraft {
  readonly base: { address: string; family: 'inet' | 'inet6'; port: number; pos: ConfigNode['pos'] };
  weight: number;
  forwarding: LvsForwarding | null;
  inhibitOnFailure: boolean | null;
  notifyUp: ScriptSpec | null;
  notifyDown: ScriptSpec | null;
  uthreshold: number | null;
  lthreshold: number | null;
  alpha: boolean | null;
  retry: number | null;
  delayBeforeRetryUs: number | null;
  warmupUs: number | null;
  connectTimeoutUs: number | null;
  delayLoopUs: number | null;
  smtpAlert: boolean | null;
  virtualhost: string | null;
  checkers: CheckerDraft[];
}

function rsNotify(key: 'notifyUp' | 'notifyDown'): Handler<RsDraft> {
  return (ctx, node, rs) => {
    if (node.args.length === 0) return void ctx.arg(node, 1);
    rs[key] = parseScript(node);
  };
}

const rsHandlers = handlers<RsDraft>({
  weight: (ctx, node, rs) => {
    const v = unsignedArg(ctx, node, 0, IPVS_WEIGHT_LIMIT, (a) => `Real server weight ${a} is outside range 0-${IPVS_WEIGHT_LIMIT}`);
    if (v !== undefined) rs.weight = v;
  },
  lvs_method: (ctx, node, rs) => {
    const f = parseForwarding(ctx, node, 'real');
    if (f !== undefined) rs.forwarding = f;
  },
  uthreshold: (ctx, node, rs) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Invalid real server uthreshold '${a}' - ignoring`);
    if (v !== undefined) rs.uthreshold = v;
  },
  lthreshold: (ctx, node, rs) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Invalid real server lthreshold '${a}' - ignoring`);
    if (v !== undefined) rs.lthreshold = v;
  },
  inhibit_on_failure: (ctx, node, rs) => {
    const b = boolArg(ctx, node, 'inhibit_on_failure');
    if (b !== undefined) rs.inhibitOnFailure = b;
  },
  notify_up: rsNotify('notifyUp'),
  notify_down: rsNotify('notifyDown'),
  alpha: (ctx, node, rs) => {
    const b = boolArg(ctx, node, 'alpha');
    if (b !== undefined) rs.alpha = b;
  },
  retry: (ctx, node, rs) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `retry value invalid - ${a}`);
    if (v !== undefined) rs.retry = v;
  },
  delay_before_retry: (ctx, node, rs) => {
    const v = timerArg(ctx, node, 0, TIMER_MAX_US, (a) => `Invalid delay_before_retry value '${a}'`);
    if (v !== undefined) rs.delayBeforeRetryUs = v;
  },
  warmup: (ctx, node, rs) => {
    const v = timerArg(ctx, node, 0, TIMER_MAX_US, (a) => `Invalid warmup value '${a}'`);
    if (v !== undefined) rs.warmupUs = v;
  },
  connect_timeout: (ctx, node, rs) => {
    const v = timerArg(ctx, node, 1, UINT_MAX, (a) => `real server connect_timeout ${a} invalid - ignoring`);
    if (v !== undefined) rs.connectTimeoutUs = v;
  },
  delay_loop: (ctx, node, rs) => {
    const v = timerArg(ctx, node, 1, TIMER_MAX_US, (a) => `real server delay_loop '${a}' invalid - ignoring`);
    if (v !== undefined) rs.delayLoopUs = v;
  },
  smtp_alert: (ctx, node, rs) => {
    const b = boolArg(ctx, node, 'smtp_alert');
    if (b !== undefined) rs.smtpAlert = b;
  },
  virtualhost: (ctx, node, rs) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) rs.virtualhost = a;
  },
  HTTP_GET: checkerHandler('HTTP_GET'),
  SSL_GET: checkerHandler('SSL_GET'),
  TCP_CHECK: checkerHandler('TCP_CHECK'),
  PING_CHECK: checkerHandler('PING_CHECK'),
  MISC_CHECK: checkerHandler('MISC_CHECK'),
  SMTP_CHECK: checkerHandler('SMTP_CHECK'),
  DNS_CHECK: checkerHandler('DNS_CHECK'),
  UDP_CHECK: checkerHandler('UDP_CHECK'),
  FILE_CHECK: checkerHandler('FILE_CHECK'),
});

// --- virtual_server --------------------------------------------------------------------------

interface VsDraft {
  v: Omit<Mutable<VirtualServer>, 'realServers'>;
  realServers: RsDraft[];
  sched: Set<string>;
}

function vsBool(set: (vs: VsDraft, b: boolean) => void, what: string): Handler<VsDraft> {
  return (ctx, node, vs) => {
    const b = boolArg(ctx, node, what);
    if (b !== undefined) set(vs, b);
  };
}

function quorumScript(key: 'quorumUp' | 'quorumDown'): Handler<VsDraft> {
  return (ctx, node, vs) => {
    if (node.args.length === 0) return void ctx.arg(node, 1);
    vs.v[key] = parseScript(node);
  };
}

const vsHandlers = handlers<VsDraft>({
  ip_family: (ctx, node, vs) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (a === 'inet' || a === 'inet6') vs.v.ipFamily = a;
    else ctx.error(node, BuildCodes.INVALID_VALUE, `unknown address family ${a}`);
  },
  retry: (ctx, node, vs) => {
    const v = unsignedArg(ctx, node, 1, UINT_MAX, (a) => `retry value invalid - ${a}`);
    if (v !== undefined) vs.v.retry = v;
  },
  delay_before_retry: (ctx, node, vs) => {
    const v = timerArg(ctx, node, 0, TIMER_MAX_US, (a) => `virtual server delay before retry '${a}' invalid - ignoring`);
    if (v !== undefined) vs.v.delayBeforeRetryUs = v;
  },
  warmup: (ctx, node, vs) => {
    const v = timerArg(ctx, node, 0, TIMER_MAX_US, (a) => `virtual server warmup '${a}' invalid - ignoring`);
    if (v !== undefined) vs.v.warmupUs = v;
  },
  connect_timeout: (ctx, node, vs) => {
    const v = timerArg(ctx, node, 1, UINT_MAX, (a) => `virtual server connect_timeout ${a} invalid - ignoring`);
    if (v !== undefined) vs.v.connectTimeoutUs = v;
  },
  delay_loop: (ctx, node, vs) => {
    const v = timerArg(ctx, node, 1, TIMER_MAX_US, (a) => `virtual server delay loop '${a}' invalid - ignoring`);
    if (v !== undefined) vs.v.delayLoopUs = v;
  },
  inhibit_on_failure: vsBool((vs, b) => (vs.v.inhibitOnFailure = b), 'inhibit_on_failure'),
  lvs_sched: (ctx, node, vs) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (!LVS_SCHEDULERS.has(a)) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid lvs_scheduler '${a}' - ignoring`);
    vs.v.lvsSched = a;
    vs.v.lvsSchedConfigured = true;
  },
  hashed: (_ctx, node, vs) => void vs.sched.add(node.keyword),
  ops: (_ctx, node, vs) => void vs.sched.add(node.keyword),
  'flag-1': (_ctx, node, vs) => void vs.sched.add(node.keyword),
  'flag-2': (_ctx, node, vs) => void vs.sched.add(node.keyword),
  'flag-3': (_ctx, node, vs) => void vs.sched.add(node.keyword),
  'sh-port': (_ctx, node, vs) => void vs.sched.add(node.keyword),
  'sh-fallback': (_ctx, node, vs) => void vs.sched.add(node.keyword),
  'mh-port': (_ctx, node, vs) => void vs.sched.add(node.keyword),
  'mh-fallback': (_ctx, node, vs) => void vs.sched.add(node.keyword),
  lvs_method: (ctx, node, vs) => {
    const f = parseForwarding(ctx, node, 'virtual');
    if (f === undefined) return;
    vs.v.forwarding = f;
    vs.v.forwardingConfigured = true;
  },
  persistence_engine: (ctx, node, vs) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) vs.v.persistenceEngine = a;
  },
  persistence_timeout: (ctx, node, vs) => {
    const a = node.args[0];
    if (a === undefined) return void (vs.v.persistenceTimeoutSec = 360);
    const r = parseUnsigned(a, 1, LVS_MAX_TIMEOUT);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, 'persistence_timeout invalid');
    vs.v.persistenceTimeoutSec = r.value;
  },
  persistence_granularity: (ctx, node, vs) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const asPrefix = parseUnsigned(a, 1, 128);
    if (!asPrefix.ok && parseIp(a) === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid persistence_granularity specified - ${a}`);
    vs.v.persistenceGranularity = a;
  },
  protocol: (ctx, node, vs) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const up = a.toUpperCase();
    if (up === 'TCP' || up === 'UDP' || up === 'SCTP') {
      vs.v.protocol = up;
      vs.v.protocolConfigured = true;
    } else ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown protocol ${a} - ignoring`);
  },
  ha_suspend: (_ctx, _node, vs) => void (vs.v.haSuspend = true),
  smtp_alert: vsBool((vs, b) => (vs.v.smtpAlert = b), 'smtp_alert'),
  virtualhost: (ctx, node, vs) => {
    const a = ctx.arg(node, 1);
    if (a !== undefined) vs.v.virtualhost = a;
  },
  alpha: vsBool((vs, b) => (vs.v.alpha = b), 'alpha'),
  omega: vsBool((vs, b) => (vs.v.omega = b), 'omega'),
  quorum_up: quorumScript('quorumUp'),
  quorum_down: quorumScript('quorumDown'),
  quorum: (ctx, node, vs) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 1, UINT_MAX);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Quorum ${a} must be in [1, ${UINT_MAX}]. Setting to 1.`);
    vs.v.quorum = r.ok ? r.value : 1;
  },
  hysteresis: (ctx, node, vs) => {
    const v = unsignedArg(ctx, node, 0, UINT_MAX, (a) => `Hysteresis ${a} must be in [0, ${UINT_MAX}] - ignoring`);
    if (v !== undefined) vs.v.hysteresis = v;
  },
  weight: (ctx, node, vs) => {
    const v = unsignedArg(ctx, node, 1, IPVS_WEIGHT_LIMIT, (a) => `Virtual server weight ${a} is outside range 1-${IPVS_WEIGHT_LIMIT}`);
    if (v !== undefined) vs.v.weight = v;
  },
  sorry_server: (ctx, node, vs) => {
    const ipText = ctx.arg(node, 1);
    if (ipText === undefined) return;
    const a = parseServerAddress(ctx, node, ipText, node.args[1], 'sorry server');
    if (a !== null) vs.v.sorryServer = { ...a, pos: node.pos };
  },
  sorry_server_inhibit: vsBool((vs, b) => (vs.v.sorryServerInhibit = b), 'sorry_server_inhibit'),
  sorry_server_lvs_method: (ctx, node, vs) => {
    const f = parseForwarding(ctx, node, 'sorry');
    if (f !== undefined) vs.v.sorryServerForwarding = f;
  },
  real_server: (ctx, node, vs) => {
    const ipText = ctx.arg(node, 1);
    if (ipText === undefined) return;
    const a = parseServerAddress(ctx, node, ipText, node.args[1], 'real server');
    if (a === null) return;
    const rs: RsDraft = {
      base: { ...a, pos: node.pos },
      weight: 1,
      forwarding: null,
      inhibitOnFailure: null,
      notifyUp: null,
      notifyDown: null,
      uthreshold: null,
      lthreshold: null,
      alpha: null,
      retry: null,
      delayBeforeRetryUs: null,
      warmupUs: null,
      connectTimeoutUs: null,
      delayLoopUs: null,
      smtpAlert: null,
      virtualhost: null,
      checkers: [],
    };
    walkBlock(ctx, node.children ?? [], realServerKeywords, rsHandlers, rs);
    vs.realServers.push(rs);
  },
});

function parseTarget(ctx: BuildContext, node: ConfigNode): VirtualServerTarget | null {
  const p1 = node.args[0];
  if (p1 === undefined) {
    ctx.arg(node, 1);
    return null;
  }
  const p2 = node.args[1];
  if (p1 === 'group') {
    if (p2 === undefined) {
      ctx.arg(node, 2);
      return null;
    }
    return { kind: 'group', group: { name: p2, pos: node.pos } };
  }
  if (p1 === 'fwmark') {
    const r = p2 === undefined ? null : parseUnsigned(p2, 0, IPVS_FWMARK_MAX);
    if (r === null || !r.ok) {
      ctx.error(node, BuildCodes.INVALID_NUMBER, `virtual server fwmark '${p2 ?? ''}' must be in [0, ${IPVS_FWMARK_MAX}] - ignoring`);
      return null;
    }
    return { kind: 'fwmark', fwmark: r.value, family: null };
  }
  const a = parseServerAddress(ctx, node, p1, p2, 'virtual server');
  return a === null ? null : { kind: 'ip', ...a };
}

export function buildVirtualServer(ctx: BuildContext, node: ConfigNode): VirtualServer | null {
  const target = parseTarget(ctx, node);
  if (target === null) return null;
  const vs: VsDraft = {
    sched: new Set(),
    realServers: [],
    v: {
      pos: node.pos,
      target,
      ipFamily: null,
      lvsSched: 'wlc',
      lvsSchedConfigured: false,
      schedFlags: [],
      forwarding: NAT,
      forwardingConfigured: false,
      // keepalived: an address service without `protocol` is reported and set to UDP (kernel default).
      protocol: 'UDP',
      protocolConfigured: false,
      persistenceTimeoutSec: null,
      persistenceGranularity: null,
      persistenceEngine: null,
      delayLoopUs: 60 * US_PER_SEC,
      connectTimeoutUs: 5 * US_PER_SEC,
      retry: null,
      delayBeforeRetryUs: null,
      warmupUs: null,
      inhibitOnFailure: false,
      haSuspend: false,
      virtualhost: null,
      alpha: false,
      omega: false,
      quorum: 1,
      hysteresis: 0,
      quorumUp: null,
      quorumDown: null,
      weight: 1,
      smtpAlert: null,
      sorryServer: null,
      sorryServerInhibit: false,
      sorryServerForwarding: null,
    },
  };
  walkBlock(ctx, node.children ?? [], virtualServerKeywords, vsHandlers, vs);
  const realServers: RealServer[] = vs.realServers.map((rs) => ({
    address: rs.base.address,
    family: rs.base.family,
    port: rs.base.port,
    pos: rs.base.pos,
    weight: rs.weight,
    forwarding: rs.forwarding ?? vs.v.forwarding,
    inhibitOnFailure: rs.inhibitOnFailure ?? vs.v.inhibitOnFailure,
    notifyUp: rs.notifyUp,
    notifyDown: rs.notifyDown,
    uthreshold: rs.uthreshold,
    lthreshold: rs.lthreshold,
    alpha: rs.alpha ?? vs.v.alpha,
    // keepalived 2.2.7 (check_data.c): an unset real server smtp_alert falls back to the global settings, not the virtual server's.
    smtpAlert: rs.smtpAlert,
    virtualhost: rs.virtualhost,
    checkers: rs.checkers.map((c) => finishChecker(c, rs, vs)),
  }));
  return { ...vs.v, schedFlags: [...vs.sched], realServers };
}

export const checkHandlerNames: Readonly<Record<string, ReadonlySet<string>>> = {
  virtual_server: new Set(vsHandlers.keys()),
  real_server: new Set(rsHandlers.keys()),
  url: new Set(urlHandlers.keys()),
  ...Object.fromEntries([...CHECKER_TABLES].map(([k, v]) => [k, new Set(v.map.keys())])),
};
