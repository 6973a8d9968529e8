/**
 * The typed configuration model: what `buildModel()` makes of the reader's ConfigNode tree.
 *
 * Owns the shape of every configured object (global_defs, VRRP trackers / sync groups / instances,
 * static addresses and routes, LVS virtual servers with real servers and checkers). The model is
 * plain readonly data (objects, arrays, strings, numbers, booleans, null) so it can be
 * JSON-serialised, diffed on reload and handed between processes.
 *
 * Conventions:
 *  - Every value carries keepalived 2.2.7's default when the keyword is absent; `null` means
 *    "not configured and keepalived has no value either" (or "inherit", where the comment says so).
 *  - Units are in the names: `…Us` microseconds (keepalived TIMER_HZ resolution), `…Sec` whole
 *    seconds, `…Cs` centiseconds.
 *  - Every object keeps the position of its keyword (`pos`), and every by-name reference its own
 *    position, so the validator can report file:line.
 *  - Cross-object checks (VRID clashes, families, interfaces, script security) are NOT applied
 *    here; the model records what was configured, after keepalived's parse-time fallbacks.
 */
import type { SourcePos } from '../core/diagnostics.js';

export type { SourcePos };

export type AddressFamily = 'inet' | 'inet6';

/** A script/command line: `"cmd args" [user [[:]group]]`. */
export interface ScriptSpec {
  /** The command line as configured (quotes removed). */
  readonly commandLine: string;
  /** The command split into argv on unquoted whitespace. */
  readonly argv: readonly string[];
  /** `user` after the command, null = global script_user. */
  readonly user: string | null;
  readonly group: string | null;
  readonly pos: SourcePos;
}

/** A reference to another object by name (track_script NAME, group member, …). */
export interface NamedRef {
  readonly name: string;
  readonly pos: SourcePos;
}

/** A tracker reference with keepalived's optional `weight W [reverse|noreverse]`. */
export interface WeightedRef extends NamedRef {
  /** null = not given on the reference: use the tracked object's own weight (or fault-on-failure). */
  readonly weight: number | null;
  readonly reverse: boolean;
}

/** An IP address as written (canonical text) with its family. */
export interface IpAddress {
  readonly address: string;
  readonly family: AddressFamily;
}

// ---------------------------------------------------------------------------------------------
// global_defs

export interface NotifyFifo {
  readonly path: string;
  readonly user: string | null;
  readonly group: string | null;
  readonly pos: SourcePos;
}

export interface SmtpServer extends IpAddress {
  /** Default 25. Also accepts a host name in keepalived; `address` then holds the name. */
  readonly port: number;
  readonly pos: SourcePos;
}

/** `lvs_sync_daemon IF [inst VI] [id N] [maxlen N] [port N] [ttl N] [group IP]`; null = kernel defaults. */
export interface LvsSyncDaemon {
  readonly interface: string;
  /** VRRP instance whose state drives the daemon (master/backup); null = both always. */
  readonly vrrpInstance: string | null;
  /** null = the instance's VRID. */
  readonly syncId: number | null;
  readonly maxLen: number | null;
  readonly port: number | null;
  readonly ttl: number | null;
  readonly group: string | null;
  readonly pos: SourcePos;
}

export interface GlobalDefs {
  /** Root-level `net_namespace NAME` (the daemon runs in /run/netns/NAME; `-s` overrides); null = none. */
  readonly netNamespace: string | null;
  /** Default: the host name (resolved at run time), null here when not configured. */
  readonly routerId: string | null;
  readonly notificationEmails: readonly string[];
  /** Default null ⇒ keepalived uses `keepalived@<hostname>`. */
  readonly notificationEmailFrom: string | null;
  readonly smtpServer: SmtpServer | null;
  /** Default null ⇒ router_id / host name. */
  readonly smtpHeloName: string | null;
  /** Default 30 s. */
  readonly smtpConnectTimeoutUs: number;
  readonly smtpAlert: boolean | null;
  readonly smtpAlertVrrp: boolean | null;
  readonly smtpAlertChecker: boolean | null;
  readonly noEmailFaults: boolean;
  readonly checkerLogAllFailures: boolean;

