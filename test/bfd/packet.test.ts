import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bfdTtlAcceptable, BfdState, decodeBfdPacket, encodeBfdPacket, type BfdControlPacket } from '../../src/bfd/packet.js';

/**
 * UDP payloads captured with tcpdump from two keepalived 2.2.7 BFD processes peered over a veth pair
 * in network namespaces (min_rx 100, min_tx 100, multiplier 3, default idle_tx 1000 ms).
 */
const golden = {
  down: '204003180e6160a700000000000f4240000186a000000000',
  init: '208003180e6160a7c5e6fe47000f4240000186a000000000',
  upPoll: '20e00318c5e6fe470e6160a7000186a0000186a000000000',
  upFinal: '20d003180e6160a7c5e6fe47000186a0000186a000000000',
  up: '20c003180e6160a7c5e6fe47000186a0000186a000000000',
  downExpired: '214003187d6d8aa200000000000f4240000186a000000000',
} as const;

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function decodeOk(h: string): BfdControlPacket {
  const r = decodeBfdPacket(hex(h));
  if (!r.ok) throw new Error(`dropped: ${r.reason} ${r.detail}`);
  return r.packet;
}

describe('BFD control packet golden bytes (keepalived 2.2.7)', () => {
  it('decodes a Down packet with no Your Discriminator', () => {
    const p = decodeOk(golden.down);
    expect(p).toMatchObject({ version: 1, diag: 0, state: BfdState.Down, poll: false, final: false, detectMult: 3, length: 24 });
    expect(p.myDiscr).toBe(0x0e6160a7);
    expect(p.yourDiscr).toBe(0);
    expect(p.desiredMinTxUs).toBe(1_000_000);
    expect(p.requiredMinRxUs).toBe(100_000);
    expect(p.requiredMinEchoRxUs).toBe(0);
  });

  it('decodes Init, Up+Poll, Up+Final and the Down after a detection timeout', () => {
    expect(decodeOk(golden.init)).toMatchObject({ state: BfdState.Init, yourDiscr: 0xc5e6fe47 });
    expect(decodeOk(golden.upPoll)).toMatchObject({ state: BfdState.Up, poll: true, final: false, desiredMinTxUs: 100_000 });
    expect(decodeOk(golden.upFinal)).toMatchObject({ state: BfdState.Up, poll: false, final: true });
    expect(decodeOk(golden.downExpired)).toMatchObject({ state: BfdState.Down, diag: 1, myDiscr: 0x7d6d8aa2 });
  });

  it('re-encodes every golden packet byte for byte', () => {
    for (const h of Object.values(golden)) {
      const p = decodeOk(h);
      expect(toHex(encodeBfdPacket(p))).toBe(h);
    }
  });
});

describe('BFD receive checks (RFC 5880 §6.8.6)', () => {
  const base = hex(golden.up);
  const mutate = (f: (b: Uint8Array) => void): Uint8Array => {
    const b = Uint8Array.from(base);
    f(b);
    return b;
  };
  const reason = (b: Uint8Array): string => {
    const r = decodeBfdPacket(b);
    return r.ok ? 'ok' : r.reason;
  };

  it('drops each malformed form with its own reason', () => {
    expect(reason(base.subarray(0, 23))).toBe('too-short');
    expect(reason(new Uint8Array([...base, 0]))).toBe('length');
    expect(reason(mutate((b) => (b[3] = 26)))).toBe('length');
    expect(reason(mutate((b) => (b[0] = (2 << 5) | 0)))).toBe('version');
    expect(reason(mutate((b) => (b[2] = 0)))).toBe('detect-mult-zero');
    expect(reason(mutate((b) => (b[1] = b[1]! | 0x01)))).toBe('multipoint');
    expect(reason(mutate((b) => b.fill(0, 4, 8)))).toBe('my-discr-zero');
    expect(reason(mutate((b) => b.fill(0, 8, 12)))).toBe('your-discr-zero');
    expect(reason(mutate((b) => (b[1] = b[1]! | 0x30)))).toBe('poll-and-final');
    expect(reason(mutate((b) => (b[0] = (1 << 5) | 9)))).toBe('diag');
    expect(reason(mutate((b) => (b[1] = b[1]! | 0x04)))).toBe('auth');
  });

  it('accepts a zero Your Discriminator in Down and AdminDown', () => {
    expect(reason(mutate((b) => { b.fill(0, 8, 12); b[1] = BfdState.Down << 6; }))).toBe('ok');
    expect(reason(mutate((b) => { b.fill(0, 8, 12); b[1] = BfdState.AdminDown << 6; }))).toBe('ok');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const r = decodeBfdPacket(b);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('round-trips any valid field set', () => {
    fc.assert(
      fc.property(
        fc.record({
          diag: fc.integer({ min: 0, max: 8 }),
          state: fc.constantFrom(BfdState.Down, BfdState.Init, BfdState.Up),
          poll: fc.boolean(),
          detectMult: fc.integer({ min: 1, max: 255 }),
          myDiscr: fc.integer({ min: 1, max: 0xffffffff }),
          yourDiscr: fc.integer({ min: 1, max: 0xffffffff }),
          desiredMinTxUs: fc.integer({ min: 0, max: 0xffffffff }),
          requiredMinRxUs: fc.integer({ min: 0, max: 0xffffffff }),
        }),
        (f) => {
          const r = decodeBfdPacket(encodeBfdPacket({ ...f, final: false }));
          expect(r.ok && r.packet).toMatchObject({ ...f, final: false });
        },
      ),
    );
  });
});

describe('GTSM (RFC 5881 §5) with keepalived max_hops', () => {
  it('requires the sent TTL on receive unless max_hops relaxes it', () => {
    expect(bfdTtlAcceptable(255, 255, 0)).toBe(true);
    expect(bfdTtlAcceptable(254, 255, 0)).toBe(false);
    expect(bfdTtlAcceptable(253, 255, 2)).toBe(true);
    expect(bfdTtlAcceptable(252, 255, 2)).toBe(false);
    expect(bfdTtlAcceptable(1, 255, 255)).toBe(true);
    expect(bfdTtlAcceptable(undefined, 255, 0)).toBe(true);
  });
});
