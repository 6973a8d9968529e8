import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { BfdSessionDriver, type BfdStateChange } from '../../src/bfd/driver.js';
import { BfdDiag, BfdState, decodeBfdPacket, encodeBfdPacket, type BfdControlPacket, type BfdPacketFields } from '../../src/bfd/packet.js';
import { BfdSession, type BfdRandom, type BfdSessionParams } from '../../src/bfd/session.js';

const params = (p: Partial<BfdSessionParams> = {}): BfdSessionParams => ({
  desiredMinTxUs: 100_000,
  requiredMinRxUs: 100_000,
  idleTxUs: 1_000_000,
  detectMult: 3,
  passive: false,
  ...p,
});

function seededRandom(seed: number): BfdRandom {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return { fraction: next, discriminator: () => 1 + Math.floor(next() * 0xfffffffe) };
}

interface Node {
  readonly driver: BfdSessionDriver;
  readonly sent: { atUs: number; packet: BfdPacketFields }[];
  readonly changes: BfdStateChange[];
}

/** Two sessions joined by a link with 1 ms latency that can be cut; packets go through the codec. */
function pair(clock: FakeClock, pa: BfdSessionParams, pb: BfdSessionParams) {
  const link = { up: true };
  const nodes: Node[] = [];
  const mk = (p: BfdSessionParams, seed: number, peer: () => Node): Node => {
    const sent: Node['sent'] = [];
    const changes: BfdStateChange[] = [];
    const driver = new BfdSessionDriver(
      p,
      seededRandom(seed),
      clock,
      (packet) => {
        sent.push({ atUs: clock.nowUs(), packet });
        if (!link.up) return;
        const bytes = encodeBfdPacket(packet);
        clock.setTimer(1000, () => {
          const r = decodeBfdPacket(bytes);
          if (r.ok) peer().driver.receive(r.packet);
        });
      },
      (c) => changes.push(c),
    );
    return { driver, sent, changes };
  };
  nodes.push(mk(pa, 7, () => nodes[1]!));
  nodes.push(mk(pb, 11, () => nodes[0]!));
  return { a: nodes[0]!, b: nodes[1]!, link };
}

const state = (n: Node): BfdState => n.driver.session.view().sessionState;

