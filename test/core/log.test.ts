import { describe, expect, it } from 'vitest';
import { createRootLog, formatTextLine, RateLimiter } from '../../src/core/log.js';

function memSink(): { lines: string[]; write(s: string): void } {
  const lines: string[] = [];
  return { lines, write: (s: string) => void lines.push(...s.split('\n').filter((l) => l.length > 0)) };
}

describe('log', () => {
  it('formats keepalived-style text lines with the instance prefix', () => {
    expect(formatTextLine({ component: 'vrrp', instance: 'VI_1', msg: 'Entering MASTER STATE' }, 42, false)).toBe(
      'Keepalived_vrrp[42]: (VI_1) Entering MASTER STATE',
    );
    expect(formatTextLine({ msg: 'Starting' }, 7, false)).toBe('Keepalived[7]: Starting');
  });

  it('adds extra fields only in detail mode', () => {
    const rec = { component: 'vrrp', instance: 'VI_1', vrid: 51, msg: 'drop', reason: 'auth', count: 3 };
    expect(formatTextLine(rec, 1, false)).toBe('Keepalived_vrrp[1]: (VI_1) drop');
    expect(formatTextLine(rec, 1, true)).toBe('Keepalived_vrrp[1]: (VI_1) drop [reason=auth count=3]');
  });

  it('writes text through child loggers and JSON otherwise', () => {
    const text = memSink();
    const root = createRootLog({ format: 'text', destination: text, pid: 99 });
    root.component('vrrp').child({ instance: 'VI_2', vrid: 2 }).info('Entering BACKUP STATE');
    expect(text.lines).toEqual(['Keepalived_vrrp[99]: (VI_2) Entering BACKUP STATE']);

    const json = memSink();
    const root2 = createRootLog({ format: 'json', destination: json, pid: 99 });
    root2.component('vrrp').info({ vrid: 3 }, 'hello');
    expect(json.lines).toHaveLength(1);
    const rec = JSON.parse(json.lines[0]!) as Record<string, unknown>;
    expect(rec).toMatchObject({ component: 'vrrp', vrid: 3, msg: 'hello', pid: 99 });
  });

  it('debug categories log debug only when enabled', () => {
    const sink = memSink();
    const root = createRootLog({ format: 'text', destination: sink, debug: ['packet'] });
    const vrrp = root.component('vrrp');
    root.category(vrrp, 'packet').debug('pkt');
    root.category(vrrp, 'fsm').debug('fsm');
    expect(sink.lines.map((l) => l.replace(/^.*: /, ''))).toEqual(['pkt']);
    expect(root.isDebugEnabled('fsm')).toBe(false);
  });

  it('rate limiter lets one event per interval through and counts the rest', () => {
    const rl = new RateLimiter(1_000_000);
    expect(rl.check('a', 0).log).toBe(true);
    expect(rl.check('a', 10).log).toBe(false);
    expect(rl.check('b', 10).log).toBe(true);
    expect(rl.check('a', 20)).toEqual({ log: false, suppressed: 2 });
    expect(rl.check('a', 1_000_000)).toEqual({ log: true, suppressed: 2 });
  });
});
