/**
 * keepalived-ts's debug categories (`packet`, `fsm`, `netlink`, `arp`, `checker`): the list and the
 * parser of the `--debug-categories=LIST` option and of the `KTS_DEBUG=LIST` environment fallback.
 *
 * Kept apart from log.ts so the command-line parser can validate names without loading pino.
 * keepalived's own `--debug[=Ulll…]` (compiled-in debug options) is a different flag; keepalived-ts accepts
 * and ignores it, hence the non-colliding `--debug-categories` spelling.
 */

/** Debug categories that can be switched on individually. */
export const DEBUG_CATEGORIES = ['packet', 'fsm', 'netlink', 'arp', 'checker'] as const;
export type DebugCategory = (typeof DEBUG_CATEGORIES)[number];

export type DebugCategoriesParse =
  | { readonly ok: true; readonly categories: readonly DebugCategory[] }
  | { readonly ok: false; readonly invalid: string };

function isDebugCategory(word: string): word is DebugCategory {
  return (DEBUG_CATEGORIES as readonly string[]).includes(word);
}

/**
 * Parses `packet,fsm` / `all` (commas or spaces, case-insensitive, duplicates folded) into categories in
 * the canonical order of DEBUG_CATEGORIES. An empty list or an unknown name is reported in `invalid`.
 */
export function parseDebugCategories(text: string): DebugCategoriesParse {
  const words = text
    .split(/[\s,]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 0);
  if (words.length === 0) return { ok: false, invalid: text };
  const chosen = new Set<DebugCategory>();
  for (const w of words) {
    if (w === 'all') {
      for (const c of DEBUG_CATEGORIES) chosen.add(c);
    } else if (isDebugCategory(w)) {
      chosen.add(w);
    } else {
      return { ok: false, invalid: w };
    }
  }
  return { ok: true, categories: DEBUG_CATEGORIES.filter((c) => chosen.has(c)) };
}

/**
 * `KTS_DEBUG=packet,fsm|all` (the fallback when `--debug-categories` is not given): unknown names are
 * ignored here, since a typo in the environment must not stop a daemon; unset or empty = none.
 */
export function debugCategoriesFromEnvValue(value: string | undefined): readonly DebugCategory[] {
  if (value === undefined) return [];
  const known = value
    .split(/[\s,]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w === 'all' || isDebugCategory(w));
  if (known.length === 0) return [];
  const parsed = parseDebugCategories(known.join(','));
  return parsed.ok ? parsed.categories : [];
}
