/**
 * VRRPv2 simple-text authentication (RFC 2338 §5.3.6.1 as still implemented by keepalived `auth_type PASS`):
 * the password occupies the 8 authentication bytes, NUL padded; keepalived uses only the first 8 characters.
 */

import { VRRP_V2_AUTH_DATA_LEN } from './constants.js';

const utf8 = new TextEncoder();

/** The 8 bytes a PASS password puts on the wire (UTF-8, truncated to 8 bytes, NUL padded). */
export function authDataFromPassword(password: string): Buffer {
  const out = Buffer.alloc(VRRP_V2_AUTH_DATA_LEN);
  out.set(utf8.encode(password).subarray(0, VRRP_V2_AUTH_DATA_LEN));
  return out;
}

/** Constant-time equality of two authentication blocks (their first 8 bytes; missing bytes count as 0). */
export function authDataEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = 0;
  for (let i = 0; i < VRRP_V2_AUTH_DATA_LEN; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
