/**
 * Script checks (keepalived's check_script_secure pass plus the default-user lookup):
 *  - which user runs each script: its own `user`, else `script_user`, else `keepalived_script` if it
 *    exists, else root — but with `enable_script_security` a script with no usable non-root default
 *    is removed;
 *  - whether the program exists (a missing vrrp_script program disables the script; missing notify /
 *    MISC_CHECK programs are silently not run);
 *  - with `enable_script_security`, whether any component of the path is writable by someone other
 *    than root / the script user (tracked scripts are then disabled);
 *  - finally, scripts in use without `enable_script_security` are a SECURITY VIOLATION (exit 6).
 * Without a HostView only the last, configuration-only rule applies.
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { HostView } from '../../io/host/types.js';
import type { KeepalivedConfig, ScriptSpec } from '../model.js';
import { ValidateCode as C } from './codes.js';
import { liveVirtualServers } from './lvs.js';

export type ScriptSide = 'vrrp' | 'check' | 'startStop';
type Side = ScriptSide;
type Kind = 'vrrp_script' | 'notify' | 'misc' | 'other';

interface ScriptUse {
  readonly spec: ScriptSpec;
  readonly side: Side;
  readonly kind: Kind;
  /** vrrp_script name, for messages. */
  readonly name: string | null;
  /** vrrp_script referenced by an instance or sync group. */
  readonly tracked: boolean;
  /**
   * The user the script runs as, when configured for it: the `user` keyword of vrrp_script /
   * MISC_CHECK, or the words after a notify command. keepalived ignores words after `script` and
   * `misc_path` commands.
   */
  readonly user: string | null;
  readonly group: string | null;
}

const DEFAULT_SCRIPT_USER = 'keepalived_script';
const S_IWGRP = 0o020;
const S_IWOTH = 0o002;
const S_ISVTX = 0o1000;

function collectScripts(cfg: KeepalivedConfig): ScriptUse[] {
  const uses: ScriptUse[] = [];
  const add = (
    spec: ScriptSpec | null,
    side: Side,
    kind: Kind,
    opts: { name?: string; tracked?: boolean; user?: string | null; group?: string | null } = {},
  ): void => {
    if (spec === null || spec.argv.length === 0) return;
    const ownUser = kind === 'notify' || kind === 'other';
    uses.push({
      spec,
      side,
      kind,
      name: opts.name ?? null,
      tracked: opts.tracked ?? false,
      user: ownUser ? spec.user : (opts.user ?? null),
      group: ownUser ? spec.group : (opts.group ?? null),
    });
  };
  const trackedNames = new Set<string>();
  for (const vi of cfg.vrrpInstances) for (const t of vi.trackScripts) trackedNames.add(t.name);
  for (const sg of cfg.syncGroups) for (const t of sg.trackScripts) trackedNames.add(t.name);

  for (const s of cfg.vrrpScripts) add(s.script, 'vrrp', 'vrrp_script', { name: s.name, tracked: trackedNames.has(s.name), user: s.user, group: s.group });
  for (const vi of cfg.vrrpInstances) {
    const n = vi.notify;
    for (const spec of [n.master, n.backup, n.fault, n.stop, n.generic, n.deleted, n.masterRxLowerPri]) add(spec, 'vrrp', 'notify');
  }
  for (const sg of cfg.syncGroups) {
    const n = sg.notify;
    for (const spec of [n.master, n.backup, n.fault, n.stop, n.generic]) add(spec, 'vrrp', 'notify');
  }
  const g = cfg.globalDefs;
  add(g.notifyFifoScript, 'vrrp', 'notify');
  add(g.vrrpNotifyFifoScript, 'vrrp', 'notify');
  add(g.lvsNotifyFifoScript, 'check', 'notify');
  for (const { vs, realServers } of liveVirtualServers(cfg)) {
    add(vs.quorumUp, 'check', 'other');
    add(vs.quorumDown, 'check', 'other');
    for (const rs of realServers) {
      add(rs.notifyUp, 'check', 'other');
      add(rs.notifyDown, 'check', 'other');
      for (const ck of rs.checkers) {
        if (ck.kind !== 'MISC_CHECK') continue;
        // keepalived 2.2.7 ignores words after the misc_path command; only the `user` keyword counts.
        const fromPath = ck.miscPath !== null && ck.miscPath.user !== null && ck.user === ck.miscPath.user;
        add(ck.miscPath, 'check', 'misc', fromPath ? {} : { user: ck.user, group: ck.group });
      }
    }
  }
  add(g.startupScript, 'startStop', 'other');
  add(g.shutdownScript, 'startStop', 'other');
  return uses;
}

