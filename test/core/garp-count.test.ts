import { describe, expect, it } from 'vitest';
import { buildGratuitousArp } from '../../src/io/arp/garp-frame.js';
import { buildUnsolicitedNa } from '../../src/io/arp/una-frame.js';
import { announcedAddress, countingFrameSender } from '../../src/core/garp-count.js';

const MAC = '02:00:00:00:00:01';

describe('GARP/NA frame accounting', () => {
  it('reads the announced address of a GARP and of an unsolicited NA', () => {
    expect(announcedAddress(buildGratuitousArp({ sourceMac: MAC, address: '10.0.0.200' }))).toBe('10.0.0.200');
    expect(announcedAddress(buildUnsolicitedNa({ sourceMac: MAC, address: 'fd00::200', router: false }))).toBe('fd00::200');
    expect(announcedAddress(new Uint8Array(10))).toBeUndefined();
  });

  it('counts sent frames for the owner of the address, not failed sends or unknown addresses', () => {
    const owners = new Map([['10.0.0.200', 'VI_1']]);
    const counted: string[] = [];
    let fail = false;
    const s = countingFrameSender(
      { sendFrame: (_i, f) => { if (fail) throw new Error('ENETDOWN'); return f.length; } },
      (a) => owners.get(a),
      (o) => counted.push(o),
    );
    s.sendFrame(2, buildGratuitousArp({ sourceMac: MAC, address: '10.0.0.200' }));
    s.sendFrame(2, buildGratuitousArp({ sourceMac: MAC, address: '10.0.0.201' }));
    fail = true;
    expect(() => s.sendFrame(2, buildGratuitousArp({ sourceMac: MAC, address: '10.0.0.200' }))).toThrow('ENETDOWN');
    expect(counted).toEqual(['VI_1']);
  });
});
