/**
 * keepalived's text forms for LVS objects, used in log lines, notify FIFO lines and dumps:
 * FMT_VS (`[10.0.0.1]:tcp:80`, `FWM 5`, `[group]:0`) and FMT_RS (`[192.168.0.2]:tcp:8080`, the
 * real server's address with the virtual server's protocol), and the LVS FIFO lines
 * `VS [ip]:tcp:80 UP|DOWN` / `RS [rs]:tcp:80 [vs]:tcp:80 UP|DOWN`.
 */
import type { LvsProtocol, RealServer, SorryServer, VirtualServer } from '../config/model.js';

export function protoName(p: LvsProtocol): string {
  return p.toLowerCase();
}

/** `[addr]:proto:port` (inet_sockaddrtotrio). IPv6 addresses are bracketed the same way. */
export function fmtTrio(address: string, protocol: LvsProtocol, port: number): string {
  return `[${address}]:${protoName(protocol)}:${port}`;
}

export function fmtVs(vs: VirtualServer): string {
  switch (vs.target.kind) {
    case 'ip':
      return fmtTrio(vs.target.address, vs.protocol, vs.target.port);
    case 'fwmark':
      return `FWM ${vs.target.fwmark}`;
    case 'group':
      return `[${vs.target.group.name}]:0`;
  }
}

export function fmtRs(rs: RealServer | SorryServer, vs: VirtualServer): string {
  return fmtTrio(rs.address, vs.protocol, rs.port);
}

export function fifoVsLine(vs: VirtualServer, up: boolean): string {
  return `VS ${fmtVs(vs)} ${up ? 'UP' : 'DOWN'}`;
}

export function fifoRsLine(rs: RealServer, vs: VirtualServer, up: boolean): string {
  return `RS ${fmtRs(rs, vs)} ${fmtVs(vs)} ${up ? 'UP' : 'DOWN'}`;
}