  readonly vrrpMcastGroup4: string; // 224.0.0.18
  readonly vrrpMcastGroup6: string; // ff02::12
  readonly vrrpVersion: 2 | 3; // 2
  readonly vrrpGarpMasterDelaySec: number; // 5
  readonly vrrpGarpMasterRepeat: number; // 5
  readonly vrrpGarpMasterRefreshSec: number; // 0 = off
  readonly vrrpGarpMasterRefreshRepeat: number; // 1
  /** null = same as the master value. */
  readonly vrrpGarpLowerPrioDelaySec: number | null;
  readonly vrrpGarpLowerPrioRepeat: number | null;
  readonly vrrpGarpIntervalUs: number; // 0
  readonly vrrpGnaIntervalUs: number; // 0
  readonly vrrpMinGarp: boolean;
  /** `vrrp_garp_extra_if [all] SECS`: null = off. */
  readonly vrrpGarpExtraIf: { readonly delaySec: number; readonly all: boolean } | null;
  readonly vrrpDownTimerAdverts: number; // 3
  readonly vrrpLowerPrioNoAdvert: boolean;
  readonly vrrpHigherPrioSendAdvert: boolean;
  readonly vrrpCheckUnicastSrc: boolean;
  readonly vrrpSkipCheckAdvAddr: boolean;
  readonly vrrpStrict: boolean;
  readonly vrrpStartupDelayUs: number; // 0
  readonly v3ChecksumAsV2: boolean;
  readonly logUnknownVrids: boolean;
  readonly vmacPrefix: string; // "vrrp"
  readonly vmacAddrPrefix: string; // "vrrp"
  readonly dynamicInterfaces: boolean;
  readonly dynamicInterfacesAllowIfChanges: boolean;
  readonly defaultInterface: string | null;
  readonly disableLocalIgmp: boolean;
  readonly vrrpNotifyPriorityChanges: boolean;
  readonly fifoWriteVrrpStatesOnReload: boolean;

  /** `script_user USER [GROUP]`; null = keepalived_script or root. */
  readonly scriptUser: { readonly user: string; readonly group: string | null; readonly pos: SourcePos } | null;
  readonly enableScriptSecurity: boolean;
  readonly notifyFifo: NotifyFifo | null;
  readonly notifyFifoScript: ScriptSpec | null;
  readonly vrrpNotifyFifo: NotifyFifo | null;
  readonly vrrpNotifyFifoScript: ScriptSpec | null;
  readonly lvsNotifyFifo: NotifyFifo | null;
  readonly lvsNotifyFifoScript: ScriptSpec | null;
  readonly startupScript: ScriptSpec | null;
  readonly startupScriptTimeoutSec: number; // 10
  readonly shutdownScript: ScriptSpec | null;
  readonly shutdownScriptTimeoutSec: number; // 10
  /** `max_auto_priority [N]`: null = not configured; bare keyword = max (99). -1 … 99. */
  readonly maxAutoPriority: number | null;
  readonly minAutoPriorityDelayUs: number; // 0
  /** Always set by buildModel (optional only so hand-made models stay valid); null = not configured. */
  readonly lvsSyncDaemon?: LvsSyncDaemon | null;
  /** Position of the global_defs block(s), null when absent. */
  readonly pos: SourcePos | null;
}

// ---------------------------------------------------------------------------------------------
// VRRP trackers

export interface VrrpScript {
  readonly name: string;
  readonly pos: SourcePos;
  /** null when `script` missing (keepalived then ignores the vrrp_script, reported by the builder). */
  readonly script: ScriptSpec | null;
  readonly intervalUs: number; // 1 s
  /** Default = interval. */
  readonly timeoutUs: number;
  /** 0 ⇒ failure puts tracking instances into FAULT. */
  readonly weight: number;
  readonly weightReverse: boolean;
  readonly rise: number; // 1
  readonly fall: number; // 1
  readonly user: string | null;
  readonly group: string | null;
  readonly initFail: boolean;
}

