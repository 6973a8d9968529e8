/**
 * `-t / --config-test[=LOGFILE]`: read, build and validate the configuration the way keepalived's
 * config-test does, print every diagnostic as keepalived would (`(file: Line N) message`) followed by
 * our stable code, and return keepalived's exit code (0 / 4 / 5 / 6). `--json` prints a JSON report
 * on stdout instead; `-d --json` adds the resolved model.
 */
import { exitCodeFor, formatDiagnostic } from '../../core/diagnostics.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { loadConfig } from '../../config/load.js';
import type { LoadResult } from '../../config/load.js';
import type { HostView } from '../../io/host/types.js';
import type { CliIo } from '../io.js';
import type { DaemonOptions } from '../options.js';

/** keepalived's KEEPALIVED_EXIT_NO_CONFIG. */
export const KEEPALIVED_EXIT_NO_CONFIG = 6;

/** keepalived exits 2 (EXIT_INVALIDARGUMENT) at once when a keyword lacks a required parameter. */
export const KEEPALIVED_EXIT_MISSING_PARAMETER = 2;

/**
 * The exit code `keepalived -t` would give: 6 when an include failed its include check, 2 when the
 * parse hit a missing required parameter (keepalived aborts there), else graded by severity.
 */
export function configTestExitCode(result: Pick<LoadResult, 'diagnostics' | 'includeFileError'>): number {
  if (result.includeFileError) return KEEPALIVED_EXIT_NO_CONFIG;
  // KTS_MISSING_WORD is only ever reported where keepalived's reader aborts (BuildContext.arg).
  if (result.diagnostics.some((d) => d.code === 'KTS_MISSING_WORD'))
    return KEEPALIVED_EXIT_MISSING_PARAMETER;
  return exitCodeFor(result.diagnostics);
}

export interface ConfigTestDeps {
  readonly io: CliIo;
  /** Live host view; not called with --no-host-checks. */
  readonly loadHost: () => Promise<HostView>;
}

export function formatReport(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
}

export async function runConfigTest(options: DaemonOptions, logFile: string | null, deps: ConfigTestDeps): Promise<number> {
  const host = options.noHostChecks ? null : await deps.loadHost();
  const result = loadConfig(options.configFile, { configId: options.configId, allConfig: options.allConfig, host });
  const code = configTestExitCode(result);
  if (options.json) {
    const report: Record<string, unknown> = { file: options.configFile, files: result.files, exitCode: code, diagnostics: result.diagnostics };
    if (options.dumpConf) report['config'] = result.config;
    deps.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return code;
  }
  const text = formatReport(result.diagnostics);
  if (logFile !== null) {
    try {
      deps.io.writeFile(logFile, text);
    } catch (err) {
      deps.io.stderr(`keepalived-ts: cannot write ${logFile}: ${err instanceof Error ? err.message : String(err)}\n`);
      deps.io.stderr(text);
    }
  } else {
    deps.io.stderr(text);
  }
  return code;
}
