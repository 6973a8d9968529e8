/**
 * Fuzz targets for everything we parse off netlink sockets (src/io/netlink): datagram framing
 * (decodeNlMsgs), attributes (decodeAttrs), NLMSG_ERROR/extended ACKs (decodeNlError), rtnetlink
 * address and link messages (parseAddrMsg, parseLinkMsg), the generic-netlink IPVS replies
 * (parseFamilyId, parseServiceMsg, parseDestMsg), and the request/answer bookkeeping of NetlinkChannel
 * fed hostile datagrams through a fake transport. Inputs: messages our own builders produce (the kernel
 * answers in the same layout), mutated byte-wise, and structure-aware random attribute trees.
 * Invariant: never throws; a value or a decode error with a known reason and an in-range offset.
 */
import * as fc from 'fast-check';
import {
  AF_INET,
  AF_INET6,
  IFF_UP,
  IFLA_ADDRESS,
  IFLA_IFNAME,
  IFLA_INFO_KIND,
  IFLA_LINK,
  IFLA_LINKINFO,
  IFLA_MASTER,
  IFLA_MTU,
  IFLA_OPERSTATE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  RTM_NEWADDR,
  RTM_NEWLINK,
} from '../../../src/io/netlink/constants.js';
import {
  CTRL_ATTR_FAMILY_ID,
  CTRL_ATTR_FAMILY_NAME,
  newDestRequest,
  newServiceRequest,
  parseDestMsg,
  parseFamilyId,
  parseServiceMsg,
} from '../../../src/io/netlink/ipvs-codec.js';
import type { IpvsDest, IpvsService } from '../../../src/io/netlink/ipvs-types.js';
import {
  attrNested,
  attrString,
  attrU32,
  attrU8,
  concatBytes,
  decodeAttrs,
  decodeNlError,
  decodeNlMsgs,
  encodeAttr,
  encodeNlMsg,
  type DecodeResult,
  type NlMsg,
} from '../../../src/io/netlink/nl-codec.js';
import { buildNewAddr, parseAddrMsg } from '../../../src/io/netlink/rtnl-addr-codec.js';
import { buildNewMacvlan, ifinfomsg, parseLinkMsg } from '../../../src/io/netlink/rtnl-link-codec.js';
import { NetlinkChannel, type NetlinkTransport } from '../../../src/io/netlink/socket.js';
import { applyByteOps, byteOpsArb } from '../support/bytes.js';
import { expectThat, hex, mustNotThrow, runnable, type FuzzTarget, type RunnableTarget } from '../support/target.js';

// ---- seeds: well-formed messages in the kernel's layout --------------------------------------------

const IPVS_FAMILY_ID = 0x23;

const service4: IpvsService = {
  family: 'inet', protocol: 'TCP', address: '192.0.2.10', port: 80, fwmark: 0, scheduler: 'wrr', flags: 1, timeoutSec: 300, netmask: 0xffffff00, peName: 'sip',
};
const service6: IpvsService = { ...service4, family: 'inet6', address: '2001:db8::10', netmask: 64, peName: null };
const serviceFwm: IpvsService = { ...service4, protocol: null, address: null, port: 0, fwmark: 7 };
const dest4: IpvsDest = {
  family: 'inet', address: '192.0.2.20', port: 8080, forwarding: 'TUN', weight: 3, upperThreshold: 100, lowerThreshold: 10, tunnelType: 'gue', tunnelPort: 6080, tunnelCsum: 'csum',
};
const dest6: IpvsDest = { ...dest4, family: 'inet6', address: '2001:db8::20', forwarding: 'DR', tunnelType: null, tunnelPort: null, tunnelCsum: null };

const addrSeeds: readonly Uint8Array[] = [
  buildNewAddr({
    family: 4, ifindex: 2, local: Uint8Array.of(192, 0, 2, 1), prefixLen: 24, peer: Uint8Array.of(192, 0, 2, 9), broadcast: Uint8Array.of(192, 0, 2, 255),
    label: 'eth0:vip', scope: 0, flags: 0x180, lifetimes: { preferredSec: 100, validSec: 200 }, proto: 4,
  }).body,
  buildNewAddr({ family: 6, ifindex: 3, local: Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 0xfe : i === 1 ? 0x80 : i)), prefixLen: 64, scope: 253, flags: 0x80 }).body,
];

