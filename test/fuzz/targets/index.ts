/** Every decoder fuzz target, by group (VRRP packets, netlink/IPVS, checker protocol). */
import type { RunnableTarget } from '../support/target.js';
import { netlinkTargets } from './netlink.js';
import { packetTargets } from './packets.js';
import { protocolTargets } from './protocol.js';

export const decoderTargets: readonly RunnableTarget[] = [...packetTargets, ...netlinkTargets, ...protocolTargets];

export function targetByName(name: string): RunnableTarget | undefined {
  return decoderTargets.find((t) => t.name === name);
}
