/**
 * Entry-point helpers for the lab benchmarks: "am I the script node was started with" and the common
 * prerequisites (root for namespaces, the reference keepalived binary, a built daemon).
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../lab/netns.js';

export const KEEPALIVED_BIN = '/usr/sbin/keepalived';

/** True when the module at `metaUrl` is the script node was started with. */
export function isMainModule(metaUrl: string): boolean {
  const argv1 = process.argv[1];
  if (argv1 === undefined) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(metaUrl));
  } catch {
    return false;
  }
}

/** Why a namespace benchmark cannot run here (undefined when it can). */
export function labSkipReason(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root (network namespaces)';
  if (!existsSync(join(repoRoot(), 'dist', 'src', 'cli', 'main.js'))) return 'dist/src/cli/main.js missing (npm run build)';
  return undefined;
}

export const hasReferenceKeepalived = (): boolean => existsSync(KEEPALIVED_BIN);

/** Runs a bench's `run()` as a script: prints errors and sets a non-zero exit code only on a crash. */
export function runAsScript(run: () => Promise<void>): void {
  run().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
