import { describe, expect, it } from 'vitest';
import { checkUnicastSource } from '../../../src/vrrp/packet/index.js';

const peers = [
  { address: '10.0.0.2', minTtl: 0, maxTtl: 255 },
  { address: '10.0.0.3', minTtl: 250, maxTtl: 254 },
  { address: 'FD00::0002', minTtl: 64, maxTtl: 64 },
];

describe('checkUnicastSource (check_unicast_src with min_ttl / max_ttl)', () => {
  it('rejects a source that is no configured peer', () => {
    const v = checkUnicastSource('10.0.0.9', 255, peers);
    expect(v).toMatchObject({ ok: false, code: 'unicast-src' });
  });

  it.each([
    ['10.0.0.2', 0, true],
    ['10.0.0.2', 255, true],
    ['10.0.0.3', 249, false],
    ['10.0.0.3', 250, true],
    ['10.0.0.3', 254, true],
    ['10.0.0.3', 255, false],
    ['fd00::2', 64, true],
    ['fd00::2', 63, false],
    ['fd00::2', 255, false],
  ] as const)('%s with TTL %d: accepted=%s (inclusive window)', (src, ttl, accepted) => {
    const v = checkUnicastSource(src, ttl, peers);
    if (accepted) expect(v).toMatchObject({ ok: true });
    else expect(v).toMatchObject({ ok: false, code: 'ttl' });
  });

  it('matches IPv6 peers in canonical form and names the window in the detail', () => {
    const v = checkUnicastSource('fd00:0::2', 10, peers);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.detail).toBe('TTL/HL 10 not in range 64 - 64 of unicast peer FD00::0002');
  });

  it('does not check an unknown TTL / hop limit (no ancillary data), like keepalived', () => {
    expect(checkUnicastSource('10.0.0.3', undefined, peers)).toMatchObject({ ok: true, peer: peers[1] });
  });

  it('min_ttl > max_ttl discards everything from that peer', () => {
    const inverted = [{ address: '10.0.0.2', minTtl: 200, maxTtl: 100 }];
    for (const ttl of [0, 100, 150, 200, 255]) expect(checkUnicastSource('10.0.0.2', ttl, inverted).ok).toBe(false);
  });

  it('the first peer with the source address decides', () => {
    const dup = [{ address: '10.0.0.2', minTtl: 255, maxTtl: 255 }, { address: '10.0.0.2', minTtl: 0, maxTtl: 255 }];
    expect(checkUnicastSource('10.0.0.2', 64, dup)).toMatchObject({ ok: false, code: 'ttl' });
  });
});
