/**
 * vrrp_instance and vrrp_sync_group → VrrpInstance / VrrpSyncGroup (keepalived 2.2.7
 * vrrp/vrrp_parser.c): per-keyword ranges, enumerations and fallbacks, defaults copied from
 * global_defs when the block starts. Cross-instance checks belong to the validator.
 */
import { authenticationKeywords, vrrpInstanceKeywords, vrrpSyncGroupKeywords } from '../keywords/vrrp.js';
import type { GlobalDefs, IpAddress, NamedRef, ScriptSpec, UnicastPeer, VrrpAuthentication, VrrpInstance, VrrpSyncGroup } from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import { parseAddressLine, parseRouteLine, parseRuleLine } from './addresses.js';
import { BuildCodes, handlers, walkBlock, type BuildContext, type Handler, type Mutable } from './context.js';
import { parseTrackRefs, type Declared, type TrackKind } from './trackers.js';
import { INT_MAX, parseBool, parseInt10, parseIp, parseScript, parseTimerUs, parseUnsigned, UINT_MAX, US_PER_SEC } from './values.js';

type Notify = Mutable<VrrpInstance['notify']>;

type InstanceDraft = Omit<Mutable<VrrpInstance>, 'notify'> & { notify: Notify };

/** keepalived resolves these from the final global_defs (PARAMETER_UNSET until vrrp_complete_init). */
type LateField = 'version' | 'strictMode' | 'lowerPrioNoAdvert' | 'higherPrioSendAdvert' | 'garpExtraIf' | 'garpLowerPrioDelaySec' | 'garpLowerPrioRepeat';

interface InstanceState {
  readonly v: InstanceDraft;
  readonly declared: Declared;
  readonly vmacNames: Set<string>;
  ttlSet: boolean;
  /** Fields keepalived leaves unset until the end of the configuration (then taken from global_defs). */
  readonly configured: Set<LateField>;
  auth: { type: 'PASS' | 'AH' | null; pass: string; pos: VrrpAuthentication['pos'] } | null;
}

/** VRRP timers are bounded by keepalived's TIMER_MAX_SEC (in µs). */
const TIMER_MAX_SEC = 1000;

function boolFlag(set: (s: InstanceState, v: boolean) => void, what: string): Handler<InstanceState> {
  return (ctx, node, s) => {
    const a = node.args[0];
    if (a === undefined) return set(s, true);
    const b = parseBool(a);
    if (b === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) invalid ${what} ${a} specified`);
    set(s, b);
  };
}

function flag(set: (s: InstanceState) => void): Handler<InstanceState> {
  return (_ctx, _node, s) => set(s);
}

function notifyKw(key: keyof Notify, label: string): Handler<InstanceState> {
  return (ctx, node, s) => {
    if (s.v.notify[key] !== null) return ctx.error(node, BuildCodes.DUPLICATE, `(${s.v.name}) ${label} script already specified - ignoring ${node.args[0] ?? ''}`);
    if (node.args.length === 0) return void ctx.arg(node, 1);
    const sc = parseScript(node);
    if (sc === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) Unable to parse ${label} script`);
    s.v.notify[key] = sc;
  };
}

function trackKw(kind: TrackKind, set: (s: InstanceState, refs: InstanceState['v']['trackScripts']) => void): Handler<InstanceState> {
  return (ctx, node, s) => set(s, parseTrackRefs(ctx, node, kind, s.v.name, s.declared));
}

function srcIp(ctx: BuildContext, node: ConfigNode, s: InstanceState, set: (ip: IpAddress) => void): void {
  const a = ctx.arg(node, 1);
  if (a === undefined) return;
  const ip = parseIp(a);
  if (ip === null) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `Configuration error: VRRP instance[${s.v.name}] malformed src address[${a}]. Skipping...`);
  set(ip);
}

function unsignedKw(min: number, max: number, set: (s: InstanceState, v: number) => void, msg: (s: InstanceState, a: string) => string): Handler<InstanceState> {
  return (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, min, max);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, msg(s, a));
    set(s, r.value);
  };
}

