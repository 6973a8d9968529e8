// Privileged: adverts sent by the transport in one namespace arrive in the other with TTL / hop
// limit readable, multicast and unicast, IPv4 and IPv6; the IPv4 datagram is byte-identical to the
// one keepalived 2.2.7 sent in the capture lab (test/fixtures/frames/keepalived-advert-v4.hex).
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAdvertTransport } from '../../../src/io/vrrp-socket/index.js';
import type { AdvertTransport, AdvertTransportOptions, ReceivedAdvertPacket } from '../../../src/io/vrrp-socket/index.js';
import { canRunNetnsTests, createVethLab } from './netns-lab.js';
import type { VethLab } from './netns-lab.js';

const frame = (name: string): Buffer =>
  Buffer.from(readFileSync(new URL(`../../fixtures/frames/${name}`, import.meta.url), 'utf8').trim(), 'hex');

class Inbox {
  readonly packets: ReceivedAdvertPacket[] = [];
  readonly errors: Error[] = [];
  #waiters: (() => void)[] = [];
  push = (p: ReceivedAdvertPacket): void => {
    this.packets.push(p);
    for (const w of this.#waiters.splice(0)) w();
  };
  /** Resolve with the n-th packet, or undefined after timeoutMs. */
  async nth(n: number, timeoutMs = 2000): Promise<ReceivedAdvertPacket | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.packets.length <= n && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.#waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
    return this.packets[n];
  }
}

