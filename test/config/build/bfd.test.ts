import { describe, expect, it } from 'vitest';
import { build, buildClean, vrrp } from './helpers.js';

describe('bfd_instance', () => {
  it('applies keepalived 2.2.7 defaults', () => {
    const c = buildClean('bfd_instance b1 {\n  neighbor_ip 10.0.0.2\n}\n');
    expect(c.bfdInstances).toEqual([
      expect.objectContaining({
        name: 'b1',
        neighborIp: { address: '10.0.0.2', family: 'inet' },
        sourceIp: null,
        minRxUs: 10_000,
        minTxUs: 10_000,
        idleTxUs: 1_000_000,
        multiplier: 5,
        passive: false,
        ttl: 255,
        maxHops: 0,
        weight: 0,
        weightReverse: false,
        vrrp: true,
        checker: true,
      }),
    ]);
    expect(buildClean('bfd_instance b6 {\n  neighbor_ip fe80::2\n}\n').bfdInstances[0]?.ttl).toBe(64);
  });

  it('reads every keyword (timers in ms with 3 decimals)', () => {
    const c = buildClean(
      'bfd_instance b1 {\n  neighbour_ip 10.0.0.2\n  source_ip 10.0.0.1\n  min_rx 50\n  min_tx 20.5\n  idle_tx 2000\n  multiplier 3\n  passive\n  hoplimit 10\n  max_hops 4\n  weight -20 reverse\n  vrrp\n}\n',
    );
    expect(c.bfdInstances[0]).toMatchObject({
      sourceIp: { address: '10.0.0.1' },
      minRxUs: 50_000,
      minTxUs: 20_500,
      idleTxUs: 2_000_000,
      multiplier: 3,
      passive: true,
      ttl: 10,
      maxHops: 4,
      weight: -20,
      weightReverse: true,
      vrrp: true,
      checker: false,
    });
    expect(buildClean('bfd_instance b1 {\n  neighbor_ip 10.0.0.2\n  max_hops -1\n}\n').bfdInstances[0]?.maxHops).toBe(255);
  });

  it('reports out-of-range values and keeps the defaults', () => {
    const b = build('bfd_instance b1 {\n  neighbor_ip 10.0.0.1\n  min_rx 0\n  multiplier 0\n  ttl 300\n  weight 300\n  idle_tx 5\n}\n');
    expect(b.problems.map((d) => d.line)).toEqual([3, 4, 5, 6, 7]);
    expect(b.problems[0]?.message).toBe('Configuration error: BFD instance b1 min_rx value 0 is not valid (must be in range [1-4294967]), ignoring');
    expect(b.config.bfdInstances[0]).toMatchObject({ minRxUs: 10_000, multiplier: 5, ttl: 255, weight: 0, idleTxUs: 1_000_000 });
  });

  it('drops instances keepalived disables', () => {
    const none = build('bfd_instance b1 {\n  min_rx 20\n}\n');
    expect(none.problems.map((d) => d.message)).toEqual(['Configuration error: BFD instance b1 has no neighbor address set, disabling instance']);
    expect(none.config.bfdInstances).toEqual([]);
    const dup = build('bfd_instance b1 {\n neighbor_ip 10.0.0.1\n}\nbfd_instance b1 {\n neighbor_ip 10.0.0.2\n}\nbfd_instance b2 {\n neighbor_ip 10.0.0.1\n}\n');
    expect(dup.problems.map((d) => d.message)).toEqual([
      'Configuration error: BFD instance b1 already configured - ignoring',
      'Configuration error: BFD instance b2 has duplicate neighbor address 10.0.0.1, ignoring instance',
    ]);
    expect(dup.config.bfdInstances.map((b) => b.name)).toEqual(['b1']);
    const fam = build('bfd_instance b1 {\n neighbor_ip 10.0.0.1\n source_ip fe80::1\n}\n');
    expect(fam.codes).toEqual(['KTS_INVALID_ADDRESS']);
    expect(fam.config.bfdInstances).toEqual([]);
    const long = build(`bfd_instance ${'x'.repeat(32)} {\n neighbor_ip 10.0.0.1\n}\n`);
    expect(long.codes).toEqual(['KTS_INVALID_VALUE']);
  });

  it('rejects a zone index and reports extra decimal places like keepalived', () => {
    const zone = build('bfd_instance b1 {\n neighbor_ip fe80::1%lo\n}\n');
    expect(zone.problems.map((d) => d.message)).toEqual(['Configuration error: BFD instance b1 has malformed neighbor address fe80::1%lo, ignoring instance']);
    const dec = build('bfd_instance b1 {\n neighbor_ip 10.0.0.1\n min_rx 1.2345\n}\n');
    expect(dec.problems.map((d) => d.message)).toEqual(["number '1.2345' has too many decimal places"]);
    expect(dec.config.bfdInstances[0]?.minRxUs).toBe(1235);
  });

  it('caps max_hops at the ttl', () => {
    const b = build('bfd_instance b1 {\n neighbor_ip fe80::1\n max_hops -1\n}\n');
    expect(b.problems.map((d) => d.message)).toEqual(['BFD instance b1: max_hops exceeds ttl/hoplimit - setting to ttl/hoplimit']);
    expect(b.config.bfdInstances[0]?.maxHops).toBe(64);
  });
});

describe('track_bfd references', () => {
  it('must follow the bfd_instance in the file, like keepalived', () => {
    const b = build(`${vrrp('  track_bfd {\n    b1\n  }')}bfd_instance b1 {\n  neighbor_ip 10.0.0.1\n}\n`);
    expect(b.problems.map((d) => d.message)).toEqual(['(VI_1) track bfd b1 not found, ignoring...']);
  });

  it("take the bfd_instance's weight unless the reference gives one", () => {
    const c = buildClean(
      `bfd_instance b1 {\n  neighbor_ip 10.0.0.1\n  weight 10 reverse\n}\nbfd_instance b2 {\n  neighbor_ip 10.0.0.2\n}\n${vrrp('  track_bfd {\n    b1\n    b2 weight -5\n  }')}`,
    );
    expect(c.vrrpInstances[0]?.trackBfds.map((r) => [r.name, r.weight, r.reverse])).toEqual([
      ['b1', 10, true],
      ['b2', -5, false],
    ]);
  });

  it('cannot see a checker-only instance, can see one the BFD process drops', () => {
    const b = build(`bfd_instance b1 {\n  neighbor_ip 10.0.0.1\n  checker\n}\nbfd_instance b2 {\n  min_rx 20\n}\n${vrrp('  track_bfd {\n    b1\n    b2\n  }')}`);
    expect(b.problems.map((d) => d.message)).toEqual([
      'Configuration error: BFD instance b2 has no neighbor address set, disabling instance',
      '(VI_1) track bfd b1 not found, ignoring...',
    ]);
    expect(b.config.vrrpInstances[0]?.trackBfds.map((r) => r.name)).toEqual(['b2']);
  });
});
