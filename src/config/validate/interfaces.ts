/**
 * Host check: every interface the configuration names must exist in the current network namespace
 * (unless `dynamic_interfaces`). keepalived reports each missing one, then a final "Non-existent
 * interface" (config status CONFIG_BAD_IF ⇒ exit 4 when nothing worse was reported).
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { HostView } from '../../io/host/types.js';
import type { KeepalivedConfig, VirtualIpAddress, VirtualRoute } from '../model.js';
import { ValidateCode as C } from './codes.js';

/** An address as keepalived prints it: the prefix only when it is not the host prefix. */
function addressLabel(v: VirtualIpAddress): string {
  const host = v.family === 'inet' ? 32 : 128;
  return v.prefixLen === host ? v.address : `${v.address}/${String(v.prefixLen)}`;
}

/** Returns true when an interface is missing (keepalived then skips the VRRP completion checks). */
export function validateInterfaces(cfg: KeepalivedConfig, host: HostView, sink: DiagnosticSink): boolean {
  if (cfg.globalDefs.dynamicInterfaces) return false;
  let bad = false;
  const exists = (name: string): boolean => host.interfaceByName(name) !== null;
  const checkVip = (v: VirtualIpAddress): void => {
    if (v.dev !== null && !exists(v.dev)) {
      sink.warning(C.VIP_INTERFACE_MISSING, `WARNING - interface ${v.dev} for ip address ${addressLabel(v)} doesn't exist`, v.pos, 'dev');
      bad = true;
    }
  };

  const checkRoute = (r: VirtualRoute): void => {
    if (r.dev !== null && !exists(r.dev)) {
      sink.warning(C.ROUTE_INTERFACE_MISSING, `WARNING - interface ${r.dev} for VROUTE nexthop doesn't exist`, r.pos, 'dev');
      bad = true;
    }
  };

  for (const vi of cfg.vrrpInstances) {
    if (vi.interface !== null && !exists(vi.interface.name)) {
      sink.warning(C.INTERFACE_MISSING, `WARNING - interface ${vi.interface.name} for vrrp_instance ${vi.name} doesn't exist`, vi.interface.pos, 'interface');
      bad = true;
    }
    for (const t of vi.trackInterfaces) {
      if (!exists(t.name)) {
        sink.error(C.TRACK_INTERFACE_MISSING, `(${vi.name}) tracked interface ${t.name} doesn't exist`, t.pos, 'track_interface');
        bad = true;
      }
    }
    vi.virtualIpAddresses.forEach(checkVip);
    vi.virtualIpAddressesExcluded.forEach(checkVip);
    vi.virtualRoutes.forEach(checkRoute);
  }
  for (const sg of cfg.syncGroups) {
    for (const t of sg.trackInterfaces) {
      if (!exists(t.name)) {
        sink.error(C.TRACK_INTERFACE_MISSING, `(${sg.name}) tracked interface ${t.name} doesn't exist`, t.pos, 'track_interface');
        bad = true;
      }
    }
  }
  cfg.staticIpAddresses.forEach(checkVip);
  cfg.staticRoutes.forEach(checkRoute);
  if (bad) sink.fatal(C.BAD_INTERFACE, 'Non-existent interface specified in configuration');
  return bad;
}
