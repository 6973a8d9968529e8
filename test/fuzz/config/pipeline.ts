/**
 * The in-process configuration pipeline under fuzz: src/config/load.ts (reader → builder → validator,
 * host checks off as with --no-host-checks, or against the fake host of fake-host.ts) and the CLI's -t exit-code rule, plus the invariants every
 * input must satisfy: no exception, an exit code keepalived -t can give (0, 2, 4, 5, 6), and
 * well-formed diagnostics (KTS_* code, known severity, a message).
 */
import { configTestExitCode } from '../../../src/cli/commands/configTest.js';
import { loadConfig } from '../../../src/config/load.js';
import type { HostView } from '../../../src/io/host/types.js';
import { expectThat, mustNotThrow } from '../support/target.js';
import { fakeHost } from './fake-host.js';
import { materializeCase, type ConfigCase } from './mutations.js';

export const ALLOWED_EXIT_CODES: ReadonlySet<number> = new Set([0, 2, 4, 5, 6]);
const SEVERITIES: ReadonlySet<string> = new Set(['info', 'warning', 'error', 'fatal', 'security']);

export interface PipelineOutcome {
  readonly exitCode: number;
  readonly diagnostics: number;
  readonly files: number;
  /** Wall time of loadConfig alone (materialising the files excluded). */
  readonly ms: number;
}

/** Config id (`-i`) and environment every fuzz run uses, in process and for the real CLI alike. */
export const FUZZ_CONFIG_ID = 'fuzz';
export const FUZZ_ENV: Readonly<Record<string, string>> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/nonexistent' };

/** Runs the pipeline on a configuration file and checks the invariants; throws FuzzViolation. */
export function checkPipeline(mainPath: string, host: HostView | null = null, allConfig = false): PipelineOutcome {
  const started = performance.now();
  const result = mustNotThrow('loadConfig', () => loadConfig(mainPath, { host, configId: FUZZ_CONFIG_ID, env: FUZZ_ENV, allConfig }));
  const ms = performance.now() - started;
  const exitCode = mustNotThrow('configTestExitCode', () => configTestExitCode(result));
  expectThat(ALLOWED_EXIT_CODES.has(exitCode), `exit code ${exitCode} is not one of 0, 2, 4, 5, 6`);
  for (const d of result.diagnostics) {
    expectThat(typeof d.code === 'string' && d.code.startsWith('KTS_'), `diagnostic code ${String(d.code)}`);
    expectThat(SEVERITIES.has(d.severity), `diagnostic severity ${String(d.severity)}`);
    expectThat(typeof d.message === 'string' && d.message.length > 0, `diagnostic ${d.code} without a message`);
  }
  return { exitCode, diagnostics: result.diagnostics.length, files: result.files.length, ms };
}

/** Materialises a case into `dir` and checks it (with the fake host when the case asks for host checks). */
export function checkConfigCase(c: ConfigCase, dir: string): PipelineOutcome {
  return checkPipeline(materializeCase(c, dir), c.hostChecks === true ? fakeHost : null, c.allConfig === true);
}
