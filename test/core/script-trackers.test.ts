import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { Notifier } from '../../src/core/notifier.js';
import { ScriptTrackers } from '../../src/core/script-trackers.js';
import type { TrackerObservation } from '../../src/vrrp/tracking/priority.js';
import type { GlobalDefs, ScriptSpec } from '../../src/config/model.js';
import type { VrrpScriptRuntime } from '../../src/vrrp/params-from-config.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-st-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (argv: string[], name = 'chk'): VrrpScriptRuntime => ({
  name, rise: 1, fall: 1, initFail: false, intervalUs: 1_000_000, timeoutUs: 2_000_000, argv, user: null, group: null,
});

describe('ScriptTrackers', () => {
  it('reports a status change per script result and reruns on the interval', async () => {
    const flag = join(dir, 'flag');
    writeFileSync(flag, '');
    const clock = new FakeClock(0);
    const seen: [string, TrackerObservation][] = [];
    const t = new ScriptTrackers([script(['/usr/bin/test', '-f', flag])], clock, silentLogger(), (n, o) => void seen.push([n, o]), null);
    expect(t.names).toEqual(['chk']);
    expect(t.observation('chk')).toEqual({ kind: 'unknown' });
    t.start();
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual(['chk', { kind: 'up' }]);
    rmSync(flag);
    await expect.poll(() => clock.pendingCount).toBe(1);
    clock.advance(1_000_000);
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[1]).toEqual(['chk', { kind: 'down' }]);
    expect(t.observation('chk')).toEqual({ kind: 'down' });
    t.stop();
  });
});

const globals = { notifyFifo: null, notifyFifoScript: null, vrrpNotifyFifo: null, vrrpNotifyFifoScript: null, scriptUser: null } as unknown as GlobalDefs;

describe('Notifier', () => {
  it('runs notify scripts with the extra arguments; waits only when asked', async () => {
    const out = join(dir, 'notify.out');
    const spec: ScriptSpec = { commandLine: 'sh', argv: ['/bin/sh', '-c', `sleep 0.2; echo "$@" >> ${out}`, 'notify'], user: null, group: null, pos: { file: 'x', line: 1 } };
    const n = new Notifier(globals, silentLogger());
    await n.runScript(spec, ['INSTANCE', 'VI_1', 'STOP', '100'], { wait: true, what: 'notify' });
    expect(readFileSync(out, 'utf8')).toBe('INSTANCE VI_1 STOP 100\n');
    await n.runScript(spec, ['INSTANCE', 'VI_1', 'MASTER', '100'], { wait: false, what: 'notify' });
    expect(readFileSync(out, 'utf8')).toBe('INSTANCE VI_1 STOP 100\n');
    await expect.poll(() => existsSync(out) && readFileSync(out, 'utf8').includes('MASTER'), { timeout: 3000 }).toBe(true);
    n.close();
  });
});
