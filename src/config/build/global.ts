/**
 * global_defs → GlobalDefs, with keepalived 2.2.7's defaults (core/global_data.c) and its
 * parse-time messages and fallbacks (core/global_parser.c).
 */
import { globalDefsKeywords } from '../keywords/global.js';
import type { GlobalDefs, NotifyFifo, ScriptSpec } from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import { BuildCodes, handlers, walkBlock, type BuildContext, type Handler, type Mutable } from './context.js';
import { familyOf, INT_MAX, parseBool, parseInt10, parseIp, parseScript, parseTimerUs, parseUnsigned, UINT_MAX, US_PER_SEC } from './values.js';

export function defaultGlobalDefs(): Mutable<GlobalDefs> {
  return {
    netNamespace: null,
    routerId: null,
    notificationEmails: [],
    notificationEmailFrom: null,
    smtpServer: null,
    smtpHeloName: null,
    smtpConnectTimeoutUs: 30 * US_PER_SEC,
    smtpAlert: null,
    smtpAlertVrrp: null,
    smtpAlertChecker: null,
    noEmailFaults: false,
    checkerLogAllFailures: false,
    vrrpMcastGroup4: '224.0.0.18',
    vrrpMcastGroup6: 'ff02::12',
    vrrpVersion: 2,
    vrrpGarpMasterDelaySec: 5,
    vrrpGarpMasterRepeat: 5,
    vrrpGarpMasterRefreshSec: 0,
    vrrpGarpMasterRefreshRepeat: 1,
    vrrpGarpLowerPrioDelaySec: null,
    vrrpGarpLowerPrioRepeat: null,
    vrrpGarpIntervalUs: 0,
    vrrpGnaIntervalUs: 0,
    vrrpMinGarp: false,
    vrrpGarpExtraIf: null,
    vrrpDownTimerAdverts: 3,
    vrrpLowerPrioNoAdvert: false,
    vrrpHigherPrioSendAdvert: false,
    vrrpCheckUnicastSrc: false,
    vrrpSkipCheckAdvAddr: false,
    vrrpStrict: false,
    vrrpStartupDelayUs: 0,
    v3ChecksumAsV2: false,
    logUnknownVrids: false,
    vmacPrefix: 'vrrp',
    vmacAddrPrefix: 'vrrp',
    dynamicInterfaces: false,
    dynamicInterfacesAllowIfChanges: false,
    defaultInterface: null,
    disableLocalIgmp: false,
    vrrpNotifyPriorityChanges: false,
    fifoWriteVrrpStatesOnReload: false,
    scriptUser: null,
    enableScriptSecurity: false,
    notifyFifo: null,
    notifyFifoScript: null,
    vrrpNotifyFifo: null,
    vrrpNotifyFifoScript: null,
    lvsNotifyFifo: null,
    lvsNotifyFifoScript: null,
    startupScript: null,
    startupScriptTimeoutSec: 10,
    shutdownScript: null,
    shutdownScriptTimeoutSec: 10,
    maxAutoPriority: null,
    minAutoPriorityDelayUs: 0,
    lvsSyncDaemon: null,
    pos: null,
  };
}

type G = Mutable<GlobalDefs> & { vmacPrefixSet?: boolean; vmacAddrPrefixSet?: boolean };

