/**
 * `$TMPDIR/keepalived.json` (`kill -$(keepalived --signum=JSON)`): keepalived 2.2.7's JSON dump of the
 * VRRP instances, same layout, key order, names, types and units, so exporters written against
 * keepalived keep working. Builder (`buildKeepalivedJson`) + byte-compatible serializer
 * (`formatKeepalivedJson`: compact, floats as C's `%g`, `last_transition` as `%f`, `/` escaped as `\/`
 * like keepalived's json_writer) + writer (mode 0600, as keepalived's fopen_safe).
 *
 * Layout: `[{ "data": {...}, "stats": {...} }, ...]`, one element per instance. Units are keepalived's:
 * `adver_int`, `master_adver_int`, `garp_delay` in seconds (float); `garp_refresh`,
 * `garp_lower_prio_delay`, `preempt_delay` whole seconds; `last_transition` wall-clock seconds;
 * `state`/`wantstate` keepalived's numbers (INIT 0, BACKUP 1, MASTER 2, FAULT 3, STOP 98).
 * Optional keys (scripts, vips, evips, track_ifp, track_script, auth_data) are written only when
 * configured, as keepalived does.
 *
 * Fields keepalived writes that keepalived-ts cannot know, given keepalived's default value:
 *  - `vroutes` / `vrules`: never written (virtual_routes / virtual_rules are not installed by the daemon);
 *  - `master_priority`: the FSM forgets the master's priority on some transitions where keepalived keeps
 *    the last one; 0 when unknown (keepalived's initial value).
 * `advert_interval_err` counts our `interval` / `interval-zero` drops (keepalived 2.2.7 never increments
 * it); the SIGUSR2 dump uses the same mapping.
 */
import { realpathSync } from 'node:fs';
import { writeDumpFile } from './dump-file.js';
import { basename, delimiter, dirname, join } from 'node:path';
import type { GlobalDefs, ScriptSpec, VrrpInstance, VrrpScript } from '../config/model.js';
import type { InstanceState, VrrpState } from '../vrrp/fsm/index.js';
import type { InstanceStats, LastTransition } from './instance.js';
import type { ResolvedInstance, ResolvedVip } from './instance-config.js';
import type { ResolvedVmac } from './vmac-plan.js';

/** keepalived's VRRP_STATE_* numbers. */
export const KEEPALIVED_STATE_NUMBER: Readonly<Record<VrrpState, number>> = {
  INIT: 0,
  BACKUP: 1,
  MASTER: 2,
  FAULT: 3,
  STOP: 98,
};

/** The `data` object of one instance, in keepalived's key order. */
export interface KeepalivedJsonData {
  readonly iname: string;
  readonly dont_track_primary: number;
  readonly skip_check_adv_addr: number;
  readonly strict_mode: number;
  readonly vmac_ifname: string;
  readonly ifp_ifname: string;
  readonly master_priority: number;
  readonly last_transition: number;
  readonly garp_delay: number;
  readonly garp_refresh: number;
  readonly garp_rep: number;
  readonly garp_refresh_rep: number;
  readonly garp_lower_prio_delay: number;
  readonly garp_lower_prio_rep: number;
  readonly lower_prio_no_advert: number;
  readonly higher_prio_send_advert: number;
  readonly vrid: number;
  readonly base_priority: number;
  readonly effective_priority: number;
  readonly vipset: boolean;
  readonly promote_secondaries: boolean;
  readonly adver_int: number;
  readonly master_adver_int: number;
  readonly accept: number;
  readonly nopreempt: boolean;
  readonly preempt_delay: number;
  readonly state: number;
  readonly wantstate: number;
  readonly version: number;
  readonly smtp_alert: boolean;
  readonly notify_deleted: boolean;
  readonly script_backup?: string;
  readonly script_master?: string;
  readonly script_fault?: string;
  readonly script_stop?: string;
  readonly script_deleted?: string;
  readonly script?: string;
  readonly script_master_rx_lower_pri?: string;
  readonly vips?: readonly string[];
  readonly evips?: readonly string[];
  readonly track_ifp?: readonly string[];
  readonly track_script?: readonly string[];
  readonly auth_type: number;
  readonly auth_data?: string;
}

/** The `stats` object of one instance, in keepalived's key order. */
export interface KeepalivedJsonStats {
  readonly advert_rcvd: number;
  readonly advert_sent: number;
  readonly become_master: number;
  readonly release_master: number;
  readonly packet_len_err: number;
  readonly advert_interval_err: number;
  readonly ip_ttl_err: number;
  readonly invalid_type_rcvd: number;
  readonly addr_list_err: number;
  readonly invalid_authtype: number;
  readonly authtype_mismatch: number;
  readonly auth_failure: number;
  readonly pri_zero_rcvd: number;
  readonly pri_zero_sent: number;
}

