/**
 * Writing the dump files (keepalived.data/.stats/.json, keepalived_check.data) the way keepalived's
 * fopen_safe does: a new file next to the target (O_EXCL, so never through a symlink planted in a
 * world-writable /tmp), renamed over it, so readers only ever see a complete document. Never throws:
 * returns an error message instead.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeDumpFile(path: string, text: string, mode: number): string | undefined {
  const tmp = `${path}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, text, { mode, flag: 'wx' });
    renameSync(tmp, path);
    return undefined;
  } catch (err) {
    rmSync(tmp, { force: true });
    return (err as Error).message;
  }
}