function repeatKw(set: (s: InstanceState, v: number) => void, name: string): Handler<InstanceState> {
  return (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, UINT_MAX);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}): ${name} '${a}' invalid - ignoring`);
    if (r.value === 0) ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}): ${name} must be greater than 0, setting to 1`);
    set(s, Math.max(1, r.value));
  };
}

/**
 * `unicast_peer { ADDR [min_ttl N] [max_ttl N] }`, as keepalived 2.2.7's alloc_vrrp_unicast_peer: a bad
 * option or value is reported and the peer is still kept (min_ttl > max_ttl: every advert from it is
 * discarded). `ttlGiven` is set when a peer names min_ttl or max_ttl: that turns on check_unicast_src.
 */
function parseUnicastPeers(ctx: BuildContext, node: ConfigNode, owner: string): { peers: UnicastPeer[]; ttlGiven: boolean } {
  const out: UnicastPeer[] = [];
  let ttlGiven = false;
  for (const line of node.children ?? []) {
    const ip = parseIp(line.keyword);
    if (ip === null) {
      ctx.error(line, BuildCodes.INVALID_ADDRESS, `(${owner}) VRRP parsed invalid IP ${line.keyword}. skipping IP...`);
      continue;
    }
    let minTtl = 0;
    let maxTtl = 255;
    for (let i = 0; i < line.args.length; i += 2) {
      const opt = line.args[i] ?? '';
      const val = line.args[i + 1];
      if (val === undefined) {
        ctx.error(line, BuildCodes.INVALID_VALUE, `(${owner}) ${opt} is missing a value`);
        break;
      }
      const r = parseUnsigned(val, 0, 255);
      if (!r.ok) {
        ctx.error(line, BuildCodes.INVALID_NUMBER, `(${owner}) invalid ${opt} ${val} for unicast peer ${line.keyword}`);
        continue;
      }
      if (opt !== 'min_ttl' && opt !== 'max_ttl') {
        ctx.error(line, BuildCodes.INVALID_VALUE, `(${owner}) unknown unicast_peer option ${opt}`);
        break;
      }
      if (opt === 'min_ttl') minTtl = r.value;
      else maxTtl = r.value;
      ttlGiven = true;
    }
    if (minTtl > maxTtl) {
      ctx.error(line, BuildCodes.INVALID_VALUE, `(${owner}) min_ttl ${minTtl} > max_ttl ${maxTtl} - all packets will be discarded`);
    }
    out.push({ ...ip, minTtl, maxTtl, pos: line.pos });
  }
  return { peers: out, ttlGiven };
}

