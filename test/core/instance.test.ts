import { describe, expect, it } from 'vitest';
import { formatDataDump, formatStatsDump } from '../../src/core/dumps.js';
import type { TrackerDef } from '../../src/vrrp/params.js';
import { harness, peerAdvert, resolved, sentPriorities } from './instance-harness.js';
import { FakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { InstanceDriver } from '../../src/core/instance.js';
import { withSourceAddress } from '../../src/core/instance-config.js';

describe('InstanceDriver', () => {
  it('address owner: MASTER at once — advert, VIPs, GARP, FIFO line; stop sends priority 0 and removes VIPs', async () => {
    const h = harness(resolved(255));
    h.driver.start(true);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    expect(sentPriorities(h)).toEqual([255]);
    expect([...h.kernel.values()].map((v) => v.address)).toEqual(['10.0.0.100']);
    expect(h.garps).toHaveLength(1);
    expect(h.garps[0]).toMatchObject({ ipv4: ['10.0.0.100'], ifindex: 2, sourceMac: '02:00:00:00:00:01' });
    expect(h.fifo).toContain('INSTANCE "VI_1" MASTER 255\n');
    h.clock.advance(1_000_000);
    await h.driver.idle();
    expect(sentPriorities(h)).toEqual([255, 255]);
    await h.driver.stop();
    expect(sentPriorities(h).at(-1)).toBe(0);
    expect(h.kernel.size).toBe(0);
    expect(h.driver.stats.priorityZeroSent).toBe(1);
  });

  it('backup: becomes MASTER after Master_Down_Interval, yields to a higher priority advert', async () => {
    const h = harness(resolved(100));
    h.driver.start(true);
    await h.driver.idle();
    expect(h.driver.state).toBe('BACKUP');
    expect(h.sent).toHaveLength(0);
    h.clock.advance(3_600_000); // 3 s + skew (156/256 s) = 3.609 s
    await h.driver.idle();
    expect(h.driver.state).toBe('BACKUP');
    h.clock.advance(10_000);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    expect(h.kernel.size).toBe(1);
    h.driver.handlePacket(peerAdvert(200));
    await h.driver.idle();
    expect(h.driver.state).toBe('BACKUP');
    expect(h.kernel.size).toBe(0);
    expect(h.driver.stats).toMatchObject({ advertsReceived: 1, becameMaster: 1, releasedMaster: 1 });
  });

  it('adverts keep a backup in BACKUP; a priority-0 advert shortens the wait to the skew time', async () => {
    const h = harness(resolved(100));
    h.driver.start(true);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1_000_000);
      h.driver.handlePacket(peerAdvert(150));
    }
    await h.driver.idle();
    expect(h.driver.state).toBe('BACKUP');
    h.driver.handlePacket(peerAdvert(0));
    h.clock.advance(609_375); // skew = 156/256 s
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    expect(h.driver.stats.priorityZeroReceived).toBe(1);
  });

  it('drops adverts with the wrong password: counted per reason, logged once per interval, no state change', async () => {
    const h = harness(resolved(100));
    h.driver.start(true);
    h.driver.handlePacket(peerAdvert(200, 'wrong'));
    h.driver.handlePacket(peerAdvert(200, 'wrong'));
    const corrupt = peerAdvert(200);
    const at = corrupt.bytes.length - 9; // last byte of the address: the checksum no longer matches
    corrupt.bytes[at] = corrupt.bytes[at]! ^ 0xff;
    h.driver.handlePacket(corrupt);
    await h.driver.idle();
    expect(h.driver.stats.drops).toEqual({ 'auth-pass': 2, checksum: 1 });
    expect(h.driver.stats.advertsReceived).toBe(0);
    expect(h.logs.filter((l) => l['code'] === 'KTS_VRRP_RX_AUTH_PASS')).toHaveLength(1);
    expect(h.logs.filter((l) => l['code'] === 'KTS_VRRP_RX_CHECKSUM')).toHaveLength(1);
    h.clock.advance(3_700_000);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
  });

  it('re-adds a VIP deleted by someone else while MASTER, ignores its own removals', async () => {
    const h = harness(resolved(255));
    h.driver.start(true);
    await h.driver.idle();
    h.kernel.clear();
    h.driver.addressRemoved(2, '10.0.0.100', 24);
    await h.driver.idle();
    expect(h.kernel.size).toBe(1);
    expect(h.driver.stats.vipsReadded).toBe(1);
    expect(h.logs.some((l) => String(l['msg']).includes('deleted externally'))).toBe(true);
    h.driver.addressRemoved(2, '10.0.0.99', 24); // not ours
    await h.driver.idle();
    expect(h.driver.stats.vipsReadded).toBe(1);
  });

  it('link down → FAULT (VIPs removed), link up → BACKUP then MASTER again', async () => {
    const h = harness(resolved(150));
    h.driver.start(true);
    h.clock.advance(4_000_000);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    h.driver.linkChanged(false);
    await h.driver.idle();
    expect(h.driver.state).toBe('FAULT');
    expect(h.kernel.size).toBe(0);
    h.driver.linkChanged(true);
    await h.driver.idle();
    expect(h.driver.state).toBe('BACKUP');
    h.clock.advance(4_000_000);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
  });

  it('reload with an extra VIP adds it in place without a state change; -V keeps VIPs at stop', async () => {
    const h = harness(resolved(255), false);
    h.driver.start(true);
    await h.driver.idle();
    const transitions = h.driver.fsmState.transitions;
    h.driver.reconfigure(resolved(255, ['10.0.0.100', '10.0.0.101']), false);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    expect(h.driver.fsmState.transitions).toBe(transitions);
    expect([...h.kernel.values()].map((v) => v.address).sort()).toEqual(['10.0.0.100', '10.0.0.101']);
    expect(h.garps.at(-1)?.ipv4).toEqual(['10.0.0.101']);
    await h.driver.stop();
    expect(h.kernel.size).toBe(2);
    expect(sentPriorities(h).at(-1)).toBe(0);
  });

  it('weighted track_script lowers the advertised priority; an unweighted track_interface down means FAULT', async () => {
    const trackers: TrackerDef[] = [
      { kind: 'script', name: 'chk', weight: -60, reverse: false },
      { kind: 'interface', name: 'eth1', weight: 0, reverse: false },
    ];
    const h = harness(resolved(150, ['10.0.0.100'], 'secret', trackers));
    expect(h.driver.trackedNames('interface')).toEqual(['eth1']);
    h.driver.observe('interface', 'eth1', { kind: 'up' });
    h.driver.observe('script', 'chk', { kind: 'up' });
    h.driver.start(true);
    h.clock.advance(4_000_000);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    h.driver.observe('script', 'chk', { kind: 'down' });
    expect(h.driver.fsmState.effectivePriority).toBe(90);
    h.clock.advance(1_000_000);
    await h.driver.idle();
    expect(sentPriorities(h).at(-1)).toBe(90);
    h.driver.observe('interface', 'eth1', { kind: 'down' });
    await h.driver.idle();
    expect(h.driver.state).toBe('FAULT');
    expect(h.kernel.size).toBe(0);
  });

  it('an advert socket that cannot open (tentative link-local) keeps FAULT and is retried until it opens', async () => {
    const h = harness(resolved(100), true, new FakeClock(0), undefined, { openFailures: 3 });
    h.driver.start(true);
    await h.driver.idle();
    expect(h.driver.state).toBe('FAULT');
    h.clock.advance(2_000_000); // two more failed opens
    await h.driver.idle();
    expect(h.driver.state).toBe('FAULT');
    expect(h.logs.filter((l) => String(l['msg']).startsWith('cannot open the advert socket'))).toHaveLength(1);
    h.clock.advance(1_000_000); // the fourth open succeeds
    await h.driver.idle();
    expect(h.driver.state).toBe('BACKUP');
    expect(h.logs.some((l) => l['msg'] === 'advert socket opened')).toBe(true);
    h.clock.advance(4_000_000); // Master_Down_Interval later: MASTER, adverts go out
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    expect(sentPriorities(h).length).toBeGreaterThan(0);
    await h.driver.stop();
  });

  it('removed by a reload: VIPs go even with -V, FIFO says FAULT (keepalived clear_diff_vrrp), no STOP', async () => {
    const h = harness(resolved(255), false);
    h.driver.start(true);
    await h.driver.idle();
    expect(h.driver.state).toBe('MASTER');
    expect(h.kernel.size).toBe(1);
    await h.driver.stop({ deletedAtReload: true });
    expect(h.kernel.size).toBe(0);
    expect(h.fifo.at(-1)).toBe('INSTANCE "VI_1" FAULT 255\n');
    expect(h.fifo.some((l) => l.includes(' STOP '))).toBe(false);
    expect(sentPriorities(h).at(-1)).toBe(0);
  });

  it('SIGUSR1/SIGUSR2 dumps show state and counters', async () => {
    const h = harness(resolved(255));
    h.driver.start(true);
    h.driver.handlePacket(peerAdvert(100, 'wrong'));
    h.clock.advance(2_000_000);
    await h.driver.idle();
    const data = formatDataDump([h.driver], new Date(0));
    expect(data).toContain(' VRRP Instance = VI_1');
    expect(data).toContain('   State = MASTER');
    expect(data).toContain('     10.0.0.100/24 dev eth0');
    const stats = formatStatsDump([h.driver]);
    expect(stats).toContain(`    Sent: ${h.driver.stats.advertsSent}`);
    expect(h.driver.stats.advertsSent).toBe(3);
    expect(stats).toContain('    Failure: 1');
    // keepalived 2.2.7's layout, label for label (exporters parse it by section and label).
    expect(stats.trimEnd().split('\n').map((l) => l.replace(/: \d+$/, ':'))).toEqual([
      'VRRP Instance: VI_1', '  Advertisements:', '    Received:', '    Sent:', '  Became master:', '  Released master:',
      '  Packet Errors:', '    Length:', '    TTL:', '    Invalid Type:', '    Advertisement Interval:', '    Address List:',
      '  Authentication Errors:', '    Invalid Type:', '    Type Mismatch:', '    Failure:',
      '  Priority Zero:', '    Received:', '    Sent:',
    ]);
  });

  it('check_unicast_src drops unicast adverts from sources that are not configured peers', async () => {
    const h = harness({ ...resolved(100), unicastPeers: ['10.0.0.3'], checkUnicastSrc: true });
    h.driver.start(true);
    h.driver.handlePacket(peerAdvert(200));
    await h.driver.idle();
    expect(h.driver.stats.drops).toEqual({ 'unicast-src': 1 });
    expect(h.logs.some((l) => l['code'] === 'KTS_VRRP_RX_UNICAST_SRC')).toBe(true);
    const open = harness({ ...resolved(100), unicastPeers: ['10.0.0.3'], checkUnicastSrc: false });
    open.driver.start(true);
    open.driver.handlePacket(peerAdvert(200));
    expect(open.driver.stats.advertsReceived).toBe(1);
  });

  it('drops adverts whose VIP list differs, like keepalived 2.2.7; skip_check_adv_addr spares the known master only', async () => {
    const strict = harness(resolved(100));
    strict.driver.start(true);
    strict.driver.handlePacket(peerAdvert(200, 'secret', ['10.0.0.100', '10.0.0.101']));
    await strict.driver.idle();
    expect(strict.driver.stats.drops).toEqual({ 'addr-count': 1 });
    expect(strict.driver.stats.advertsReceived).toBe(0);

    const lenient = harness({ ...resolved(100), skipCheckAdvAddr: true });
    lenient.driver.start(true);
    // No master known yet: checked, and dropped.
    lenient.driver.handlePacket(peerAdvert(200, 'secret', ['10.0.0.101']));
    await lenient.driver.idle();
    expect(lenient.driver.stats.drops).toEqual({ 'addr-list': 1 });
    // A matching advert makes PEER the known master; its later adverts are no longer compared.
    lenient.driver.handlePacket(peerAdvert(200));
    lenient.driver.handlePacket(peerAdvert(200, 'secret', ['10.0.0.101']));
    await lenient.driver.idle();
    expect(lenient.driver.stats.advertsReceived).toBe(2);
    expect(lenient.driver.stats.warnings['addr-list-mismatch']).toBe(1);
  });

  it('without an advert source address the instance stays in FAULT until one appears', async () => {
    const clock = new FakeClock(0);
    const opened: (string | null)[] = [];
    const driver = new InstanceDriver(withSourceAddress(resolved(100), null), {
      clock,
      log: silentLogger(),
      openChannel: (inst) => {
        opened.push(inst.sourceAddress);
        if (inst.sourceAddress === null) throw new Error('IPv4 advert transport needs an IPv4 source address');
        return { sendToAll: async () => [], close: () => undefined };
      },
      addresses: { add: async () => 'added', remove: async () => 'removed' },
      garp: { announce: () => undefined, cancel: () => undefined },
      notify: { runScript: async () => undefined, writeFifo: () => undefined },
      releaseVipsOnStop: true,
    });
    driver.start(true);
    clock.advance(5_000_000);
    await driver.idle();
    expect(driver.state).toBe('FAULT');
    driver.reconfigure(withSourceAddress(resolved(100), '10.0.0.1'), true);
    expect(opened).toEqual([null, '10.0.0.1']);
    expect(driver.state).toBe('BACKUP');
    clock.advance(3_700_000);
    await driver.idle();
    expect(driver.state).toBe('MASTER');
  });
});
