import { describe, expect, it } from 'vitest';
import { latenessOf, parseTcpdumpLine, type WireAdvert } from './adverts.js';

describe('wire adverts', () => {
  it('parses tcpdump VRRPv3 and VRRPv2 advertisement lines, ignores others', () => {
    expect(parseTcpdumpLine('1764066000.123456 IP 10.213.0.11 > 224.0.0.18: VRRPv3, Advertisement, vrid 7, prio 150, intvl 10cs, length 12'))
      .toEqual({ tUs: 1764066000123456, src: '10.213.0.11', version: 3, vrid: 7, priority: 150 });
    expect(parseTcpdumpLine('1764066000.000001 IP 10.0.0.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 0, authtype none, intvl 1s, length 20'))
      ?.toMatchObject({ version: 2, vrid: 51, priority: 0, tUs: 1764066000000001 });
    expect(parseTcpdumpLine('listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes')).toBeUndefined();
    expect(parseTcpdumpLine('1764066000.000001 ARP, Request who-has 10.0.0.1 tell 10.0.0.2, length 28')).toBeUndefined();
  });

  it('lateness is the gap to the previous advert of the same VRID minus the interval', () => {
    const a = (vrid: number, tUs: number): WireAdvert => ({ tUs, src: 'x', version: 3, vrid, priority: 150 });
    // vrid 1: gaps 100 100 (+0, +0) then 130 (+30 000); vrid 2 interleaved: gaps 90 (−10 000) and 100.
    const adverts = [a(1, 0), a(2, 5_000), a(1, 100_000), a(2, 95_000), a(1, 200_000), a(2, 195_000), a(1, 330_000)];
    const s = latenessOf(adverts, 100_000, 1_000_000);
    expect(s.adverts).toBe(7);
    expect(s.vrids).toBe(2);
    expect(s.ratePerS).toBe(7);
    expect(s.p50Us).toBe(0);
    expect(s.maxUs).toBe(30_000);
    expect(s.p99Us).toBe(30_000);
    expect(s.meanUs).toBe(4_000);
  });

  it('no pairs → NaN figures', () => {
    const s = latenessOf([{ tUs: 1, src: 'x', version: 3, vrid: 1, priority: 1 }], 100_000, 0);
    expect(s.p50Us).toBeNaN();
    expect(s.ratePerS).toBeNaN();
  });
});
