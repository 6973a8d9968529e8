/**
 * Scope names as keepalived.conf and `ip` spell them (`scope global|site|link|host|nowhere` or a
 * number), mapped to RT_SCOPE_* values.
 */

import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_SITE, RT_SCOPE_UNIVERSE } from './constants.js';

const SCOPES: ReadonlyMap<string, number> = new Map([
  ['global', RT_SCOPE_UNIVERSE],
  ['universe', RT_SCOPE_UNIVERSE],
  ['site', RT_SCOPE_SITE],
  ['link', RT_SCOPE_LINK],
  ['host', RT_SCOPE_HOST],
  ['nowhere', RT_SCOPE_NOWHERE],
]);

/** `undefined` for an unknown name or a number outside 0..255. */
export function parseRtScope(text: string): number | undefined {
  const named = SCOPES.get(text.toLowerCase());
  if (named !== undefined) return named;
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 255 ? n : undefined;
}

export function formatRtScope(scope: number): string {
  for (const [name, v] of SCOPES) if (v === scope && name !== 'universe') return name;
  return String(scope);
}