const authHandlers = handlers<InstanceState>({
  auth_type: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined || s.auth === null) return;
    if (a === 'PASS' || a === 'AH') s.auth.type = a;
    else ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) unknown authentication type '${a}'`);
  },
  auth_pass: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined || s.auth === null) return;
    if (a.length > 8) ctx.error(node, BuildCodes.TRUNCATED, 'Truncating auth_pass to 8 characters');
    s.auth.pass = a.slice(0, 8);
  },
});

const instanceHandlers = handlers<InstanceState>({
  use_vmac: (ctx, node, s) => {
    let ifname: string | null = null;
    let mac: string | null = null;
    for (const a of node.args.slice(0, 2)) {
      if (a.includes(':')) {
        if (mac !== null) ctx.error(node, BuildCodes.DUPLICATE, 'VMAC interface address already specified');
        else if (!/^([0-9A-Fa-f]{1,2}:){4,5}[0-9A-Fa-f]{0,2}$/.test(a)) ctx.error(node, BuildCodes.INVALID_VALUE, `VMAC invalid MAC address ${a} - ignored`);
        else if ((parseInt(a.split(':')[0] ?? '0', 16) & 1) === 1) ctx.error(node, BuildCodes.INVALID_VALUE, `VMAC MAC address is multicast ${a} - ignoring`);
        else mac = a.toLowerCase();
      } else if (ifname !== null) ctx.error(node, BuildCodes.DUPLICATE, 'VMAC interface name already specified');
      else if (a.length >= 16 || a === '.' || a === '..' || /[/:\s]/.test(a)) ctx.error(node, BuildCodes.INVALID_VALUE, `VMAC interface name '${a}' too long or invalid characters - ignoring`);
      else if (s.vmacNames.has(a)) ctx.error(node, BuildCodes.DUPLICATE, `(${s.v.name}) VRRP instance is already using ${a} - ignoring name`);
      else {
        ifname = a;
        s.vmacNames.add(a);
      }
    }
    s.v.useVmac = { ifname, mac, netlinkNotifyMsg: false, pos: node.pos };
  },
  use_vmac_addr: flag((s) => (s.v.useVmacAddr = true)),
  vmac_xmit_base: flag((s) => (s.v.vmacXmitBase = true)),
  unicast_peer: (ctx, node, s) => {
    const { peers, ttlGiven } = parseUnicastPeers(ctx, node, s.v.name);
    s.v.unicastPeers = [...s.v.unicastPeers, ...peers];
    if (ttlGiven) s.v.checkUnicastSrc = true;
  },
  unicast_fault_no_peer: flag((s) => (s.v.unicastFaultNoPeer = true)),
  check_unicast_src: flag((s) => (s.v.checkUnicastSrc = true)),
  old_unicast_checksum: (ctx, node, s) => {
    const a = node.args[0];
    if (a === undefined) s.v.oldUnicastChecksum = true;
    else if (a === 'never') s.v.oldUnicastChecksum = false;
    else ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) Unknown old_unicast_chksum mode ${a} - ignoring`);
  },
  native_ipv6: (_ctx, _node, s) => {
    s.v.nativeIpv6 = true;
    s.v.version = 3;
    s.v.versionConfigured = true;
    s.configured.add('version');
  },
  state: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    s.v.stateConfigured = true;
    if (a === 'MASTER') s.v.state = 'MASTER';
    else if (a === 'BACKUP') {
      if (s.v.state === 'MASTER') ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) state previously set as MASTER - ignoring BACKUP`);
    } else {
      ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) unknown state '${a}', defaulting to BACKUP`);
      s.v.state = 'BACKUP';
    }
  },
  interface: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (a.length >= 16) return ctx.error(node, BuildCodes.INVALID_VALUE, `Interface name '${a}' too long - ignoring`);
    s.v.interface = { name: a, pos: node.pos };
  },
  vrf: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (a.length >= 16) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) VRF interface name '${a}' too long - ignoring`);
    if (s.v.interface !== null) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) Cannot specify VRF interface and interface - ignoring`);
    if (s.v.vrf !== null) return ctx.error(node, BuildCodes.DUPLICATE, `(${s.v.name}) VRF interface already specified as '${s.v.vrf}' - ignoring`);
    s.v.vrf = a;
  },
  dont_track_primary: flag((s) => (s.v.dontTrackPrimary = true)),
  track_interface: trackKw('interface', (s, r) => (s.v.trackInterfaces = [...s.v.trackInterfaces, ...r])),
  track_script: trackKw('script', (s, r) => (s.v.trackScripts = [...s.v.trackScripts, ...r])),
  track_file: trackKw('file', (s, r) => (s.v.trackFiles = [...s.v.trackFiles, ...r])),
  track_process: trackKw('process', (s, r) => (s.v.trackProcesses = [...s.v.trackProcesses, ...r])),
  track_bfd: trackKw('bfd', (s, r) => (s.v.trackBfds = [...s.v.trackBfds, ...r])),
  mcast_src_ip: (ctx, node, s) => srcIp(ctx, node, s, (ip) => (s.v.mcastSrcIp = ip)),
  unicast_src_ip: (ctx, node, s) => srcIp(ctx, node, s, (ip) => (s.v.unicastSrcIp = ip)),
  mcast_dst_ip: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const ip = parseIp(a);
    if (ip === null) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `(${s.v.name}) malformed mcast dest address ${a}. Skipping...`);
    const mc = ip.family === 'inet' ? Number(a.split('.')[0]) >= 224 && Number(a.split('.')[0]) <= 239 : /^ff[0-9a-f]2:/i.test(a);
    if (!mc) return ctx.error(node, BuildCodes.INVALID_ADDRESS, `(${s.v.name}) mcast_dst_ip ${a} not${ip.family === 'inet6' ? ' link-local' : ''} multicast. Skipping...`);
    s.v.mcastDstIp = ip;
  },
  track_src_ip: flag((s) => (s.v.trackSrcIp = true)),
  virtual_router_id: unsignedKw(1, 255, (s, v) => (s.v.virtualRouterId = v), (s, a) => `(${s.v.name}): VRID '${a}' not valid - must be between 1 & 255`),
  unicast_ttl: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, 255);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}): TTL '${a}' not valid - must be between 0 & 255`);
    s.v.unicastTtl = r.value;
    s.ttlSet = true;
  },
  version: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseInt10(a, 2, 3);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}): Version must be either 2 or 3`);
    if (s.v.versionConfigured && s.v.version !== r.value) {
      return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) vrrp_version ${r.value} conflicts with configured or deduced version ${s.v.version}; ignoring.`);
    }
    s.v.version = r.value === 3 ? 3 : 2;
    s.v.versionConfigured = true;
    s.configured.add('version');
  },
  priority: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 1, 255);
    s.v.priorityConfigured = true;
    if (!r.ok) {
      ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}) Priority not valid! must be between 1 & 255. Using default 100`);
      s.v.priority = 100;
    } else s.v.priority = r.value;
  },
  advert_int: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseTimerUs(a, US_PER_SEC / 100, 255 * US_PER_SEC);
    if (!r.ok || r.value <= 0) return ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}) Advert interval (${a}) not valid! Must be > 0 - ignoring`);
    if (r.warning !== undefined) ctx.error(node, BuildCodes.INVALID_NUMBER, r.warning);
    s.v.advertIntUs = r.value;
  },
  virtual_ipaddress: (ctx, node, s) => {
    const add = (node.children ?? []).map((l) => parseAddressLine(ctx, l, false)).filter((x) => x !== null);
    s.v.virtualIpAddresses = [...s.v.virtualIpAddresses, ...add];
  },
  virtual_ipaddress_excluded: (ctx, node, s) => {
    const add = (node.children ?? []).map((l) => parseAddressLine(ctx, l, false)).filter((x) => x !== null);
    s.v.virtualIpAddressesExcluded = [...s.v.virtualIpAddressesExcluded, ...add];
  },
  virtual_routes: (ctx, node, s) => {
    const add = (node.children ?? []).map((l) => parseRouteLine(ctx, l)).filter((x) => x !== null);
    s.v.virtualRoutes = [...s.v.virtualRoutes, ...add];
  },
  virtual_rules: (ctx, node, s) => {
    s.v.virtualRules = [...s.v.virtualRules, ...(node.children ?? []).map((l) => parseRuleLine(ctx, l))];
  },
  promote_secondaries: flag((s) => (s.v.promoteSecondaries = true)),
  linkbeat_use_polling: (ctx, node, s) => {
    s.v.linkbeatUsePolling = true;
    ctx.error(node, BuildCodes.DEPRECATED, `(${s.v.name}) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block`);
  },
  accept: flag((s) => (s.v.accept = true)),
  no_accept: flag((s) => (s.v.accept = false)),
  skip_check_adv_addr: (ctx, node, s) => {
    const a = node.args[0];
    // keepalived sets the flag for any valid BOOL, even "off".
    if (a !== undefined && parseBool(a) === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) invalid skip_check_adv_addr ${a} specified`);
    s.v.skipCheckAdvAddr = true;
  },
  strict_mode: boolFlag((s, v) => {
    s.v.strictMode = v;
    s.configured.add('strictMode');
  }, 'strict_mode'),
  preempt: flag((s) => (s.v.nopreempt = false)),
  nopreempt: flag((s) => (s.v.nopreempt = true)),
  preempt_delay: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseTimerUs(a, 0, TIMER_MAX_SEC * US_PER_SEC);
    if (!r.ok) {
      ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}) Preempt_delay not valid! must be between 0-${TIMER_MAX_SEC}`);
      s.v.preemptDelayUs = 0;
    } else s.v.preemptDelayUs = r.value;
  },
  debug: unsignedKw(0, 4, (s, v) => (s.v.debugLevel = v), (s, a) => `(${s.v.name}) Debug value '${a}' not valid; must be between 0-4`),
  notify_backup: notifyKw('backup', 'notify_backup'),
  notify_master: notifyKw('master', 'notify_master'),
  notify_fault: notifyKw('fault', 'notify_fault'),
  notify_stop: notifyKw('stop', 'notify_stop'),
  notify: notifyKw('generic', 'notify'),
  notify_master_rx_lower_pri: notifyKw('masterRxLowerPri', 'notify_master_rx_lower_pri'),
  notify_deleted: (ctx, node, s) => {
    if (s.v.notifyDeleted) return ctx.error(node, BuildCodes.DUPLICATE, `(${s.v.name}) notify_deleted already specified - ignoring ${node.args[0] ?? ''}`);
    // Bare `notify_deleted` only changes what a reload removal notifies (DELETED, not FAULT); a command adds a script.
    s.v.notifyDeleted = true;
    if (node.args.length > 0) s.v.notify.deleted = parseScript(node);
  },
  smtp_alert: (ctx, node, s) => {
    const a = node.args[0];
    const b = a === undefined ? true : parseBool(a);
    if (b === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid vrrp_instance smtp_alert parameter ${a ?? ''}`);
    s.v.smtpAlert = b;
  },
  notify_priority_changes: (ctx, node, s) => {
    const a = node.args[0];
    const b = a === undefined ? true : parseBool(a);
    if (b === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) Invalid value '${a ?? ''}' for notify_priority_changes specified`);
    s.v.notifyPriorityChanges = b;
  },
  lvs_sync_daemon_interface: (ctx, node, s) => {
    ctx.error(node, BuildCodes.DEPRECATED, `(${s.v.name}) Specifying lvs_sync_daemon_interface against a vrrp is deprecated. Please use global lvs_sync_daemon`);
    const a = ctx.arg(node, 1);
    if (a !== undefined) s.v.lvsSyncDaemonInterface = a;
  },
  garp_master_delay: unsignedKw(0, Math.floor(UINT_MAX / US_PER_SEC), (s, v) => (s.v.garpMasterDelaySec = v), (s, a) => `(${s.v.name}): garp_master_delay '${a}' invalid - ignoring`),
  garp_master_refresh: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, UINT_MAX);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}): Invalid garp_master_refresh '${a}' - ignoring`);
    s.v.garpMasterRefreshSec = r.ok ? r.value : 0;
  },
  garp_master_repeat: repeatKw((s, v) => (s.v.garpMasterRepeat = v), 'garp_master_repeat'),
  garp_master_refresh_repeat: repeatKw((s, v) => (s.v.garpMasterRefreshRepeat = v), 'garp_master_refresh_repeat'),
  garp_lower_prio_delay: unsignedKw(0, Math.floor(UINT_MAX / US_PER_SEC), (s, v) => {
      s.v.garpLowerPrioDelaySec = v;
      s.configured.add('garpLowerPrioDelaySec');
    }, (s, a) => `(${s.v.name}): garp_lower_prio_delay '${a}' invalid - ignoring`),
  garp_lower_prio_repeat: unsignedKw(0, INT_MAX, (s, v) => {
      s.v.garpLowerPrioRepeat = v;
      s.configured.add('garpLowerPrioRepeat');
    }, (s, a) => `(${s.v.name}): Invalid garp_lower_prio_repeat '${a}'`),
  down_timer_adverts: unsignedKw(1, 100, (s, v) => (s.v.downTimerAdverts = v), (s, a) => `(${s.v.name}): Invalid down_timer_adverts [1:100] '${a}'`),
  garp_extra_if: (ctx, node, s) => {
    if (node.keyword === 'vmac_garp_intvl') ctx.warning(node, BuildCodes.DEPRECATED, 'Keyword "vmac_garp_intvl" is deprecated - please use "garp_extra_if"');
    let all = false;
    let delay: number | null = null;
    for (const a of node.args) {
      if (a === 'all') {
        all = true;
        continue;
      }
      const r = parseUnsigned(a, 0, 86400);
      if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.v.name}): ${node.keyword} '${a}' invalid - ignoring`);
      delay = r.value;
    }
    if (delay === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}): ${node.keyword} specified without time - ignoring`);
    s.v.garpExtraIf = { delaySec: delay, all };
    s.configured.add('garpExtraIf');
  },
  lower_prio_no_advert: boolFlag((s, v) => {
    s.v.lowerPrioNoAdvert = v;
    s.configured.add('lowerPrioNoAdvert');
  }, 'lower_prio_no_advert'),
  higher_prio_send_advert: boolFlag((s, v) => {
    s.v.higherPrioSendAdvert = v;
    s.configured.add('higherPrioSendAdvert');
  }, 'higher_prio_send_advert'),
  kernel_rx_buf_size: (ctx, node, s) => {
    const a = node.args[0];
    const r = a === undefined || node.args.length !== 1 ? null : parseUnsigned(a, 0, UINT_MAX);
    if (r === null || !r.ok) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.v.name}) invalid kernel_rx_buf_size specified`);
    s.v.kernelRxBufSize = r.value;
  },
  authentication: (ctx, node, s) => {
    s.auth = { type: null, pass: '', pos: node.pos };
    walkBlock(ctx, node.children ?? [], authenticationKeywords, authHandlers, s);
    s.v.authentication = { type: s.auth.type, pass: s.auth.pass, pos: s.auth.pos };
  },
});

export function newInstance(name: string, pos: VrrpInstance['pos'], g: GlobalDefs): InstanceDraft {
  return {
    name,
    pos,
    state: 'BACKUP',
    stateConfigured: false,
    interface: null,
    virtualRouterId: null,
    priority: 100,
    priorityConfigured: false,
    advertIntUs: US_PER_SEC,
    version: g.vrrpVersion,
    versionConfigured: false,
    authentication: null,
    virtualIpAddresses: [],
    virtualIpAddressesExcluded: [],
    virtualRoutes: [],
    virtualRules: [],
    trackInterfaces: [],
    trackScripts: [],
    trackFiles: [],
    trackProcesses: [],
    trackBfds: [],
    dontTrackPrimary: false,
    mcastSrcIp: null,
    unicastSrcIp: null,
    mcastDstIp: null,
    unicastPeers: [],
    unicastTtl: null,
    unicastFaultNoPeer: false,
    checkUnicastSrc: g.vrrpCheckUnicastSrc,
    trackSrcIp: false,
    nopreempt: false,
    preemptDelayUs: 0,
    notify: { master: null, backup: null, fault: null, stop: null, generic: null, deleted: null, masterRxLowerPri: null },
    notifyDeleted: false,
    smtpAlert: null,
    notifyPriorityChanges: null,
    garpMasterDelaySec: g.vrrpGarpMasterDelaySec,
    garpMasterRepeat: g.vrrpGarpMasterRepeat,
    garpMasterRefreshSec: g.vrrpGarpMasterRefreshSec,
    garpMasterRefreshRepeat: g.vrrpGarpMasterRefreshRepeat,
    garpLowerPrioDelaySec: g.vrrpGarpLowerPrioDelaySec,
    garpLowerPrioRepeat: g.vrrpGarpLowerPrioRepeat,
    garpExtraIf: g.vrrpGarpExtraIf,
    downTimerAdverts: g.vrrpDownTimerAdverts,
    lowerPrioNoAdvert: g.vrrpLowerPrioNoAdvert,
    higherPrioSendAdvert: g.vrrpHigherPrioSendAdvert,
    skipCheckAdvAddr: g.vrrpSkipCheckAdvAddr,
    strictMode: g.vrrpStrict,
    accept: null,
    useVmac: null,
    vmacXmitBase: false,
    useVmacAddr: false,
    promoteSecondaries: false,
    kernelRxBufSize: null,
    debugLevel: 0,
    lvsSyncDaemonInterface: null,
    linkbeatUsePolling: false,
    nativeIpv6: false,
    v3ChecksumAsV2: g.v3ChecksumAsV2,
    oldUnicastChecksum: false,
    vrf: null,
  };
}

/** Names used by earlier instances' VMACs (keepalived refuses to reuse one). */
export interface InstanceRegistry {
  readonly names: Set<string>;
  readonly vmacNames: Set<string>;
  /** Instances with the late-resolved fields they configured themselves. */
  readonly late: { readonly v: InstanceDraft; readonly configured: ReadonlySet<LateField> }[];
}

/** Fill the fields keepalived takes from global_defs only once the whole file is read. */
export function applyLateDefaults(reg: InstanceRegistry, g: GlobalDefs): void {
  for (const { v, configured } of reg.late) {
    if (!configured.has('version')) v.version = g.vrrpVersion;
    if (!configured.has('strictMode')) v.strictMode = g.vrrpStrict;
    if (!configured.has('lowerPrioNoAdvert')) v.lowerPrioNoAdvert = g.vrrpLowerPrioNoAdvert;
    if (!configured.has('higherPrioSendAdvert')) v.higherPrioSendAdvert = g.vrrpHigherPrioSendAdvert;
    if (!configured.has('garpExtraIf')) v.garpExtraIf = g.vrrpGarpExtraIf;
    if (!configured.has('garpLowerPrioDelaySec')) v.garpLowerPrioDelaySec = g.vrrpGarpLowerPrioDelaySec;
    if (!configured.has('garpLowerPrioRepeat')) v.garpLowerPrioRepeat = g.vrrpGarpLowerPrioRepeat;
  }
}

export function buildVrrpInstance(ctx: BuildContext, node: ConfigNode, g: GlobalDefs, declared: Declared, reg: InstanceRegistry): VrrpInstance | null {
  if (node.args.length !== 1) {
    ctx.error(node, BuildCodes.MISSING_PARAMETER, 'vrrp_instance must have a name');
    return null;
  }
  const name = node.args[0] ?? '';
  if (reg.names.has(name)) {
    ctx.error(node, BuildCodes.DUPLICATE, `vrrp instance ${name} already defined`);
    return null;
  }
  reg.names.add(name);
  const s: InstanceState = { v: newInstance(name, node.pos, g), declared, vmacNames: reg.vmacNames, ttlSet: false, configured: new Set(), auth: null };
  reg.late.push({ v: s.v, configured: s.configured });
  walkBlock(ctx, node.children ?? [], vrrpInstanceKeywords, instanceHandlers, s);
  const v = s.v;
  // keepalived: a MASTER without an explicit priority becomes the address owner.
  if (!v.priorityConfigured && v.state === 'MASTER') v.priority = 255;
  if (s.ttlSet && v.unicastPeers.length === 0) {
    ctx.error(node, BuildCodes.INVALID_VALUE, `(${name}): Cannot use unicast_ttl without unicast peers - resetting`);
    v.unicastTtl = null;
  }
  if (v.useVmac !== null && v.unicastPeers.length > 0 && v.interface !== null && !v.vmacXmitBase) {
    ctx.error(node, BuildCodes.INVALID_VALUE, `(${name}) unicast with use_vmac requires vmac_xmit_base - setting`);
    v.vmacXmitBase = true;
  }
  return v;
}

// --- vrrp_sync_group -------------------------------------------------------------------------

interface GroupState {
  readonly g: Omit<Mutable<VrrpSyncGroup>, 'notify'> & { notify: Mutable<VrrpSyncGroup['notify']> };
  readonly declared: Declared;
}

function groupNotify(key: keyof VrrpSyncGroup['notify'], label: string): Handler<GroupState> {
  return (ctx, node, s) => {
    if (s.g.notify[key] !== null) return ctx.error(node, BuildCodes.DUPLICATE, `vrrp group ${s.g.name}: ${label} script already specified - ignoring ${node.args[0] ?? ''}`);
    if (node.args.length === 0) return void ctx.arg(node, 1);
    s.g.notify[key] = parseScript(node);
  };
}

function groupTrack(kind: TrackKind, set: (s: GroupState, r: VrrpSyncGroup['trackScripts']) => void): Handler<GroupState> {
  return (ctx, node, s) => set(s, parseTrackRefs(ctx, node, kind, s.g.name, s.declared));
}

const groupHandlers = handlers<GroupState>({
  group: (ctx, node, s) => {
    const members: NamedRef[] = [];
    for (const line of node.children ?? []) for (const n of [line.keyword, ...line.args]) members.push({ name: n, pos: line.pos });
    if (members.length === 0) ctx.error(node, BuildCodes.INCOMPLETE, `Sync group ${s.g.name} has no virtual router(s) - removing`);
    s.g.members = [...s.g.members, ...members];
  },
  track_interface: groupTrack('interface', (s, r) => (s.g.trackInterfaces = [...s.g.trackInterfaces, ...r])),
  track_script: groupTrack('script', (s, r) => (s.g.trackScripts = [...s.g.trackScripts, ...r])),
  track_file: groupTrack('file', (s, r) => (s.g.trackFiles = [...s.g.trackFiles, ...r])),
  track_process: groupTrack('process', (s, r) => (s.g.trackProcesses = [...s.g.trackProcesses, ...r])),
  track_bfd: groupTrack('bfd', (s, r) => (s.g.trackBfds = [...s.g.trackBfds, ...r])),
  notify_backup: groupNotify('backup', 'notify_backup'),
  notify_master: groupNotify('master', 'notify_master'),
  notify_fault: groupNotify('fault', 'notify_fault'),
  notify_stop: groupNotify('stop', 'notify_stop'),
  notify: groupNotify('generic', 'notify'),
  smtp_alert: (ctx, node, s) => {
    const a = node.args[0];
    const b = a === undefined ? true : parseBool(a);
    if (b === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid vrrp_group smtp_alert parameter ${a ?? ''}`);
    s.g.smtpAlert = b;
  },
  global_tracking: (ctx, node, s) => {
    ctx.error(node, BuildCodes.DEPRECATED, `(${s.g.name}) global_tracking is deprecated. Use track_interface/script/file on the sync group`);
    s.g.globalTracking = true;
    s.g.syncGroupTrackingWeight = true;
  },
  sync_group_tracking_weight: (_ctx, _node, s) => {
    s.g.syncGroupTrackingWeight = true;
  },
  notify_priority_changes: (ctx, node, s) => {
    const a = node.args[0];
    const b = a === undefined ? true : parseBool(a);
    if (b === null) return ctx.error(node, BuildCodes.INVALID_VALUE, `(${s.g.name}) Invalid value '${a ?? ''}' for sync group notify_priority_changes specified`);
    s.g.notifyPriorityChanges = b;
  },
});

