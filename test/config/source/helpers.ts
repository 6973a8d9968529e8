/** Test helpers for the config reader: compact renderings of trees and diagnostics. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../../../src/core/diagnostics.js';
import { readConfigText } from '../../../src/config/source/index.js';
import type { ReaderOptions, ReadResult } from '../../../src/config/source/index.js';
import type { ConfigNode } from '../../../src/config/source/tree.js';

/** One string per node: `keyword arg…`, children indented by two spaces. */
export function render(nodes: readonly ConfigNode[], indent = ''): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    out.push(`${indent}${[n.keyword, ...n.args].join(' ')}${n.children !== undefined ? ' {' : ''}`);
    if (n.children !== undefined) out.push(...render(n.children, `${indent}  `));
  }
  return out;
}

/** `CODE@line` for each diagnostic. */
export function codes(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.code}@${d.line ?? '-'}`);
}

export function read(text: string, opts?: ReaderOptions): ReadResult {
  return readConfigText(text, '/virtual/keepalived.conf', { configId: 'lb1', env: {}, ...opts });
}

/** Create a temp directory holding `files` (path → content); returns its path. */
export function tempTree(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kts-reader-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}