/** Absolute path of the program keepalived would exec, null when there is none. */
export function resolveProgram(host: HostView, argv0: string): string | null {
  if (argv0.includes('/')) return host.stat(argv0) !== null ? argv0 : null;
  for (const dir of host.searchPath) {
    const candidate = `${dir}/${argv0}`;
    const st = host.stat(candidate);
    if (st !== null && st.isFile && (st.mode & 0o111) !== 0) return candidate;
  }
  return null;
}

/** True when a component of `path` could be modified by someone other than root / `uid` / `gid`. */
export function isInsecurePath(host: HostView, path: string, uid: number, gid: number): boolean {
  const real = host.realpath(path) ?? path;
  const parts = real.split('/').filter((p) => p !== '');
  const prefixes = ['/'];
  let acc = '';
  for (const p of parts) {
    acc += `/${p}`;
    prefixes.push(acc);
  }
  for (const p of prefixes) {
    const st = host.stat(p);
    if (st === null) continue;
    if (st.uid !== 0 && st.uid !== uid) return true;
    if ((st.mode & S_IWOTH) !== 0 && !(st.isDirectory && (st.mode & S_ISVTX) !== 0)) return true;
    if ((st.mode & S_IWGRP) !== 0 && st.gid !== 0 && st.gid !== gid) return true;
  }
  return false;
}

/** Who runs scripts by default, decided once per configuration (keepalived: while parsing global_defs). */
export interface ScriptUserContext {
  /** null: no usable default user, scripts without their own user are removed. */
  readonly uid: number | null;
  readonly gid: number;
  /** `script_user` names a user or group that does not exist (already reported). */
  readonly badGlobalUser: boolean;
  /** "Unable to set default user keepalived_script" is reported once. */
  reportedDefaultUser: boolean;
}

export function scriptUserContext(cfg: KeepalivedConfig, host: HostView | null, sink: DiagnosticSink): ScriptUserContext {
  const g = cfg.globalDefs;
  if (host === null) return { uid: 0, gid: 0, badGlobalUser: false, reportedDefaultUser: false };
  if (g.scriptUser !== null) {
    const u = host.userByName(g.scriptUser.user);
    const grp = g.scriptUser.group !== null ? host.groupByName(g.scriptUser.group) : null;
    if (u === null || (g.scriptUser.group !== null && grp === null)) {
      sink.error(C.SCRIPT_USER_MISSING, 'Error setting global script uid/gid', g.scriptUser.pos, 'script_user');
      // keepalived then has no default user at all: scripts without their own user are removed.
      return { uid: null, gid: 0, badGlobalUser: true, reportedDefaultUser: false };
    }
    return { uid: u.uid, gid: grp?.gid ?? u.gid, badGlobalUser: false, reportedDefaultUser: false };
  }
  const u = host.userByName(DEFAULT_SCRIPT_USER);
  if (u !== null) return { uid: u.uid, gid: u.gid, badGlobalUser: false, reportedDefaultUser: false };
  // Without keepalived_script scripts run as root, which script security forbids.
  return { uid: g.enableScriptSecurity ? null : 0, gid: 0, badGlobalUser: false, reportedDefaultUser: false };
}

/**
 * Checks the scripts of one process side. The user lookup happens at parse time in keepalived, the
 * rest (`complete`) in its completion phase — which the VRRP side skips after a bad interface.
 */