describe.skipIf(!canRunNetnsTests)('advert transport between two namespaces', () => {
  let lab: VethLab;
  const open: AdvertTransport[] = [];
  const openIn = (ns: string, options: Omit<AdvertTransportOptions, 'onPacket'>, inbox = new Inbox()): [AdvertTransport, Inbox] => {
    const t = lab.inNs(ns, () => openAdvertTransport({ ...options, onPacket: inbox.push, onError: (e) => inbox.errors.push(e) }));
    open.push(t);
    return [t, inbox];
  };
  beforeAll(() => {
    lab = createVethLab();
  });
  afterEach(() => {
    for (const t of open.splice(0)) t.close();
  });
  afterAll(() => lab?.destroy());

  it('IPv4 multicast: arrives with TTL 255, same bytes as keepalived put on the wire', async () => {
    const captured = frame('keepalived-advert-v4.hex').subarray(14); // strip Ethernet
    const vrrp = captured.subarray(20);
    const [tx, txInbox] = openIn(lab.a.ns, { family: 4, interfaceName: 'veth0', sourceAddress: lab.a.ipv4 });
    const [rx, inbox] = openIn(lab.b.ns, { family: 4, interfaceName: 'veth0', sourceAddress: lab.b.ipv4 });
    expect(tx.destinations()).toEqual(['224.0.0.18']);
    expect(rx.ifindex).toBe(lab.b.ifindex);
    const outcomes = await tx.sendToAll(() => vrrp);
    expect(outcomes).toEqual([{ destination: '224.0.0.18', ok: true, bytes: captured.length }]);
    const p = await inbox.nth(0);
    expect(p).toBeDefined();
    expect(p!.ttl).toBe(255);
    expect(p!.source).toBe(lab.a.ipv4);
    expect(p!.destination).toBe('224.0.0.18');
    expect(p!.ifindex).toBe(lab.b.ifindex);
    expect(p!.bytes.toString('hex')).toBe(captured.toString('hex'));
    // second advert: identification increments like keepalived's
    await tx.sendTo(vrrp, '224.0.0.18');
    const p2 = await inbox.nth(1);
    expect(p2!.bytes.readUInt16BE(4)).toBe(2);
    // IP_MULTICAST_LOOP 0: the sender does not hear itself
    expect(await txInbox.nth(0, 200)).toBeUndefined();
    expect(inbox.errors).toEqual([]);
  });

  it('IPv4 unicast: one packet per peer with unicast_ttl; minReceiveTtl filters on receive', async () => {
    const vrrp = frame('keepalived-advert-v4.hex').subarray(34);
    const [tx] = openIn(lab.a.ns, {
      family: 4, interfaceName: 'veth0', sourceAddress: lab.a.ipv4, unicastPeers: [lab.b.ipv4, '192.168.77.3'], ttl: 64,
    });
    const [, inbox] = openIn(lab.b.ns, { family: 4, interfaceName: 'veth0', sourceAddress: lab.b.ipv4, unicastPeers: [lab.a.ipv4] });
    const [, strict] = openIn(lab.b.ns, {
      family: 4, interfaceName: 'veth0', sourceAddress: lab.b.ipv4, unicastPeers: [lab.a.ipv4], minReceiveTtl: 255,
    });
    const outcomes = await tx.sendToAll(() => vrrp);
    expect(outcomes.map((o) => o.destination)).toEqual([lab.b.ipv4, '192.168.77.3']);
    const p = await inbox.nth(0);
    expect(p?.ttl).toBe(64);
    expect(p?.destination).toBe(lab.b.ipv4);
    expect(p?.bytes.subarray(20).equals(vrrp)).toBe(true);
    expect(await strict.nth(0, 300)).toBeUndefined();
  });

  it('IPv6 multicast: hop limit, destination and ifindex from ancillary data; kernel checksum', async () => {
    const vrrp = Buffer.from(frame('keepalived-advert-v6.hex').subarray(54));
    const zeroed = Buffer.from(vrrp);
    zeroed.writeUInt16BE(0, 6); // IPV6_CHECKSUM: the kernel computes it on send
    const [tx, txInbox] = openIn(lab.a.ns, { family: 6, interfaceName: 'veth0', sourceAddress: lab.a.linkLocal });
    const [, inbox] = openIn(lab.b.ns, { family: 6, interfaceName: 'veth0', sourceAddress: lab.b.linkLocal });
    const outcomes = await tx.sendToAll(() => zeroed);
    expect(outcomes).toEqual([{ destination: 'ff02::12', ok: true, bytes: vrrp.length }]);
    const p = await inbox.nth(0);
    expect(p).toBeDefined();
    expect(p!.ttl).toBe(255);
    expect(p!.destination).toBe('ff02::12');
    expect(p!.source).toBe(lab.a.linkLocal);
    expect(p!.ifindex).toBe(lab.b.ifindex);
    if (lab.a.linkLocal === 'fe80::ff:fe00:a01') {
      // same source as the capture lab ⇒ same pseudo-header ⇒ keepalived's exact bytes
      expect(p!.bytes.toString('hex')).toBe(vrrp.toString('hex'));
    } else {
      expect(p!.bytes.subarray(8).equals(vrrp.subarray(8))).toBe(true);
    }
    expect(await txInbox.nth(0, 200)).toBeUndefined();
  });

  it('IPv6 unicast: hop limit as configured; minReceiveTtl drops it for a strict receiver', async () => {
    const vrrp = Buffer.from(frame('keepalived-advert-v6.hex').subarray(54));
    const [tx] = openIn(lab.a.ns, {
      family: 6, interfaceName: 'veth0', sourceAddress: lab.a.ipv6, unicastPeers: [lab.b.ipv6], ttl: 10,
    });
    const [, inbox] = openIn(lab.b.ns, { family: 6, interfaceName: 'veth0', sourceAddress: lab.b.ipv6, unicastPeers: [lab.a.ipv6] });
    const [, strict] = openIn(lab.b.ns, {
      family: 6, interfaceName: 'veth0', sourceAddress: lab.b.ipv6, unicastPeers: [lab.a.ipv6], minReceiveTtl: 255,
    });
    await tx.sendTo(vrrp, lab.b.ipv6);
    const p = await inbox.nth(0);
    expect(p?.ttl).toBe(10);
    expect(p?.source).toBe(lab.a.ipv6);
    expect(p?.destination).toBe(lab.b.ipv6);
    expect(await strict.nth(0, 300)).toBeUndefined();
  });

  it('unicast without unicast_ttl: IPv4 TTL 255, IPv6 the kernel hop limit (keepalived 2.2.7 sends hlim 64)', async () => {
    // Give the sender a non-default interface hop limit so the kernel default is distinguishable from 255/64 constants.
    lab.exec(lab.a.ns, 'sysctl', ['-qw', 'net.ipv6.conf.veth0.hop_limit=77']);
    try {
      const [tx6] = openIn(lab.a.ns, { family: 6, interfaceName: 'veth0', sourceAddress: lab.a.ipv6, unicastPeers: [lab.b.ipv6] });
      const [, inbox6] = openIn(lab.b.ns, { family: 6, interfaceName: 'veth0', sourceAddress: lab.b.ipv6, unicastPeers: [lab.a.ipv6] });
      await tx6.sendTo(Buffer.alloc(20, 3), lab.b.ipv6);
      expect((await inbox6.nth(0))?.ttl).toBe(77);
    } finally {
      lab.exec(lab.a.ns, 'sysctl', ['-qw', 'net.ipv6.conf.veth0.hop_limit=64']);
    }
    const [tx4] = openIn(lab.a.ns, { family: 4, interfaceName: 'veth0', sourceAddress: lab.a.ipv4, unicastPeers: [lab.b.ipv4] });
    const [, inbox4] = openIn(lab.b.ns, { family: 4, interfaceName: 'veth0', sourceAddress: lab.b.ipv4, unicastPeers: [lab.a.ipv4] });
    await tx4.sendTo(Buffer.alloc(20, 3), lab.b.ipv4);
    expect((await inbox4.nth(0))?.ttl).toBe(255);
  });

  it('defaults the source to the interface address (IPv4) / link-local (IPv6); unicast needs no interface', async () => {
    const [tx4] = openIn(lab.a.ns, { family: 4, interfaceName: 'veth0' });
    const [, inbox4] = openIn(lab.b.ns, { family: 4, interfaceName: 'veth0' });
    await tx4.sendTo(Buffer.alloc(20, 1), '224.0.0.18');
    expect((await inbox4.nth(0))?.source).toBe(lab.a.ipv4);
    tx4.setSourceAddress('192.168.77.50'); // e.g. the primary address changed
    await tx4.sendTo(Buffer.alloc(20, 1), '224.0.0.18');
    expect((await inbox4.nth(1))?.source).toBe('192.168.77.50');
    const [tx6] = openIn(lab.a.ns, { family: 6, interfaceName: 'veth0' });
    const [, inbox6] = openIn(lab.b.ns, { family: 6, interfaceName: 'veth0' });
    await tx6.sendTo(Buffer.alloc(20, 1), 'ff02::12');
    expect((await inbox6.nth(0))?.source).toBe(lab.a.linkLocal);
    expect(() => tx6.setSourceAddress(lab.a.linkLocal)).not.toThrow();
    expect(() => tx6.setSourceAddress('fe80::99')).toThrow(expect.objectContaining({ code: 'KTS_VRRP_SOCKET_CONFIG' }));
    const [txU] = openIn(lab.a.ns, { family: 4, sourceAddress: lab.a.ipv4, unicastPeers: [lab.b.ipv4] });
    const [, inboxU] = openIn(lab.b.ns, { family: 4, sourceAddress: lab.b.ipv4, unicastPeers: [lab.a.ipv4] });
    expect(txU.ifindex).toBeUndefined();
    await txU.sendToAll(() => Buffer.alloc(20, 2));
    const p = await inboxU.nth(0);
    expect(p?.source).toBe(lab.a.ipv4);
    expect(p?.ifindex).toBeUndefined();
  });

  it('rejects sends after close and bad configuration', async () => {
    const [tx] = openIn(lab.a.ns, { family: 4, interfaceName: 'veth0', sourceAddress: lab.a.ipv4 });
    tx.close();
    await expect(tx.sendTo(Buffer.alloc(20), '224.0.0.18')).rejects.toMatchObject({ code: 'KTS_VRRP_SOCKET_CLOSED' });
    expect(() => lab.inNs(lab.a.ns, () => openAdvertTransport({ family: 4, interfaceName: 'nope0', sourceAddress: lab.a.ipv4, onPacket: () => {} })))
      .toThrow(/no such interface/);
    expect(() => openAdvertTransport({ family: 4, sourceAddress: lab.a.ipv4, onPacket: () => {} }))
      .toThrow(/need an interface/);
  });
});
