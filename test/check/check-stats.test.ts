import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CHECK_DURATION_BUCKETS_S, CheckStatsAggregator, durationBucket, realServerTable, type CheckObservation, type RsState,
} from '../../src/check/check-stats.js';
import { parseMainToWorker, parseWorkerToMain } from '../../src/check/protocol.js';
import { model } from './helpers.js';

const obs = (over: Partial<CheckObservation> = {}): CheckObservation => ({
  id: '0/0/0', kind: 'HTTP_GET', virtualServer: '[10.0.0.1]:tcp:80', realServer: '[10.0.0.2]:tcp:80',
  ok: true, durationUs: 3_000, atWallMs: 1_700_000_000_000, ...over,
});
const rs = (alive: boolean, weight = 1, real = '[10.0.0.2]:tcp:80'): RsState => ({ virtualServer: '[10.0.0.1]:tcp:80', realServer: real, alive, weight: alive ? weight : 0 });

describe('check stats aggregation (worker side)', () => {
  it('has nothing to flush before anything happened', () => {
    expect(new CheckStatsAggregator().flush()).toBeNull();
  });

  it('counts successes and failures per checker, keeps the last attempt, and resets on flush', () => {
    const a = new CheckStatsAggregator();
    a.recordCheck(obs({ durationUs: 2_000 }));
    a.recordCheck(obs({ durationUs: 40_000 }));
    a.recordCheck(obs({ ok: false, durationUs: 1_500_000, atWallMs: 1_700_000_000_500 }));
    a.recordCheck(obs({ id: '0/1/0', realServer: '[10.0.0.3]:tcp:80', kind: 'TCP_CHECK', durationUs: 100 }));
    const s = a.flush();
    expect(s?.checks).toEqual([
      { id: '0/0/0', kind: 'HTTP_GET', virtualServer: '[10.0.0.1]:tcp:80', realServer: '[10.0.0.2]:tcp:80', successes: 2, failures: 1, lastOk: false, lastDurationUs: 1_500_000, lastAtWallMs: 1_700_000_000_500 },
      { id: '0/1/0', kind: 'TCP_CHECK', virtualServer: '[10.0.0.1]:tcp:80', realServer: '[10.0.0.3]:tcp:80', successes: 1, failures: 0, lastOk: true, lastDurationUs: 100, lastAtWallMs: 1_700_000_000_000 },
    ]);
    const http = s?.durations.find((d) => d.kind === 'HTTP_GET');
    expect(http?.count).toBe(3);
    expect(http?.sumS).toBeCloseTo(0.002 + 0.04 + 1.5, 9);
    expect(http?.bucketCounts[durationBucket(0.002)]).toBe(1);
    expect(http?.bucketCounts[durationBucket(0.04)]).toBe(1);
    expect(http?.bucketCounts[durationBucket(1.5)]).toBe(1);
    expect(http?.bucketCounts.reduce((x, y) => x + y, 0)).toBe(3);
    expect(a.flush()).toBeNull();
  });

  it('puts a duration in the first bucket whose bound is not below it, +Inf past the last', () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(0.001)).toBe(0);
    expect(durationBucket(0.0011)).toBe(1);
    expect(durationBucket(31)).toBe(CHECK_DURATION_BUCKETS_S.length);
    fc.assert(fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (x) => {
      const b = durationBucket(x);
      const upper = CHECK_DURATION_BUCKETS_S[b] ?? Infinity;
      const lower = b === 0 ? -Infinity : (CHECK_DURATION_BUCKETS_S[b - 1] as number);
      return x <= upper && x > lower;
    }));
  });

  it('counts IPVS errors by operation', () => {
    const a = new CheckStatsAggregator();
    a.recordIpvsError('add-dest');
    a.recordIpvsError('add-dest');
    a.recordIpvsError('dump');
    expect(a.flush()?.ipvsErrors).toEqual([{ op: 'add-dest', count: 2 }, { op: 'dump', count: 1 }]);
  });

  it('counts real server transitions (not the first sighting) and sends the table only when it changed', () => {
    const a = new CheckStatsAggregator();
    a.setRealServers([rs(false)]);
    let s = a.flush();
    expect(s?.rsTransitions).toEqual([]);
    expect(s?.realServers).toEqual([rs(false)]);
    a.setRealServers([rs(false)]);
    expect(a.flush()).toBeNull();
    a.setRealServers([rs(true, 5)]);
    a.setRealServers([rs(false)]);
    a.setRealServers([rs(true, 5)]);
    s = a.flush();
    expect(s?.rsTransitions).toEqual([{ virtualServer: '[10.0.0.1]:tcp:80', realServer: '[10.0.0.2]:tcp:80', up: 2, down: 1 }]);
    expect(s?.realServers).toEqual([rs(true, 5)]);
  });

  it('forgets removed real servers on reload, so re-adding one is not a transition', () => {
    const a = new CheckStatsAggregator();
    a.setRealServers([rs(true), rs(true, 1, '[10.0.0.3]:tcp:80')]);
    a.flush();
    a.retainOnly([rs(true)]);
    a.setRealServers([rs(true), rs(false, 1, '[10.0.0.3]:tcp:80')]);
    expect(a.flush()?.rsTransitions).toEqual([]);
  });

  it('names real servers from the configuration and the pool snapshot', () => {
    const config = model('virtual_server 10.0.0.1 80 { protocol TCP\n real_server 10.0.0.2 8080 { weight 3 }\n real_server 10.0.0.3 8080 { } }');
    const table = realServerTable(config.virtualServers, {
      virtualServers: [{ index: 0, name: 'x', quorumUp: true, sorryAlive: false, weightSum: 3, realServers: [
        { id: '0/0', alive: true, effectiveWeight: 3, failedCheckers: 0, checkersUp: [] },
        { id: '0/1', alive: false, effectiveWeight: 1, failedCheckers: 1, checkersUp: [false] },
      ] }],
    });
    expect(table).toEqual([
      { virtualServer: '[10.0.0.1]:tcp:80', realServer: '[10.0.0.2]:tcp:8080', alive: true, weight: 3 },
      { virtualServer: '[10.0.0.1]:tcp:80', realServer: '[10.0.0.3]:tcp:8080', alive: false, weight: 0 },
    ]);
  });
});

