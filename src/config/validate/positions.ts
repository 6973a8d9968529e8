/** Ordering of configuration positions (same file: by line; across files: stable, first seen first). */
import type { SourcePos } from '../model.js';

export function posBefore(a: SourcePos, b: SourcePos): boolean {
  return a.file === b.file ? a.line < b.line : false;
}

/** The element whose position comes first; ties and cross-file comparisons keep the earlier array index. */
export function earliest<T extends { readonly pos: SourcePos }>(items: readonly T[]): T | null {
  let best: T | null = null;
  for (const it of items) if (best === null || posBefore(it.pos, best.pos)) best = it;
  return best;
}

/** `file:line`, the key the validator uses to match model objects with reader tree nodes. */
export function posKey(pos: SourcePos): string {
  return `${pos.file}:${String(pos.line)}`;
}
