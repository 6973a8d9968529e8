import { describe, expect, it } from 'vitest';
import { AdvertSocketPool, advertVrid } from '../../../src/io/vrrp-socket/pool.js';
import type { AdvertTransport, AdvertTransportOptions, ReceivedAdvertPacket } from '../../../src/io/vrrp-socket/types.js';

/** A recording transport standing in for a raw socket (the pool's logic, not the kernel, is under test). */
interface FakeSocket {
  readonly options: AdvertTransportOptions;
  readonly sent: { destination: string; ipId: number | undefined; payload: Uint8Array }[];
  closed: boolean;
}

function fakePool(): { pool: AdvertSocketPool; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  const pool = new AdvertSocketPool((options) => {
    const s: FakeSocket = { options, sent: [], closed: false };
    sockets.push(s);
    const peers = options.unicastPeers ?? [];
    const t: AdvertTransport = {
      family: options.family,
      mode: peers.length > 0 ? 'unicast' : 'multicast',
      ifindex: 2,
      destinations: () => (peers.length > 0 ? peers : [options.multicastGroup ?? '224.0.0.18']),
      sendTo: async (payload, destination, ipId) => {
        s.sent.push({ destination, ipId, payload });
        return payload.length;
      },
      sendToAll: async () => [],
      setSourceAddress: () => undefined,
      close: () => void (s.closed = true),
    };
    return t;
  });
  return { pool, sockets };
}

/** An IPv4 datagram (20-byte header) carrying a VRRP header with `vrid`. */
function ipv4Advert(vrid: number): ReceivedAdvertPacket {
  const bytes = Buffer.alloc(28);
  bytes[0] = 0x45;
  bytes[20] = 0x21;
  bytes[21] = vrid;
  return { family: 4, bytes, source: '10.0.0.2' };
}

const base = (extra: Partial<AdvertTransportOptions> = {}): Omit<AdvertTransportOptions, 'onPacket'> =>
  ({ family: 4, interfaceName: 'eth0', sourceAddress: '10.0.0.1', ...extra });

describe('AdvertSocketPool', () => {
  it('instances set up alike share one socket; adverts reach only the instance with their VRID', () => {
    const { pool, sockets } = fakePool();
    const got: Record<number, number> = {};
    const a = pool.open({ ...base(), onPacket: () => void (got[1] = (got[1] ?? 0) + 1) }, 1);
    pool.open({ ...base(), onPacket: () => void (got[2] = (got[2] ?? 0) + 1) }, 2);
    expect(sockets).toHaveLength(1);
    const deliver = sockets[0]!.options.onPacket;
    deliver(ipv4Advert(2));
    deliver(ipv4Advert(2));
    deliver(ipv4Advert(1));
    deliver(ipv4Advert(99));
    expect(got).toEqual({ 1: 1, 2: 2 });
    expect(pool.unknownVridPackets).toBe(1);
    // Too short to carry a VRID: every instance sees it (each counts its own drop).
    deliver({ family: 4, bytes: Buffer.alloc(10), source: '10.0.0.2' });
    expect(got).toEqual({ 1: 2, 2: 3 });
    a.close();
    deliver(ipv4Advert(1));
    expect(pool.unknownVridPackets).toBe(2);
  });

  it('different interface, source, mode or group means another socket; the last close closes it', () => {
    const { pool, sockets } = fakePool();
    const c1 = pool.open({ ...base(), onPacket: () => undefined }, 1);
    const c2 = pool.open({ ...base({ interfaceName: 'eth1' }), onPacket: () => undefined }, 1);
    pool.open({ ...base({ sourceAddress: '10.0.0.9' }), onPacket: () => undefined }, 2);
    pool.open({ ...base({ unicastPeers: ['10.0.0.3'] }), onPacket: () => undefined }, 3);
    pool.open({ ...base({ multicastGroup: '224.0.0.19' }), onPacket: () => undefined }, 4);
    const c6 = pool.open({ ...base(), onPacket: () => undefined }, 6);
    expect(sockets).toHaveLength(5);
    c1.close();
    expect(sockets[0]!.closed).toBe(false);
    c6.close();
    c6.close();
    expect(sockets[0]!.closed).toBe(true);
    expect(pool.socketCount).toBe(4);
    c2.close();
    expect(sockets[1]!.closed).toBe(true);
    pool.closeAll();
    expect(sockets.every((s) => s.closed)).toBe(true);
    expect(pool.socketCount).toBe(0);
  });

  it('unicast instances on one socket send to their own peers with their own IPv4 identification counters', async () => {
    const { pool, sockets } = fakePool();
    const a = pool.open({ ...base({ unicastPeers: ['10.0.0.2', '10.0.0.3'] }), onPacket: () => undefined }, 1);
    const b = pool.open({ ...base({ unicastPeers: ['10.0.0.4'] }), onPacket: () => undefined }, 2);
    expect(sockets).toHaveLength(1);
    const outA = await a.sendToAll(() => new Uint8Array(8));
    await b.sendToAll(() => new Uint8Array(8));
    await a.sendToAll(() => new Uint8Array(8));
    expect(outA.map((o) => o.destination)).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(sockets[0]!.sent.map((s) => [s.destination, s.ipId])).toEqual([
      ['10.0.0.2', 1], ['10.0.0.3', 2], ['10.0.0.4', 1], ['10.0.0.2', 3], ['10.0.0.3', 4],
    ]);
  });

  it('a socket error reaches every instance of the socket', () => {
    const { pool, sockets } = fakePool();
    const errors: string[] = [];
    pool.open({ ...base(), onPacket: () => undefined, onError: (e) => void errors.push(`1:${e.message}`) }, 1);
    pool.open({ ...base(), onPacket: () => undefined, onError: (e) => void errors.push(`2:${e.message}`) }, 2);
    sockets[0]!.options.onError?.(new Error('boom'));
    expect(errors).toEqual(['1:boom', '2:boom']);
  });

  it('reads the VRID after the IPv4 header (any IHL) or at byte 1 of an IPv6 payload', () => {
    expect(advertVrid(ipv4Advert(51))).toBe(51);
    const withOptions = Buffer.alloc(32);
    withOptions[0] = 0x46; // IHL 6 → VRRP at 24
    withOptions[25] = 7;
    expect(advertVrid({ family: 4, bytes: withOptions })).toBe(7);
    expect(advertVrid({ family: 4, bytes: Buffer.from([0x45, 0, 0]) })).toBeUndefined();
    expect(advertVrid({ family: 4, bytes: Buffer.from([0x41, 0, 0, 0, 0, 0]) })).toBeUndefined();
    expect(advertVrid({ family: 6, bytes: Buffer.from([0x31, 200]) })).toBe(200);
    expect(advertVrid({ family: 6, bytes: Buffer.from([0x31]) })).toBeUndefined();
  });
});
