/** Every decoder fuzz target, by group (VRRP packets, netlink/IPVS, checker protocol, probe replies). */
import type { RunnableTarget } from '../support/target.js';
import { netlinkTargets } from './netlink.js';
import { packetTargets } from './packets.js';
import { probeTargets } from './probes.js';
import { protocolTargets } from './protocol.js';

export const decoderTargets: readonly RunnableTarget[] = [...packetTargets, ...netlinkTargets, ...protocolTargets, ...probeTargets];

export function targetByName(name: string): RunnableTarget | undefined {
  return decoderTargets.find((t) => t.name === name);
}
