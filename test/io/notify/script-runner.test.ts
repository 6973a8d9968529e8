// Script runner: exit codes, signals, timeout kill (SIGTERM, then SIGKILL for scripts that ignore
// it, whole process group), spawn failures, uid/gid switch to `nobody`, script_user resolution.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript, scriptSucceeded } from '../../../src/io/notify/script-runner.js';
import { parseIdDatabase, resolveScriptUser } from '../../../src/io/notify/script-user.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-h6b-notify-'));
chmodSync(dir, 0o777);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Running (not gone, not a zombie waiting for a reaper that may never come in a container). */
const isAlive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

describe('runScript', () => {
  it('reports the exit code; only 0 is success', async () => {
    const ok = await runScript(['true']).result;
    const bad = await runScript(['sh', '-c', 'exit 3']).result;
    expect(ok).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(bad).toMatchObject({ status: 'exited', exitCode: 3 });
    expect(scriptSucceeded(ok)).toBe(true);
    expect(scriptSucceeded(bad)).toBe(false);
  });

  it('passes argv unchanged (no shell splitting)', async () => {
    const out = join(dir, 'argv.txt');
    await runScript(['sh', '-c', 'printf "%s|" "$@" > "$0"', out, 'a b', '$HOME', '"q"']).result;
    expect(readFileSync(out, 'utf8')).toBe('a b|$HOME|"q"|');
  });

  it('returns before the script ends (never blocks the caller)', async () => {
    let settled = false;
    const h = runScript(['sleep', '0.3']);
    void h.result.then(() => { settled = true; });
    expect(h.pid).toBeGreaterThan(0);
    expect(settled).toBe(false);
    expect(await h.result).toMatchObject({ status: 'exited', exitCode: 0 });
  });

  it('reports death by signal', async () => {
    expect(await runScript(['sh', '-c', 'kill -USR1 $$']).result).toMatchObject({ status: 'signaled', signal: 'SIGUSR1' });
  });

  it('kills on timeout with SIGTERM, including the script’s children', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const h = runScript(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 300 });
    const r = await h.result;
    expect(r).toMatchObject({ status: 'timeout', killedWith: 'SIGTERM' });
    expect(scriptSucceeded(r)).toBe(false);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && isAlive(grandchild); i++) await new Promise((res) => setTimeout(res, 20));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('escalates to SIGKILL when the script ignores SIGTERM', async () => {
    const r = await runScript(['sh', '-c', 'trap "" TERM; sleep 30; exit 0'], { timeoutMs: 200, killGraceMs: 200 }).result;
    expect(r).toMatchObject({ status: 'timeout', killedWith: 'SIGKILL' });
  });

  it('kill() terminates a running script', async () => {
    const h = runScript(['sleep', '30']);
    h.kill();
    expect(await h.result).toMatchObject({ status: 'signaled', signal: 'SIGTERM' });
  });

  it('reports scripts that cannot start', async () => {
    expect(await runScript(['/nonexistent/kts-script']).result).toMatchObject({ status: 'failed-to-start', errorCode: 'ENOENT' });
    expect(await runScript([]).result).toMatchObject({ status: 'failed-to-start', errorCode: 'KTS_SCRIPT_EMPTY' });
  });

  it.skipIf(process.getuid?.() !== 0 || !existsSync('/etc/passwd'))('runs as script_user nobody', async () => {
    const nobody = resolveScriptUser('nobody');
    expect(nobody.uid).not.toBe(0);
    const out = join(dir, 'ids.txt');
    const r = await runScript(['sh', '-c', `echo "$(id -u) $(id -g)" > ${out}`], { credentials: nobody }).result;
    expect(r).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(readFileSync(out, 'utf8').trim()).toBe(`${nobody.uid} ${nobody.gid}`);
  });
});

describe('resolveScriptUser', () => {
  const etc = mkdtempSync(join(tmpdir(), 'kts-h6b-etc-'));
  writeFileSync(join(etc, 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n# comment\nkeep:x:1500:1600::/nonexistent:/usr/sbin/nologin\n');
  writeFileSync(join(etc, 'group'), 'root:x:0:\nops:x:1700:keep\nkeepgrp:x:1600:\n');
  afterAll(() => rmSync(etc, { recursive: true, force: true }));

  it('uses the primary group by default', () => {
    expect(resolveScriptUser('keep', undefined, etc)).toEqual({ uid: 1500, gid: 1600, user: 'keep' });
  });

  it('accepts a group with or without a leading colon, and numeric ids', () => {
    expect(resolveScriptUser('keep', 'ops', etc).gid).toBe(1700);
    expect(resolveScriptUser('keep', ':ops', etc).gid).toBe(1700);
    expect(resolveScriptUser('keep', '42', etc).gid).toBe(42);
  });

  it('rejects unknown users and groups with a stable code', () => {
    expect(() => resolveScriptUser('ghost', undefined, etc)).toThrow(expect.objectContaining({ code: 'KTS_SCRIPT_USER_UNKNOWN' }));
    expect(() => resolveScriptUser('keep', 'ghosts', etc)).toThrow(/unknown group/);
  });

  it('parses passwd and group files', () => {
    expect(parseIdDatabase('a:x:1:2:::\nbad line\n', 'passwd')).toEqual([{ name: 'a', id: 1, gid: 2 }]);
    expect(parseIdDatabase('g:x:7:\n', 'group')).toEqual([{ name: 'g', id: 7 }]);
  });
});
