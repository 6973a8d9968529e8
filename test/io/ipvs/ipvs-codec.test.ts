/**
 * IPVS generic-netlink messages byte for byte against <linux/ip_vs.h>: the expected bytes below are
 * written by hand from the header (attribute numbers, nesting, struct ip_vs_flags, be16 ports,
 * 16-byte union nf_inet_addr), not produced by the encoder. Netlink is host order (x86: little).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeNlMsg, HOST_LITTLE_ENDIAN, type NlMsg } from '../../../src/io/netlink/nl-codec.js';
import {
  delDestRequest,
  getDestsRequest,
  getFamilyRequest,
  getServicesRequest,
  newDestRequest,
  newServiceRequest,
  parseDestMsg,
  parseFamilyId,
  parseServiceMsg,
  setServiceRequest,
} from '../../../src/io/netlink/ipvs-codec.js';
import { IpvsClient, IpvsUnavailableError } from '../../../src/io/netlink/ipvs-client.js';
import type { NlRequest } from '../../../src/io/netlink/nl-request.js';
import type { NetlinkTransport } from '../../../src/io/netlink/socket.js';
import type { IpvsDest, IpvsService } from '../../../src/io/netlink/ipvs-types.js';

const hex = (s: string): Uint8Array => Uint8Array.from((s.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const frame = (r: NlRequest, seq = 1): string => toHex(encodeNlMsg({ type: r.type, flags: r.flags, seq, pid: 0 }, r.body));

const FAMILY = 0x25;
const tcp80: IpvsService = { family: 'inet', protocol: 'TCP', address: '10.0.0.1', port: 80, fwmark: 0, scheduler: 'rr', flags: 0, timeoutSec: 0, netmask: 0xffffffff, peName: null };
const rs: IpvsDest = { family: 'inet', address: '192.168.0.2', port: 8080, forwarding: 'DR', weight: 3, upperThreshold: 0, lowerThreshold: 0, tunnelType: null, tunnelPort: null, tunnelCsum: null };

const SVC_ID_TCP80 = [
  '06000100 02000000', // AF = AF_INET (2), u16 + 2 pad
  '06000200 06000000', // PROTOCOL = IPPROTO_TCP
  '14000300 0a000001 00000000 00000000 00000000', // ADDR: 16-byte nf_inet_addr
  '06000400 00500000', // PORT 80, network order
].join('');

describe.runIf(HOST_LITTLE_ENDIAN)('IPVS genl requests (little-endian host)', () => {
  it('CTRL_CMD_GETFAMILY "IPVS"', () => {
    expect(frame(getFamilyRequest())).toBe(
      toHex(hex(`20000000 1000 0500 01000000 00000000` + `03010000` + `09000200 49505653 00000000`)),
    );
  });

  it('IPVS_CMD_NEW_SERVICE TCP 10.0.0.1:80 rr', () => {
    const svc = SVC_ID_TCP80 + '07000600 72720000' + '0c000700 00000000 ffffffff' + '08000800 00000000' + '08000900 ffffffff';
    expect(frame(newServiceRequest(FAMILY, tcp80))).toBe(toHex(hex(`68000000 2500 0500 01000000 00000000` + `01010000` + `54000100` + svc)));
  });

  it('IPVS_CMD_SET_SERVICE fwmark 7 IPv6, wlc, persistent 300, netmask as a plain prefix length', () => {
    const s: IpvsService = { family: 'inet6', protocol: null, address: null, port: 0, fwmark: 7, scheduler: 'wlc', flags: 1, timeoutSec: 300, netmask: 128, peName: null };
    const svc = '06000100 0a000000' + '08000500 07000000' + '08000600 776c6300' + '0c000700 01000000 ffffffff' + '08000800 2c010000' + '08000900 80000000';
    expect(frame(setServiceRequest(FAMILY, s))).toBe(toHex(hex(`4c000000 2500 0500 01000000 00000000` + `02010000` + `38000100` + svc)));
  });

  it('IPVS_CMD_NEW_DEST 192.168.0.2:8080 DR weight 3 into TCP 10.0.0.1:80', () => {
    const dest = [
      '14000100 c0a80002 00000000 00000000 00000000', // ADDR
      '06000b00 02000000', // ADDR_FAMILY
      '06000200 1f900000', // PORT 8080 network order
      '08000300 03000000', // FWD_METHOD = IP_VS_CONN_F_DROUTE
      '08000400 03000000', // WEIGHT
      '08000500 00000000', // U_THRESH
      '08000600 00000000', // L_THRESH
    ].join('');
    expect(frame(newDestRequest(FAMILY, tcp80, rs))).toBe(toHex(hex(`8c000000 2500 0500 01000000 00000000` + `05010000` + `30000100` + SVC_ID_TCP80 + `48000200` + dest)));
  });

  it('TUN dest carries TUN_TYPE, TUN_PORT (be16) and TUN_FLAGS', () => {
    const tun: IpvsDest = { ...rs, forwarding: 'TUN', tunnelType: 'gue', tunnelPort: 6080, tunnelCsum: 'remcsum' };
    const body = frame(newDestRequest(FAMILY, tcp80, tun));
    expect(body).toContain(toHex(hex('08000300 02000000'))); // IP_VS_CONN_F_TUNNEL
    expect(body).toContain(toHex(hex('05000d00 01000000 06000e00 17c00000 06000f00 02000000')));
  });

  it('IPVS_CMD_DEL_DEST sends only the dest identity', () => {
    const dest = '14000100 c0a80002 00000000 00000000 00000000' + '06000b00 02000000' + '06000200 1f900000';
    expect(frame(delDestRequest(FAMILY, tcp80, rs))).toBe(toHex(hex(`6c000000 2500 0500 01000000 00000000` + `07010000` + `30000100` + SVC_ID_TCP80 + `28000200` + dest)));
  });

  it('GET_SERVICE / GET_DEST are dumps', () => {
    expect(frame(getServicesRequest(FAMILY))).toBe(toHex(hex(`14000000 2500 0503 01000000 00000000 04010000`)));
    expect(frame(getDestsRequest(FAMILY, tcp80))).toBe(toHex(hex(`44000000 2500 0503 01000000 00000000 08010000 30000100` + SVC_ID_TCP80)));
  });

  it('parses kernel dump replies', () => {
    const svcMsg: NlMsg = {
      header: { length: 0, type: FAMILY, flags: 2, seq: 1, pid: 0 },
      payload: hex('04010000 5c000100' + SVC_ID_TCP80 + '08000600 73680000' + '0c000700 03000000 ffffffff' + '08000800 32000000' + '08000900 ffffff00' + '08000b00 73697000'),
    };
    expect(parseServiceMsg(svcMsg)).toEqual({
      ok: true,
      value: { family: 'inet', protocol: 'TCP', address: '10.0.0.1', port: 80, fwmark: 0, scheduler: 'sh', flags: 3, timeoutSec: 50, netmask: 0xffffff00, peName: 'sip' },
    });
    const destMsg: NlMsg = {
      header: { length: 0, type: FAMILY, flags: 2, seq: 1, pid: 0 },
      payload: hex('08010000 40000200' + '14000100 c0a80002 00000000 00000000 00000000' + '06000200 1f900000' + '08000300 00000000' + '08000400 05000000' + '08000700 09000000' + '08000800 02000000'),
    };
    expect(parseDestMsg(destMsg, 'inet')).toMatchObject({ ok: true, value: { address: '192.168.0.2', port: 8080, forwarding: 'NAT', weight: 5, activeConns: 9, inactiveConns: 2 } });
    expect(parseFamilyId({ header: { length: 0, type: 0x10, flags: 0, seq: 1, pid: 0 }, payload: hex('01020000 06000100 25000000') })).toEqual({ ok: true, value: 0x25 });
  });

  it('never throws on garbage', () => {
    const junk: NlMsg = { header: { length: 0, type: FAMILY, flags: 0, seq: 0, pid: 0 }, payload: hex('0401 ffff 0100 0100') };
    expect(parseServiceMsg(junk).ok).toBe(false);
    expect(parseDestMsg({ ...junk, payload: new Uint8Array(0) }, 'inet').ok).toBe(false);
  });
});

/** A scripted kernel: answers each request via `reply(seq, request bytes)`. */
function fakeTransport(reply: (req: Uint8Array) => Uint8Array[]): NetlinkTransport & { sent: Uint8Array[] } {
  let listener: ((d: Uint8Array, port: number, truncated: boolean) => void) | undefined;
  const sent: Uint8Array[] = [];
  return {
    sent,
    localPort: 4242,
    send: (bytes) => {
      sent.push(bytes);
      for (const d of reply(bytes)) queueMicrotask(() => listener?.(d, 0, false));
      return Promise.resolve();
    },
    onDatagram: (l) => (listener = l),
    onError: () => {},
    addMembership: () => {},
    setReferenced: () => {},
    close: () => {},
  };
}