/** BOOL keyword: bare = true, else true/false words (error on anything else, value unchanged). */
function boolKw(set: (g: G, v: boolean) => void, what: string): Handler<G> {
  return (ctx, node, g) => {
    const a = node.args[0];
    if (a === undefined) return set(g, true);
    const v = parseBool(a);
    if (v === null) ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid value '${a}' for global ${what} specified`);
    else set(g, v);
  };
}

function flag(set: (g: G) => void): Handler<G> {
  return (_ctx, _node, g) => set(g);
}

function unsignedKw(min: number, max: number, set: (g: G, v: number) => void, msg: (a: string) => string): Handler<G> {
  return (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, min, max);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `${msg(a)} (${r.reason})`);
    else set(g, r.value);
  };
}

/** garp repeat style: 0 allowed by the parser but bumped to 1 with an error. */
function repeatKw(set: (g: G, v: number) => void, name: string): Handler<G> {
  return (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, UINT_MAX);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `${name} '${a}' invalid - ignoring (${r.reason})`);
    if (r.value === 0) {
      ctx.error(node, BuildCodes.INVALID_NUMBER, `${name} must be greater than 0, setting to 1`);
      set(g, 1);
    } else set(g, r.value);
  };
}

function fifoKw(type: string, get: (g: G) => NotifyFifo | null, set: (g: G, f: NotifyFifo) => void): Handler<G> {
  return (ctx, node, g) => {
    const path = node.args[0];
    if (path === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, `No ${type}notify_fifo name specified`);
    if (get(g) !== null) return ctx.error(node, BuildCodes.DUPLICATE, `${type}notify_fifo already specified - ignoring ${path}`);
    set(g, { path, user: node.args[1] ?? null, group: node.args[2] ?? null, pos: node.pos });
  };
}

function fifoScriptKw(type: string, get: (g: G) => ScriptSpec | null, set: (g: G, s: ScriptSpec) => void): Handler<G> {
  return (ctx, node, g) => {
    if (node.args.length === 0) return ctx.error(node, BuildCodes.MISSING_PARAMETER, `No ${type}notify_fifo_script specified`);
    if (get(g) !== null) return ctx.error(node, BuildCodes.DUPLICATE, `${type}notify_fifo_script already specified - ignoring ${node.args[0] ?? ''}`);
    const s = parseScript(node);
    if (s === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid ${type}notify_fifo_script`);
    set(g, s);
  };
}

function scriptKw(type: 'startup' | 'shutdown'): Handler<G> {
  return (ctx, node, g) => {
    const cur = type === 'startup' ? g.startupScript : g.shutdownScript;
    if (cur !== null) return ctx.error(node, BuildCodes.DUPLICATE, `${type} script already specified`);
    if (node.args.length === 0) return ctx.error(node, BuildCodes.MISSING_PARAMETER, `${type} script missing`);
    const s = parseScript(node);
    if (s === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid ${type} script`);
    if (type === 'startup') g.startupScript = s;
    else g.shutdownScript = s;
  };
}

function scriptTimeoutKw(type: 'startup' | 'shutdown'): Handler<G> {
  return (ctx, node, g) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, `${type}_script_timeout requires value`);
    const r = parseUnsigned(a, 1, 1000);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `${type}_script_timeout '${a}' must be in [1, 1000] - ignoring`);
    if (type === 'startup') g.startupScriptTimeoutSec = r.value;
    else g.shutdownScriptTimeoutSec = r.value;
  };
}

function mcastGroupKw(family: 'inet' | 'inet6'): Handler<G> {
  const name = family === 'inet' ? 'vrrp_mcast_group4' : 'vrrp_mcast_group6';
  return (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const f = familyOf(a);
    if (f === null) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `Can't parse ${name} [${a}]. Skipping`);
    if (f !== family) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `${name} [${a}] is not ${family === 'inet' ? 'IPv4' : 'IPv6'}. Skipping`);
    const multicast = family === 'inet' ? isMulticast4(a) : a.toLowerCase().startsWith('ff');
    if (!multicast) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `${name} [${a}] is not multicast. Skipping`);
    if (family === 'inet') g.vrrpMcastGroup4 = a;
    else g.vrrpMcastGroup6 = a;
  };
}

export function isMulticast4(a: string): boolean {
  const first = Number(a.split('.')[0]);
  return first >= 224 && first <= 239;
}

function decimalIntervalKw(name: string, set: (g: G, us: number) => void): Handler<G> {
  return (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseTimerUs(a, 1, UINT_MAX);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `${name} '${a}' is invalid`);
    if (r.warning !== undefined) ctx.error(node, BuildCodes.INVALID_NUMBER, r.warning);
    set(g, r.value);
  };
}

