// ChecksumFormTally: per-peer form counts, switches and mixed groups.
import { describe, expect, it } from 'vitest';
import { ChecksumFormTally } from '../../../src/vrrp/packet/index.js';

describe('ChecksumFormTally', () => {
  it('counts per peer and reports new peers and form changes', () => {
    const t = new ChecksumFormTally();
    expect(t.record('192.0.2.2', 'pseudo')).toEqual({ newPeer: true, formChanged: false });
    expect(t.record('192.0.2.2', 'pseudo')).toEqual({ newPeer: false, formChanged: false, previousForm: 'pseudo' });
    expect(t.record('192.0.2.2', 'v2-style')).toEqual({ newPeer: false, formChanged: true, previousForm: 'pseudo' });
    expect(t.countsFor('192.0.2.2')).toEqual({ v2: 0, pseudo: 2, 'v2-style': 1, 'legacy-unicast': 0 });
    expect(t.lastFormOf('192.0.2.2')).toBe('v2-style');
    expect(t.countsFor('192.0.2.99')).toEqual({ v2: 0, pseudo: 0, 'v2-style': 0, 'legacy-unicast': 0 });
    expect(t.lastFormOf('192.0.2.99')).toBeUndefined();
  });

  it('detects a mixed group from the latest form of each peer', () => {
    const t = new ChecksumFormTally();
    t.record('a', 'pseudo');
    t.record('b', 'pseudo');
    expect(t.isMixed()).toBe(false);
    t.record('c', 'v2-style');
    expect(t.isMixed()).toBe(true);
    expect([...t.formsInUse()].sort()).toEqual(['pseudo', 'v2-style']);
    expect(t.peers()).toEqual(['a', 'b', 'c']);
    expect(t.totals()).toEqual({ v2: 0, pseudo: 2, 'v2-style': 1, 'legacy-unicast': 0 });
    expect(t.forget('c')).toBe(true);
    expect(t.isMixed()).toBe(false);
    t.clear();
    expect(t.peers()).toEqual([]);
  });

  it('returns copies, not live counters', () => {
    const t = new ChecksumFormTally();
    t.record('a', 'v2');
    const snap = t.countsFor('a');
    t.record('a', 'v2');
    expect(snap.v2).toBe(1);
    expect(t.countsFor('a').v2).toBe(2);
  });
});
