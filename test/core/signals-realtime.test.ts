import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installSignalHandlers, jsonDumpPath, SIGJSON, SIGSTATS_CLEAR } from '../../src/core/signals.js';
import type { RealtimeSignalSource } from '../../src/core/signals.js';

/** A fake real-time source: records what was installed and lets the test raise signals. */
function fakeRealtime(): { source: RealtimeSignalSource; raise(signo: number): void; installed: number[][]; removed: number } {
  const state = { installed: [] as number[][], removed: 0, handler: undefined as ((s: number) => void) | undefined };
  return {
    source: (signals, handler) => {
      state.installed.push([...signals]);
      state.handler = handler;
      return () => {
        state.removed++;
        state.handler = undefined;
      };
    },
    raise: (signo) => state.handler?.(signo),
    get installed() {
      return state.installed;
    },
    get removed() {
      return state.removed;
    },
  };
}

const base = { stop: () => undefined, reload: () => undefined, dumpData: () => undefined, dumpStats: () => undefined };

describe('real-time signals (JSON, STATS_CLEAR)', () => {
  it('uses keepalived’s numbers: JSON 36, STATS_CLEAR 63', () => {
    expect([SIGJSON, SIGSTATS_CLEAR]).toEqual([36, 63]);
  });

  it('routes SIGRTMIN+2 to dumpJson and SIGRTMAX-1 to clearStats, and removes them on uninstall', () => {
    const rt = fakeRealtime();
    const seen: string[] = [];
    const off = installSignalHandlers({ ...base, dumpJson: () => seen.push('json'), clearStats: () => seen.push('clear') }, new EventEmitter(), rt.source);
    expect(rt.installed).toEqual([[36, 63]]);
    rt.raise(36);
    rt.raise(63);
    rt.raise(40);
    expect(seen).toEqual(['json', 'clear']);
    off();
    expect(rt.removed).toBe(1);
  });

  it('installs nothing real-time without JSON / STATS_CLEAR actions', () => {
    const rt = fakeRealtime();
    installSignalHandlers(base, new EventEmitter(), rt.source)();
    expect(rt.installed).toEqual([]);
  });

  it('reports a source that cannot install (addon missing) instead of throwing', () => {
    const errors: string[] = [];
    const failing: RealtimeSignalSource = () => {
      throw new Error('KTS_NATIVE_MISSING');
    };
    const off = installSignalHandlers({ ...base, dumpJson: () => undefined, realtimeUnavailable: (e) => errors.push(e.message) }, new EventEmitter(), failing);
    expect(errors).toEqual(['KTS_NATIVE_MISSING']);
    off();
  });

  it('writes keepalived.json to TMPDIR like the other dumps', () => {
    const prev = process.env['TMPDIR'];
    process.env['TMPDIR'] = '/var/tmp/kts-x';
    try {
      expect(jsonDumpPath()).toBe('/var/tmp/kts-x/keepalived.json');
    } finally {
      if (prev === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = prev;
    }
  });
});

describe('dump directory', () => {
  it('ignores a relative TMPDIR, as keepalived does (falls back to /tmp)', () => {
    const prev = process.env['TMPDIR'];
    process.env['TMPDIR'] = 'relative/dir';
    try {
      expect(jsonDumpPath()).toBe('/tmp/keepalived.json');
    } finally {
      if (prev === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = prev;
    }
  });
});
