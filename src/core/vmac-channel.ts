/**
 * The advert channel of a `use_vmac` instance: which interface its advert socket is bound to.
 *
 * keepalived 2.2.7 sends and receives adverts on the VMAC (source MAC = virtual MAC), or on the base
 * interface with `vmac_xmit_base`. Receiving on the VMAC is not a choice: a macvlan hands a multicast
 * frame whose source MAC is one of its own private macvlans' MACs to that macvlan only, so the
 * master's adverts (source = the shared virtual MAC) never reach the backup's base interface.
 *
 * The group join on the VMAC would make the kernel send IGMP reports with the virtual MAC, also from
 * a BACKUP, and a switch would learn the virtual MAC on the BACKUP's port. keepalived stops them
 * with an nftables rule; we switch off reports for link-local groups instead
 * (net.ipv4.igmp_link_local_mcast_reports, see vmac-setup.ts) — 224.0.0.x is flooded by snooping
 * switches anyway (RFC 4541 §2.1.2).
 *
 * IPv6: the VMAC carries a copy of the base's link-local address (vmac-setup.ts), the advert source,
 * as with keepalived. MLD reports for the groups joined on it do leave with the virtual MAC, also
 * from a BACKUP (keepalived duplicates them onto the base interface with nftables; there is no
 * sysctl for MLD): a snooping switch may briefly learn the virtual MAC on the BACKUP's port.
 * Unicast peers always use the base interface (keepalived requires vmac_xmit_base with them).
 */
import type { AdvertTransportOptions } from '../io/vrrp-socket/index.js';
import type { AdvertChannel } from './ports.js';
import type { ResolvedInstance } from './instance-config.js';
import type { ResolvedVmac } from './vmac-plan.js';

/** Whether adverts of this VMAC go over the base interface (`vmac_xmit_base`, unicast). */
export function vmacXmitOnBase(v: ResolvedVmac, unicast: boolean): boolean {
  return v.xmitBase || unicast;
}

/** The interface the advert socket of `inst` is bound to. */
export function advertInterface(inst: ResolvedInstance): string {
  const v = inst.vmac;
  if (v === undefined || v.ifindex === 0) return inst.ifname;
  return vmacXmitOnBase(v, inst.unicastPeers.length > 0) ? v.baseIfname : v.ifname;
}

/** Opens the channel of `inst` from `options` (built for a plain instance) with the io transport factory. */
export function openVmacAwareChannel(
  inst: ResolvedInstance,
  options: AdvertTransportOptions,
  open: (o: AdvertTransportOptions) => AdvertChannel,
): AdvertChannel {
  return open({ ...options, interfaceName: advertInterface(inst) });
}
