/**
 * Instance-level receive checks: does a well-formed advert belong to, and agree with, this VRRP instance?
 * Run after decodeAdvert succeeded. Order and outcome follow RFC 3768 §7.1 / RFC 9568 §7.1 as keepalived
 * 2.2.7 applies them:
 *   version-mismatch → vrid → v2 auth type → v2 password (constant-time) → v2 interval ⇒ drop;
 *   address count / list mismatch ⇒ drop, as keepalived 2.2.7's vrrp_check_packet() does ("expected N VIPs
 *   but received M", "ip address associated with VRID … not present in MASTER advert"), unless the caller
 *   says to skip the check (`skip_check_adv_addr` and the advert comes from the master already known) —
 *   then they are warnings;
 *   v3 interval mismatch ⇒ warning only (logged + counted, not dropped).
 */

import { authDataEqual, authDataFromPassword } from './auth.js';
import { VrrpAuthType } from './constants.js';
import { dropped, type AdvertWarning, type Dropped } from './drop-reason.js';
import { canonicalIp } from './ip-address.js';
import type { VrrpAdvert } from './types.js';

export interface InstanceExpectation {
  readonly vrid: number;
  readonly version: 2 | 3;
  /** v2: configured auth type (0 none, 1 PASS). Default 0. Ignored for v3 (keepalived does too). */
  readonly authType?: number;
  /** v2 PASS: configured password (only the first 8 bytes count) or the 8 auth bytes themselves. */
  readonly authPass?: string | Uint8Array;
  /** v2: configured advert interval in whole seconds — a mismatch drops the advert. */
  readonly adverIntS?: number;
  /** v3: our configured advert interval in centiseconds — a mismatch is only a warning. */
  readonly adverIntCs?: number;
  /** Configured virtual addresses (any order, any textual form); omitted ⇒ not compared. */
  readonly addresses?: readonly string[];
  /**
   * keepalived's `skip_check_adv_addr`: only applies to a BACKUP hearing the same master as last time.
   * When true, address mismatches are reported as warnings instead of dropping the advert.
   */
  readonly skipAddressCheck?: boolean;
}

export interface InstanceAccepted {
  readonly ok: true;
  readonly warnings: readonly AdvertWarning[];
}

export function checkAdvertForInstance(advert: VrrpAdvert, expect: InstanceExpectation): InstanceAccepted | Dropped {
  if (advert.version !== expect.version) {
    return dropped('version-mismatch', `received VRRPv${advert.version}, instance runs v${expect.version}`);
  }
  if (advert.vrid !== expect.vrid) return dropped('vrid', `VRID ${advert.vrid}, instance has ${expect.vrid}`);

  const warnings: AdvertWarning[] = [];
  if (advert.version === 2) {
    const authType = expect.authType ?? VrrpAuthType.NONE;
    if (advert.authType !== authType) {
      return dropped('auth-type', `auth type ${advert.authType}, instance uses ${authType}`);
    }
    if (authType === VrrpAuthType.SIMPLE_TEXT) {
      const want =
        typeof expect.authPass === 'string' ? authDataFromPassword(expect.authPass) : (expect.authPass ?? new Uint8Array(8));
      if (!authDataEqual(advert.authData ?? new Uint8Array(8), want)) {
        return dropped('auth-pass', 'simple-text password does not match');
      }
    }
    if (expect.adverIntS !== undefined && advert.adverIntS !== expect.adverIntS) {
      return dropped('interval', `advert interval ${advert.adverIntS}s, instance uses ${expect.adverIntS}s`);
    }
  } else if (expect.adverIntCs !== undefined && advert.maxAdverIntCs !== expect.adverIntCs) {
    warnings.push({
      code: 'interval-mismatch',
      detail: `advert interval ${advert.maxAdverIntCs}cs, instance uses ${expect.adverIntCs}cs`,
    });
  }

  if (expect.addresses !== undefined) {
    const skip = expect.skipAddressCheck === true;
    if (advert.addrCount !== expect.addresses.length) {
      const detail = `expected ${expect.addresses.length} VIPs but received ${advert.addrCount}`;
      if (!skip) return dropped('addr-count', detail);
      warnings.push({ code: 'addr-count-mismatch', detail });
    }
    const received = new Set(advert.addresses.map((a) => canonicalIp(a) ?? a));
    const missing = expect.addresses.filter((a) => !received.has(canonicalIp(a) ?? a));
    if (missing.length > 0) {
      const detail = `ip address associated with VRID ${expect.vrid} not present in MASTER advert: ${missing.join(', ')}`;
      if (!skip) return dropped('addr-list', detail);
      warnings.push({ code: 'addr-list-mismatch', detail });
    }
  }
  return { ok: true, warnings };
}
