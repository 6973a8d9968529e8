/**
 * validateConfig: keepalived's post-parse ("complete / validate") phase over the typed model, plus
 * the host-dependent checks `keepalived -t` makes against the live system. Parse-time problems
 * (syntax, ranges, unknown keywords, undeclared references) are the builder's; this module reports
 * what keepalived finds once everything is read.
 *
 * `host === null` (`--no-host-checks`) skips interface, user and file checks.
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { HostView } from '../../io/host/types.js';
import type { ConfigNode } from '../source/tree.js';
import type { KeepalivedConfig } from '../model.js';
import { validateInterfaces } from './interfaces.js';
import { type LvsExplicitSettings, validateVirtualServers } from './lvs.js';
import { posKey } from './positions.js';
import { scriptUserContext, validateScriptSide } from './scripts.js';
import { validateSyncGroups } from './syncGroups.js';
import { validateTracking } from './tracking.js';
import { type EffectiveInstance, instanceKeywords, validateVrrp } from './vrrp.js';

export { ValidateCode } from './codes.js';
export type { EffectiveInstance } from './vrrp.js';
export { instanceKeywords, validateInstance } from './vrrp.js';
export { isInsecurePath, resolveProgram, validateScripts } from './scripts.js';

export interface ValidateOptions {
  /**
   * The reader's tree, when available: lets the validator tell keepalived's defaults from values
   * the file set explicitly where the model does not record it (lvs_sched / lvs_method).
   */
  readonly tree?: readonly ConfigNode[];
}

const SCHED_KEYWORDS = new Set(['lvs_sched', 'lb_algo']);
const METHOD_KEYWORDS = new Set(['lvs_method', 'lb_kind']);

/** Positions of virtual_server blocks that set a scheduler / forwarding method. */
export function lvsExplicitSettings(tree: readonly ConfigNode[]): LvsExplicitSettings {
  const schedulerAt = new Set<string>();
  const forwardingAt = new Set<string>();
  const protocolAt = new Set<string>();
  for (const node of tree) {
    if (node.keyword !== 'virtual_server' || node.children === undefined) continue;
    const key = posKey(node.pos);
    for (const c of node.children) {
      if (SCHED_KEYWORDS.has(c.keyword)) schedulerAt.add(key);
      if (METHOD_KEYWORDS.has(c.keyword)) forwardingAt.add(key);
      if (c.keyword === 'protocol') protocolAt.add(key);
    }
  }
  return { schedulerAt, forwardingAt, protocolAt };
}

/**
 * Runs the checks in keepalived's order: the checker process (virtual servers and their scripts)
 * reports first, then the VRRP process — whose completion phase is skipped when an interface is
 * missing (only parse-time findings are reported then) — then the parent's start/stop scripts.
 * Returns the effective VRRP instances (empty after an interface problem).
 */
export function validateConfig(cfg: KeepalivedConfig, host: HostView | null, sink: DiagnosticSink, options: ValidateOptions = {}): EffectiveInstance[] {
  const scriptUsers = scriptUserContext(cfg, host, sink);
  validateVirtualServers(cfg, sink, options.tree !== undefined ? lvsExplicitSettings(options.tree) : null);
  validateScriptSide(cfg, host, sink, scriptUsers, 'check', true);

  const badInterface = host !== null && validateInterfaces(cfg, host, sink);
  const explicit = options.tree !== undefined ? instanceKeywords(options.tree) : null;
  const instances = validateVrrp(cfg, sink, explicit, badInterface);
  if (!badInterface) {
    validateSyncGroups(cfg, sink);
    validateTracking(cfg, sink);
  }
  validateScriptSide(cfg, host, sink, scriptUsers, 'vrrp', !badInterface);
  validateScriptSide(cfg, host, sink, scriptUsers, 'startStop', true);
  return instances;
}
