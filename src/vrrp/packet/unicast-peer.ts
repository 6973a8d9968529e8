/**
 * check_unicast_src for a unicast instance (pure): the advert's source must be one of the configured
 * unicast peers, and its TTL / hop limit must lie in that peer's `min_ttl`–`max_ttl` window, as
 * keepalived 2.2.7's vrrp_check_packet does at the end of its ladder (both failures are counted there;
 * the TTL one as ip_ttl_err, like the multicast TTL check, hence the codec's `ttl` code here).
 *
 * Addresses are compared in canonical form, so a peer written `FD00::0002` matches the kernel's
 * `fd00::2`. The first peer with the source address decides, like keepalived's list walk. An unknown
 * TTL (no IPV6_HOPLIMIT ancillary data) is not checked, as keepalived skips rx_ttl_hop_limit == -1.
 */
import { canonicalIp } from './ip-address.js';

/** A unicast peer and the TTL / hop-limit window its adverts must arrive with (0–255 = any). */
export interface UnicastPeerWindow {
  readonly address: string;
  readonly minTtl: number;
  readonly maxTtl: number;
}

export type UnicastSourceVerdict =
  | { readonly ok: true; readonly peer: UnicastPeerWindow }
  | { readonly ok: false; readonly code: 'unicast-src' | 'ttl'; readonly detail: string };

/** Checks `srcAddr` (and its received TTL / hop limit `hops`, when known) against `peers`. */
export function checkUnicastSource(
  srcAddr: string,
  hops: number | undefined,
  peers: readonly UnicastPeerWindow[],
): UnicastSourceVerdict {
  const src = canonicalIp(srcAddr) ?? srcAddr;
  const peer = peers.find((p) => (canonicalIp(p.address) ?? p.address) === src);
  if (peer === undefined) {
    return { ok: false, code: 'unicast-src', detail: `unicast advert from ${srcAddr}, not a configured unicast_peer (check_unicast_src)` };
  }
  if (hops !== undefined && (hops < peer.minTtl || hops > peer.maxTtl)) {
    return { ok: false, code: 'ttl', detail: `TTL/HL ${hops} not in range ${peer.minTtl} - ${peer.maxTtl} of unicast peer ${peer.address}` };
  }
  return { ok: true, peer };
}
