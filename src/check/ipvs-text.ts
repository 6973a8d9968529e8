/**
 * `ipvsadm -Ln`-style text of an IPVS table (desired or read back from the kernel), for the SIGUSR1
 * dump (`/tmp/keepalived_check.data`) and for humans when the kernel has no IPVS:
 *
 *   IP Virtual Server version 1.2.1 (size=4096)
 *   Prot LocalAddress:Port Scheduler Flags
 *     -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
 *   TCP  10.0.0.1:80 wlc persistent 50
 *     -> 192.168.0.2:8080             Masq    1      0          0
 */
import type { IpvsDest, IpvsService, IpvsServiceEntry } from '../io/netlink/ipvs-types.js';
import { intToIpv4 } from './desired-table.js';

const FWD_TEXT: Readonly<Record<IpvsDest['forwarding'], string>> = { NAT: 'Masq', DR: 'Route', TUN: 'Tunnel', LOCAL: 'Local', BYPASS: 'Bypass' };

function hostPort(address: string, port: number, family: 'inet' | 'inet6'): string {
  return family === 'inet6' ? `[${address}]:${port}` : `${address}:${port}`;
}

export function formatServiceLine(s: IpvsService): string {
  let line =
    s.fwmark !== 0
      ? `FWM  ${s.fwmark} ${s.family === 'inet6' ? 'IPv6 ' : ''}${s.scheduler}`
      : `${s.protocol ?? '?'}  ${hostPort(s.address ?? '?', s.port, s.family)} ${s.scheduler}`;
  if ((s.flags & 0x0001) !== 0) {
    line += ` persistent ${s.timeoutSec}`;
    if (s.family === 'inet' && s.netmask !== 0xffffffff) line += ` mask ${intToIpv4(s.netmask)}`;
    if (s.family === 'inet6' && s.netmask !== 128) line += ` mask ${s.netmask}`;
    if (s.peName !== null) line += ` pe ${s.peName}`;
  }
  if ((s.flags & 0x0004) !== 0) line += ' ops';
  return line;
}

export function formatDestLine(d: IpvsDest): string {
  const addr = hostPort(d.address, d.port, d.family).padEnd(28);
  return `  -> ${addr} ${FWD_TEXT[d.forwarding].padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeConns ?? 0).padEnd(10)} ${String(d.inactiveConns ?? 0).padEnd(10)}`.trimEnd();
}

export function formatIpvsTable(entries: readonly IpvsServiceEntry[], header = 'IP Virtual Server version 1.2.1 (size=4096)'): string {
  const lines = [header, 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'];
  for (const e of entries) {
    lines.push(formatServiceLine(e.service));
    for (const d of e.dests) lines.push(formatDestLine(d));
  }
  return `${lines.join('\n')}\n`;
}