export interface TrackFile {
  readonly name: string;
  readonly pos: SourcePos;
  readonly file: string | null;
  readonly weight: number; // 1
  readonly weightReverse: boolean;
  /** `init_file [VALUE] [overwrite]`: null = not configured. */
  readonly initFile: { readonly value: number; readonly overwrite: boolean } | null;
  /** Declared with the deprecated `vrrp_track_file`. */
  readonly legacyKeyword: boolean;
}

export interface TrackProcess {
  readonly name: string;
  readonly pos: SourcePos;
  /** Process name (comm or argv[0]) and optional parameters. */
  readonly process: string | null;
  readonly params: readonly string[];
  /**
   * keepalived PARAM_MATCH_*: 'none' = parameters are not looked at (default without parameters);
   * parameters on the `process` line or a bare `param_match` make it 'exact'.
   */
  readonly paramMatch: 'none' | 'exact' | 'initial' | 'partial';
  readonly weight: number; // 0
  readonly weightReverse: boolean;
  readonly quorum: number; // 1
  /** Unlimited = 2^32-1; `quorum_max 0` (without a quorum above 1) sets quorum to 0 too. */
  readonly quorumMax: number;
  readonly forkDelayUs: number; // 0
  readonly terminateDelayUs: number; // 0
  readonly fullCommand: boolean;
}

// ---------------------------------------------------------------------------------------------
// Addresses and routes (virtual_ipaddress, static_ipaddress, virtual_routes, static_routes, rules)

export interface VirtualIpAddress extends IpAddress {
  /** Default 32 / 128. */
  readonly prefixLen: number;
  readonly broadcast: string | null;
  readonly dev: string | null;
  /** Default 'global'. Numeric scopes are kept as text. */
  readonly scope: string;
  readonly label: string | null;
  readonly peer: string | null;
  readonly peerPrefixLen: number | null;
  readonly home: boolean;
  readonly noDad: boolean;
  readonly mngtmpaddr: boolean;
  readonly noprefixroute: boolean;
  readonly autojoin: boolean;
  readonly noTrack: boolean;
  /** null = forever (kernel default). 0 = deprecated address. */
  readonly preferredLftSec: number | null;
  /** `use_vmac` on an address line (VMAC of the instance carries it). */
  readonly useVmac: boolean;
  readonly pos: SourcePos;
}

export interface VirtualRoute {
  /** Destination (`default` → 0.0.0.0/0 or ::/0); null only for unparsable lines (then not in the model). */
  readonly to: string;
  readonly family: AddressFamily;
  readonly prefixLen: number;
  /** `unicast` (default), `blackhole`, `unreachable`, `prohibit`, `throw`, … */
  readonly type: string;
  readonly via: string | null;
  readonly src: string | null;
  readonly dev: string | null;
  readonly table: string | null;
  readonly metric: number | null;
  readonly scope: string | null;
  readonly protocol: string | null;
  readonly onlink: boolean;
  readonly noTrack: boolean;
  /** Remaining ip-route options we do not interpret, as written. */
  readonly otherOptions: readonly string[];
  readonly pos: SourcePos;
}

export interface VirtualRule {
  /** Tokens of the rule line as written (from/to/table/priority/…); interpreted at apply time. */
  readonly tokens: readonly string[];
  readonly family: AddressFamily | null;
  readonly noTrack: boolean;
  readonly pos: SourcePos;
}

// ---------------------------------------------------------------------------------------------
// vrrp_sync_group / vrrp_instance

export interface NotifyScripts {
  readonly master: ScriptSpec | null;
  readonly backup: ScriptSpec | null;
  readonly fault: ScriptSpec | null;
  readonly stop: ScriptSpec | null;
  /** `notify`: called with `INSTANCE|GROUP name STATE prio` appended. */
  readonly generic: ScriptSpec | null;
}