const linkSeeds: readonly Uint8Array[] = [
  buildNewMacvlan({ name: 'vrrp.51', parentIndex: 2, mac: Uint8Array.of(0, 0, 0x5e, 0, 1, 51), mode: 4 }).body,
  concatBytes([
    ifinfomsg(7, IFF_UP, 0, AF_INET),
    attrString(IFLA_IFNAME, 'veth-a'),
    attrU32(IFLA_MTU, 1500),
    encodeAttr(IFLA_ADDRESS, Uint8Array.of(2, 0, 0, 0, 0, 1)),
    attrU8(IFLA_OPERSTATE, 6),
    attrU32(IFLA_LINK, 8),
    attrU32(IFLA_MASTER, 9),
    attrNested(IFLA_LINKINFO, [attrString(IFLA_INFO_KIND, 'veth')]),
  ]),
];

const genlSeeds: readonly Uint8Array[] = [
  newServiceRequest(IPVS_FAMILY_ID, service4).body,
  newServiceRequest(IPVS_FAMILY_ID, service6).body,
  newServiceRequest(IPVS_FAMILY_ID, serviceFwm).body,
  newDestRequest(IPVS_FAMILY_ID, service4, dest4).body,
  newDestRequest(IPVS_FAMILY_ID, service6, dest6).body,
  concatBytes([Uint8Array.of(1, 2, 0, 0), encodeAttr(CTRL_ATTR_FAMILY_ID, Uint8Array.of(IPVS_FAMILY_ID, 0)), attrString(CTRL_ATTR_FAMILY_NAME, 'IPVS')]),
];

function errorPayload(errno: number, withRequest: boolean): Uint8Array {
  const req = encodeNlMsg({ type: RTM_NEWADDR, flags: 5, seq: 42, pid: 99 }, withRequest ? addrSeeds[0]! : new Uint8Array(0));
  const err = new Uint8Array(4);
  new DataView(err.buffer).setInt32(0, errno, true);
  const head = withRequest ? req : req.subarray(0, 16);
  return concatBytes([err, head, attrString(NLMSGERR_ATTR_MSG, 'ipv4: Invalid scope value'), attrU32(NLMSGERR_ATTR_OFFS, 24)]);
}

const errorSeeds: readonly { payload: Uint8Array; flags: number }[] = [
  { payload: errorPayload(-17, false), flags: NLM_F_ACK_TLVS | NLM_F_CAPPED },
  { payload: errorPayload(-22, true), flags: NLM_F_ACK_TLVS },
  { payload: errorPayload(0, false), flags: NLM_F_CAPPED },
];

const datagramSeeds: readonly Uint8Array[] = [
  concatBytes([
    encodeNlMsg({ type: RTM_NEWADDR, flags: NLM_F_MULTI, seq: 1 }, addrSeeds[0]!),
    encodeNlMsg({ type: RTM_NEWADDR, flags: NLM_F_MULTI, seq: 1 }, addrSeeds[1]!),
    encodeNlMsg({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq: 1 }, new Uint8Array(4)),
  ]),
  concatBytes([encodeNlMsg({ type: RTM_NEWLINK, flags: 0, seq: 0 }, linkSeeds[1]!), encodeNlMsg({ type: NLMSG_ERROR, flags: errorSeeds[0]!.flags, seq: 1 }, errorSeeds[0]!.payload)]),
  encodeNlMsg({ type: IPVS_FAMILY_ID, flags: NLM_F_MULTI, seq: 1 }, genlSeeds[0]!),
];

// ---- input generators --------------------------------------------------------------------------------

const attrTypeArb = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 16 }), weight: 8 }, { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 1 });
const attrValueArb = fc.oneof(
  fc.uint8Array({ maxLength: 20 }),
  fc.constantFrom('macvlan', 'veth', 'IPVS', 'wrr', '').map((s) => new TextEncoder().encode(`${s}\0`)),
);

/** Random but well-framed attribute trees (so decoders get past the framing into the values). */
const { attrs: attrsArb } = fc.letrec<{ attr: Uint8Array; attrs: Uint8Array }>((tie) => ({
  attr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(attrTypeArb, attrValueArb).map(([t, v]) => encodeAttr(t, v)),
    fc.tuple(attrTypeArb, tie('attrs'), fc.boolean()).map(([t, inner, flag]) => encodeAttr(flag ? (t | 0x8000) & 0xffff : t, inner)),
  ),
  attrs: fc.array(tie('attr'), { maxLength: 6 }).map((parts) => concatBytes(parts)),
}));

