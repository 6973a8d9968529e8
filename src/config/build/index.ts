/**
 * buildModel: the reader's ConfigNode tree → KeepalivedConfig, reporting everything keepalived
 * 2.2.7 reports while parsing keywords (single pass, in file order, so references to objects
 * declared later fail like they do in keepalived). Cross-object checks are the validator's.
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import { rootKeywords } from '../keywords/root.js';
import type {
  BfdInstance,
  KeepalivedConfig,
  TrackFile,
  TrackProcess,
  VirtualIpAddress,
  VirtualRoute,
  VirtualRule,
  VirtualServer,
  VirtualServerGroup,
  VrrpInstance,
  VrrpScript,
  VrrpSyncGroup,
} from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import { parseAddressLine, parseRouteLine, parseRuleLine } from './addresses.js';
import { buildBfdInstance } from './bfd.js';
import { buildVirtualServer, buildVirtualServerGroup } from './check.js';
import { BuildCodes, BuildContext, handlers, walkBlock, type Mutable } from './context.js';
import { applyGlobalDefs, defaultGlobalDefs, finishGlobalDefs } from './global.js';
import { buildTrackFile, buildTrackProcess, buildVrrpScript, emptyDeclared, type Declared } from './trackers.js';
import { applyLateDefaults, buildSyncGroup, buildVrrpInstance, type InstanceRegistry } from './vrrp.js';

export { BuildCodes } from './context.js';

interface RootState {
  readonly globalDefs: ReturnType<typeof defaultGlobalDefs>;
  readonly declared: Declared;
  readonly instances: InstanceRegistry;
  readonly syncGroupNames: Set<string>;
  readonly vsgNames: Set<string>;
  readonly vrrpScripts: VrrpScript[];
  readonly trackFiles: TrackFile[];
  readonly trackProcesses: TrackProcess[];
  readonly syncGroups: VrrpSyncGroup[];
  readonly vrrpInstances: VrrpInstance[];
  readonly staticIpAddresses: VirtualIpAddress[];
  readonly staticRoutes: VirtualRoute[];
  readonly staticRules: VirtualRule[];
  readonly virtualServerGroups: VirtualServerGroup[];
  readonly virtualServers: VirtualServer[];
  readonly bfdInstances: BfdInstance[];
}

function push<T>(list: T[], item: T | null): void {
  if (item !== null) list.push(item);
}

const rootHandlers = handlers<RootState>({
  // keepalived's net_namespace_handler: the first one wins (the CLI enters it, see src/cli/namespace.ts).
  net_namespace: (ctx, node, s) => {
    const name = node.args[0];
    if (name === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, 'net_namespace name missing - ignoring');
    if (s.globalDefs.netNamespace !== null) return ctx.error(node, BuildCodes.DUPLICATE, `Duplicate net_namespace definition ${name} - ignoring`);
    s.globalDefs.netNamespace = name;
  },
  global_defs: (ctx, node, s) => applyGlobalDefs(ctx, node, s.globalDefs),
  vrrp_script: (ctx, node, s) => push(s.vrrpScripts, buildVrrpScript(ctx, node, s.declared)),
  track_file: (ctx, node, s) => push(s.trackFiles, buildTrackFile(ctx, node, s.declared)),
  vrrp_track_process: (ctx, node, s) => push(s.trackProcesses, buildTrackProcess(ctx, node, s.declared)),
  vrrp_sync_group: (ctx, node, s) => push(s.syncGroups, buildSyncGroup(ctx, node, s.declared, s.syncGroupNames)),
  vrrp_instance: (ctx, node, s) => push(s.vrrpInstances, buildVrrpInstance(ctx, node, s.globalDefs, s.declared, s.instances)),
  static_ipaddress: (ctx, node, s) => {
    for (const l of node.children ?? []) push(s.staticIpAddresses, parseAddressLine(ctx, l, true));
  },
  static_routes: (ctx, node, s) => {
    for (const l of node.children ?? []) push(s.staticRoutes, parseRouteLine(ctx, l));
  },
  static_rules: (ctx, node, s) => {
    for (const l of node.children ?? []) s.staticRules.push(parseRuleLine(ctx, l));
  },
  virtual_server_group: (ctx, node, s) => push(s.virtualServerGroups, buildVirtualServerGroup(ctx, node, s.vsgNames)),
  virtual_server: (ctx, node, s) => push(s.virtualServers, buildVirtualServer(ctx, node)),
  bfd_instance: (ctx, node, s) => push(s.bfdInstances, buildBfdInstance(ctx, node, s.bfdInstances, s.declared.bfdInstances)),
});

/** Build the typed model; every problem found goes to `sink` with file, line and keyword. */
export function buildModel(nodes: readonly ConfigNode[], sink: DiagnosticSink): KeepalivedConfig {
  const ctx = new BuildContext(sink);
  const s: RootState = {
    globalDefs: defaultGlobalDefs(),
    declared: emptyDeclared(),
    instances: { names: new Set(), vmacNames: new Set(), late: [] },
    syncGroupNames: new Set(),
    vsgNames: new Set(),
    vrrpScripts: [],
    trackFiles: [],
    trackProcesses: [],
    syncGroups: [],
    vrrpInstances: [],
    staticIpAddresses: [],
    staticRoutes: [],
    staticRules: [],
    virtualServerGroups: [],
    virtualServers: [],
    bfdInstances: [],
  };
  walkBlock(ctx, nodes, rootKeywords, rootHandlers, s);
  applyLateDefaults(s.instances, s.globalDefs);
  const out: Mutable<KeepalivedConfig> = {
    globalDefs: finishGlobalDefs(s.globalDefs),
    vrrpScripts: s.vrrpScripts,
    trackFiles: s.trackFiles,
    trackProcesses: s.trackProcesses,
    syncGroups: s.syncGroups,
    vrrpInstances: s.vrrpInstances,
    staticIpAddresses: s.staticIpAddresses,
    staticRoutes: s.staticRoutes,
    staticRules: s.staticRules,
    virtualServerGroups: s.virtualServerGroups,
    virtualServers: s.virtualServers,
    bfdInstances: s.bfdInstances,
  };
  return out;
}

export const rootHandlerNames: ReadonlySet<string> = new Set(rootHandlers.keys());
