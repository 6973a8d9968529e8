import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SplitBrainDetector,
  describeSplitBrainEvent,
  type AdvertSummary,
  type SplitBrainConfig,
  type SplitBrainEvent,
} from '../../src/ops/split-brain.js';

const S = 1_000_000;
const PEER = '10.0.0.2';
const base: SplitBrainConfig = { instance: 'VI_1', vrid: 51, version: 3, adverIntervalCs: 100, ownAddresses: ['10.0.0.1'] };

interface Timed {
  readonly atUs: number;
  readonly ev: SplitBrainEvent;
}

/** Owner loop: calls tick() at every deadline up to `toUs`, as the daemon's single timer would. */
function runUntil(det: SplitBrainDetector, toUs: number, out: Timed[]): void {
  for (let guard = 0; guard < 10_000; guard++) {
    const d = det.nextDeadlineUs();
    if (d === undefined || d > toUs) return;
    for (const ev of det.tick(d)) out.push({ atUs: d, ev });
  }
  throw new Error('deadline loop did not settle');
}

function advert(extra: Partial<AdvertSummary> = {}): AdvertSummary {
  return { srcAddr: PEER, vrid: 51, version: 3, priority: 150, adverIntervalCs: 100, ...extra };
}

function raised(events: readonly Timed[], kind: string): Timed[] {
  return events.filter((e) => e.ev.type === 'raised' && e.ev.finding.kind === kind);
}

describe('peer-silent', () => {
  it('raises within 2 advert intervals of a partition, naming the peer, and clears on resume', () => {
    const det = new SplitBrainDetector(base);
    const out: Timed[] = [];
    det.stateChanged(0, 'BACKUP');
    for (let t = 0; t <= 5 * S; t += S) {
      runUntil(det, t, out);
      out.push(...det.advertReceived(t, 'BACKUP', 100, advert()).map((ev) => ({ atUs: t, ev })));
    }
    expect(out).toEqual([]);
    runUntil(det, 20 * S, out);
    const silent = raised(out, 'peer-silent');
    expect(silent).toHaveLength(1);
    expect(silent[0]!.atUs).toBeGreaterThan(6 * S); // the next advert was still expected at 6 s
    expect(silent[0]!.atUs).toBeLessThanOrEqual(7 * S);
    expect(silent[0]!.ev.finding).toMatchObject({ peer: PEER, sinceUs: 5 * S });
    expect(silent[0]!.ev.finding.detail).toContain(PEER);
    expect(det.findings().map((f) => f.kind)).toEqual(['peer-silent']);
    // we became MASTER meanwhile; the peer comes back
    det.stateChanged(9 * S, 'MASTER');
    expect(det.findings()).toHaveLength(1);
    const back = det.advertReceived(21 * S, 'MASTER', 100, advert());
    expect(back).toEqual([expect.objectContaining({ type: 'cleared', reason: 'advertisements resumed' })]);
    expect(det.findings()).toEqual([]);
  });

  it('property: never raised while adverts flow with jitter, always within 2 intervals after they stop', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }), // advert interval, cs
        fc.integer({ min: 2, max: 30 }), // adverts before the partition
        fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 30, maxLength: 30 }),
        (intervalCs, count, jitter) => {
          const det = new SplitBrainDetector({ ...base, adverIntervalCs: 100 });
          const out: Timed[] = [];
          const iUs = intervalCs * 10_000;
          det.stateChanged(0, 'BACKUP');
          let last = 0;
          for (let k = 0; k < count; k++) {
            const t = Math.round(k * iUs + (jitter[k] ?? 0) * iUs);
            last = Math.max(last, t);
            runUntil(det, last, out);
            out.push(...det.advertReceived(last, 'BACKUP', 100, advert({ adverIntervalCs: intervalCs })).map((ev) => ({ atUs: last, ev })));
          }
          expect(raised(out, 'peer-silent')).toEqual([]);
          // partition just after the last advert
          runUntil(det, last + 10 * iUs, out);
          const s = raised(out, 'peer-silent');
          expect(s).toHaveLength(1);
          expect(s[0]!.atUs - last).toBeLessThanOrEqual(2 * iUs);
          expect(s[0]!.atUs - last).toBeGreaterThan(iUs);
        },
      ),
    );
  });

  it('a resigning peer (priority 0) is not expected again; FAULT forgets peers and clears peer-silent', () => {
    const det = new SplitBrainDetector(base);
    const out: Timed[] = [];
    det.stateChanged(0, 'BACKUP');
    det.advertReceived(0, 'BACKUP', 100, advert());
    det.advertReceived(S, 'BACKUP', 100, advert({ priority: 0 }));
    runUntil(det, 30 * S, out);
    expect(out).toEqual([]);

    det.advertReceived(31 * S, 'BACKUP', 100, advert());
    runUntil(det, 40 * S, out);
    expect(raised(out, 'peer-silent')).toHaveLength(1);
    const cleared = det.stateChanged(41 * S, 'FAULT');
    expect(cleared).toEqual([expect.objectContaining({ type: 'cleared', reason: 'instance is FAULT' })]);
    det.stateChanged(42 * S, 'BACKUP');
    expect(det.nextDeadlineUs()).toBeUndefined();
  });

  it('does not raise while the instance is not listening', () => {
    const det = new SplitBrainDetector(base);
    det.stateChanged(0, 'BACKUP');
    det.advertReceived(0, 'BACKUP', 100, advert());
    det.stateChanged(S / 2, 'FAULT');
    expect(det.tick(100 * S)).toEqual([]);
  });
});