/** A payload: fixed header + random attribute tree, or a seed mutated byte-wise, or random bytes. */
function payloadArb(headerLen: number, headerBytes: fc.Arbitrary<Uint8Array>, seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.tuple(headerBytes, attrsArb, byteOpsArb).map(([h, a, ops]) => applyByteOps(concatBytes([h.subarray(0, headerLen), a]), ops.slice(0, 1))), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...seeds), byteOpsArb).map(([s, ops]) => applyByteOps(s, ops)), weight: 3 },
    { arbitrary: fc.uint8Array({ maxLength: 96 }), weight: 1 },
  );
}

const afByte = fc.constantFrom(AF_INET, AF_INET6, 0, 7);
const addrHeaderArb = fc.tuple(afByte, fc.uint8Array({ minLength: 7, maxLength: 7 })).map(([af, rest]) => Uint8Array.from([af, ...rest]));
const linkHeaderArb = fc.uint8Array({ minLength: 16, maxLength: 16 });
const genlHeaderArb = fc.uint8Array({ minLength: 4, maxLength: 4 });

// ---- invariants ---------------------------------------------------------------------------------------

const REASONS: ReadonlySet<string> = new Set(['truncated', 'bad-length', 'bad-value']);

function checkResult<T>(what: string, res: DecodeResult<T>, inputLen: number, onValue: (v: T) => void): void {
  expectThat(typeof res === 'object' && res !== null, `${what} returned a non-object`);
  if (res.ok) {
    onValue(res.value);
    return;
  }
  expectThat(REASONS.has(res.error.reason), `${what}: unknown reason ${String(res.error.reason)}`);
  expectThat(Number.isInteger(res.error.offset) && res.error.offset >= 0 && res.error.offset <= inputLen, `${what}: offset ${res.error.offset} outside 0..${inputLen}`);
  expectThat(typeof res.error.detail === 'string' && res.error.detail.length > 0, `${what}: empty detail`);
}

const u32 = (x: number | undefined): boolean => x === undefined || (Number.isInteger(x) && x >= 0 && x <= 0xffffffff);

function bytesTarget(name: string, arbitrary: fc.Arbitrary<Uint8Array>, check: (b: Uint8Array) => void): FuzzTarget<Uint8Array> {
  return { name, arbitrary, describe: hex, check };
}

const nlMsgsTarget = bytesTarget(
  'netlink.decodeNlMsgs',
  payloadArb(0, fc.constant(new Uint8Array(0)), datagramSeeds),
  (b) => {
    const res = mustNotThrow('decodeNlMsgs', () => decodeNlMsgs(b));
    checkResult('decodeNlMsgs', res, b.length, (msgs) => {
      let covered = 0;
      for (const m of msgs) {
        expectThat(m.header.length >= 16 && m.payload.length === m.header.length - 16, `message length ${m.header.length} with ${m.payload.length} payload bytes`);
        covered += (m.header.length + 3) & ~3;
      }
      expectThat(covered >= b.length && covered - b.length <= 3, `messages cover ${covered} of ${b.length} bytes`);
    });
  },
);

const attrsTarget = bytesTarget('netlink.decodeAttrs', payloadArb(0, fc.constant(new Uint8Array(0)), [...addrSeeds.map((s) => s.subarray(8)), ...linkSeeds.map((s) => s.subarray(16))]), (b) => {
  const res = mustNotThrow('decodeAttrs', () => decodeAttrs(b));
  checkResult('decodeAttrs', res, b.length, (attrs) => {
    let total = 0;
    for (const a of attrs) {
      expectThat(a.type >= 0 && a.type <= 0x3fff, `attribute type ${a.type}`);
      total += (a.value.length + 4 + 3) & ~3;
    }
    expectThat(total <= b.length + 3, `attributes claim ${total} of ${b.length} bytes`);
  });
});

interface ErrorCase {
  readonly payload: Uint8Array;
  readonly flags: number;
}

const nlErrorTarget: FuzzTarget<ErrorCase> = {
  name: 'netlink.decodeNlError',
  arbitrary: fc.oneof(
    fc.tuple(fc.constantFrom(...errorSeeds), byteOpsArb, fc.boolean(), fc.integer({ min: 0, max: 0xffff })).map(([s, ops, keepFlags, flags]) => ({
      payload: applyByteOps(s.payload, ops),
      flags: keepFlags ? s.flags : flags,
    })),
    fc.record({ payload: fc.uint8Array({ maxLength: 80 }), flags: fc.constantFrom(0, NLM_F_ACK_TLVS, NLM_F_ACK_TLVS | NLM_F_CAPPED, NLM_F_CAPPED) }),
  ),
  describe: (c) => `flags=0x${c.flags.toString(16)} payload=${hex(c.payload)}`,
  check: (c) => {
    const res = mustNotThrow('decodeNlError', () => decodeNlError(c.payload, c.flags));
    checkResult('decodeNlError', res, c.payload.length, (e) => {
      expectThat(Number.isInteger(e.error), `errno ${e.error}`);
      expectThat(e.extackMessage === undefined || typeof e.extackMessage === 'string', 'extack message type');
      expectThat(u32(e.extackOffset), `extack offset ${e.extackOffset}`);
    });
  },
};

