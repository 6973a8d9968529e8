/**
 * Property: a simulated LAN of N routers (one VRID) with random priorities, start offsets and
 * advert loss converges, once loss stops, to exactly one MASTER with the highest priority and
 * then stays put (no transition without a cause); when equal-priority routers become MASTER
 * together the highest primary address keeps it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createInstance, step } from '../../../src/vrrp/fsm/machine.js';
import type { InstanceState, VrrpEvent } from '../../../src/vrrp/fsm/types.js';
import { makeInstanceParams } from '../../../src/vrrp/params.js';

interface Queued {
  readonly atUs: number;
  readonly seq: number;
  readonly router: number;
  readonly event: VrrpEvent;
}

/** mulberry32: small deterministic PRNG for message loss. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function simulate(opts: {
  priorities: number[];
  startOffsetsUs: number[];
  loss: number;
  seed: number;
  version: 2 | 3;
  adverIntervalCs: number;
  lossyUntilUs: number;
  endUs: number;
  /** Records each router's transition count when the clock passes this time. */
  checkpointUs?: number;
  checkpoint?: number[];
}): InstanceState[] {
  const rnd = prng(opts.seed);
  const routers = opts.priorities.map((p, i) =>
    createInstance(
      makeInstanceParams({
        name: `R${i}`,
        vrid: 7,
        version: opts.version,
        adverIntervalCs: opts.adverIntervalCs,
        basePriority: p,
        primaryAddress: `192.168.0.${i + 1}`,
        vips: ['192.168.0.254'],
      }),
    ),
  );
  let queue: Queued[] = [];
  let seq = 0;
  const push = (q: Omit<Queued, 'seq'>): void => {
    queue.push({ ...q, seq: seq++ });
  };
  opts.startOffsetsUs.forEach((t, i) => push({ atUs: t, router: i, event: { type: 'start' } }));
  while (queue.length > 0) {
    queue.sort((a, b) => a.atUs - b.atUs || a.seq - b.seq);
    const q = queue.shift()!;
    if (q.atUs > opts.endUs) break;
    if (opts.checkpointUs !== undefined && opts.checkpoint !== undefined && opts.checkpoint.length === 0 && q.atUs > opts.checkpointUs) {
      opts.checkpoint.push(...routers.map((r) => r.transitions));
    }
    const r = step(routers[q.router]!, q.event, q.atUs);
    routers[q.router] = r.state;
    for (const e of r.effects) {
      if (e.type === 'setTimer') push({ atUs: e.atUs, router: q.router, event: { type: 'timerFired', kind: e.kind, generation: e.generation } });
      if (e.type === 'sendAdvert') {
        routers.forEach((_, j) => {
          if (j === q.router) return;
          if (q.atUs < opts.lossyUntilUs && rnd() < opts.loss) return;
          push({
            atUs: q.atUs + 50,
            router: j,
            event: { type: 'advertReceived', priority: e.priority, adverIntervalCs: e.adverIntervalCs, srcAddr: `192.168.0.${q.router + 1}`, version: opts.version },
          });
        });
      }
    }
    queue = queue.filter((x) => x.atUs <= opts.endUs);
  }
  return routers;
}

describe('simulated LAN election', () => {
  it('converges to exactly one MASTER, the highest priority (address tie-break)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((n) =>
          fc.record({
            priorities: fc.array(fc.integer({ min: 1, max: 254 }), { minLength: n, maxLength: n }),
            startOffsetsUs: fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: n, maxLength: n }),
            loss: fc.double({ min: 0, max: 0.6, noNaN: true }),
            seed: fc.integer(),
            version: fc.constantFrom(2 as const, 3 as const),
            adverIntervalCs: fc.constantFrom(10, 50, 100),
          }),
        ),
        (o) => {
          const intervalUs = (o.version === 2 ? 100 : o.adverIntervalCs) * 10_000;
          const lossyUntilUs = 20 * intervalUs + 5_000_000;
          const checkpoint: number[] = [];
          const checkpointUs = lossyUntilUs + 10 * intervalUs;
          const routers = simulate({ ...o, lossyUntilUs, endUs: checkpointUs + 20 * intervalUs, checkpointUs, checkpoint });
          // once converged, no state changes without a cause
          expect(routers.map((r) => r.transitions)).toEqual(checkpoint);
          const masters = routers.filter((r) => r.state === 'MASTER');
          expect(masters).toHaveLength(1);
          // A BACKUP never preempts an equal priority (no address tie-break in BACKUP), so any of
          // the highest-priority routers may hold MASTER.
          const top = Math.max(...routers.map((r) => r.effectivePriority));
          expect(masters[0]!.effectivePriority).toBe(top);
          expect(routers.filter((r) => r.state === 'BACKUP')).toHaveLength(routers.length - 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('simultaneous equal-priority masters resolve to the highest address', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 254 }), fc.constantFrom(2 as const, 3 as const), (n, prio, version) => {
        const routers = simulate({
          priorities: new Array<number>(n).fill(prio),
          startOffsetsUs: new Array<number>(n).fill(0),
          loss: 0,
          seed: 1,
          version,
          adverIntervalCs: 100,
          lossyUntilUs: 0,
          endUs: 20_000_000,
        });
        expect(routers.filter((r) => r.state === 'MASTER').map((r) => r.params.name)).toEqual([`R${n - 1}`]);
      }),
      { numRuns: 40 },
    );
  });

  it('graceful shutdown of the master hands over within Skew_Time', () => {
    // R1 (prio 200) master, R0 (prio 100) backup; master shuts down at 10 s.
    let routers = [100, 200].map((p, i) =>
      createInstance(makeInstanceParams({ name: `R${i}`, vrid: 7, basePriority: p, primaryAddress: `10.0.0.${i + 1}` })),
    );
    const run = (i: number, ev: VrrpEvent, t: number) => {
      const r = step(routers[i]!, ev, t);
      routers = routers.map((x, j) => (j === i ? r.state : x));
      return r.effects;
    };
    run(0, { type: 'start' }, 0);
    run(1, { type: 'start' }, 0);
    run(1, { type: 'timerFired', kind: 'masterDown', generation: routers[1]!.timers.masterDown!.generation }, 3_218_750);
    run(0, { type: 'advertReceived', priority: 200, adverIntervalCs: 100, srcAddr: '10.0.0.2', version: 2 }, 3_218_800);
    const bye = run(1, { type: 'shutdown' }, 10_000_000);
    expect(bye).toContainEqual({ type: 'sendAdvert', priority: 0, adverIntervalCs: 100 });
    run(0, { type: 'advertReceived', priority: 0, adverIntervalCs: 100, srcAddr: '10.0.0.2', version: 2 }, 10_000_050);
    const slot = routers[0]!.timers.masterDown!;
    expect(slot.atUs - 10_000_050).toBe(609_375);
    run(0, { type: 'timerFired', kind: 'masterDown', generation: slot.generation }, slot.atUs);
    expect(routers[0]!.state).toBe('MASTER');
  });
});
