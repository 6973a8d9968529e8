/**
 * keepalived-ts entry point (`bin/keepalived-ts` imports this): parse the command line, dispatch to
 * the command, set the process exit code. Bad input never produces a stack trace: unexpected
 * failures print one line and exit 70 (keepalived's "program error").
 */
import { loadHostView } from '../io/host/index.js';
import { runConfigTest } from './commands/configTest.js';
import { runDumpConf } from './commands/dumpConf.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { parseCommandLine, USAGE } from './options.js';
import { signumFor } from './signum.js';

export const VERSION_TEXT = 'Keepalived-ts v0.1.0 (compatible with Keepalived v2.2.7)\n';

/** Runs the CLI on `args` (without `node script`) and returns the exit code. */
export async function run(args: readonly string[], io: CliIo = processIo): Promise<number> {
  // keepalived: "-T/--genhash … (this should be the first option used)": the rest are genhash's own options.
  if (args[0] === '-T' || args[0] === '--genhash') {
    const { runGenhash } = await import('../check/genhash.js');
    return runGenhash(args.slice(1), { out: (t) => io.stdout(t), err: (t) => io.stderr(t) });
  }
  const cmd = parseCommandLine(args);
  switch (cmd.kind) {
    case 'usageError':
      io.stderr(`${cmd.message}\n`);
      return 1;
    case 'help':
      io.stderr(USAGE);
      return 0;
    case 'version':
      io.stderr(VERSION_TEXT);
      return 0;
    case 'signum': {
      const n = signumFor(cmd.name);
      if (n === null) {
        io.stderr(`Unknown sigfunc ${cmd.name}\n`);
        return 1;
      }
      io.stdout(`${n}\n`);
      return 0;
    }
    case 'status': {
      const { runStatusCommand } = await import('../ops/status-command.js');
      return runStatusCommand({
        json: cmd.json,
        ...(cmd.socketPath !== null ? { socketPath: cmd.socketPath } : {}),
        stdout: (t) => io.stdout(t),
        stderr: (t) => io.stderr(t),
      });
    }
    case 'ctl': {
      const { runCtlCommand } = await import('../ops/ctl-command.js');
      return runCtlCommand({
        cmd: cmd.cmd,
        ...(cmd.socketPath !== null ? { socketPath: cmd.socketPath } : {}),
        stdout: (t) => io.stdout(t),
        stderr: (t) => io.stderr(t),
      });
    }
    case 'genhash':
      io.stderr('keepalived-ts: genhash mode (-T) is not supported\n');
      return 1;
    case 'configTest':
      return runConfigTest(cmd.options, cmd.logFile, { io, loadHost: loadHostView });
    case 'dumpConf':
      return runDumpConf(cmd.options, io, loadHostView);
    case 'daemon': {
      // Loaded on demand: `-t` never pays for (or depends on) the daemon's module graph.
      const { runDaemon } = await import('./commands/run.js');
      return runDaemon(cmd.options, io, args);
    }
  }
}

export async function main(argv: string[]): Promise<void> {
  try {
    process.exitCode = await run(argv.slice(2));
  } catch (err) {
    process.stderr.write(`keepalived-ts: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  }
}