function garpExtraIf(ctx: BuildContext, node: ConfigNode, g: G): void {
  if (node.keyword === 'vrrp_vmac_garp_intvl') {
    ctx.warning(node, BuildCodes.DEPRECATED, 'Keyword "vrrp_vmac_garp_intvl" is deprecated - please use "vrrp_garp_extra_if"');
  }
  let all = false;
  let delay = 0;
  for (const a of node.args) {
    if (a === 'all') {
      all = true;
      continue;
    }
    const r = parseUnsigned(a, 1, 86400);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `${node.keyword} '${a}' invalid - ignoring`);
    delay = r.value;
  }
  if (delay === 0) return ctx.error(node, BuildCodes.INVALID_VALUE, `${node.keyword} specified without time - ignoring`);
  g.vrrpGarpExtraIf = { delaySec: delay, all };
}

function lvsSyncDaemon(ctx: BuildContext, node: ConfigNode, g: G): void {
  if (g.lvsSyncDaemon != null) {
    return ctx.error(node, BuildCodes.DUPLICATE, `lvs_sync_daemon has already been specified as ${g.lvsSyncDaemon.interface} ${g.lvsSyncDaemon.vrrpInstance ?? ''} - ignoring`);
  }
  const ifname = node.args[0];
  if (ifname === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'lvs_sync_daemon requires interface');
  if (ifname.length >= 16) return ctx.error(node, BuildCodes.INVALID_VALUE, `lvs_sync_daemon interface name '${ifname}' too long - ignoring`);
  const d: Mutable<NonNullable<GlobalDefs['lvsSyncDaemon']>> = { interface: ifname, vrrpInstance: null, syncId: null, maxLen: null, port: null, ttl: null, group: null, pos: node.pos };
  const a = node.args;
  const num = (i: number, min: number, max: number, what: string): number | null => {
    const v = a[i + 1];
    if (v === undefined) {
      ctx.error(node, BuildCodes.MISSING_PARAMETER, `No value specified for lvs_sync_daemon ${what} - ignoring`);
      return null;
    }
    const r = parseUnsigned(v, min, max);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Invalid lvs_sync_daemon ${what} (${v}) - ignoring`);
    return r.ok ? r.value : null;
  };
  for (let i = 1; i < a.length; i++) {
    const opt = a[i] ?? '';
    if (opt === 'inst') {
      if (d.vrrpInstance !== null) ctx.error(node, BuildCodes.DUPLICATE, `lvs_sync_daemon vrrp instance has already been specified as ${d.vrrpInstance} - ignoring`);
      else d.vrrpInstance = a[i + 1] ?? null;
      i++;
    } else if (opt === 'id') {
      d.syncId = num(i, 0, 255, 'id') ?? d.syncId;
      i++;
    } else if (opt === 'maxlen') {
      d.maxLen = num(i, 1, 65535 - 20 - 8, 'maxlen') ?? d.maxLen;
      i++;
    } else if (opt === 'port') {
      d.port = num(i, 1, 65535, 'port') ?? d.port;
      i++;
    } else if (opt === 'ttl') {
      d.ttl = num(i, 1, 255, 'ttl') ?? d.ttl;
      i++;
    } else if (opt === 'group') {
      const v = a[i + 1];
      i++;
      const f = v === undefined ? null : familyOf(v);
      if (v === undefined) ctx.error(node, BuildCodes.MISSING_PARAMETER, 'No value specified for lvs_sync_daemon group - ignoring');
      else if (f === null) ctx.error(node, BuildCodes.INVALID_ADDRESS, `Invalid lvs_sync_daemon group (${v}) - ignoring`);
      else if (f === 'inet' ? !isMulticast4(v) : !v.toLowerCase().startsWith('ff')) ctx.error(node, BuildCodes.INVALID_ADDRESS, `lvs_sync_daemon group address ${v} is not multicast - ignoring`);
      else d.group = v;
    } else if (i === 1) {
      // legacy: lvs_sync_daemon IF VRRP_INSTANCE [SYNC_ID]
      d.vrrpInstance = opt;
    } else if (i === 2) {
      const r = parseUnsigned(opt, 0, 255);
      if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Invalid syncid (${opt}) - defaulting to vrid`);
      else {
        ctx.error(node, BuildCodes.DEPRECATED, 'Please use keyword "id" before lvs_sync_daemon SYNCID');
        d.syncId = r.value;
      }
    } else ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown option ${opt} specified for lvs_sync_daemon`);
  }
  g.lvsSyncDaemon = d;
}

const globalHandlers = handlers<G>({
  lvs_sync_daemon: lvsSyncDaemon,
  router_id: (ctx, node, g) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'routerid name missing - ignoring');
    g.routerId = a;
  },
  notification_email_from: (ctx, node, g) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'emailfrom missing - ignoring');
    g.notificationEmailFrom = a;
  },
  smtp_server: (ctx, node, g) => {
    const host = ctx.arg(node, 1);
    if (host === undefined) return;
    let port = 25;
    const p = node.args[1];
    if (p !== undefined) {
      const r = parseUnsigned(p, 1, 65535);
      if (!r.ok) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid smtp server ${host} ${p}`);
      port = r.value;
    }
    const ip = parseIp(host);
    // keepalived also resolves host names; anything that is neither an address nor a plausible name is an error.
    if (ip === null && (/[/]/.test(host) || !/^[A-Za-z0-9.-]+$/.test(host))) {
      return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid smtp server ${host} ${p ?? '25'}`);
    }
    g.smtpServer = { address: host, family: ip?.family ?? 'inet', port, pos: node.pos };
  },
  smtp_helo_name: (_ctx, node, g) => {
    const a = node.args[0];
    if (a !== undefined) g.smtpHeloName = a;
  },
  smtp_connect_timeout: (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, Math.floor(UINT_MAX / US_PER_SEC));
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `smtp_connect_timeout '${a}' must be in [0, ${Math.floor(UINT_MAX / US_PER_SEC)}] - ignoring`);
    if (r.value === 0) ctx.error(node, BuildCodes.INVALID_NUMBER, 'smtp_conect_timeout must be greater than 0, setting to 1');
    g.smtpConnectTimeoutUs = Math.max(1, r.value) * US_PER_SEC;
  },
  notification_email: (ctx, node, g) => {
    const lines = node.children ?? [];
    if (lines.length === 0) return ctx.error(node, BuildCodes.INVALID_VALUE, 'Warning - empty notification_email block');
    g.notificationEmails = [...g.notificationEmails, ...lines.flatMap((l) => [l.keyword, ...l.args])];
  },
  smtp_alert: boolKw((g, v) => (g.smtpAlert = v), 'smtp_alert'),
  smtp_alert_vrrp: boolKw((g, v) => (g.smtpAlertVrrp = v), 'smtp_alert_vrrp'),
  smtp_alert_checker: boolKw((g, v) => (g.smtpAlertChecker = v), 'smtp_alert_checker'),
  no_email_faults: flag((g) => (g.noEmailFaults = true)),
  checker_log_all_failures: boolKw((g, v) => (g.checkerLogAllFailures = v), 'checker_log_all_failures'),
  startup_script: scriptKw('startup'),
  startup_script_timeout: scriptTimeoutKw('startup'),
  shutdown_script: scriptKw('shutdown'),
  shutdown_script_timeout: scriptTimeoutKw('shutdown'),
  script_user: (ctx, node, g) => {
    const user = node.args[0];
    if (user === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'No script username specified');
    g.scriptUser = { user, group: node.args[1] ?? null, pos: node.pos };
  },
  enable_script_security: flag((g) => (g.enableScriptSecurity = true)),
  max_auto_priority: (ctx, node, g) => {
    const a = node.args[0];
    // sched_get_priority_max(SCHED_RR) on Linux
    if (a === undefined) return void (g.maxAutoPriority = 99);
    const r = parseInt10(a, -1, 99);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `max_auto_priority '${a}' must be in [0, 99] (or -1 to disable) - ignoring`);
    g.maxAutoPriority = r.value;
  },
  min_auto_priority_delay: (ctx, node, g) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'min_auto_priority_delay requires delay time');
    const r = parseInt10(a, 1, 10_000_000);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `min_auto_priority_delay '${a}' must be in [1, 10000000] - ignoring`);
    g.minAutoPriorityDelayUs = r.value;
  },
  dynamic_interfaces: (ctx, node, g) => {
    g.dynamicInterfaces = true;
    const a = node.args[0];
    if (a === undefined) return;
    if (a === 'allow_if_changes') g.dynamicInterfacesAllowIfChanges = true;
    else ctx.error(node, BuildCodes.INVALID_VALUE, `Unknown dynamic_interfaces option '${a}'`);
  },
  default_interface: (ctx, node, g) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'default_interface requires interface name');
    g.defaultInterface = a;
  },
  // keepalived also checks the kernel supports it (host check, validator's job).
  disable_local_igmp: flag((g) => (g.disableLocalIgmp = true)),
  vrrp_mcast_group4: mcastGroupKw('inet'),
  vrrp_mcast_group6: mcastGroupKw('inet6'),
  vrrp_version: (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseInt10(a, 2, 3);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_VALUE, 'VRRP Error: Version must be either 2 or 3');
    g.vrrpVersion = r.value === 3 ? 3 : 2;
  },
  vrrp_garp_master_delay: unsignedKw(0, Math.floor(UINT_MAX / US_PER_SEC), (g, v) => (g.vrrpGarpMasterDelaySec = v), (a) => `vrrp_garp_master_delay '${a}' invalid - ignoring`),
  vrrp_garp_master_repeat: repeatKw((g, v) => (g.vrrpGarpMasterRepeat = v), 'vrrp_garp_master_repeat'),
  vrrp_garp_master_refresh: (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, UINT_MAX);
    if (!r.ok) {
      ctx.error(node, BuildCodes.INVALID_NUMBER, `Invalid vrrp_garp_master_refresh '${a}' - ignoring`);
      g.vrrpGarpMasterRefreshSec = 0;
    } else g.vrrpGarpMasterRefreshSec = r.value;
  },
  vrrp_garp_master_refresh_repeat: repeatKw((g, v) => (g.vrrpGarpMasterRefreshRepeat = v), 'vrrp_garp_master_refresh_repeat'),
  vrrp_garp_lower_prio_delay: unsignedKw(0, Math.floor(UINT_MAX / US_PER_SEC), (g, v) => (g.vrrpGarpLowerPrioDelaySec = v), (a) => `vrrp_garp_lower_prio_delay '${a}' invalid - ignoring`),
  vrrp_garp_lower_prio_repeat: unsignedKw(0, INT_MAX, (g, v) => (g.vrrpGarpLowerPrioRepeat = v), (a) => `Invalid vrrp_garp_lower_prio_repeat '${a}'`),
  vrrp_down_timer_adverts: unsignedKw(1, 100, (g, v) => (g.vrrpDownTimerAdverts = v), (a) => `Invalid vrrp_down_timer_adverts [1:100] '${a}'`),
  vrrp_garp_interval: decimalIntervalKw('vrrp_garp_interval', (g, v) => (g.vrrpGarpIntervalUs = v)),
  vrrp_gna_interval: decimalIntervalKw('vrrp_gna_interval', (g, v) => (g.vrrpGnaIntervalUs = v)),
  vrrp_min_garp: (ctx, node, g) => {
    const a = node.args[0];
    if (a !== undefined) {
      const v = parseBool(a);
      if (v === null) return ctx.error(node, BuildCodes.INVALID_VALUE, 'Invalid value for vrrp_min_garp specified');
      if (!v) return;
    }
    g.vrrpMinGarp = true;
    // Only one GARP, no repeats, unless already configured otherwise.
    if (g.vrrpGarpMasterRepeat === 5) g.vrrpGarpMasterRepeat = 1;
    if (g.vrrpGarpMasterRefreshRepeat === 1) g.vrrpGarpMasterRefreshRepeat = 0;
    if (g.vrrpGarpMasterDelaySec === 5) g.vrrpGarpMasterDelaySec = 0;
  },
  vrrp_garp_extra_if: garpExtraIf,
  vrrp_lower_prio_no_advert: boolKw((g, v) => (g.vrrpLowerPrioNoAdvert = v), 'vrrp_lower_prio_no_advert'),
  vrrp_higher_prio_send_advert: boolKw((g, v) => (g.vrrpHigherPrioSendAdvert = v), 'vrrp_higher_prio_send_advert'),
  vrrp_check_unicast_src: flag((g) => (g.vrrpCheckUnicastSrc = true)),
  vrrp_skip_check_adv_addr: flag((g) => (g.vrrpSkipCheckAdvAddr = true)),
  vrrp_strict: flag((g) => (g.vrrpStrict = true)),
  vrrp_startup_delay: (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseTimerUs(a, 1000, UINT_MAX);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `vrrp_startup_delay '${a}' is invalid`);
    if (r.warning !== undefined) ctx.error(node, BuildCodes.INVALID_NUMBER, r.warning);
    g.vrrpStartupDelayUs = r.value;
  },
  log_unknown_vrids: flag((g) => (g.logUnknownVrids = true)),
  vmac_prefix: (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (g.vmacPrefixSet === true) return ctx.error(node, BuildCodes.DUPLICATE, `vmac prefix has already been specified - ignoring ${a}`);
    g.vmacPrefixSet = true;
    g.vmacPrefix = a;
  },
  vmac_addr_prefix: (ctx, node, g) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (g.vmacAddrPrefixSet === true) return ctx.error(node, BuildCodes.DUPLICATE, `vmac addr prefix has already been specified - ignoring ${a}`);
    g.vmacAddrPrefixSet = true;
    g.vmacAddrPrefix = a;
  },
  notify_fifo: fifoKw('', (g) => g.notifyFifo, (g, f) => (g.notifyFifo = f)),
  notify_fifo_script: fifoScriptKw('', (g) => g.notifyFifoScript, (g, s) => (g.notifyFifoScript = s)),
  vrrp_notify_fifo: fifoKw('vrrp_', (g) => g.vrrpNotifyFifo, (g, f) => (g.vrrpNotifyFifo = f)),
  vrrp_notify_fifo_script: fifoScriptKw('vrrp_', (g) => g.vrrpNotifyFifoScript, (g, s) => (g.vrrpNotifyFifoScript = s)),
  lvs_notify_fifo: fifoKw('lvs_', (g) => g.lvsNotifyFifo, (g, f) => (g.lvsNotifyFifo = f)),
  lvs_notify_fifo_script: fifoScriptKw('lvs_', (g) => g.lvsNotifyFifoScript, (g, s) => (g.lvsNotifyFifoScript = s)),
  vrrp_notify_priority_changes: boolKw((g, v) => (g.vrrpNotifyPriorityChanges = v), 'vrrp_notify_priority_changes'),
  fifo_write_vrrp_states_on_reload: flag((g) => (g.fifoWriteVrrpStatesOnReload = true)),
});

/** Apply one `global_defs { … }` block (keepalived allows several; later values win). */
export function applyGlobalDefs(ctx: BuildContext, node: ConfigNode, g: Mutable<GlobalDefs>): void {
  g.pos ??= node.pos;
  walkBlock(ctx, node.children ?? [], globalDefsKeywords, globalHandlers, g as G);
}

/** Strip builder-only bookkeeping before the object leaves the builder. */
export function finishGlobalDefs(g: Mutable<GlobalDefs>): GlobalDefs {
  const { vmacPrefixSet: _a, vmacAddrPrefixSet: _b, ...rest } = g as G;
  return rest;
}

/** Handler names, for the table/handler consistency test. */
export const globalHandlerNames: ReadonlySet<string> = new Set(globalHandlers.keys());
