/** Wire → codec → instance check → summary → detector, with packets built by the project's encoder. */
import { describe, expect, it } from 'vitest';
import { authDataFromPassword, checkAdvertForInstance, decodeAdvert, encodeAdvert, type VrrpAdvert } from '../../src/vrrp/packet/index.js';
import { summarizeAdvert } from '../../src/ops/advert-summary.js';
import { SplitBrainDetector } from '../../src/ops/split-brain.js';

const PEER = '192.168.50.2';
const GROUP = '224.0.0.18';

function v2(priority: number, password: string, adverIntS = 1, addresses = ['192.168.50.100']): VrrpAdvert {
  return {
    version: 2, type: 1, vrid: 42, priority, addrCount: addresses.length, checksum: 0, addresses,
    authType: 1, adverIntS, authData: authDataFromPassword(password),
  };
}

/** What the daemon's receive path would do for one packet from PEER. */
function receive(bytes: Uint8Array, skipAddressCheck = false) {
  const d = decodeAdvert(bytes, { family: 4, srcAddr: PEER, dstAddr: GROUP, ttl: 255 });
  if (!d.ok) throw new Error(d.drop.detail);
  const verdict = checkAdvertForInstance(d.advert, {
    vrid: 42, version: 2, authType: 1, authPass: 'secret', adverIntS: 1, addresses: ['192.168.50.100'], skipAddressCheck,
  });
  return summarizeAdvert(PEER, d.advert, verdict);
}

describe('summarizeAdvert', () => {
  it('accepted adverts carry the priority, interval and warnings', () => {
    const wire = encodeAdvert(v2(120, 'secret', 1, ['192.168.50.100', '192.168.50.101']), { family: 4, srcAddr: PEER, dstAddr: GROUP });
    // skip_check_adv_addr with the known master: the extra address is only a warning …
    expect(receive(wire, true)).toEqual({
      srcAddr: PEER, vrid: 42, version: 2, priority: 120, adverIntervalCs: 100, warnings: ['addr-count-mismatch'],
    });
    // … otherwise keepalived 2.2.7 drops the advert.
    expect(receive(wire)).toMatchObject({ drop: 'addr-count', priority: 120 });
  });

  it('a peer with another password, seen while MASTER, raises auth-mismatch then dual-master', () => {
    const det = new SplitBrainDetector({ instance: 'VI_1', vrid: 42, version: 2, adverIntervalCs: 100 });
    const wire = encodeAdvert(v2(100, 'wrong'), { family: 4, srcAddr: PEER, dstAddr: GROUP });
    const s = receive(wire);
    expect(s).toMatchObject({ drop: 'auth-pass', priority: 100 });
    const kinds = [
      ...det.advertReceived(0, 'MASTER', 100, s),
      ...det.advertReceived(1_000_000, 'MASTER', 100, receive(wire)),
    ].map((e) => `${e.type}:${e.finding.kind}`);
    expect(kinds).toEqual(['raised:auth-mismatch', 'raised:dual-master']);
  });

  it('v2 interval mismatch is a drop with the peer interval', () => {
    const s = receive(encodeAdvert(v2(100, 'secret', 3), { family: 4, srcAddr: PEER, dstAddr: GROUP }));
    expect(s).toMatchObject({ drop: 'interval', adverIntervalCs: 300 });
  });

  it('v3 adverts report Max Adver Int in centiseconds', () => {
    const adv: VrrpAdvert = { version: 3, type: 1, vrid: 42, priority: 90, addrCount: 1, checksum: 0, addresses: ['192.168.50.100'], maxAdverIntCs: 50 };
    const d = decodeAdvert(encodeAdvert(adv, { family: 4, srcAddr: PEER, dstAddr: GROUP }), { family: 4, srcAddr: PEER, dstAddr: GROUP, ttl: 255 });
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const s = summarizeAdvert(PEER, d.advert, checkAdvertForInstance(d.advert, { vrid: 42, version: 2 }));
    expect(s).toEqual({ srcAddr: PEER, vrid: 42, version: 3, priority: 90, adverIntervalCs: 50, drop: 'version-mismatch' });
  });
});
