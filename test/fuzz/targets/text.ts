/**
 * Fuzz targets for the small text parsers that see untrusted text: IP address literals (the packet
 * codec's src/vrrp/packet/ip-address.ts and netlink's src/io/netlink/inet.ts — they must agree, and
 * format → parse must round-trip) and tracked-file values (src/check/track-file.ts,
 * src/core/file-trackers.ts). Never throw; results are consistent.
 */
import * as fc from 'fast-check';
import { parseTrackFileValue as checkTrackFileValue } from '../../../src/check/track-file.js';
import { parseTrackFileValue as coreTrackFileValue } from '../../../src/core/file-trackers.js';
import { formatIp, parseIpv4 as nlParseIpv4, parseIpv6 as nlParseIpv6 } from '../../../src/io/netlink/inet.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../../src/vrrp/packet/index.js';
import { expectThat, hex, mustNotThrow, runnable, type FuzzTarget, type RunnableTarget } from '../support/target.js';

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.length === b.length && a.every((v, i) => v === b[i]);

const ipTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4Extended(),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6(b)),
  fc.constantFrom('::', '::1', '1::', ':::', '1:::2', '::ffff:1.2.3.4', '::1.2.3.4', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', 'fe80::1%eth0', '01.2.3.4', '1.2.3.04', '256.1.1.1', '1.2.3', '0x1.2.3.4', ' 1.2.3.4', '1.2.3.4 ', '::ffff:256.1.1.1', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '12345::', 'g::'),
  fc.stringMatching(/^[0-9a-fA-F:.]{0,46}$/),
);

export const ipTextTarget: FuzzTarget<string> = {
  name: 'text.ip-literals',
  arbitrary: ipTextArb,
  check: (text) => {
    const v4 = mustNotThrow('parseIpv4', () => parseIpv4(text));
    const v6 = mustNotThrow('parseIpv6', () => parseIpv6(text));
    const nl4 = mustNotThrow('netlink parseIpv4', () => nlParseIpv4(text));
    const nl6 = mustNotThrow('netlink parseIpv6', () => nlParseIpv6(text));
    expectThat(same(v4, nl4), `IPv4 parsers disagree on '${text}': ${v4 ? hex(v4) : 'invalid'} vs ${nl4 ? hex(nl4) : 'invalid'}`);
    expectThat(same(v6, nl6), `IPv6 parsers disagree on '${text}': ${v6 ? hex(v6) : 'invalid'} vs ${nl6 ? hex(nl6) : 'invalid'}`);
    if (v4 !== undefined) expectThat(same(parseIpv4(formatIpv4(v4)), v4), `IPv4 '${text}' does not round-trip`);
    if (v6 !== undefined) {
      const canon = formatIpv6(v6);
      expectThat(same(parseIpv6(canon), v6), `IPv6 '${text}' → '${canon}' does not parse back`);
      // The two formatters differ on purpose for IPv4-compatible addresses (RFC 5952 `::102:304` vs glibc
      // `::1.2.3.4`), so only each one's round trip is checked.
      expectThat(same(nlParseIpv6(formatIp(v6)), v6), `IPv6 '${text}' → netlink '${formatIp(v6)}' does not parse back`);
    }
  },
};

export const ipBytesTarget: FuzzTarget<Uint8Array> = {
  name: 'text.ip-format-roundtrip',
  arbitrary: fc.oneof(
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    // Mostly-zero addresses exercise the "::" choice and the IPv4-mapped/compatible forms.
    fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xff), fc.integer({ min: 0, max: 255 })), { minLength: 16, maxLength: 16 }).map((a) => Uint8Array.from(a)),
  ),
  describe: hex,
  check: (b) => {
    const text = mustNotThrow('formatIpv6', () => formatIpv6(b));
    expectThat(same(parseIpv6(text), b), `${hex(b)} → '${text}' does not parse back`);
    expectThat(same(nlParseIpv6(formatIp(b)), b), `${hex(b)} → netlink '${formatIp(b)}' does not parse back`);
  },
};

export const trackFileTarget: FuzzTarget<string> = {
  name: 'text.track-file-value',
  arbitrary: fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('0', '-0', '+5', ' 42\n', '0x10', '010', '08', '2147483648', '-2147483649', '99999999999999999999', '1e3', '', '\n', ' - 3', '0x', '+-1'),
    fc.integer().map(String),
  ),
  check: (text) => {
    const a = mustNotThrow('check parseTrackFileValue', () => checkTrackFileValue(text));
    const b = mustNotThrow('core parseTrackFileValue', () => coreTrackFileValue(text));
    expectThat(a === undefined || Number.isInteger(a), `check/track-file: '${text}' → ${a}`);
    expectThat(a === b, `core/file-trackers and check/track-file read '${text}' alike: ${a} vs ${b}`);
  },
};

export const textTargets: readonly RunnableTarget[] = [runnable(ipTextTarget), runnable(ipBytesTarget), runnable(trackFileTarget)];
