/** `-d --json` without -t: the resolved model as JSON on stdout (exit code as for -t). */
import { loadConfig } from '../../config/load.js';
import type { HostView } from '../../io/host/types.js';
import type { CliIo } from '../io.js';
import type { DaemonOptions } from '../options.js';
import { configTestExitCode, formatReport } from './configTest.js';

export async function runDumpConf(options: DaemonOptions, io: CliIo, loadHost: () => Promise<HostView>): Promise<number> {
  const host = options.noHostChecks ? null : await loadHost();
  const result = loadConfig(options.configFile, { configId: options.configId, allConfig: options.allConfig, host });
  io.stderr(formatReport(result.diagnostics));
  io.stdout(`${JSON.stringify(result.config, null, 2)}\n`);
  return configTestExitCode(result);
}
