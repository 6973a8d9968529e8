/**
 * Why a received advertisement was discarded: one stable code per rung of the receive ladder, plus a
 * human-readable detail. Codes are part of the public surface (counters, logs, tests) and are never
 * reused or renamed. `KTS_VRRP_RX_*` ids are derived from them for log lines.
 *
 * Rungs, in the order they are applied:
 *   IP layer (parseIpv4Header):   ip-truncated, ip-version, ip-header-length, ip-total-length, ip-protocol
 *   Packet (decodeAdvert):        bad-context, ttl, too-short, carp, version, type, length, checksum,
 *                                 addr-count-zero, interval-zero
 *   Instance (checkAdvertForInstance): version-mismatch, vrid, auth-type, auth-pass, interval
 */

export const DROP_CODES = [
  // IPv4 header
  'ip-truncated',
  'ip-version',
  'ip-header-length',
  'ip-total-length',
  'ip-protocol',
  // packet ladder
  'bad-context',
  'ttl',
  'too-short',
  'carp',
  'version',
  'type',
  'length',
  'checksum',
  'addr-count-zero',
  'interval-zero',
  // instance ladder
  'version-mismatch',
  'vrid',
  'auth-type',
  'auth-pass',
  'interval',
  'addr-count',
  'addr-list',
] as const;

export type DropCode = (typeof DROP_CODES)[number];

export interface DropReason {
  readonly code: DropCode;
  /** What exactly was wrong, with the offending value (for rate-limited debug logs). */
  readonly detail: string;
}

/** Instance-level findings that are logged and counted but do not discard the advert. */
export const WARNING_CODES = ['interval-mismatch', 'addr-count-mismatch', 'addr-list-mismatch'] as const;
export type AdvertWarningCode = (typeof WARNING_CODES)[number];

export interface AdvertWarning {
  readonly code: AdvertWarningCode;
  readonly detail: string;
}

/** The result shape every rejecting function in this folder uses. */
export interface Dropped {
  readonly ok: false;
  readonly drop: DropReason;
}

export function dropped(code: DropCode, detail: string): Dropped {
  return { ok: false, drop: { code, detail } };
}

/** Stable log id of a drop or warning code: `ttl` → `KTS_VRRP_RX_TTL`. */
export function ktsCodeOf(code: DropCode | AdvertWarningCode): string {
  return `KTS_VRRP_RX_${code.toUpperCase().replace(/-/g, '_')}`;
}
