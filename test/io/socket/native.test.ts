// The native addon's loader and error surface (errno names as `code`), without privileges.
import { describe, expect, it } from 'vitest';
import { NativeAddonMissingError, isNativeSyscallError, loadNative, nativeAddonCandidates, nativeAvailable } from '../../../src/io/native/index.js';

describe('native addon loader', () => {
  it('looks for build/Release/kts_native.node walking up from the module', () => {
    const c = nativeAddonCandidates('/repo/dist/src/io/native');
    expect(c).toContain('/repo/build/Release/kts_native.node');
    expect(c[0]).not.toBe('/build/Release/kts_native.node');
  });

  it('explains how to build it when missing', () => {
    const err = new NativeAddonMissingError(['/nowhere/kts_native.node'], undefined);
    expect(err.code).toBe('KTS_NATIVE_MISSING');
    expect(err.message).toMatch(/npm ci/);
    expect(err.message).toMatch(/\/nowhere\/kts_native\.node/);
  });
});

describe.skipIf(!nativeAvailable())('native addon calls', () => {
  it('maps errno to code and names the syscall', () => {
    const native = loadNative();
    let caught: unknown;
    try {
      native.closeFd(987654);
    } catch (err) {
      caught = err;
    }
    expect(isNativeSyscallError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'EBADF', syscall: 'close' });
  });

  it('validates arguments with KTS_NATIVE_ARG', () => {
    const native = loadNative();
    expect(() => native.sendTo(0, Buffer.alloc(1), Buffer.alloc(5), 0)).toThrow(expect.objectContaining({ code: 'KTS_NATIVE_ARG' }));
    expect(() => native.packetSend(0, 1, Buffer.alloc(3))).toThrow(/shorter than an Ethernet header/);
  });

  it('resolves interface names', () => {
    expect(loadNative().ifNameToIndex('lo')).toBeGreaterThan(0);
    expect(loadNative().ifNameToIndex('kts-none0')).toBe(0);
  });
});