describe('dual-master', () => {
  it('raised on the second claim while we are MASTER; clears after the peer stops', () => {
    const det = new SplitBrainDetector(base);
    const out: Timed[] = [];
    det.stateChanged(0, 'MASTER');
    expect(det.advertReceived(S, 'MASTER', 100, advert({ priority: 50 }))).toEqual([]);
    const second = det.advertReceived(2 * S, 'MASTER', 100, advert({ priority: 50 }));
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ type: 'raised', finding: { kind: 'dual-master', peer: PEER, sinceUs: S } });
    expect(second[0]!.type === 'raised' && second[0]!.finding.detail).toMatch(/priority 50.*priority 100/);
    det.advertReceived(3 * S, 'MASTER', 100, advert({ priority: 50 }));
    runUntil(det, 5 * S, out);
    expect(out).toEqual([]);
    runUntil(det, 7 * S, out);
    expect(out).toEqual([{ atUs: 6 * S, ev: expect.objectContaining({ type: 'cleared', reason: 'the peer stopped claiming MASTER' }) }]);
    // a stopped dual master is not a silent peer
    runUntil(det, 60 * S, out);
    expect(raised(out, 'peer-silent')).toEqual([]);
  });

  it('a normal preemption (one higher-priority advert, then we go BACKUP) raises nothing', () => {
    const det = new SplitBrainDetector(base);
    det.stateChanged(0, 'MASTER');
    const evs = [
      ...det.advertReceived(S, 'MASTER', 100, advert({ priority: 200 })),
      ...det.stateChanged(S, 'BACKUP'),
      ...det.advertReceived(2 * S, 'BACKUP', 100, advert({ priority: 200 })),
      ...det.advertReceived(3 * S, 'BACKUP', 100, advert({ priority: 200 })),
    ];
    expect(evs).toEqual([]);
  });

  it('claims spread further apart than the hold time do not add up', () => {
    const det = new SplitBrainDetector(base);
    det.stateChanged(0, 'MASTER');
    expect(det.advertReceived(S, 'MASTER', 100, advert({ priority: 50 }))).toEqual([]);
    expect(det.advertReceived(10 * S, 'MASTER', 100, advert({ priority: 50 }))).toEqual([]);
  });

  it('leaving MASTER clears it', () => {
    const det = new SplitBrainDetector({ ...base, dualMasterAdverts: 1 });
    expect(det.advertReceived(S, 'MASTER', 100, advert({ priority: 50 }))).toHaveLength(1);
    expect(det.stateChanged(S + 1, 'BACKUP')).toEqual([expect.objectContaining({ type: 'cleared', reason: 'we left MASTER' })]);
  });

  it('counts dropped (auth-mismatched) adverts as master claims', () => {
    const det = new SplitBrainDetector({ ...base, version: 2 });
    det.stateChanged(0, 'MASTER');
    const first = det.advertReceived(S, 'MASTER', 100, advert({ version: 2, drop: 'auth-pass' }));
    expect(first.map((e) => e.type === 'raised' && e.finding.kind)).toEqual(['auth-mismatch']);
    const second = det.advertReceived(2 * S, 'MASTER', 100, advert({ version: 2, drop: 'auth-pass' }));
    expect(second.map((e) => e.type === 'raised' && e.finding.kind)).toEqual(['dual-master']);
    expect(second[0]!.finding.detail).toContain('auth-pass');
  });
});

