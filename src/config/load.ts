/**
 * The configuration pipeline facade: read (reader: includes, definitions, conditionals → block tree)
 * → build (typed model + parse-time diagnostics) → validate (keepalived's completion checks and,
 * with a HostView, the host checks). Everything that wants "a configuration" goes through here.
 */
import { DiagnosticSink } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { HostView } from '../io/host/types.js';
import { buildModel } from './build/index.js';
import type { KeepalivedConfig } from './model.js';
import { readConfig } from './source/index.js';
import { validateConfig } from './validate/index.js';
import type { EffectiveInstance } from './validate/index.js';

export interface LoadOptions {
  /** `-i`: id for `@id` lines; null/undefined = host name up to the first dot. */
  readonly configId?: string | null;
  /** `-e`: every include must exist. */
  readonly allConfig?: boolean;
  /** Environment for `${_ENV NAME}`; default: process.env. */
  readonly env?: Readonly<Record<string, string>>;
  /** null = `--no-host-checks`. */
  readonly host: HostView | null;
}

export interface LoadResult {
  readonly config: KeepalivedConfig;
  readonly diagnostics: readonly Diagnostic[];
  /** Every file read (main file first). */
  readonly files: readonly string[];
  readonly instances: readonly EffectiveInstance[];
  /** No configuration file could be read (a normal run exits 6; `-t` grades by severity). */
  readonly mainFileMissing: boolean;
  /** An include failed its include check: keepalived exits 6 (no config), even under `-t`. */
  readonly includeFileError: boolean;
}

export function loadConfig(path: string, options: LoadOptions): LoadResult {
  const read = readConfig(path, {
    ...(options.configId !== undefined && options.configId !== null ? { configId: options.configId } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    allConfig: options.allConfig ?? false,
  });
  const sink = new DiagnosticSink();
  for (const d of read.diagnostics) sink.add(d);
  const config = buildModel(read.nodes, sink);
  const instances = validateConfig(config, options.host, sink, { tree: read.nodes });
  return { config, diagnostics: sink.items, files: read.files, instances, mainFileMissing: read.mainFileMissing, includeFileError: read.includeFileError };
}