export function buildSyncGroup(ctx: BuildContext, node: ConfigNode, declared: Declared, names: Set<string>): VrrpSyncGroup | null {
  if (node.args.length !== 1) {
    ctx.error(node, BuildCodes.MISSING_PARAMETER, 'vrrp_sync_group must have a name - skipping');
    return null;
  }
  const name = node.args[0] ?? '';
  if (names.has(name)) {
    ctx.error(node, BuildCodes.DUPLICATE, `vrrp sync group ${name} already defined`);
    return null;
  }
  names.add(name);
  const s: GroupState = {
    declared,
    g: {
      name,
      pos: node.pos,
      members: [],
      trackInterfaces: [],
      trackScripts: [],
      trackFiles: [],
      trackProcesses: [],
      trackBfds: [],
      notify: { master: null, backup: null, fault: null, stop: null, generic: null },
      smtpAlert: null,
      globalTracking: false,
      syncGroupTrackingWeight: false,
      notifyPriorityChanges: null,
    },
  };
  walkBlock(ctx, node.children ?? [], vrrpSyncGroupKeywords, groupHandlers, s);
  return s.g;
}

export const vrrpHandlerNames = {
  vrrp_instance: new Set(instanceHandlers.keys()),
  authentication: new Set(authHandlers.keys()),
  vrrp_sync_group: new Set(groupHandlers.keys()),
};

export type { ScriptSpec };
