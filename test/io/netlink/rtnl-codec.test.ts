/**
 * rtnetlink request bytes, checked against hand-written layouts of <linux/netlink.h>,
 * <linux/rtnetlink.h>, <linux/if_addr.h> and <linux/if_link.h> (little-endian host), and the
 * parsers against hand-written kernel messages, including truncated and garbage input.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vipToAddrRequest } from '../../../src/io/netlink/addresses.js';
import { HOST_LITTLE_ENDIAN, encodeNlMsg } from '../../../src/io/netlink/nl-codec.js';
import { buildDelAddr, buildGetAddrDump, buildNewAddr, parseAddrMsg, type AddrRequest } from '../../../src/io/netlink/rtnl-addr-codec.js';
import { buildDelLink, buildGetLinkByName, buildGetLinkDump, buildNewMacvlan, buildSetLinkAdmin, parseLinkMsg } from '../../../src/io/netlink/rtnl-link-codec.js';
import type { NlRequest } from '../../../src/io/netlink/nl-request.js';
import { buildDelRoute, buildNewRoute } from '../../../src/io/netlink/rtnl-route-codec.js';
import { routeToRequest } from '../../../src/io/netlink/routes.js';
import { NetlinkError } from '../../../src/io/netlink/errors.js';
import { hex, toHex } from './helpers/bytes.js';

function frame(req: NlRequest, seq = 1): string {
  return toHex(encodeNlMsg({ type: req.type, flags: req.flags, seq, pid: 0 }, req.body));
}

function vip(spec: Parameters<typeof vipToAddrRequest>[0], proto?: number): AddrRequest {
  const r = vipToAddrRequest(spec, proto);
  if (r instanceof NetlinkError) throw r;
  return r;
}

function route(spec: Parameters<typeof routeToRequest>[0], forDelete = false) {
  const r = routeToRequest(spec, forDelete);
  if (r instanceof NetlinkError) throw r;
  return r;
}

describe('host assumptions', () => {
  it('runs on a little-endian host (the expected bytes below are written little-endian)', () => {
    expect(HOST_LITTLE_ENDIAN).toBe(true);
  });
});

describe('address requests', () => {
  it('RTM_NEWADDR IPv4 VIP with prefix, brd, label and IFA_PROTO', () => {
    const req = buildNewAddr(vip({ address: '10.9.0.100', prefixLen: 24, ifindex: 3, brd: '10.9.0.255', label: 'eth0:vip' }, 18));
    expect(frame(req)).toBe(
      toHex(
        hex(`
          48000000 1400 0506 01000000 00000000   # nlmsghdr: len 72, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 1, pid 0
          02 18 00 00 03000000                   # ifaddrmsg: AF_INET, /24, flags 0, scope global, ifindex 3
          0800 0200 0a090064                     # IFA_LOCAL 10.9.0.100
          0800 0100 0a090064                     # IFA_ADDRESS 10.9.0.100
          0800 0400 0a0900ff                     # IFA_BROADCAST 10.9.0.255
          0d00 0300 65746830 3a766970 00 000000  # IFA_LABEL "eth0:vip" + NUL (len 13) + 3 pad
          0500 0b00 12 000000                    # IFA_PROTO 18 + 3 pad
        `),
      ),
    );
  });

  it('RTM_NEWADDR IPv6 /128 VIP: IFA_F_NODAD and preferred_lft 0 by default', () => {
    const req = buildNewAddr(vip({ address: 'fd00::100', ifindex: 3 }, 18));
    expect(frame(req, 7)).toBe(
      toHex(
        hex(`
          5c000000 1400 0506 07000000 00000000                  # len 92, RTM_NEWADDR, seq 7
          0a 80 02 00 03000000                                  # AF_INET6, /128, IFA_F_NODAD, scope global, ifindex 3
          1400 0200 fd000000 00000000 00000000 00000100         # IFA_LOCAL fd00::100
          1400 0100 fd000000 00000000 00000000 00000100         # IFA_ADDRESS fd00::100
          1400 0600 00000000 ffffffff 00000000 00000000         # IFA_CACHEINFO preferred 0, valid forever
          0500 0b00 12 000000                                   # IFA_PROTO 18
        `),
      ),
    );
  });

  it('RTM_NEWADDR IPv6 /64 keeps the kernel lifetimes and honours -nodad', () => {
    const req = buildNewAddr(vip({ address: 'fd00::1', prefixLen: 64, ifindex: 2, nodad: false }));
    expect(frame(req)).toBe(
      toHex(
        hex(`
          40000000 1400 0506 01000000 00000000
          0a 40 00 00 02000000
          1400 0200 fd000000 00000000 00000000 00000001
          1400 0100 fd000000 00000000 00000000 00000001
        `),
      ),
    );
  });

  it('flags above 0xff travel in IFA_FLAGS (noprefixroute), peer in IFA_ADDRESS, scope link', () => {
    const req = buildNewAddr(vip({ address: '192.168.1.10', prefixLen: 24, ifindex: 2, noprefixroute: true, peer: '192.168.1.20', scope: 253 }));
    expect(frame(req)).toBe(
      toHex(
        hex(`
          30000000 1400 0506 01000000 00000000
          02 18 00 fd 02000000        # flags byte 0 (0x200 & 0xff), scope link
          0800 0200 c0a8010a          # IFA_LOCAL
          0800 0100 c0a80114          # IFA_ADDRESS = peer
          0800 0800 00020000          # IFA_FLAGS IFA_F_NOPREFIXROUTE
        `),
      ),
    );
  });

  it('brd + / brd - compute the broadcast from the prefix', () => {
    const plus = buildNewAddr(vip({ address: '172.16.5.9', prefixLen: 20, ifindex: 2, brd: '+' }));
    expect(toHex(plus.body.subarray(-8))).toBe('08000400ac100fff'); // IFA_BROADCAST 172.16.15.255
    const minus = buildNewAddr(vip({ address: '172.16.5.9', prefixLen: 20, ifindex: 2, brd: '-' }));
    expect(toHex(minus.body.subarray(-8))).toBe('08000400ac100000'); // IFA_BROADCAST 172.16.0.0
  });

  it('RTM_DELADDR sends no lifetimes and no IFA_PROTO', () => {
    const req = buildDelAddr(vip({ address: '192.168.1.10', ifindex: 2 }, 18));
    expect(frame(req, 0x01020304)).toBe(
      toHex(
        hex(`
          28000000 1500 0500 04030201 00000000   # len 40, RTM_DELADDR, REQUEST|ACK, seq 0x01020304
          02 20 00 00 02000000                   # AF_INET /32
          0800 0200 c0a8010a
          0800 0100 c0a8010a
        `),
      ),
    );
  });

  it('RTM_GETADDR dump', () => {
    expect(frame(buildGetAddrDump())).toBe(toHex(hex('18000000 1600 0103 01000000 00000000 | 00 00 00 00 00000000')));
  });
});

describe('link requests', () => {
  it('RTM_GETLINK dump skips statistics', () => {
    expect(frame(buildGetLinkDump())).toBe(
      toHex(
        hex(`
          28000000 1200 0103 01000000 00000000   # RTM_GETLINK, REQUEST|DUMP
          00 00 0000 00000000 00000000 00000000  # ifinfomsg AF_UNSPEC
          0800 1d00 08000000                     # IFLA_EXT_MASK RTEXT_FILTER_SKIP_STATS
        `),
      ),
    );
  });

  it('RTM_GETLINK by name', () => {
    expect(frame(buildGetLinkByName('eth0'))).toBe(
      toHex(
        hex(`
          34000000 1200 0500 01000000 00000000
          00000000 00000000 00000000 00000000
          0800 1d00 08000000
          0900 0300 65746830 00 000000            # IFLA_IFNAME "eth0"
        `),
      ),
    );
  });

  it('RTM_NEWLINK macvlan vrrp.51 on ifindex 3, private mode, VRRP MAC', () => {
    const req = buildNewMacvlan({ name: 'vrrp.51', parentIndex: 3, mac: Uint8Array.of(0, 0, 0x5e, 0, 1, 0x33), mode: 1 });
    expect(frame(req)).toBe(
      toHex(
        hex(`
          5c000000 1000 0506 01000000 00000000   # len 92, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
          00000000 00000000 00000000 00000000    # ifinfomsg
          0800 0500 03000000                     # IFLA_LINK 3
          0c00 0300 76727270 2e353100            # IFLA_IFNAME "vrrp.51"
          0a00 0100 00005e00 0133 0000           # IFLA_ADDRESS 00:00:5e:00:01:33 + pad
          1c00 1200                              # IFLA_LINKINFO (28)
            0c00 0100 6d616376 6c616e00          #   IFLA_INFO_KIND "macvlan"
            0c00 0200                            #   IFLA_INFO_DATA (12)
              0800 0100 01000000                 #     IFLA_MACVLAN_MODE MACVLAN_MODE_PRIVATE
        `),
      ),
    );
  });

  it('set up / delete', () => {
    expect(frame(buildSetLinkAdmin(5, true))).toBe(toHex(hex('20000000 1000 0500 01000000 00000000 | 00000000 05000000 01000000 01000000')));
    expect(frame(buildSetLinkAdmin(5, false))).toBe(toHex(hex('20000000 1000 0500 01000000 00000000 | 00000000 05000000 00000000 01000000')));
    expect(frame(buildDelLink(5))).toBe(toHex(hex('20000000 1100 0500 01000000 00000000 | 00000000 05000000 00000000 00000000')));
  });
});

describe('route requests', () => {
  it('RTM_NEWROUTE via a gateway in table 100, proto keepalived', () => {
    const req = buildNewRoute(route({ to: '10.77.0.0/16', via: '10.9.0.254', dev: 3, metric: 7, table: 100 }));
    expect(frame(req)).toBe(
      toHex(
        hex(`
          3c000000 1800 0506 01000000 00000000
          02 10 00 00 64 12 00 01 00000000      # AF_INET /16, table 100, RTPROT_KEEPALIVED, scope universe, RTN_UNICAST
          0800 0100 0a4d0000                    # RTA_DST 10.77.0.0
          0800 0500 0a0900fe                    # RTA_GATEWAY
          0800 0400 03000000                    # RTA_OIF 3
          0800 0600 07000000                    # RTA_PRIORITY 7
        `),
      ),
    );
  });

  it('RTM_NEWROUTE without gateway is scope link; table > 255 goes in RTA_TABLE', () => {
    const req = buildNewRoute(route({ to: '10.78.0.0/16', dev: 3, src: '10.9.0.50', table: 1000 }));
    expect(frame(req)).toBe(
      toHex(
        hex(`
          3c000000 1800 0506 01000000 00000000
          02 10 00 00 00 12 fd 01 00000000      # table RT_TABLE_UNSPEC, scope link
          0800 0f00 e8030000                    # RTA_TABLE 1000
          0800 0100 0a4e0000
          0800 0400 03000000
          0800 0700 0a090032                    # RTA_PREFSRC 10.9.0.50
        `),
      ),
    );
  });

  it('RTM_DELROUTE matches any scope but only our protocol', () => {
    const req = buildDelRoute(route({ to: '10.77.0.0/16', via: '10.9.0.254' }, true));
    expect(frame(req)).toBe(
      toHex(
        hex(`
          2c000000 1900 0500 01000000 00000000
          02 10 00 00 fe 12 ff 01 00000000      # table main, RTPROT_KEEPALIVED, RT_SCOPE_NOWHERE
          0800 0100 0a4d0000
          0800 0500 0a0900fe
        `),
      ),
    );
  });

  it('onlink sets RTNH_F_ONLINK in rtm_flags; prefixLen may come apart from `to`', () => {
    const req = buildNewRoute(route({ to: '10.80.0.0', prefixLen: 24, via: '192.0.2.1', dev: 2, onlink: true }));
    expect(frame(req)).toBe(
      toHex(
        hex(`
          34000000 1800 0506 01000000 00000000
          02 18 00 00 fe 12 00 01 04000000      # /24, main, keepalived, universe, unicast, RTNH_F_ONLINK
          0800 0100 0a500000
          0800 0500 c0000201
          0800 0400 02000000
        `),
      ),
    );
  });

  it('IPv6 default blackhole route', () => {
    const req = buildNewRoute(route({ to: 'default', family: 6, type: 'blackhole' }));
    expect(frame(req)).toBe(toHex(hex('1c000000 1800 0506 01000000 00000000 | 0a 00 00 00 fe 12 00 06 00000000')));
  });
});

// ---- parsers -----------------------------------------------------------------------------------

const LINK_PAYLOAD = hex(`
  00 00 0100 03000000 43100100 00000000   # ifinfomsg: ARPHRD_ETHER, ifindex 3, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
  0900 0300 65746830 00 000000            # IFLA_IFNAME "eth0"
  0800 0400 dc050000                      # IFLA_MTU 1500
  0500 1000 06 000000                     # IFLA_OPERSTATE IF_OPER_UP
  0a00 0100 02fc0000 0001 0000            # IFLA_ADDRESS 02:fc:00:00:00:01
  0800 0500 07000000                      # IFLA_LINK 7
  1000 1200 0900 0100 76657468 00 000000  # IFLA_LINKINFO { IFLA_INFO_KIND "veth" }
  0800 ff7f deadbeef                      # unknown attribute: ignored
`);

const ADDR_PAYLOAD = hex(`
  02 18 80 00 03000000                    # AF_INET /24, IFA_F_PERMANENT, scope global, ifindex 3
  0800 0100 0a090001                      # IFA_ADDRESS
  0800 0200 0a090001                      # IFA_LOCAL
  0800 0400 0a0900ff                      # IFA_BROADCAST
  0900 0300 65746830 00 000000            # IFA_LABEL "eth0"
  0800 0800 80000000                      # IFA_FLAGS
  1400 0600 ffffffff ffffffff 10000000 10000000  # IFA_CACHEINFO forever/forever
  0500 0b00 12 000000                     # IFA_PROTO 18
`);

describe('parsers', () => {
  it('parses an RTM_NEWLINK', () => {
    const r = parseLinkMsg(LINK_PAYLOAD);
    expect(r).toEqual({
      ok: true,
      value: { index: 3, linkType: 1, flags: 0x11043, name: 'eth0', mtu: 1500, operState: 6, mac: Uint8Array.of(2, 0xfc, 0, 0, 0, 1), linkIndex: 7, kind: 'veth' },
    });
  });

  it('parses an RTM_NEWADDR', () => {
    expect(parseAddrMsg(ADDR_PAYLOAD)).toEqual({
      ok: true,
      value: {
        family: 4,
        ifindex: 3,
        prefixLen: 24,
        flags: 0x80,
        scope: 0,
        address: '10.9.0.1',
        broadcast: '10.9.0.255',
        label: 'eth0',
        preferredLftSec: 0xffffffff,
        validLftSec: 0xffffffff,
        proto: 18,
      },
    });
  });

  it('reports an IPv6 point-to-point peer and ignores non-IP families', () => {
    const p = hex(`
      0a 80 00 00 04000000
      1400 0200 fd000000 00000000 00000000 00000001   # IFA_LOCAL fd00::1
      1400 0100 fd000000 00000000 00000000 00000002   # IFA_ADDRESS fd00::2 (peer)
    `);
    const r = parseAddrMsg(p);
    expect(r.ok && r.value?.address).toBe('fd00::1');
    expect(r.ok && r.value?.peer).toBe('fd00::2');
    expect(parseAddrMsg(hex('11 00 00 00 01000000'))).toEqual({ ok: true, value: null });
  });

  it('returns an error, never throws, on every truncation of a valid message', () => {
    for (let n = 0; n < LINK_PAYLOAD.length; n++) {
      const r = parseLinkMsg(LINK_PAYLOAD.subarray(0, n));
      if (n < 16) expect(r.ok).toBe(false);
    }
    for (let n = 0; n < ADDR_PAYLOAD.length; n++) {
      const r = parseAddrMsg(ADDR_PAYLOAD.subarray(0, n));
      if (n < 16) expect(r.ok).toBe(false); // header or the address attribute cut
    }
    expect(parseLinkMsg(LINK_PAYLOAD.subarray(0, 20)).ok).toBe(false); // IFLA_IFNAME cut mid-attribute
  });

  it('bad attribute lengths are errors', () => {
    const p = Uint8Array.from(ADDR_PAYLOAD);
    p[8] = 0xff; // first nla_len = 255, beyond the buffer
    const r = parseAddrMsg(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe('truncated');
    p[8] = 2; // nla_len < 4
    const r2 = parseAddrMsg(p);
    expect(!r2.ok && r2.error.reason).toBe('bad-length');
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        parseLinkMsg(b);
        parseAddrMsg(b);
      }),
    );
  });
});