describe('misconfiguration findings', () => {
  it('version mismatch, auth type, v2 interval: raised once, refreshed, expire after 3 intervals', () => {
    const det = new SplitBrainDetector({ ...base, version: 2 });
    const out: Timed[] = [];
    det.stateChanged(0, 'BACKUP');
    const v = det.advertReceived(0, 'BACKUP', 100, advert({ version: 3, drop: 'version-mismatch' }));
    expect(v).toEqual([{ type: 'raised', finding: expect.objectContaining({ kind: 'version-mismatch', peer: PEER }) }]);
    expect(v[0]!.finding.detail).toMatch(/VRRPv3.*VRRPv2/);
    expect(det.advertReceived(S, 'BACKUP', 100, advert({ version: 3, drop: 'version-mismatch' }))).toEqual([]);
    const a = det.advertReceived(S, 'BACKUP', 100, advert({ srcAddr: '10.0.0.3', drop: 'auth-type' }));
    expect(a[0]).toMatchObject({ type: 'raised', finding: { kind: 'auth-mismatch', peer: '10.0.0.3' } });
    const i = det.advertReceived(S, 'BACKUP', 100, advert({ srcAddr: '10.0.0.4', drop: 'interval', adverIntervalCs: 200 }));
    expect(i[0]).toMatchObject({ type: 'raised', finding: { kind: 'interval-mismatch' } });
    expect(i[0]!.finding.detail).toContain('every 2 s');
    runUntil(det, 3 * S, out);
    expect(out).toEqual([]);
    runUntil(det, 10 * S, out);
    expect(out.map((e) => [e.ev.type, e.ev.finding.kind])).toEqual([
      ['cleared', 'version-mismatch'],
      ['cleared', 'auth-mismatch'],
      ['cleared', 'interval-mismatch'],
    ]);
    expect(out[0]!.atUs).toBe(4 * S);
    // dropped adverts never make the sender our master
    expect(raised(out, 'peer-silent')).toEqual([]);
  });

  it('equal priority raised and cleared when the peer changes priority', () => {
    const det = new SplitBrainDetector(base);
    const e = det.advertReceived(0, 'BACKUP', 150, advert());
    expect(e).toEqual([{ type: 'raised', finding: expect.objectContaining({ kind: 'equal-priority' }) }]);
    expect(det.advertReceived(S, 'BACKUP', 150, advert())).toEqual([]);
    expect(det.advertReceived(2 * S, 'BACKUP', 150, advert({ priority: 120 }))).toEqual([
      expect.objectContaining({ type: 'cleared', reason: 'peer now advertises priority 120' }),
    ]);
  });

  it('vrid collision: unknown unicast source or a different address list', () => {
    const det = new SplitBrainDetector({ ...base, unicastPeers: [PEER] });
    expect(det.advertReceived(0, 'BACKUP', 100, advert())).toEqual([]);
    const foreign = det.advertReceived(0, 'BACKUP', 100, advert({ srcAddr: '10.9.9.9' }));
    expect(foreign).toEqual([{ type: 'raised', finding: expect.objectContaining({ kind: 'vrid-collision', peer: '10.9.9.9' }) }]);
    // never tracked as a master: no dual-master, no peer-silent, even with equal priority
    const foreignEvents = [
      ...det.stateChanged(S, 'MASTER'),
      ...det.advertReceived(S, 'MASTER', 150, advert({ srcAddr: '10.9.9.9' })),
      ...det.advertReceived(2 * S, 'MASTER', 150, advert({ srcAddr: '10.9.9.9' })),
    ].filter((e) => e.finding.peer === '10.9.9.9');
    expect(foreignEvents).toEqual([]);
    expect(det.findings().filter((f) => f.peer === '10.9.9.9').map((f) => f.kind)).toEqual(['vrid-collision']);
    const det2 = new SplitBrainDetector(base);
    const list = det2.advertReceived(0, 'BACKUP', 100, advert({ warnings: ['addr-list-mismatch'] }));
    expect(list[0]).toMatchObject({ type: 'raised', finding: { kind: 'vrid-collision', peer: PEER } });
    expect(det2.advertReceived(0, 'BACKUP', 100, advert({ srcAddr: '10.0.0.5', warnings: ['interval-mismatch'] }))).toEqual([]);
  });

  it('ignores other VRIDs, our own address, and malformed-packet drops', () => {
    const det = new SplitBrainDetector(base);
    det.stateChanged(0, 'MASTER');
    for (let t = 1; t < 5; t++) {
      expect(det.advertReceived(t * S, 'MASTER', 150, advert({ vrid: 52 }))).toEqual([]);
      expect(det.advertReceived(t * S, 'MASTER', 150, advert({ srcAddr: '10.0.0.1' }))).toEqual([]);
      expect(det.advertReceived(t * S, 'MASTER', 150, advert({ drop: 'checksum' }))).toEqual([]);
    }
    expect(det.findings()).toEqual([]);
    expect(det.nextDeadlineUs()).toBeUndefined();
  });

  it('reset clears every finding; describe gives warning/info lines', () => {
    const det = new SplitBrainDetector(base);
    const [r] = det.advertReceived(0, 'BACKUP', 150, advert());
    expect(describeSplitBrainEvent('VI_1', r!)).toEqual({ level: 'warning', msg: expect.stringMatching(/^\(VI_1\) equal-priority with 10\.0\.0\.2: /) });
    const c = det.reset(S, 'reload');
    expect(c).toHaveLength(1);
    expect(describeSplitBrainEvent('VI_1', c[0]!)).toEqual({ level: 'info', msg: '(VI_1) equal-priority with 10.0.0.2 cleared: reload' });
    expect(det.findings()).toEqual([]);
  });
});