export interface KeepalivedJsonInstance {
  readonly data: KeepalivedJsonData;
  readonly stats: KeepalivedJsonStats;
}

/** What the dump reads of a running instance (an InstanceDriver satisfies it). */
export interface JsonInstanceView {
  readonly config: ResolvedInstance;
  readonly fsmState: InstanceState;
  readonly stats: InstanceStats;
  readonly lastTransition: LastTransition | null;
}

export interface JsonInstanceSource {
  readonly view: JsonInstanceView;
  /** The instance as configured (keepalived-only fields); undefined gives keepalived's defaults. */
  readonly configured?: VrrpInstance;
}

export interface JsonDumpContext {
  /** Clock time (µs, the clock of `LastTransition.atUs`) and wall time of "now". */
  readonly nowUs: number;
  readonly nowWallMs: number;
  /** `last_transition` of an instance that has not changed state yet. */
  readonly startedAtWallMs: number;
  readonly globalDefs?: Pick<GlobalDefs, 'smtpAlert' | 'smtpAlertVrrp'>;
  readonly vrrpScripts?: readonly VrrpScript[];
  /** Resolves a command's argv[0] as keepalived does (PATH search + realpath); default: `resolveScriptPath`. */
  readonly resolveCommand?: (argv0: string) => string;
}

const US_PER_S = 1_000_000;

/** keepalived's rt_scopes names. */
const SCOPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'global'],
  [200, 'site'],
  [253, 'link'],
  [254, 'host'],
  [255, 'nowhere'],
]);

/**
 * argv[0] as keepalived's check_script_secure leaves it: a bare name is searched in PATH, then the
 * directory part is canonicalised (symlinks resolved) while the file name is kept as written.
 * Unresolvable names are returned unchanged.
 */
export function resolveScriptPath(argv0: string, env: NodeJS.ProcessEnv = process.env): string {
  if (argv0.startsWith('<') || argv0.startsWith('>')) return argv0;
  let path = argv0;
  if (!argv0.includes('/')) {
    const dirs = (env['PATH'] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter);
    const found = dirs.map((d) => join(d === '' ? '.' : d, argv0)).find((p) => {
      try {
        realpathSync(p);
        return true;
      } catch {
        return false;
      }
    });
    if (found === undefined) return argv0;
    path = found;
  }
  try {
    const real = realpathSync(path);
    return basename(real) === basename(path) ? real : join(realpathSync(dirname(path)), basename(path));
  } catch {
    return argv0;
  }
}

/** keepalived's cmd_str: every word in single quotes (no quoting of a leading `<`/`>` redirection). */
export function formatCommand(script: ScriptSpec, resolve: (argv0: string) => string): string {
  return script.argv
    .map((arg, i) => {
      if (i > 0) return `'${arg}'`;
      // A "</path" file-existence test is not executed, so keepalived neither resolves nor quotes it.
      return arg.startsWith('<') || arg.startsWith('>') ? arg : `'${resolve(arg)}'`;
    })
    .join(' ');
}

/**
 * keepalived's format_ipaddress for a VIP (`set` when installed). A VIP on the instance's VMAC is
 * written `dev <vmac>@<base interface>`, as keepalived does.
 */
export function formatVip(v: ResolvedVip, installed: boolean, vmac?: ResolvedVmac): string {
  const s = v.spec;
  const full = v.family === 4 ? 32 : 128;
  const prefixLen = s.prefixLen ?? full;
  const parts = [prefixLen === full ? v.address : `${v.address}/${prefixLen}`];
  if (v.family === 4 && s.brd !== undefined && s.brd !== '0.0.0.0') parts.push(`brd ${s.brd}`);
  const onVmac = vmac !== undefined && vmac.ifname !== '' && v.ifname === vmac.ifname;
  parts.push(`dev ${v.ifname}${onVmac ? `@${vmac.baseIfname}` : ''}`);
  const scope = s.scope ?? 0;
  parts.push(`scope ${SCOPE_NAMES.get(scope) ?? String(scope)}`);
  if (s.label !== undefined) parts.push(`label ${s.label}`);
  if (s.peer !== undefined) parts.push(`peer ${s.peer}/${prefixLen}`);
  if (s.home === true) parts.push('home');
  if (v.family === 6 && s.nodad === false) parts.push('-nodad');
  if (s.mngtmpaddr === true) parts.push('mngtmpaddr');
  if (s.noprefixroute === true) parts.push('noprefixroute');
  if (s.autojoin === true) parts.push('autojoin');
  if (v.family === 6) {
    const lft = s.preferredLft ?? 'forever';
    parts.push(lft === 0 ? 'deprecated' : `preferred_lft ${lft}`);
  }
  if (installed) parts.push('set');
  return parts.join(' ');
}

