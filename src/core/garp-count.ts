/**
 * Counts gratuitous ARP / unsolicited NA frames per VRRP instance for the metrics: wraps the frame
 * sender handed to the announcer and attributes each frame that was sent to the instance owning the
 * announced address (ARP sender protocol address; NA target address).
 */
import type { FrameSender } from '../io/arp/packet-sender.js';
import { formatIpv4, formatIpv6 } from '../vrrp/packet/index.js';

const ETH_P_ARP = 0x0806;
const ETH_P_IPV6 = 0x86dd;
/** Ethernet header (14) + ARP fixed part (8) + sender MAC (6). */
const ARP_SPA_OFFSET = 28;
/** Ethernet (14) + IPv6 header (40) + ICMPv6 NA header (8). */
const NA_TARGET_OFFSET = 62;

/** The announced address of a GARP or unsolicited-NA frame, undefined for anything else. */
export function announcedAddress(frame: Uint8Array): string | undefined {
  if (frame.length < 14) return undefined;
  const ethertype = ((frame[12] ?? 0) << 8) | (frame[13] ?? 0);
  if (ethertype === ETH_P_ARP && frame.length >= ARP_SPA_OFFSET + 4) return formatIpv4(frame, ARP_SPA_OFFSET);
  if (ethertype === ETH_P_IPV6 && frame.length >= NA_TARGET_OFFSET + 16) return formatIpv6(frame, NA_TARGET_OFFSET);
  return undefined;
}

/** A FrameSender that reports `onSent(owner)` after each successful send whose address has an owner. */
export function countingFrameSender(
  inner: FrameSender,
  ownerOf: (address: string) => string | undefined,
  onSent: (owner: string) => void,
): FrameSender {
  return {
    sendFrame(ifindex, frame) {
      const n = inner.sendFrame(ifindex, frame);
      const address = announcedAddress(frame);
      const owner = address === undefined ? undefined : ownerOf(address);
      if (owner !== undefined) onSent(owner);
      return n;
    },
  };
}
