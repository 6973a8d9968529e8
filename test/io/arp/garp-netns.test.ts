// Privileged: a GARP / unsolicited NA sent through the AF_PACKET sender from one namespace
// updates the neighbour table of the other namespace with our MAC (root + native addon required).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketSender } from '../../../src/io/arp/packet-sender.js';
import { GarpAnnouncer } from '../../../src/io/arp/announcer.js';
import { canRunNetnsTests, createVethLab, neighbour } from '../socket/netns-lab.js';
import type { VethLab } from '../socket/netns-lab.js';

const STALE_MAC = '02:00:00:00:99:99';

describe.skipIf(!canRunNetnsTests)('GARP / NA in a netns pair', () => {
  let lab: VethLab;
  let sender: PacketSender;
  beforeAll(() => {
    lab = createVethLab();
    sender = lab.inNs(lab.a.ns, () => new PacketSender());
  });
  afterAll(() => {
    sender?.close();
    lab?.destroy();
  });

  it('a gratuitous ARP replaces the peer’s stale entry for the VIP with our MAC', () => {
    const vip = '192.168.77.100';
    lab.exec(lab.b.ns, 'ip', ['neigh', 'replace', vip, 'lladdr', STALE_MAC, 'dev', 'veth0', 'nud', 'stale']);
    expect(neighbour(lab, lab.b.ns, vip)?.lladdr).toBe(STALE_MAC);
    execFileSync('sleep', ['1.1']); // ARP locktime: entries younger than 1 s are not overridden
    const announcer = new GarpAnnouncer({ sender });
    announcer.announce({ owner: 'VI_1', ifindex: lab.a.ifindex, sourceMac: lab.a.mac, ipv4: [vip], ipv6: [], repeat: 1, router: false });
    expect(announcer.stats()).toMatchObject({ garpSent: 1, sendErrors: 0 });
    let entry = neighbour(lab, lab.b.ns, vip);
    for (let i = 0; i < 20 && entry?.lladdr !== lab.a.mac; i++) {
      execFileSync('sleep', ['0.05']);
      entry = neighbour(lab, lab.b.ns, vip);
    }
    expect(entry?.lladdr).toBe(lab.a.mac);
  });

  it('an unsolicited NA with Override replaces the peer’s entry for the IPv6 VIP', () => {
    const vip = 'fd00:77::100';
    lab.exec(lab.b.ns, 'ip', ['neigh', 'replace', vip, 'lladdr', STALE_MAC, 'dev', 'veth0', 'nud', 'stale']);
    expect(neighbour(lab, lab.b.ns, vip)?.lladdr).toBe(STALE_MAC);
    const announcer = new GarpAnnouncer({ sender });
    announcer.announce({ owner: 'VI_1', ifindex: lab.a.ifindex, sourceMac: lab.a.mac, ipv4: [], ipv6: [vip], repeat: 1, router: false });
    expect(announcer.stats()).toMatchObject({ unaSent: 1, sendErrors: 0 });
    let entry = neighbour(lab, lab.b.ns, vip);
    for (let i = 0; i < 20 && entry?.lladdr !== lab.a.mac; i++) {
      execFileSync('sleep', ['0.05']);
      entry = neighbour(lab, lab.b.ns, vip);
    }
    expect(entry?.lladdr).toBe(lab.a.mac);
  });

  it('reports ENXIO/ENODEV for a missing ifindex', () => {
    expect(() => sender.sendFrame(99999, Buffer.alloc(42))).toThrow(/ENXIO|ENODEV|No such device/);
  });
});