const sumOf = (rec: Readonly<Record<string, number>>, codes: readonly string[]): number =>
  codes.reduce((n, c) => n + (rec[c] ?? 0), 0);

/** keepalived's vrrp_stats from our counters (drop codes mapped as in the SIGUSR2 dump). */
export function keepalivedStats(st: InstanceStats): KeepalivedJsonStats {
  return {
    advert_rcvd: st.advertsReceived,
    advert_sent: st.advertsSent,
    become_master: st.becameMaster,
    release_master: st.releasedMaster,
    packet_len_err: sumOf(st.drops, ['too-short', 'length', 'ip-truncated', 'ip-total-length', 'ip-header-length']),
    advert_interval_err: sumOf(st.drops, ['interval', 'interval-zero']),
    ip_ttl_err: sumOf(st.drops, ['ttl']),
    invalid_type_rcvd: sumOf(st.drops, ['type']),
    addr_list_err: sumOf(st.drops, ['addr-count', 'addr-list']),
    invalid_authtype: st.invalidAuthType,
    authtype_mismatch: Math.max(0, sumOf(st.drops, ['auth-type']) - st.invalidAuthType),
    auth_failure: sumOf(st.drops, ['auth-pass']),
    pri_zero_rcvd: st.priorityZeroReceived,
    pri_zero_sent: st.priorityZeroSent,
  };
}

/** One instance's `data` object. */
export function keepalivedData(src: JsonInstanceSource, ctx: JsonDumpContext): KeepalivedJsonData {
  const { config: c, fsmState: s } = src.view;
  const vi = src.configured;
  const p = c.params;
  const resolve = ctx.resolveCommand ?? ((a: string): string => resolveScriptPath(a));
  const cmd = (spec: ScriptSpec | null | undefined): string | undefined => (spec == null ? undefined : formatCommand(spec, resolve));
  const lt = src.view.lastTransition;
  const lastTransitionWallMs = lt === null ? ctx.startedAtWallMs : ctx.nowWallMs - (ctx.nowUs - lt.atUs) / 1000;
  const stateNum = KEEPALIVED_STATE_NUMBER[s.state];
  const strict = vi?.strictMode ?? false;
  const smtpAlert = vi?.smtpAlert ?? ctx.globalDefs?.smtpAlertVrrp ?? ctx.globalDefs?.smtpAlert ?? false;
  const vips = c.vips.filter((v) => !v.excluded).map((v) => formatVip(v, s.vipsSet, c.vmac));
  const evips = c.vips.filter((v) => v.excluded).map((v) => formatVip(v, s.vipsSet, c.vmac));
  // keepalived ignores track_interface of the instance's own interface ("since own interface").
  const ownIfnames = new Set([c.ifname, ...(c.vmac !== undefined ? [c.vmac.baseIfname] : [])]);
  const trackIfp = (vi?.trackInterfaces ?? []).map((t) => t.name).filter((n) => !ownIfnames.has(n));
  const scripts = new Map((ctx.vrrpScripts ?? []).map((sc) => [sc.name, sc] as const));
  const trackScript = (vi?.trackScripts ?? []).flatMap((t) => {
    const spec = scripts.get(t.name)?.script;
    return spec == null ? [] : [formatCommand(spec, resolve)];
  });
  const notify = vi?.notify;
  const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const list = <K extends string>(key: K, items: readonly string[]): Partial<Record<K, readonly string[]>> =>
    optional(key, items.length > 0 ? items : undefined);
  return {
    iname: c.name,
    dont_track_primary: p.trackPrimaryInterface ? 0 : 1,
    skip_check_adv_addr: c.skipCheckAdvAddr ? 1 : 0,
    strict_mode: strict ? 1 : 0,
    // use_vmac: the VMAC's name (the wanted one until the link exists); ifname is then the VMAC too.
    vmac_ifname: c.vmac === undefined ? '' : c.vmac.ifname || c.vmac.wantedName,
    ifp_ifname: c.ifname,
    master_priority: s.masterPriority ?? 0,
    last_transition: lastTransitionWallMs / 1000,
    garp_delay: p.garp.masterDelayUs / US_PER_S,
    garp_refresh: Math.floor(p.garp.masterRefreshUs / US_PER_S),
    garp_rep: p.garp.masterRepeat,
    garp_refresh_rep: p.garp.masterRefreshRepeat,
    garp_lower_prio_delay: Math.floor(p.garp.lowerPrioDelayUs / US_PER_S),
    garp_lower_prio_rep: p.garp.lowerPrioRepeat,
    lower_prio_no_advert: p.lowerPrioNoAdvert ? 1 : 0,
    higher_prio_send_advert: p.higherPrioSendAdvert ? 1 : 0,
    vrid: c.vrid,
    base_priority: s.basePriority,
    effective_priority: s.effectivePriority,
    vipset: s.vipsSet,
    promote_secondaries: vi?.promoteSecondaries ?? false,
    adver_int: c.adverIntervalCs / 100,
    master_adver_int: s.masterAdverIntervalCs / 100,
    accept: (vi?.accept ?? !strict) ? 1 : 0,
    nopreempt: !p.preempt,
    preempt_delay: Math.floor(p.preemptDelayUs / US_PER_S),
    state: stateNum,
    wantstate: s.wantMaster ? KEEPALIVED_STATE_NUMBER.MASTER : stateNum,
    version: c.version,
    smtp_alert: smtpAlert,
    notify_deleted: vi?.notifyDeleted ?? false,
    ...optional('script_backup', cmd(notify?.backup)),
    ...optional('script_master', cmd(notify?.master)),
    ...optional('script_fault', cmd(notify?.fault)),
    ...optional('script_stop', cmd(notify?.stop)),
    ...optional('script_deleted', cmd(notify?.deleted)),
    ...optional('script', cmd(notify?.generic)),
    ...optional('script_master_rx_lower_pri', cmd(notify?.masterRxLowerPri)),
    ...list('vips', vips),
    ...list('evips', evips),
    ...list('track_ifp', trackIfp),
    ...list('track_script', trackScript),
    auth_type: c.authType,
    // keepalived keeps 8 auth bytes and prints them up to the first NUL.
    ...optional('auth_data', c.authType === 0 ? undefined : c.authPass.slice(0, 8)),
  };
}