function seqOf(b: Uint8Array): number {
  return Buffer.from(b).readUInt32LE(8);
}

function errorMsg(req: Uint8Array, errno: number): Uint8Array {
  const payload = Buffer.alloc(20);
  payload.writeInt32LE(-errno, 0);
  Buffer.from(req.subarray(0, 16)).copy(payload, 4);
  return encodeNlMsg({ type: 2, flags: 0x100, seq: seqOf(req) }, payload);
}

describe.runIf(HOST_LITTLE_ENDIAN)('IpvsClient', () => {
  it('reports a kernel without IPVS (ENOENT on the family lookup) as KTS_IPVS_UNAVAILABLE', async () => {
    const t = fakeTransport((req) => [errorMsg(req, 2)]);
    const err = await IpvsClient.open({ transport: t }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpvsUnavailableError);
    expect((err as IpvsUnavailableError).code).toBe('KTS_IPVS_UNAVAILABLE');
    expect((err as Error).message).toContain('No such file or directory');
  });

  it('resolves the family id and uses it for commands', async () => {
    const t = fakeTransport((req) => {
      if (Buffer.from(req).readUInt16LE(4) === 0x10) {
        return [encodeNlMsg({ type: 0x10, flags: 0, seq: seqOf(req) }, hex('01020000 06000100 25000000')), errorMsg(req, 0)];
      }
      return [errorMsg(req, 0)];
    });
    const c = await IpvsClient.open({ transport: t });
    expect(c.familyId).toBe(0x25);
    await c.addService(tcp80);
    expect(Buffer.from(t.sent[1] ?? new Uint8Array()).readUInt16LE(4)).toBe(0x25);
    c.close();
  });

  it.runIf(!existsSync('/proc/net/ip_vs'))('this kernel has no IPVS: open() fails cleanly', async () => {
    await expect(IpvsClient.open({ timeoutMs: 2000 })).rejects.toBeInstanceOf(IpvsUnavailableError);
  });
});