export interface VrrpSyncGroup {
  readonly name: string;
  readonly pos: SourcePos;
  readonly members: readonly NamedRef[];
  readonly trackInterfaces: readonly WeightedRef[];
  readonly trackScripts: readonly WeightedRef[];
  readonly trackFiles: readonly WeightedRef[];
  readonly trackProcesses: readonly WeightedRef[];
  readonly trackBfds: readonly WeightedRef[];
  readonly notify: NotifyScripts;
  readonly smtpAlert: boolean | null;
  readonly globalTracking: boolean;
  readonly syncGroupTrackingWeight: boolean;
  readonly notifyPriorityChanges: boolean | null;
}

export type VrrpState = 'MASTER' | 'BACKUP';

export interface VrrpAuthentication {
  /** null when `auth_type` missing (keepalived ignores the block then). */
  readonly type: 'PASS' | 'AH' | null;
  /** PASS truncated to 8 characters (keepalived reports the truncation). */
  readonly pass: string;
  readonly pos: SourcePos;
}

export interface UnicastPeer extends IpAddress {
  readonly minTtl: number; // 0
  readonly maxTtl: number; // 255
  readonly pos: SourcePos;
}

export interface UseVmac {
  /** Interface name; null ⇒ `<vmac_prefix>.<VRID>`. */
  readonly ifname: string | null;
  /** Explicit MAC; null ⇒ 00:00:5e:00:01:VRID (IPv6 …:02:VRID). */
  readonly mac: string | null;
  readonly netlinkNotifyMsg: boolean;
  readonly pos: SourcePos;
}

export interface VrrpInstance {
  readonly name: string;
  readonly pos: SourcePos;
  /** Initial state, default BACKUP. */
  readonly state: VrrpState;
  readonly stateConfigured: boolean;
  readonly interface: NamedRef | null;
  /** null = not configured (the validator reports it). 1..255. */
  readonly virtualRouterId: number | null;
  /** Default 100, or 255 when `state MASTER` and no `priority` line. */
  readonly priority: number;
  readonly priorityConfigured: boolean;
  /** Parsed advert_int in µs (default 1 s); version-specific rounding is the validator's job. */
  readonly advertIntUs: number;
  /** Configured version (or 3 by native_ipv6), else the final global vrrp_version. IPv6 forcing 3 is the validator's. */
  readonly version: 2 | 3;
  readonly versionConfigured: boolean;
  readonly authentication: VrrpAuthentication | null;
  readonly virtualIpAddresses: readonly VirtualIpAddress[];
  readonly virtualIpAddressesExcluded: readonly VirtualIpAddress[];
  readonly virtualRoutes: readonly VirtualRoute[];
  readonly virtualRules: readonly VirtualRule[];
  readonly trackInterfaces: readonly WeightedRef[];
  readonly trackScripts: readonly WeightedRef[];
  readonly trackFiles: readonly WeightedRef[];
  readonly trackProcesses: readonly WeightedRef[];
  readonly trackBfds: readonly WeightedRef[];
  readonly dontTrackPrimary: boolean;
  readonly mcastSrcIp: IpAddress | null;
  readonly unicastSrcIp: IpAddress | null;
  readonly mcastDstIp: IpAddress | null;
  readonly unicastPeers: readonly UnicastPeer[];
  /** unicast_ttl; null = not configured (IPv4 sends 255, IPv6 leaves the kernel's unicast hop limit). */
  readonly unicastTtl: number | null;
  readonly unicastFaultNoPeer: boolean;
  readonly checkUnicastSrc: boolean;
  readonly trackSrcIp: boolean;
  /** Default false (preempt). */
  readonly nopreempt: boolean;
  readonly preemptDelayUs: number; // 0
  readonly notify: NotifyScripts & {
    readonly deleted: ScriptSpec | null;
    readonly masterRxLowerPri: ScriptSpec | null;
  };
  /**
   * `notify_deleted` (with or without a script): an instance removed by a reload notifies DELETED;
   * without it keepalived keeps its old behaviour and notifies FAULT.
   */
  readonly notifyDeleted: boolean;
  /** null = global smtp_alert / smtp_alert_vrrp. */
  readonly smtpAlert: boolean | null;
  readonly notifyPriorityChanges: boolean | null;
  /**
   * GARP settings: delay/repeat/refresh and down_timer_adverts default to global_defs as it was when
   * the block started (keepalived copies them then); lower-prio GARP, garpExtraIf, strictMode,
   * lowerPrioNoAdvert, higherPrioSendAdvert and version default to the final global_defs.
   */
  readonly garpMasterDelaySec: number;
  readonly garpMasterRepeat: number;
  readonly garpMasterRefreshSec: number;
  readonly garpMasterRefreshRepeat: number;
  readonly garpLowerPrioDelaySec: number | null;
  readonly garpLowerPrioRepeat: number | null;
  readonly garpExtraIf: { readonly delaySec: number; readonly all: boolean } | null;
  readonly downTimerAdverts: number;
  readonly lowerPrioNoAdvert: boolean;
  readonly higherPrioSendAdvert: boolean;
  readonly skipCheckAdvAddr: boolean;
  /** Configured `strict_mode`, else global vrrp_strict. */
  readonly strictMode: boolean;
  /** `accept` / `no_accept`; null = default (accept unless strict). */
  readonly accept: boolean | null;
  readonly useVmac: UseVmac | null;
  readonly vmacXmitBase: boolean;
  readonly useVmacAddr: boolean;
  readonly promoteSecondaries: boolean;
  readonly kernelRxBufSize: number | null;
  readonly debugLevel: number;
  readonly lvsSyncDaemonInterface: string | null;
  readonly linkbeatUsePolling: boolean;
  readonly nativeIpv6: boolean;
  readonly v3ChecksumAsV2: boolean;
  readonly oldUnicastChecksum: boolean;
  readonly vrf: string | null;
}