describe('BFD session: two sessions wired together', () => {
  it('comes Up through Down → Init → Up on both sides and notifies only Up', () => {
    const clock = new FakeClock();
    const { a, b } = pair(clock, params(), params());
    a.driver.start();
    b.driver.start();
    clock.advance(3_000_000);
    expect(state(a)).toBe(BfdState.Up);
    expect(state(b)).toBe(BfdState.Up);
    expect(a.changes.map((c) => c.to)).toEqual(expect.arrayContaining([BfdState.Up]));
    expect(a.changes.filter((c) => c.notify).map((c) => c.to)).toEqual([BfdState.Up]);
    expect(a.driver.session.view().remoteDiscr).toBe(b.driver.session.view().localDiscr);
  });

  it('negotiates fast timers after the poll sequence and sends at 75–100 % of the interval', () => {
    const clock = new FakeClock();
    const { a, b } = pair(clock, params({ desiredMinTxUs: 50_000 }), params({ requiredMinRxUs: 200_000 }));
    a.driver.start();
    b.driver.start();
    clock.advance(4_000_000);
    // a: max(own min_tx 50 ms, b's min_rx 200 ms)
    expect(a.driver.session.view().txIntervalUs).toBe(200_000);
    // detection time at b = a's mult × max(b's min_rx 200 ms, a's min_tx 50 ms)
    expect(b.driver.session.view().detectTimeUs).toBe(600_000);
    expect(a.driver.session.view().poll).toBe(false);
    const from = clock.nowUs();
    clock.advance(5_000_000);
    const times = a.sent.filter((s) => s.atUs > from && !s.packet.final).map((s) => s.atUs);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.length).toBeGreaterThan(10);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(150_000);
      expect(g).toBeLessThanOrEqual(200_000);
    }
  });

  it('sends slow (idle_tx) packets while not Up', () => {
    const clock = new FakeClock();
    const { a } = pair(clock, params(), params());
    a.driver.start(); // b never starts
    clock.advance(10_000_000);
    expect(state(a)).toBe(BfdState.Down);
    expect(a.sent.length).toBeGreaterThanOrEqual(10);
    expect(a.sent.length).toBeLessThanOrEqual(14);
    expect(a.sent.every((s) => s.packet.desiredMinTxUs === 1_000_000 && s.packet.yourDiscr === 0)).toBe(true);
  });

  it('goes Down with diag 1 after the detection time when the link is cut, and back Up when restored', () => {
    const clock = new FakeClock();
    const { a, b, link } = pair(clock, params(), params());
    a.driver.start();
    b.driver.start();
    clock.advance(3_000_000);
    const discrBefore = a.driver.session.view().localDiscr;
    link.up = false;
    clock.advance(250_000);
    expect(state(a)).toBe(BfdState.Up);
    clock.advance(200_000);
    expect(state(a)).toBe(BfdState.Down);
    expect(a.driver.session.view().localDiag).toBe(BfdDiag.ControlDetectionTimeExpired);
    expect(a.changes.at(-1)).toMatchObject({ to: BfdState.Down, notify: true });
    expect(a.driver.session.view().localDiscr).not.toBe(discrBefore);
    link.up = true;
    clock.advance(5_000_000);
    expect(state(a)).toBe(BfdState.Up);
    expect(state(b)).toBe(BfdState.Up);
  });

  it('detect multiplier 1 jitters to 75–90 %', () => {
    const clock = new FakeClock();
    const { a } = pair(clock, params({ detectMult: 1 }), params());
    a.driver.start();
    clock.advance(30_000_000);
    const gaps = a.sent.slice(1).map((s, i) => s.atUs - a.sent[i]!.atUs);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(750_000);
      expect(g).toBeLessThanOrEqual(900_000);
    }
  });

  it('a passive session stays silent until it hears from the peer', () => {
    const clock = new FakeClock();
    const { a, b } = pair(clock, params({ passive: true }), params());
    a.driver.start();
    clock.advance(3_000_000);
    expect(a.sent).toHaveLength(0);
    b.driver.start();
    clock.advance(3_000_000);
    expect(state(a)).toBe(BfdState.Up);
    expect(a.sent.length).toBeGreaterThan(0);
  });
});

describe('BFD session: single packets', () => {
  const pkt = (p: Partial<BfdControlPacket>): BfdControlPacket => ({
    version: 1, diag: 0, state: BfdState.Down, poll: false, final: false, cpi: false, auth: false, demand: false,
    multipoint: false, detectMult: 3, length: 24, myDiscr: 42, yourDiscr: 0, desiredMinTxUs: 1_000_000,
    requiredMinRxUs: 100_000, requiredMinEchoRxUs: 0, ...p,
  });

  it('answers a Poll at once with Final', () => {
    const s = new BfdSession(params(), seededRandom(1));
    s.start(0);
    s.receive(pkt({ state: BfdState.Down }), 10);
    const eff = s.receive(pkt({ state: BfdState.Up, poll: true, yourDiscr: s.view().localDiscr }), 20);
    const sends = eff.filter((e) => e.kind === 'send');
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ packet: { final: true, poll: false, state: BfdState.Up } });
  });

  it('a remote AdminDown takes the session Down without notifying clients', () => {
    const s = new BfdSession(params(), seededRandom(1));
    s.start(0);
    s.receive(pkt({ state: BfdState.Init, yourDiscr: 1 }), 10);
    expect(s.view().sessionState).toBe(BfdState.Up);
    const eff = s.receive(pkt({ state: BfdState.AdminDown, diag: BfdDiag.AdministrativelyDown }), 20);
    expect(eff.find((e) => e.kind === 'state')).toMatchObject({ to: BfdState.Down, notify: false, diag: BfdDiag.NeighborSignaledSessionDown });
  });

  it('ignores timers it did not arm and everything after stop', () => {
    const s = new BfdSession(params(), seededRandom(1));
    expect(s.timerFired('detect', 5)).toEqual([]);
    s.start(0);
    s.stop();
    expect(s.receive(pkt({}), 10)).toEqual([]);
    expect(s.timerFired('tx', 20)).toEqual([]);
  });
});
