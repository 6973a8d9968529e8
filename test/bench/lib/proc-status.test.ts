import { describe, expect, it } from 'vitest';
import { readMem, statusFieldKb } from './proc-status.js';

describe('/proc/PID/status memory fields', () => {
  it('extracts kB values by key', () => {
    const text = 'Name:\tnode\nVmHWM:\t  81234 kB\nVmRSS:\t   70000 kB\nThreads:\t11\n';
    expect(statusFieldKb(text, 'VmRSS')).toBe(70000);
    expect(statusFieldKb(text, 'VmHWM')).toBe(81234);
    expect(statusFieldKb(text, 'VmSwap')).toBeUndefined();
  });

  it('reads this process and reports a vanished pid as undefined', async () => {
    const m = await readMem(process.pid);
    expect(m?.rssKb).toBeGreaterThan(0);
    expect(m!.hwmKb).toBeGreaterThanOrEqual(m!.rssKb);
    expect(await readMem(2 ** 22 + 12345)).toBeUndefined();
  });
});
