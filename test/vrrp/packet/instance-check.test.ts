// Instance-level checks: what drops (VRID, version, v2 auth, v2 interval) and what only warns
// (v3 interval, address count/list).
import { describe, expect, it } from 'vitest';
import { authDataFromPassword, checkAdvertForInstance, type VrrpAdvertV2, type VrrpAdvertV3 } from '../../../src/vrrp/packet/index.js';

const v2: VrrpAdvertV2 = {
  version: 2, type: 1, vrid: 51, priority: 100, addrCount: 2, checksum: 0,
  addresses: ['192.0.2.100', '192.0.2.101'], authType: 1, adverIntS: 1, authData: authDataFromPassword('s3cr3t'),
};
const v3: VrrpAdvertV3 = {
  version: 3, type: 1, vrid: 7, priority: 100, addrCount: 1, checksum: 0, addresses: ['2001:db8::1'], maxAdverIntCs: 100,
};

describe('checkAdvertForInstance', () => {
  it('accepts a matching v2 PASS advert without warnings', () => {
    const r = checkAdvertForInstance(v2, {
      vrid: 51, version: 2, authType: 1, authPass: 's3cr3t', adverIntS: 1, addresses: ['192.0.2.101', '192.0.2.100'],
    });
    expect(r).toEqual({ ok: true, warnings: [] });
  });

  it('compares only the first 8 password characters, like keepalived', () => {
    const adv = { ...v2, authData: authDataFromPassword('longpassword') };
    expect(checkAdvertForInstance(adv, { vrid: 51, version: 2, authType: 1, authPass: 'longpass' }).ok).toBe(true);
    expect(checkAdvertForInstance(adv, { vrid: 51, version: 2, authType: 1, authPass: 'longpasX' }).ok).toBe(false);
  });

  it('accepts the password as raw auth bytes too', () => {
    expect(checkAdvertForInstance(v2, { vrid: 51, version: 2, authType: 1, authPass: authDataFromPassword('s3cr3t') }).ok).toBe(true);
  });

  it.each([
    ['version', { vrid: 51, version: 3 as const }, 'version-mismatch'],
    ['VRID', { vrid: 52, version: 2 as const, authType: 1, authPass: 's3cr3t' }, 'vrid'],
    ['auth type (none configured)', { vrid: 51, version: 2 as const }, 'auth-type'],
    ['password', { vrid: 51, version: 2 as const, authType: 1, authPass: 's3cr3T' }, 'auth-pass'],
    ['password missing from config', { vrid: 51, version: 2 as const, authType: 1 }, 'auth-pass'],
    ['v2 interval', { vrid: 51, version: 2 as const, authType: 1, authPass: 's3cr3t', adverIntS: 2 }, 'interval'],
  ])('drops on a %s mismatch', (_what, expectation, code) => {
    const r = checkAdvertForInstance(v2, expectation);
    expect(r).toMatchObject({ ok: false, drop: { code } });
  });

  it('checks version before VRID', () => {
    expect(checkAdvertForInstance(v2, { vrid: 9, version: 3 })).toMatchObject({ drop: { code: 'version-mismatch' } });
  });

  it('drops a v2 advert with a password when none is configured (auth type 0 vs 1)', () => {
    const plain = { ...v2, authType: 0, authData: new Uint8Array(8) };
    expect(checkAdvertForInstance(plain, { vrid: 51, version: 2, authType: 1, authPass: 's3cr3t' })).toMatchObject({ drop: { code: 'auth-type' } });
    expect(checkAdvertForInstance(plain, { vrid: 51, version: 2 }).ok).toBe(true);
  });

  it('only warns about a v3 interval mismatch', () => {
    const r = checkAdvertForInstance(v3, { vrid: 7, version: 3, adverIntCs: 50 });
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['interval-mismatch']);
    expect(r.ok && r.warnings[0]!.detail).toContain('100cs');
  });

  it('drops address count and list mismatches like keepalived 2.2.7, comparing canonical text', () => {
    const same = checkAdvertForInstance(v3, { vrid: 7, version: 3, adverIntCs: 100, addresses: ['2001:DB8:0::1'] });
    expect(same).toEqual({ ok: true, warnings: [] });
    const r = checkAdvertForInstance(v3, { vrid: 7, version: 3, addresses: ['2001:db8::1', '2001:db8::2'] });
    expect(!r.ok && r.drop.code).toBe('addr-count');
    expect(!r.ok && r.drop.detail).toBe('expected 2 VIPs but received 1');
    const r2 = checkAdvertForInstance(v2, { vrid: 51, version: 2, authType: 1, authPass: 's3cr3t', addresses: ['192.0.2.100', '192.0.2.9'] });
    expect(!r2.ok && r2.drop.code).toBe('addr-list');
    expect(!r2.ok && r2.drop.detail).toContain('not present in MASTER advert: 192.0.2.9');
  });

  it('only warns about address mismatches with skipAddressCheck (skip_check_adv_addr, same master)', () => {
    const r = checkAdvertForInstance(v3, { vrid: 7, version: 3, addresses: ['2001:db8::1', '2001:db8::2'], skipAddressCheck: true });
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['addr-count-mismatch', 'addr-list-mismatch']);
    expect(r.ok && r.warnings[1]!.detail).toContain('2001:db8::2');
    const r2 = checkAdvertForInstance(v2, { vrid: 51, version: 2, authType: 1, authPass: 's3cr3t', addresses: ['192.0.2.100', '192.0.2.9'], skipAddressCheck: true });
    expect(r2.ok && r2.warnings.map((w) => w.code)).toEqual(['addr-list-mismatch']);
  });
});