// ---------------------------------------------------------------------------------------------
// LVS: virtual_server_group, virtual_server, real_server, checkers

export interface VirtualServerGroupEntry {
  /** `ip` covers single addresses, `a.b.c.d-e` ranges (`rangeEnd`) and CIDR blocks (`prefixLen`). */
  readonly kind: 'ip' | 'fwmark';
  readonly address: string | null;
  readonly family: AddressFamily | null;
  readonly rangeEnd: string | null;
  readonly prefixLen: number | null;
  readonly port: number;
  readonly fwmark: number | null;
  readonly pos: SourcePos;
}

export interface VirtualServerGroup {
  readonly name: string;
  readonly pos: SourcePos;
  readonly entries: readonly VirtualServerGroupEntry[];
}

export type VirtualServerTarget =
  | { readonly kind: 'ip'; readonly address: string; readonly family: AddressFamily; readonly port: number }
  | { readonly kind: 'fwmark'; readonly fwmark: number; readonly family: AddressFamily | null }
  | { readonly kind: 'group'; readonly group: NamedRef };

export type LvsMethod = 'NAT' | 'DR' | 'TUN';
export type LvsProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface LvsForwarding {
  readonly method: LvsMethod;
  /** TUN only: `type ipip|gue|gre`. */
  readonly tunnelType: 'ipip' | 'gue' | 'gre' | null;
  readonly tunnelPort: number | null;
  readonly tunnelChecksum: 'nocsum' | 'csum' | 'remcsum' | null;
}

