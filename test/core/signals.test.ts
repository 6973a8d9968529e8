import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installSignalHandlers } from '../../src/core/signals.js';

describe('signals', () => {
  it('maps signals to actions and uninstalls cleanly', () => {
    const ee = new EventEmitter();
    const seen: string[] = [];
    const off = installSignalHandlers(
      {
        stop: (s) => seen.push(`stop:${s}`),
        reload: () => seen.push('reload'),
        dumpData: () => seen.push('data'),
        dumpStats: () => seen.push('stats'),
      },
      ee,
    );
    for (const s of ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGINT']) ee.emit(s);
    expect(seen).toEqual(['reload', 'data', 'stats', 'stop:SIGTERM', 'stop:SIGINT']);
    off();
    ee.emit('SIGTERM');
    expect(seen).toHaveLength(5);
    expect(ee.listenerCount('SIGHUP')).toBe(0);
  });
});
