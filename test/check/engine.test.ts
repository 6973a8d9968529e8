import { describe, expect, it } from 'vitest';
import { createRealClock, FakeClock } from '../../src/core/clock.js';
import { CheckerEngine } from '../../src/check/engine.js';
import type { DesiredTable } from '../../src/check/desired-table.js';
import type { PoolEffect } from '../../src/check/pool.js';
import type { ProbeOutcome } from '../../src/check/probes/types.js';
import { model } from './helpers.js';
import { startHttp, startTcp, waitFor } from './servers.js';

function dests(t: DesiredTable | undefined): string[] {
  return (t?.entries[0]?.dests ?? []).map((d) => `${d.port}/${d.weight}`);
}

describe('CheckerEngine on a fake clock (scripted probes)', () => {
  it('runs after bootstrap+warmup, retries with delay_before_retry, and goes down after retry+1 failures', async () => {
    const config = model(`virtual_server 10.0.0.1 80 {
  protocol TCP
  delay_loop 10
  real_server 192.168.0.2 80 { TCP_CHECK { retry 2
    delay_before_retry 3
    warmup 4 } }
}`);
    const clock = new FakeClock(0);
    const outcomes: boolean[] = [false, false, false, true];
    const calls: number[] = [];
    const tables: DesiredTable[] = [];
    const effects: PoolEffect[] = [];
    const logs: string[] = [];
    const engine = new CheckerEngine({
      config,
      clock,
      random: () => 0.5,
      onLog: (_level, m) => logs.push(m),
      onTable: (t) => tables.push(t),
      onEffects: (fx) => effects.push(...fx),
      probeFactory: () => () => {
        calls.push(clock.nowUs());
        return Promise.resolve<ProbeOutcome>(outcomes.shift() === true ? { ok: true } : { ok: false, reason: 'scripted' });
      },
    });
    engine.start();
    expect(dests(tables.at(-1))).toEqual(['80/1']);
    const step = async (us: number): Promise<void> => {
      clock.advance(us);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    await step(3_000_000 - 1);
    expect(calls).toEqual([]);
    await step(1); // 1 s bootstrap + 0.5 × 4 s warmup
    expect(calls).toEqual([3_000_000]);
    await step(3_000_000); // retry 1
    await step(3_000_000); // retry 2 → down
    expect(calls).toEqual([3_000_000, 6_000_000, 9_000_000]);
    expect(dests(tables.at(-1))).toEqual([]);
    expect(effects.some((e) => e.kind === 'fifo' && e.line === 'RS [192.168.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN')).toBe(true);
    await step(10_000_000); // delay_loop → success
    expect(calls.at(-1)).toBe(19_000_000);
    expect(dests(tables.at(-1))).toEqual(['80/1']);
    expect(logs.filter((l) => !l.startsWith('Activating'))).toEqual([
      'TCP_CHECK on service [192.168.0.2]:tcp:80 failed after 2 retries.',
      'TCP connection to [192.168.0.2]:tcp:80 success.',
    ]);
    engine.stop();
    expect(clock.pendingCount).toBe(0);
  });
});

describe('CheckerEngine against live loopback servers', () => {
  it('follows TCP and HTTP servers going away and coming back (inhibit, sorry server, notify scripts)', async () => {
    const tcp = await startTcp();
    const http = await startHttp((_req, res) => res.end('ok'));
    const config = model(`virtual_server 10.0.0.1 80 {
  protocol TCP
  lb_algo rr
  delay_loop 0.1
  quorum 2
  sorry_server 127.0.0.9 80
  real_server 127.0.0.1 ${tcp.port} {
    inhibit_on_failure
    notify_down "/bin/true down-tcp"
    notify_up "/bin/true up-tcp"
    TCP_CHECK { connect_timeout 0.5
      retry 1
      delay_before_retry 0.05 }
  }
  real_server 127.0.0.1 ${http.port} {
    HTTP_GET { url { path /health }
      connect_timeout 0.5
      retry 0 }
  }
}`);
    let table: DesiredTable | undefined;
    const effects: PoolEffect[] = [];
    const engine = new CheckerEngine({ config, clock: createRealClock(), bootstrapDelayUs: 0, onTable: (t) => (table = t), onEffects: (fx) => effects.push(...fx) });
    engine.start();
    const both = [`${tcp.port}/1`, `${http.port}/1`];
    expect(dests(table)).toEqual(both);
    try {
      await waitFor(() => engine.checkers().every((c) => c.attempts > 0), 'first round of checks');
      expect(dests(table)).toEqual(both);

      // TCP server goes away: weight 0 (inhibit), quorum 2 lost → sorry server replaces the pool.
      await tcp.close();
      await waitFor(() => dests(table).includes('80/1'), 'sorry server after quorum loss');
      expect(dests(table)).toEqual([`${tcp.port}/0`, '80/1']);
      expect(effects.filter((e) => e.kind === 'script').map((e) => (e.kind === 'script' ? e.script.commandLine : ''))).toEqual(['/bin/true down-tcp']);
      expect(effects.some((e) => e.kind === 'fifo' && e.line === `VS [10.0.0.1]:tcp:80 DOWN`)).toBe(true);

      // It comes back on the same port: quorum regained, sorry server out.
      const again = await startTcp(tcp.port);
      await waitFor(() => !dests(table).includes('80/1'), 'pool back after recovery');
      expect(dests(table)).toEqual(both);
      expect(effects.filter((e) => e.kind === 'script').map((e) => (e.kind === 'script' ? e.script.commandLine : ''))).toEqual(['/bin/true down-tcp', '/bin/true up-tcp']);

      // HTTP server fails (retry 0 → first failure removes it, no inhibit).
      await http.close();
      await waitFor(() => !dests(table).includes(`${http.port}/1`) && dests(table).includes('80/1'), 'HTTP server removed');
      // quorum lost again: the alive TCP server leaves the pool (inhibit → weight 0), the sorry server is in
      expect(dests(table)).toEqual([`${tcp.port}/0`, '80/1']);
      await again.close();
    } finally {
      engine.stop();
    }
  });
});

describe('ha_suspend', () => {
  it('checks pause while the virtual server address is not local and resume when it appears', async () => {
    const config = model(`virtual_server 10.0.0.1 80 {
  protocol TCP
  delay_loop 5
  ha_suspend
  real_server 192.168.0.2 80 { TCP_CHECK { } }
}`);
    const clock = new FakeClock(0);
    let local = false;
    const calls: number[] = [];
    const logs: string[] = [];
    const engine = new CheckerEngine({
      config,
      clock,
      bootstrapDelayUs: 0,
      isLocalAddress: (a) => local && a === '10.0.0.1',
      onTable: () => {},
      onEffects: () => {},
      onLog: (_l, m) => logs.push(m),
      probeFactory: () => () => {
        calls.push(clock.nowUs());
        return Promise.resolve<ProbeOutcome>({ ok: true });
      },
    });
    engine.start();
    clock.advance(0);
    clock.advance(5_000_000);
    expect(calls).toEqual([]);
    expect(logs).toContain('Deactivating healthchecker for service [192.168.0.2]:tcp:80 for VS [10.0.0.1]:tcp:80');
    local = true;
    clock.advance(5_000_000);
    expect(calls).toEqual([10_000_000]);
    expect(logs.at(-1)).toBe('Activating healthchecker for service [192.168.0.2]:tcp:80 for VS [10.0.0.1]:tcp:80');
    engine.stop();
  });
});

describe('HTTP_GET checker lines and timing', () => {
  it('logs keepalived\'s HTTP_CHECK lines and re-checks a dead server after max(delay_before_retry, delay_loop)', async () => {
    const config = model(`virtual_server 10.0.0.1 80 {
  protocol TCP
  delay_loop 5
  real_server 192.168.0.2 80 { HTTP_GET { url { path /health }
    retry 1
    delay_before_retry 7 } }
}`);
    const clock = new FakeClock(0);
    const outcomes = [true, false, false, false, true];
    const calls: number[] = [];
    const logs: string[] = [];
    const engine = new CheckerEngine({
      config,
      clock,
      bootstrapDelayUs: 0,
      onTable: () => {},
      onEffects: () => {},
      onLog: (_l, m) => logs.push(m),
      probeFactory: () => () => {
        calls.push(clock.nowUs());
        return Promise.resolve<ProbeOutcome>(outcomes.shift() === true ? { ok: true } : { ok: false, reason: 'HTTP status code error' });
      },
    });
    engine.start();
    const step = async (us: number): Promise<void> => {
      clock.advance(us);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    await step(0); // success (first run)
    await step(5_000_000); // failure, retry after 7 s
    await step(7_000_000); // failure → down, next after delay_loop
    await step(5_000_000); // failure while down → next after max(7, 5) = 7 s
    await step(7_000_000); // success
    expect(calls).toEqual([0, 5_000_000, 12_000_000, 17_000_000, 24_000_000]);
    expect(logs.filter((l) => !l.startsWith('Activating'))).toEqual([
      'Remote Web server [192.168.0.2]:tcp:80 succeed on service.',
      'HTTP_CHECK on service [192.168.0.2]:tcp:80 failed after 1 retries.',
      'HTTP status code success to [192.168.0.2]:tcp:80 url(/health)',
      'Remote Web server [192.168.0.2]:tcp:80 succeed on service.',
    ]);
    engine.stop();
  });
});

describe('MISC_CHECK credentials', () => {
  it('uses the checker user, else global script_user', () => {
    const config = model(`global_defs { script_user daemon }
virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.168.0.2 80 {
    MISC_CHECK { misc_path /bin/true
      user nobody }
    MISC_CHECK { misc_path /bin/true }
    TCP_CHECK { }
  }
}`);
    const asked: string[] = [];
    const seen: (number | undefined)[] = [];
    const engine = new CheckerEngine({
      config,
      clock: new FakeClock(0),
      onTable: () => {},
      onEffects: () => {},
      credentialsFor: (user) => {
        asked.push(user);
        return { user, uid: user === 'nobody' ? 65534 : 1, gid: 1 };
      },
      probeFactory: (ctx) => {
        seen.push(ctx.credentials?.uid);
        return () => Promise.resolve<ProbeOutcome>({ ok: true });
      },
    });
    engine.start();
    engine.stop();
    expect(asked).toEqual(['nobody', 'daemon']);
    expect(seen).toEqual([65534, 1, undefined]);
  });
});
