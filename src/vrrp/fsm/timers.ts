/**
 * VRRP timer arithmetic in microseconds (RFC 3768 §6.1, RFC 9568 §6.1), keepalived flavour.
 *
 *   Skew_Time            = ((256 − Priority) × Master_Adver_Interval) / 256
 *   Master_Down_Interval = down_timer_adverts (3) × Master_Adver_Interval + Skew_Time
 *
 * keepalived keeps every interval in µs and truncates the division to whole µs; we do the same
 * (never integer centiseconds, which loses up to 10 ms of skew). v2 intervals are whole seconds
 * (keepalived rounds `advert_int` to seconds, minimum 1); v3 backups adopt the master's
 * advertised Max Adver Int (Master_Adver_Interval), v2 always use their own interval.
 */

import type { VrrpInstanceParams } from '../params.js';

export const US_PER_CS = 10_000;
export const US_PER_S = 1_000_000;
/** Largest v3 Max Adver Int (12 bits). */
export const MAX_V3_ADVER_INTERVAL_CS = 4095;

/** The interval actually used on the wire for the configured version, in centiseconds. */
export function wireAdverIntervalCs(version: 2 | 3, adverIntervalCs: number): number {
  if (version === 2) {
    const seconds = Math.max(1, Math.min(255, Math.round(adverIntervalCs / 100)));
    return seconds * 100;
  }
  return Math.max(1, Math.min(MAX_V3_ADVER_INTERVAL_CS, Math.round(adverIntervalCs)));
}

/** Own Advertisement_Interval in µs (what the MASTER's Adver_Timer uses). */
export function adverIntervalUs(p: Pick<VrrpInstanceParams, 'version' | 'adverIntervalCs'>): number {
  return wireAdverIntervalCs(p.version, p.adverIntervalCs) * US_PER_CS;
}

/** Skew_Time in µs for `priority` and the (learned or own) Master_Adver_Interval in µs. */
export function skewUs(priority: number, masterAdverIntervalUs: number): number {
  return Math.floor(((256 - priority) * masterAdverIntervalUs) / 256);
}

/** Master_Down_Interval in µs. */
export function masterDownIntervalUs(
  priority: number,
  masterAdverIntervalUs: number,
  downTimerAdverts = 3,
): number {
  return downTimerAdverts * masterAdverIntervalUs + skewUs(priority, masterAdverIntervalUs);
}