export function validateScriptSide(
  cfg: KeepalivedConfig,
  host: HostView | null,
  sink: DiagnosticSink,
  ctx: ScriptUserContext,
  side: Side,
  complete: boolean,
): void {
  const security = cfg.globalDefs.enableScriptSecurity;
  const used = { count: 0, insecure: false };
  const removedScripts = new Set<string>();

  for (const use of collectScripts(cfg)) {
    if (use.side !== side) continue;
    const { spec } = use;
    let uid = ctx.uid;
    let gid = ctx.gid;
    if (use.user !== null && host !== null) {
      const u = host.userByName(use.user);
      const grp = use.group !== null ? host.groupByName(use.group) : null;
      if (u === null || (use.group !== null && grp === null)) {
        // vrrp_script and MISC_CHECK report it; notify scripts are silently not run.
        if (use.kind === 'vrrp_script') {
          sink.error(C.SCRIPT_USER_MISSING, `Unable to set uid/gid for script '${spec.commandLine}'`, spec.pos, 'user');
          if (use.name !== null) removedScripts.add(use.name);
        } else if (use.kind === 'misc') {
          sink.error(C.SCRIPT_USER_MISSING, `Failed to set uid/gid for misc checker script '${spec.commandLine}' - removing`, spec.pos, 'user');
        }
        continue;
      }
      uid = u.uid;
      gid = grp?.gid ?? u.gid;
    }
    if (uid === null) {
      if (!ctx.reportedDefaultUser && !ctx.badGlobalUser) {
        sink.error(C.SCRIPT_DEFAULT_USER, `Unable to set default user ${DEFAULT_SCRIPT_USER} for script`, spec.pos, 'script_user');
        ctx.reportedDefaultUser = true;
      }
      if (use.kind === 'vrrp_script' && use.name !== null) {
        sink.error(C.SCRIPT_USER_REMOVED, `Unable to set default user for vrrp script ${use.name} - removing`, spec.pos, 'script');
        removedScripts.add(use.name);
      } else if (use.kind === 'misc') {
        sink.error(C.SCRIPT_USER_REMOVED, `Unable to set default user for misc script '${spec.commandLine}' - removing`, spec.pos, 'misc_path');
      }
      continue;
    }
    if (!complete) continue;

    if (host !== null) {
      const argv0 = spec.argv[0] ?? '';
      const program = resolveProgram(host, argv0);
      if (program === null) {
        if (use.kind === 'vrrp_script' && use.name !== null)
          sink.error(C.SCRIPT_NOT_FOUND, `Disabling track script ${use.name} since not found/accessible`, spec.pos, 'script');
        continue;
      }
      const insecure = isInsecurePath(host, program, uid, gid);
      if (insecure && security) {
        if (use.kind === 'vrrp_script' && use.name !== null && use.tracked)
          sink.error(C.SCRIPT_INSECURE, `Disabling track script ${use.name} due to insecure`, spec.pos, 'script');
        continue;
      }
      if (insecure) used.insecure = true;
    }
    used.count++;
  }

  // References to vrrp_scripts removed above (keepalived reports them while parsing the instance).
  for (const vi of cfg.vrrpInstances)
    for (const t of vi.trackScripts)
      if (removedScripts.has(t.name)) sink.error(C.SCRIPT_USER_REMOVED, `(${vi.name}) track script ${t.name} not found, ignoring...`, t.pos, 'track_script');

  if (security || used.count === 0) return;
  const suffix = used.insecure ? ' There are insecure scripts.' : '';
  switch (side) {
    case 'vrrp':
      sink.security(C.SCRIPT_SECURITY_DISABLED, `SECURITY VIOLATION - scripts are being executed but script_security not enabled.${suffix}`);
      break;
    case 'check':
      sink.security(C.CHECK_SCRIPT_SECURITY_DISABLED, `SECURITY VIOLATION - check scripts are being executed but script_security not enabled.${suffix}`);
      break;
    case 'startStop':
      sink.security(C.START_STOP_SCRIPT_SECURITY_DISABLED, `SECURITY VIOLATION - start/shutdown scripts are being executed but script_security not enabled.${suffix}`);
      break;
  }
}

/** All script checks of every side, as one pass (no interface problems assumed). */
export function validateScripts(cfg: KeepalivedConfig, host: HostView | null, sink: DiagnosticSink): void {
  const ctx = scriptUserContext(cfg, host, sink);
  for (const side of ['check', 'vrrp', 'startStop'] as const) validateScriptSide(cfg, host, sink, ctx, side, true);
}
