// GarpAnnouncer: burst expansion, per-interface pacing (vrrp_garp_interval / vrrp_gna_interval),
// cancellation and error accounting, with a fake clock and a recording frame sender.
import { describe, expect, it } from 'vitest';
import { GarpAnnouncer } from '../../../src/io/arp/announcer.js';
import type { AnnouncerClock } from '../../../src/io/arp/announcer.js';
import type { FrameSender } from '../../../src/io/arp/packet-sender.js';

class FakeClock implements AnnouncerClock {
  now = 1_000_000;
  timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  nowUs(): number {
    return this.now;
  }
  schedule(delayUs: number, fn: () => void): { cancel(): void } {
    const t = { at: this.now + delayUs, fn, cancelled: false };
    this.timers.push(t);
    return { cancel: () => { t.cancelled = true; } };
  }
  /** Advance time, firing due timers in order. */
  advance(us: number): void {
    const end = this.now + us;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.now = due.at;
      due.fn();
    }
    this.now = end;
  }
}

interface Sent { at: number; ifindex: number; kind: string; target: string }

class RecordingSender implements FrameSender {
  sent: Sent[] = [];
  failNext = 0;
  constructor(private readonly clock: FakeClock) {}
  sendFrame(ifindex: number, frame: Uint8Array): number {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('sendto: Network is down'), { code: 'ENETDOWN' });
    }
    const b = Buffer.from(frame);
    const isArp = b.readUInt16BE(12) === 0x0806;
    const target = isArp ? [...b.subarray(38, 42)].join('.') : b.subarray(62, 78).toString('hex');
    this.sent.push({ at: this.clock.now, ifindex, kind: isArp ? 'garp' : 'una', target });
    return b.length;
  }
}

const base = {
  owner: 'VI_1', ifindex: 3, sourceMac: '02:00:00:00:0a:01', router: false,
} as const;

describe('GarpAnnouncer', () => {
  it('sends each address repeat times in a row, all at once when not paced (keepalived order)', () => {
    const clock = new FakeClock();
    const sender = new RecordingSender(clock);
    const a = new GarpAnnouncer({ sender, clock });
    a.announce({ ...base, ipv4: ['10.0.0.1', '10.0.0.2'], ipv6: ['fd00::1'], repeat: 2 });
    expect(sender.sent.map((s) => `${s.kind}:${s.target}`)).toEqual([
      'garp:10.0.0.1', 'garp:10.0.0.1', 'garp:10.0.0.2', 'garp:10.0.0.2',
      'una:fd000000000000000000000000000001', 'una:fd000000000000000000000000000001',
    ]);
    expect(a.stats()).toEqual({ garpSent: 4, unaSent: 2, sendErrors: 0, queued: 0 });
  });

  it('paces ARP by the garp interval and NA by the gna interval, independently', () => {
    const clock = new FakeClock();
    const sender = new RecordingSender(clock);
    const a = new GarpAnnouncer({ sender, clock, garpIntervalUs: 100_000, gnaIntervalUs: 250_000 });
    a.announce({ ...base, ipv4: ['10.0.0.1', '10.0.0.2'], ipv6: ['fd00::1'], repeat: 2 });
    expect(sender.sent).toHaveLength(2); // first GARP and first NA go out at once
    clock.advance(1_000_000);
    const garps = sender.sent.filter((s) => s.kind === 'garp').map((s) => s.at - 1_000_000);
    const nas = sender.sent.filter((s) => s.kind === 'una').map((s) => s.at - 1_000_000);
    expect(garps).toEqual([0, 100_000, 200_000, 300_000]);
    expect(nas).toEqual([0, 250_000]);
  });

  it('paces each interface separately and remembers the last send across bursts', () => {
    const clock = new FakeClock();
    const sender = new RecordingSender(clock);
    const a = new GarpAnnouncer({ sender, clock, garpIntervalUs: 500_000 });
    a.announce({ ...base, ipv4: ['10.0.0.1'], ipv6: [], repeat: 1 });
    a.announce({ ...base, ifindex: 4, ipv4: ['10.0.1.1'], ipv6: [], repeat: 1 });
    expect(sender.sent.map((s) => s.ifindex)).toEqual([3, 4]);
    clock.advance(200_000);
    a.announce({ ...base, ipv4: ['10.0.0.1'], ipv6: [], repeat: 1 });
    expect(sender.sent).toHaveLength(2);
    clock.advance(300_000);
    expect(sender.sent).toHaveLength(3);
    expect(sender.sent[2]!.at - 1_000_000).toBe(500_000);
  });

  it('garp_group intervals override the globals for their interface only', () => {
    const clock = new FakeClock();
    const sender = new RecordingSender(clock);
    const a = new GarpAnnouncer({
      sender, clock, garpIntervalUs: 100_000, intervalsFor: (ifindex) => (ifindex === 4 ? { garpUs: 300_000 } : undefined),
    });
    a.announce({ ...base, ipv4: ['10.0.0.1'], ipv6: [], repeat: 2 });
    a.announce({ ...base, ifindex: 4, ipv4: ['10.0.1.1'], ipv6: [], repeat: 2 });
    clock.advance(1_000_000);
    const at = (ifindex: number): number[] => sender.sent.filter((s) => s.ifindex === ifindex).map((s) => s.at - 1_000_000);
    expect(at(3)).toEqual([0, 100_000]);
    expect(at(4)).toEqual([0, 300_000]);
  });

  it('cancel(owner) drops only that owner’s queued frames', () => {
    const clock = new FakeClock();
    const sender = new RecordingSender(clock);
    const a = new GarpAnnouncer({ sender, clock, garpIntervalUs: 100_000 });
    a.announce({ ...base, ipv4: ['10.0.0.1'], ipv6: [], repeat: 3 });
    a.announce({ ...base, owner: 'VI_2', ipv4: ['10.0.0.9'], ipv6: [], repeat: 1 });
    expect(a.stats().queued).toBe(3);
    a.cancel('VI_1');
    expect(a.stats().queued).toBe(1);
    clock.advance(1_000_000);
    expect(sender.sent.map((s) => s.target)).toEqual(['10.0.0.1', '10.0.0.9']);
    expect(a.stats().garpSent).toBe(2);
  });

  it('counts send errors, reports them and carries on', () => {
    const clock = new FakeClock();
    const sender = new RecordingSender(clock);
    const errors: string[] = [];
    const a = new GarpAnnouncer({
      sender, clock, onError: (err, f) => errors.push(`${(err as { code: string }).code}:${f.address}`),
    });
    sender.failNext = 1;
    a.announce({ ...base, ipv4: ['10.0.0.1', '10.0.0.2'], ipv6: [], repeat: 1 });
    expect(errors).toEqual(['ENETDOWN:10.0.0.1']);
    expect(a.stats()).toMatchObject({ garpSent: 1, sendErrors: 1 });
  });

  it('sends nothing after close() and for repeat 0', () => {
    const clock = new FakeClock();
    const sender = new RecordingSender(clock);
    const a = new GarpAnnouncer({ sender, clock });
    a.announce({ ...base, ipv4: ['10.0.0.1'], ipv6: [], repeat: 0 });
    a.close();
    a.announce({ ...base, ipv4: ['10.0.0.1'], ipv6: [], repeat: 1 });
    expect(sender.sent).toHaveLength(0);
  });
});