const addrMsgTarget = bytesTarget('netlink.parseAddrMsg', payloadArb(8, addrHeaderArb, addrSeeds), (b) => {
  const res = mustNotThrow('parseAddrMsg', () => parseAddrMsg(b));
  checkResult('parseAddrMsg', res, b.length, (a) => {
    if (a === null) return;
    expectThat(a.family === 4 || a.family === 6, `family ${a.family}`);
    expectThat(typeof a.address === 'string' && a.address.length > 0, 'empty address');
    expectThat(u32(a.ifindex) && u32(a.flags) && a.prefixLen <= 255 && a.scope <= 255, `header fields ${JSON.stringify(a)}`);
  });
});

const linkMsgTarget = bytesTarget('netlink.parseLinkMsg', payloadArb(16, linkHeaderArb, linkSeeds), (b) => {
  const res = mustNotThrow('parseLinkMsg', () => parseLinkMsg(b));
  checkResult('parseLinkMsg', res, b.length, (l) => {
    expectThat(Number.isInteger(l.index) && u32(l.flags) && l.linkType <= 0xffff, 'header fields');
    expectThat(u32(l.mtu) && u32(l.linkIndex) && u32(l.masterIndex), 'u32 attributes');
    expectThat(l.name === undefined || typeof l.name === 'string', 'name type');
  });
});

function genlMsg(payload: Uint8Array): NlMsg {
  return { header: { length: 16 + payload.length, type: IPVS_FAMILY_ID, flags: NLM_F_MULTI, seq: 1, pid: 0 }, payload };
}

const genlPayloadArb = payloadArb(4, genlHeaderArb, genlSeeds);

const familyIdTarget = bytesTarget('ipvs.parseFamilyId', genlPayloadArb, (b) => {
  const res = mustNotThrow('parseFamilyId', () => parseFamilyId(genlMsg(b)));
  checkResult('parseFamilyId', res, b.length, (id) => expectThat(Number.isInteger(id) && id >= 0 && id <= 0xffff, `family id ${id}`));
});

const serviceTarget = bytesTarget('ipvs.parseServiceMsg', genlPayloadArb, (b) => {
  const res = mustNotThrow('parseServiceMsg', () => parseServiceMsg(genlMsg(b)));
  checkResult('parseServiceMsg', res, b.length, (s) => {
    expectThat(s.family === 'inet' || s.family === 'inet6', `family ${s.family}`);
    expectThat(s.fwmark !== 0 ? s.address === null && s.protocol === null : true, 'fwmark service with an address');
    expectThat(s.port >= 0 && s.port <= 0xffff && u32(s.fwmark) && u32(s.flags) && u32(s.timeoutSec) && u32(s.netmask), `numbers ${JSON.stringify(s)}`);
    expectThat(typeof s.scheduler === 'string', 'scheduler type');
  });
});

interface DestCase {
  readonly payload: Uint8Array;
  readonly family: 'inet' | 'inet6';
}

const destTarget: FuzzTarget<DestCase> = {
  name: 'ipvs.parseDestMsg',
  arbitrary: fc.record({ payload: genlPayloadArb, family: fc.constantFrom('inet' as const, 'inet6' as const) }),
  describe: (c) => `${c.family} ${hex(c.payload)}`,
  check: (c) => {
    const res = mustNotThrow('parseDestMsg', () => parseDestMsg(genlMsg(c.payload), c.family));
    checkResult('parseDestMsg', res, c.payload.length, (d) => {
      expectThat(d.family === 'inet' || d.family === 'inet6', `family ${d.family}`);
      expectThat(typeof d.address === 'string' && d.address.length > 0, 'empty address');
      expectThat(['NAT', 'DR', 'TUN', 'LOCAL', 'BYPASS'].includes(d.forwarding), `forwarding ${d.forwarding}`);
      expectThat(d.port >= 0 && d.port <= 0xffff && Number.isInteger(d.weight), `numbers ${JSON.stringify(d)}`);
      expectThat((d.forwarding === 'TUN') === (d.tunnelType !== null), 'tunnel fields without TUN');
    });
  },
};

