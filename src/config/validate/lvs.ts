/**
 * Virtual server completion checks (the checker process's validation): real/sorry server address
 * family against the virtual server, virtual servers left without real servers, the scheduler and
 * forwarding-method defaults keepalived reports applying, duplicated real servers, and ports on
 * real servers of fwmark services.
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { AddressFamily, KeepalivedConfig, RealServer, VirtualServer } from '../model.js';
import { ValidateCode as C } from './codes.js';
import { posKey } from './positions.js';

/** Which virtual servers configured a scheduler / forwarding method (keyed by `file:line`). */
export interface LvsExplicitSettings {
  readonly schedulerAt: ReadonlySet<string>;
  readonly forwardingAt: ReadonlySet<string>;
  readonly protocolAt: ReadonlySet<string>;
}


/** Whether the file set a protocol (model flag, else the tree, else assume it did). */
function protocolSet(vs: VirtualServer, explicit: LvsExplicitSettings | null): boolean {
  return vs.protocolConfigured ?? (explicit === null || explicit.protocolAt.has(posKey(vs.pos)));
}

/** Whether the file set a protocol, with no benefit of the doubt (fwmark services must not). */
function explicitProtocol(vs: VirtualServer, explicit: LvsExplicitSettings | null): boolean {
  return vs.protocolConfigured ?? (explicit !== null && explicit.protocolAt.has(posKey(vs.pos)));
}

function protoText(vs: VirtualServer, explicit: LvsExplicitSettings | null = null): string {
  return protocolSet(vs, explicit) ? vs.protocol.toLowerCase() : 'none';
}

/** keepalived's `[addr]:proto:port` / `FWM n` naming of a virtual server. */
export function vsName(vs: VirtualServer, explicit: LvsExplicitSettings | null = null): string {
  switch (vs.target.kind) {
    case 'ip':
      return `[${vs.target.address}]:${protoText(vs, explicit)}:${String(vs.target.port)}`;
    case 'fwmark':
      return `FWM ${String(vs.target.fwmark)}`;
    case 'group':
      return `[${vs.target.group.name}]:0`;
  }
}

function vsFamily(vs: VirtualServer): AddressFamily | null {
  if (vs.target.kind === 'ip') return vs.target.family;
  if (vs.target.kind === 'fwmark') return vs.target.family ?? vs.ipFamily;
  return vs.ipFamily;
}

function rsName(rs: RealServer, proto: string): string {
  return `[${rs.address}]:${proto}:${String(rs.port)}`;
}

/**
 * The virtual servers keepalived keeps after completion, with the real servers it keeps: services on
 * undeclared groups and services left without real servers are dropped, and so are their scripts.
 */
export function liveVirtualServers(cfg: KeepalivedConfig): { readonly vs: VirtualServer; readonly realServers: readonly RealServer[] }[] {
  const groups = new Set(cfg.virtualServerGroups.map((g) => g.name));
  const out: { vs: VirtualServer; realServers: RealServer[] }[] = [];
  for (const vs of cfg.virtualServers) {
    if (vs.target.kind === 'group' && !groups.has(vs.target.group.name)) continue;
    const family = vsFamily(vs);
    const realServers = vs.realServers.filter((rs) => family === null || rs.family === family);
    if (realServers.length > 0) out.push({ vs, realServers });
  }
  return out;
}