/** Keywords shared by every checker (common ones resolved from real_server / virtual_server). */
export interface CheckerCommon {
  readonly pos: SourcePos;
  readonly connectIp: IpAddress | null;
  /** null = real server's port. */
  readonly connectPort: number | null;
  readonly bindTo: IpAddress | null;
  readonly bindPort: number | null;
  readonly bindIf: string | null;
  readonly connectTimeoutUs: number;
  readonly fwmark: number | null;
  readonly retry: number;
  readonly delayBeforeRetryUs: number;
  readonly warmupUs: number | null;
  readonly delayLoopUs: number;
  readonly alpha: boolean;
  readonly logAllFailures: boolean;
}

export interface HttpUrl {
  readonly pos: SourcePos;
  readonly path: string | null;
  readonly digest: string | null;
  /** Ranges of accepted status codes; default [[200, 299]]. */
  readonly statusCodes: readonly (readonly [number, number])[];
  readonly virtualhost: string | null;
  readonly regex: string | null;
  readonly regexNoMatch: boolean;
  readonly regexOptions: readonly string[];
  readonly regexMinOffset: number | null;
  readonly regexMaxOffset: number | null;
  readonly regexStack: number | null;
}

export interface HttpChecker extends CheckerCommon {
  readonly kind: 'HTTP_GET' | 'SSL_GET';
  readonly urls: readonly HttpUrl[];
  readonly virtualhost: string | null;
  readonly httpProtocol: '1.0' | '1.0C' | '1.1';
  readonly enableSni: boolean;
  readonly fastRecovery: boolean;
}

export interface TcpChecker extends CheckerCommon {
  readonly kind: 'TCP_CHECK';
}

export interface PingChecker extends CheckerCommon {
  readonly kind: 'PING_CHECK';
}

export interface MiscChecker extends CheckerCommon {
  readonly kind: 'MISC_CHECK';
  readonly miscPath: ScriptSpec | null;
  /** Default = delay_loop. */
  readonly miscTimeoutUs: number | null;
  readonly miscDynamic: boolean;
  readonly user: string | null;
  readonly group: string | null;
}

export interface SmtpChecker extends CheckerCommon {
  readonly kind: 'SMTP_CHECK';
  readonly heloName: string | null;
}

export type DnsQueryType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';

export interface DnsChecker extends CheckerCommon {
  readonly kind: 'DNS_CHECK';
  readonly type: DnsQueryType; // SOA
  readonly name: string; // "."
}

export interface UdpChecker extends CheckerCommon {
  readonly kind: 'UDP_CHECK';
  /** Hex payload, lower case without separators; null = none. */
  readonly payload: string | null;
  readonly requireReply: boolean;
  readonly requireReplyData: string | null;
  readonly minReplyLength: number;
  readonly maxReplyLength: number;
}

export interface FileChecker {
  readonly kind: 'FILE_CHECK';
  readonly pos: SourcePos;
  readonly trackFile: NamedRef | null;
  readonly weight: number | null;
  readonly weightReverse: boolean;
}

export type Checker =
  | HttpChecker
  | TcpChecker
  | PingChecker
  | MiscChecker
  | SmtpChecker
  | DnsChecker
  | UdpChecker
  | FileChecker;

export type CheckerKind = Checker['kind'];

export interface RealServer extends IpAddress {
  readonly pos: SourcePos;
  /** 0 when not given (e.g. fwmark services). */
  readonly port: number;
  readonly weight: number; // 1
  /** Inherited from the virtual server when not configured. */
  readonly forwarding: LvsForwarding;
  readonly inhibitOnFailure: boolean;
  readonly notifyUp: ScriptSpec | null;
  readonly notifyDown: ScriptSpec | null;
  readonly uthreshold: number | null;
  readonly lthreshold: number | null;
  readonly alpha: boolean;
  readonly smtpAlert: boolean | null;
  readonly virtualhost: string | null;
  readonly checkers: readonly Checker[];
}

export interface SorryServer extends IpAddress {
  readonly port: number;
  readonly pos: SourcePos;
}