/** The whole document: one element per instance, in configuration order. */
export function buildKeepalivedJson(sources: readonly JsonInstanceSource[], ctx: JsonDumpContext): KeepalivedJsonInstance[] {
  return sources.map((src) => ({ data: keepalivedData(src, ctx), stats: keepalivedStats(src.view.stats) }));
}

/** C's `printf("%g", x)`: 6 significant digits, trailing zeros dropped, exponent form outside 1e-4..1e6. */
export function formatFloatG(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant = '0', expText = '0'] = x.toExponential(5).split('e');
  const exp = Number(expText);
  const strip = (t: string): string => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (exp < -4 || exp >= 6) return `${strip(mant)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return strip(x.toFixed(5 - exp));
}

/** keepalived's jsonw_puts: C escapes plus `\/`; no \u escapes. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\t': out += '\\t'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '\b': out += '\\b'; break;
      // keepalived 2.2.7 writes "\n" for a backslash (a bug); we write a valid escaped backslash.
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '/': out += '\\/'; break;
      default: out += ch;
    }
  }
  return `${out}"`;
}

/** Float fields (`%g`) and the one `%f` field; every other number is an unsigned integer. */
const FLOAT_G_FIELDS: ReadonlySet<string> = new Set(['garp_delay', 'adver_int', 'master_adver_int']);
const FIXED6_FIELDS: ReadonlySet<string> = new Set(['last_transition']);

function formatValue(key: string, v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (FIXED6_FIELDS.has(key)) return v.toFixed(6);
    if (FLOAT_G_FIELDS.has(key)) return formatFloatG(v);
    return String(Math.max(0, Math.trunc(v)));
  }
  if (Array.isArray(v)) return `[${v.map((e) => formatValue(key, e)).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.entries(v).map(([k, e]) => `${quote(k)}:${formatValue(k, e)}`).join(',')}}`;
  }
  return 'null';
}

/** The document as keepalived writes it: compact, keepalived's key order and number formats, one final newline. */
export function formatKeepalivedJson(doc: readonly KeepalivedJsonInstance[]): string {
  return `[${doc.map((i) => formatValue('', i)).join(',')}]\n`;
}

/** Writes keepalived.json with keepalived's mode 0600 (see dump-file.ts); an error message instead of throwing. */
export function writeJsonDump(path: string, text: string): string | undefined {
  return writeDumpFile(path, text, 0o600);
}