// ---- NetlinkChannel fed hostile datagrams ------------------------------------------------------------

interface ChannelCase {
  readonly datagrams: readonly { readonly bytes: Uint8Array; readonly fromPort: number; readonly truncated: boolean }[];
  readonly expect: 'ack' | 'dump';
}

const FIRST_SEQ = 1000;

/** Messages aimed at the channel's first request (seq FIRST_SEQ + 1), so the bookkeeping paths run. */
const answerArb: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.constantFrom(NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN, RTM_NEWADDR, RTM_NEWLINK),
    fc.constantFrom(0, NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_ACK_TLVS, NLM_F_ACK_TLVS | NLM_F_CAPPED),
    fc.constantFrom(FIRST_SEQ + 1, FIRST_SEQ + 1, 0, 7),
    fc.oneof(fc.constantFrom(...addrSeeds, ...errorSeeds.map((e) => e.payload), new Uint8Array(4), Uint8Array.of(0xfe, 0xff, 0xff, 0xff)), fc.uint8Array({ maxLength: 40 })),
  )
  .map(([type, flags, seq, payload]) => encodeNlMsg({ type, flags, seq }, payload));

const datagramArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(fc.array(answerArb, { minLength: 1, maxLength: 4 }), byteOpsArb).map(([msgs, ops]) => applyByteOps(concatBytes(msgs), ops.slice(0, 2))),
  fc.array(answerArb, { minLength: 1, maxLength: 4 }).map((msgs) => concatBytes(msgs)),
  fc.tuple(fc.constantFrom(...datagramSeeds), byteOpsArb).map(([s, ops]) => applyByteOps(s, ops)),
);

class FakeTransport implements NetlinkTransport {
  readonly localPort = 4242;
  listener: ((d: Uint8Array, port: number, truncated: boolean) => void) | undefined;
  send(): Promise<void> {
    return Promise.resolve();
  }
  onDatagram(l: (d: Uint8Array, port: number, truncated: boolean) => void): void {
    this.listener = l;
  }
  onError(): void {}
  addMembership(): void {}
  setReferenced(): void {}
  close(): void {}
}

const channelTarget: FuzzTarget<ChannelCase> = {
  name: 'netlink.NetlinkChannel.receive',
  arbitrary: fc.record({
    datagrams: fc.array(fc.record({ bytes: datagramArb, fromPort: fc.constantFrom(0, 0, 0, 77), truncated: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }) }), { minLength: 1, maxLength: 4 }),
    expect: fc.constantFrom('ack' as const, 'dump' as const),
  }),
  describe: (c) => `${c.expect} ${c.datagrams.map((d) => `${d.fromPort}${d.truncated ? 'T' : ''}:${hex(d.bytes)}`).join(' ')}`,
  check: (c) => {
    const transport = new FakeTransport();
    const channel = new NetlinkChannel(transport, { firstSeq: FIRST_SEQ, timeoutMs: 60_000, dumpAttempts: 1 });
    let notified = 0;
    let problems = 0;
    channel.onNotification(() => notified++);
    channel.onProblem(() => problems++);
    // The request's outcome is irrelevant here (answered, refused or closed); it must just not throw.
    channel.execute({ type: RTM_NEWADDR, flags: 5, body: new Uint8Array(8), expect: c.expect }).catch(() => undefined);
    const feed = transport.listener;
    expectThat(feed !== undefined, 'channel did not subscribe to datagrams');
    let undecodable = 0;
    for (const d of c.datagrams) {
      if (d.fromPort === 0 && (d.truncated || !decodeNlMsgs(d.bytes).ok)) undecodable++;
      mustNotThrow('NetlinkChannel receive', () => feed(d.bytes, d.fromPort, d.truncated));
    }
    mustNotThrow('NetlinkChannel close', () => channel.close());
    // Damaged kernel datagrams are reported (onProblem), never silently dropped.
    expectThat(problems >= undecodable, `${undecodable} undecodable datagrams but ${problems} problems reported`);
    expectThat(notified <= c.datagrams.reduce((n, d) => n + d.bytes.length, 0), 'more notifications than bytes');
  },
};

export const netlinkTargets: readonly RunnableTarget[] = [
  runnable(nlMsgsTarget),
  runnable(attrsTarget),
  runnable(nlErrorTarget),
  runnable(addrMsgTarget),
  runnable(linkMsgTarget),
  runnable(familyIdTarget),
  runnable(serviceTarget),
  runnable(destTarget),
  runnable(channelTarget),
];
