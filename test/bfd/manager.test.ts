import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { FakeClock } from '../../src/core/clock.js';
import type { BfdInstance } from '../../src/config/model.js';
import { BfdManager, type BfdIo } from '../../src/bfd/manager.js';
import type { BfdDatagram } from '../../src/bfd/transport.js';

const log = pino({ level: 'silent' });

function inst(name: string, neighbor: string, p: Partial<BfdInstance> = {}): BfdInstance {
  return {
    name,
    pos: { file: 'k.conf', line: 1 },
    neighborIp: { address: neighbor, family: 'inet' },
    sourceIp: null,
    minRxUs: 100_000,
    minTxUs: 100_000,
    idleTxUs: 1_000_000,
    multiplier: 3,
    passive: false,
    ttl: 255,
    maxHops: 0,
    weight: 0,
    weightReverse: false,
    vrrp: true,
    checker: true,
    ...p,
  };
}

/** An in-memory network: hosts by address, 1 ms latency, a per-path TTL and a cut switch. */
class Net {
  readonly hosts = new Map<string, (d: BfdDatagram) => void>();
  up = true;
  ttl = 255;
  constructor(readonly clock: FakeClock) {}
  io(self: string): BfdIo {
    return {
      openListener: async (_f, onPacket) => {
        this.hosts.set(self, onPacket);
        return { close: () => this.hosts.delete(self) };
      },
      openSender: async (neighbor) => ({
        localPort: 50000,
        close: () => undefined,
        send: (payload) => {
          if (!this.up) return;
          const copy = Uint8Array.from(payload);
          this.clock.setTimer(1000, () =>
            this.hosts.get(neighbor)?.({ family: 4, source: self, destination: neighbor, sourcePort: 50000, ttl: this.ttl, payload: copy }),
          );
        },
      }),
    };
  }
}

async function settle(clock: FakeClock, us: number): Promise<void> {
  for (let t = 0; t < us; t += 10_000) {
    clock.advance(10_000);
    await Promise.resolve();
  }
}

function setup() {
  const clock = new FakeClock();
  const net = new Net(clock);
  const events: [string, string, boolean][] = [];
  let seed = 1;
  const rnd = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const a = new BfdManager(clock, log, (n, up) => events.push(['a', n, up]), net.io('10.0.0.1'), rnd);
  const b = new BfdManager(clock, log, (n, up) => events.push(['b', n, up]), net.io('10.0.0.2'), rnd);
  return { clock, net, events, a, b };
}

describe('BfdManager', () => {
  it('brings sessions Up between two managers and reports track_bfd up/down', async () => {
    const { clock, net, events, a, b } = setup();
    await a.update([inst('toB', '10.0.0.2')]);
    await b.update([inst('toA', '10.0.0.1')]);
    await a.start();
    await b.start();
    expect(a.isUp('toB')).toBe(false);
    await settle(clock, 4_000_000);
    expect(a.isUp('toB')).toBe(true);
    expect(b.isUp('toA')).toBe(true);
    expect(events).toEqual(expect.arrayContaining([['a', 'toB', true], ['b', 'toA', true]]));
    net.up = false;
    await settle(clock, 1_000_000);
    expect(a.isUp('toB')).toBe(false);
    expect(events.at(-1)?.[2]).toBe(false);
    expect(a.status()[0]).toMatchObject({ name: 'toB', state: 'Down', localDiag: 'Control Detection Time Expired' });
    a.stop();
    b.stop();
  });

  it('drops packets below the GTSM TTL and packets for no session', async () => {
    const { clock, net, a, b } = setup();
    await a.update([inst('toB', '10.0.0.2')]);
    await b.update([inst('toA', '10.0.0.1'), inst('other', '10.0.0.9')]);
    await a.start();
    await b.start();
    net.ttl = 254;
    await settle(clock, 4_000_000);
    expect(a.isUp('toB')).toBe(false);
    expect(a.dropCounts().get('ttl')).toBeGreaterThan(0);
    a.handleDatagram({ family: 4, source: '10.9.9.9', destination: '10.0.0.1', sourcePort: 50000, ttl: 255, payload: Uint8Array.from(Buffer.from('204003180e6160a700000000000f4240000186a000000000', 'hex')) });
    expect(a.dropCounts().get('no-session')).toBe(1);
    a.handleDatagram({ family: 4, source: '10.0.0.2', destination: '10.0.0.1', sourcePort: 50000, ttl: 255, payload: new Uint8Array(3) });
    expect(a.dropCounts().get('too-short')).toBe(1);
    a.stop();
    b.stop();
  });

  it('reload keeps an unchanged session (same discriminator, still Up) and replaces a moved one', async () => {
    const { clock, events, a, b } = setup();
    await a.update([inst('toB', '10.0.0.2')]);
    await b.update([inst('toA', '10.0.0.1')]);
    await a.start();
    await b.start();
    await settle(clock, 4_000_000);
    const discr = a.status()[0]?.localDiscr;
    const before = events.length;
    await a.update([inst('toB', '10.0.0.2', { minTxUs: 200_000 })]);
    await settle(clock, 2_000_000);
    expect(a.status()[0]?.localDiscr).toBe(discr);
    expect(a.isUp('toB')).toBe(true);
    expect(a.status()[0]?.txIntervalUs).toBe(200_000);
    expect(events.slice(before)).toEqual([]);
    await a.update([inst('toB', '10.0.0.3')]);
    expect(a.isUp('toB')).toBe(false);
    expect(events.at(-1)).toEqual(['a', 'toB', false]);
    a.stop();
    b.stop();
  });

  it('dumps the sessions with keepalived\'s field labels (SIGUSR1 keepalived_bfd.data)', async () => {
    const { clock, a, b } = setup();
    expect(a.dumpText()).toBe('');
    await a.update([inst('toB', '10.0.0.2', { sourceIp: { address: '10.0.0.1', family: 'inet' } })]);
    await b.update([inst('toA', '10.0.0.1')]);
    await a.start();
    await b.start();
    await settle(clock, 4_000_000);
    const text = a.dumpText(new Date(0));
    const bDiscr = b.status()[0]?.localDiscr ?? 0;
    expect(text).toContain('------< BFD Topology >------\n BFD Instance = toB\n   Neighbor IP = 10.0.0.2\n   Source IP = 10.0.0.1\n');
    expect(text).toContain('   local state = Up\n   remote state = Up\n');
    expect(text).toContain(`   remote discriminator = 0x${bDiscr.toString(16)}\n`);
    expect(text).toContain('   local detection time = 300000 us\n');
    a.stop();
    b.stop();
  });
});
