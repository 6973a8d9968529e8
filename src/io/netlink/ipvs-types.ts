/**
 * IPVS table entries as plain data: one virtual service (address/port/protocol or fwmark) and its
 * destinations (real servers). Shared by the checker's desired-table computation, the reconciler,
 * the `ipvsadm -Ln`-style dump and the generic-netlink codec (`ipvs-codec.ts`), which maps these
 * names onto the kernel's numbers (<linux/ip_vs.h>).
 */

export type IpvsFamily = 'inet' | 'inet6';
export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP';
export type IpvsForwarding = 'NAT' | 'DR' | 'TUN' | 'LOCAL' | 'BYPASS';
export type IpvsTunnelType = 'ipip' | 'gue' | 'gre';
export type IpvsTunnelCsum = 'nocsum' | 'csum' | 'remcsum';

export interface IpvsService {
  readonly family: IpvsFamily;
  /** null for fwmark services (the kernel reports protocol 0 for them). */
  readonly protocol: IpvsProtocol | null;
  /** null for fwmark services. */
  readonly address: string | null;
  readonly port: number;
  /** 0 = address service. */
  readonly fwmark: number;
  readonly scheduler: string;
  /** IP_VS_SVC_F_* bits (persistent, hashed, one-packet, sched flags 1..3). */
  readonly flags: number;
  /** Persistence timeout in seconds (0 when not persistent). */
  readonly timeoutSec: number;
  /** IPv4: persistence netmask as a 32-bit number (0xffffffff default); IPv6: prefix length (128). */
  readonly netmask: number;
  readonly peName: string | null;
}

export interface IpvsDest {
  readonly family: IpvsFamily;
  readonly address: string;
  readonly port: number;
  readonly forwarding: IpvsForwarding;
  readonly weight: number;
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
  readonly tunnelType: IpvsTunnelType | null;
  readonly tunnelPort: number | null;
  readonly tunnelCsum: IpvsTunnelCsum | null;
  /** Counters, only filled from a kernel dump (0 in the desired table). */
  readonly activeConns?: number;
  readonly inactiveConns?: number;
}

export interface IpvsServiceEntry {
  readonly service: IpvsService;
  readonly dests: readonly IpvsDest[];
}

/** Identity of a service in the kernel: fwmark+family, or protocol+address+port. */
export function serviceKey(s: Pick<IpvsService, 'family' | 'protocol' | 'address' | 'port' | 'fwmark'>): string {
  return s.fwmark !== 0 ? `FWM:${s.family}:${s.fwmark}` : `${s.protocol ?? '?'}:${s.address ?? '?'}:${s.port}`;
}

/** Identity of a destination inside its service. */
export function destKey(d: Pick<IpvsDest, 'address' | 'port'>): string {
  return `${d.address}:${d.port}`;
}
