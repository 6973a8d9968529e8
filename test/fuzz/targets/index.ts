/** Every decoder fuzz target, by group (VRRP packets, netlink/IPVS, checker protocol, probe replies, text literals). */
import type { RunnableTarget } from '../support/target.js';
import { netlinkTargets } from './netlink.js';
import { packetTargets } from './packets.js';
import { probeTargets } from './probes.js';
import { protocolTargets } from './protocol.js';
import { textTargets } from './text.js';

export const decoderTargets: readonly RunnableTarget[] = [...packetTargets, ...netlinkTargets, ...protocolTargets, ...probeTargets, ...textTargets];

export function targetByName(name: string): RunnableTarget | undefined {
  return decoderTargets.find((t) => t.name === name);
}