describe('stats and debug-crash messages (protocol validation)', () => {
  const valid = (): Record<string, unknown> => {
    const a = new CheckStatsAggregator();
    a.recordCheck(obs());
    a.recordIpvsError('edit-dest');
    a.setRealServers([rs(true)]);
    return { v: 1, type: 'stats', stats: a.flush() };
  };

  it('accepts the aggregator output as it is', () => {
    const m = valid();
    expect(parseWorkerToMain(m)).toEqual(m);
  });

  it('rejects malformed stats', () => {
    const bad = (mutate: (stats: Record<string, unknown>) => void): unknown => {
      const m = valid();
      const stats = JSON.parse(JSON.stringify(m['stats'])) as Record<string, unknown>;
      mutate(stats);
      return parseWorkerToMain({ ...m, stats });
    };
    expect(parseWorkerToMain({ v: 1, type: 'stats' })).toBeNull();
    expect(parseWorkerToMain({ ...valid(), v: 2 })).toBeNull();
    expect(bad((s) => ((s['checks'] as Record<string, unknown>[])[0]!['successes'] = -1))).toBeNull();
    expect(bad((s) => ((s['checks'] as Record<string, unknown>[])[0]!['failures'] = 1.5))).toBeNull();
    expect(bad((s) => ((s['checks'] as Record<string, unknown>[])[0]!['lastOk'] = 'yes'))).toBeNull();
    expect(bad((s) => ((s['durations'] as Record<string, unknown>[])[0]!['bucketCounts'] = [1, 2]))).toBeNull();
    expect(bad((s) => ((s['durations'] as Record<string, unknown>[])[0]!['sumS'] = Number.NaN))).toBeNull();
    expect(bad((s) => ((s['ipvsErrors'] as Record<string, unknown>[])[0]!['op'] = 'rm -rf'))).toBeNull();
    expect(bad((s) => (s['rsTransitions'] = [{ virtualServer: 'a', realServer: 'b', up: 1 }]))).toBeNull();
    expect(bad((s) => (s['realServers'] = [{ virtualServer: 'a', realServer: 'b', alive: 1, weight: 1 }]))).toBeNull();
    expect(bad((s) => delete s['realServers'])).toBeNull();
    expect(bad((s) => (s['realServers'] = null))).not.toBeNull();
  });

  it('accepts debug-crash towards the worker only in the current version', () => {
    expect(parseMainToWorker({ v: 1, type: 'debug-crash' })).toEqual({ v: 1, type: 'debug-crash' });
    expect(parseMainToWorker({ v: 0, type: 'debug-crash' })).toBeNull();
    expect(parseWorkerToMain({ v: 1, type: 'debug-crash' })).toBeNull();
  });
});