export interface VirtualServer {
  readonly pos: SourcePos;
  readonly target: VirtualServerTarget;
  readonly ipFamily: AddressFamily | null;
  /** `lvs_sched` / `lb_algo`, default 'wlc' (keepalived reports a missing scheduler when validating). */
  readonly lvsSched: string;
  /** Always set by buildModel (optional only so hand-made models stay valid). */
  readonly lvsSchedConfigured?: boolean;
  readonly schedFlags: readonly string[];
  /** Default NAT (keepalived reports a missing forwarding method when validating). */
  readonly forwarding: LvsForwarding;
  readonly forwardingConfigured?: boolean;
  /** Default UDP: keepalived reports "no protocol set - defaulting to UDP" for address services. */
  readonly protocol: LvsProtocol;
  readonly protocolConfigured?: boolean;
  /** null = no persistence; bare keyword = 360 s. */
  readonly persistenceTimeoutSec: number | null;
  readonly persistenceGranularity: string | null;
  readonly persistenceEngine: string | null;
  readonly delayLoopUs: number; // 60 s
  readonly connectTimeoutUs: number; // 5 s
  readonly retry: number | null; // null = checker default
  readonly delayBeforeRetryUs: number | null; // null = checker default
  readonly warmupUs: number | null;
  readonly inhibitOnFailure: boolean;
  readonly haSuspend: boolean;
  readonly virtualhost: string | null;
  readonly alpha: boolean;
  readonly omega: boolean;
  readonly quorum: number; // 1
  readonly hysteresis: number; // 0
  readonly quorumUp: ScriptSpec | null;
  readonly quorumDown: ScriptSpec | null;
  readonly weight: number; // 1 (weight of the VS inside a group)
  readonly smtpAlert: boolean | null;
  readonly sorryServer: SorryServer | null;
  readonly sorryServerInhibit: boolean;
  readonly sorryServerForwarding: LvsForwarding | null;
  readonly realServers: readonly RealServer[];
}

// ---------------------------------------------------------------------------------------------
// bfd_instance (keepalived bfd_parser.c; defaults from bfd.h)

export interface BfdInstance {
  readonly name: string;
  readonly pos: SourcePos;
  /** neighbor_ip / neighbour_ip (required: an instance without one is dropped by the builder). */
  readonly neighborIp: IpAddress;
  readonly sourceIp: IpAddress | null;
  /** min_rx, ms with 3 decimals in the file; default 10 ms. */
  readonly minRxUs: number;
  /** min_tx, default 10 ms. */
  readonly minTxUs: number;
  /** idle_tx (desired TX while not Up), default 1000 ms, at least 1000 ms. */
  readonly idleTxUs: number;
  /** multiplier, default 5. */
  readonly multiplier: number;
  readonly passive: boolean;
  /** ttl / hoplimit sent; default 255 (IPv4) or 64 (IPv6). */
  readonly ttl: number;
  /** max_hops: received TTL may be this much below `ttl`; 255 (or -1 in the file) disables the check. */
  readonly maxHops: number;
  /** Default weight of `track_bfd` references (vrrp process), and its `reverse`. */
  readonly weight: number;
  readonly weightReverse: boolean;
  /** Events go to VRRP / to the checkers (neither keyword given = both). */
  readonly vrrp: boolean;
  readonly checker: boolean;
}

// ---------------------------------------------------------------------------------------------
// The whole configuration

export interface KeepalivedConfig {
  readonly globalDefs: GlobalDefs;
  readonly vrrpScripts: readonly VrrpScript[];
  readonly trackFiles: readonly TrackFile[];
  readonly trackProcesses: readonly TrackProcess[];
  readonly syncGroups: readonly VrrpSyncGroup[];
  readonly vrrpInstances: readonly VrrpInstance[];
  readonly staticIpAddresses: readonly VirtualIpAddress[];
  readonly staticRoutes: readonly VirtualRoute[];
  readonly staticRules: readonly VirtualRule[];
  readonly virtualServerGroups: readonly VirtualServerGroup[];
  readonly virtualServers: readonly VirtualServer[];
  readonly bfdInstances: readonly BfdInstance[];
}