export function validateVirtualServers(cfg: KeepalivedConfig, sink: DiagnosticSink, explicit: LvsExplicitSettings | null): void {
  const groups = new Set(cfg.virtualServerGroups.map((g) => g.name));
  for (const vs of cfg.virtualServers) {
    // A service on an undeclared virtual_server_group is dropped without a word by keepalived 2.2.7.
    if (vs.target.kind === 'group' && !groups.has(vs.target.group.name)) continue;
    const family = vsFamily(vs);
    const kept: RealServer[] = [];
    for (const rs of vs.realServers) {
      if (family !== null && rs.family !== family) {
        sink.error(C.LVS_RS_FAMILY, `Address family of virtual server and real server ${rs.address} don't match - skipping real server.`, rs.pos, 'real_server');
        continue;
      }
      kept.push(rs);
    }
    if (vs.sorryServer !== null && family !== null && vs.sorryServer.family !== family)
      sink.error(
        C.LVS_SORRY_FAMILY,
        `Address family of virtual server and sorry server ${vs.sorryServer.address} don't match - skipping sorry server.`,
        vs.sorryServer.pos,
        'sorry_server',
      );

    const name = vsName(vs, explicit);
    if (kept.length === 0) {
      sink.error(C.LVS_NO_REAL_SERVERS, `Virtual server ${name} has no real servers - ignoring`, vs.pos, 'virtual_server');
      continue;
    }
    if (vs.target.kind === 'fwmark' && explicitProtocol(vs, explicit))
      sink.error(C.LVS_FWMARK_PROTOCOL, `Warning: Virtual server ${name}: protocol specified for fwmark - protocol will be ignored`, vs.pos, 'protocol');
    if (vs.target.kind !== 'fwmark' && !protocolSet(vs, explicit))
      sink.error(C.LVS_NO_PROTOCOL, `Virtual server ${name}: no protocol set - defaulting to ${vs.protocol}`, vs.pos, 'protocol');
    // The model says whether the scheduler / method were written; older models leave it to the tree.
    const schedSet = vs.lvsSchedConfigured ?? (explicit === null || explicit.schedulerAt.has(posKey(vs.pos)));
    const methodSet = vs.forwardingConfigured ?? (explicit === null || explicit.forwardingAt.has(posKey(vs.pos)));
    if (!schedSet) sink.error(C.LVS_NO_SCHEDULER, `Virtual server ${name}: no scheduler set, setting default '${vs.lvsSched}'`, vs.pos, 'lvs_sched');
    if (!methodSet)
      sink.error(C.LVS_NO_FORWARDING, `Virtual server ${name}: no forwarding method set, setting default ${vs.forwarding.method}`, vs.pos, 'lvs_method');

    // quorum cannot exceed what all real servers together weigh; hysteresis must stay below quorum.
    const totalWeight = kept.reduce((sum, rs) => sum + rs.weight, 0);
    let quorum = vs.quorum;
    if (quorum > totalWeight) {
      sink.error(
        C.LVS_QUORUM,
        `Warning - quorum ${String(quorum)} for ${name} exceeds total weight of real servers ${String(totalWeight)}, reducing quorum to ${String(totalWeight)}`,
        vs.pos,
        'quorum',
      );
      quorum = totalWeight;
    }
    if (vs.hysteresis >= quorum)
      sink.error(
        C.LVS_HYSTERESIS,
        `Virtual server ${name}: hysteresis ${String(vs.hysteresis)} >= quorum ${String(quorum)}; setting hysteresis to ${String(Math.max(0, quorum - 1))}`,
        vs.pos,
        'hysteresis',
      );

    const proto = vs.target.kind === 'fwmark' ? 'none' : protoText(vs, explicit);
    const seen = new Set<string>();
    for (const rs of kept) {
      if (vs.target.kind === 'fwmark' && rs.port !== 0)
        sink.error(
          C.LVS_FWMARK_RS_PORT,
          `WARNING - fwmark virtual server ${name}, real server ${rsName(rs, proto)} has port specified - clearing`,
          rs.pos,
          'real_server',
        );
      const key = `${rs.address}\u0000${vs.target.kind === 'fwmark' ? 0 : rs.port}`;
      if (seen.has(key)) {
        sink.error(C.LVS_RS_DUPLICATE, `VS ${name}: real server ${rsName(rs, proto)} is duplicated - removing second rs`, rs.pos, 'real_server');
        continue;
      }
      seen.add(key);
    }
  }
}
