/**
 * Socket option numbers and default addresses the advert transport needs, with their Linux C
 * names (raw-socket exports only a handful, so the rest are passed as numbers). Values from
 * <linux/in.h>, <linux/in6.h>, <asm-generic/socket.h> (x86-64 / arm64 layout).
 */
export const IPPROTO_VRRP = 112;

export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SO_BINDTODEVICE = 25;

export const IPPROTO_IP = 0;
export const IP_TOS = 1;
export const IP_TTL = 2;
export const IP_HDRINCL = 3;
export const IP_PKTINFO = 8;
export const IP_RECVTTL = 12;
/** Not used: the kernel enforces IP_MINTTL / IPV6_MINHOPCOUNT for TCP/UDP only, never raw sockets. */
export const IP_MINTTL = 21;
export const IP_MULTICAST_IF = 32;
export const IP_MULTICAST_TTL = 33;
export const IP_MULTICAST_LOOP = 34;
export const IP_ADD_MEMBERSHIP = 35;
export const IP_DROP_MEMBERSHIP = 36;
export const IP_MULTICAST_ALL = 49;

export const IPPROTO_IPV6 = 41;
export const IPV6_CHECKSUM = 7;
export const IPV6_UNICAST_HOPS = 16;
export const IPV6_MULTICAST_IF = 17;
export const IPV6_MULTICAST_HOPS = 18;
export const IPV6_MULTICAST_LOOP = 19;
export const IPV6_ADD_MEMBERSHIP = 20;
export const IPV6_DROP_MEMBERSHIP = 21;
export const IPV6_MULTICAST_ALL = 29;
export const IPV6_RECVPKTINFO = 49;
export const IPV6_RECVHOPLIMIT = 51;
export const IPV6_TCLASS = 67;
export const IPV6_MINHOPCOUNT = 73;

/** RFC 5798 §5.1.1.2 / §5.1.2.2: VRRP multicast groups; keepalived vrrp_mcast_group4/6 defaults. */
export const VRRP_MCAST_GROUP4 = '224.0.0.18';
export const VRRP_MCAST_GROUP6 = 'ff02::12';
/** RFC 5798 §5.1.1.3 / §5.1.2.3: TTL / hop limit on send, and the only value accepted on receive. */
export const VRRP_TTL = 255;
/** keepalived's TOS / traffic class for adverts (CS6, "internetwork control"). */
export const VRRP_TOS = 0xc0;
/** Offset of the checksum in the VRRP header, for IPV6_CHECKSUM. */
export const VRRP_CHECKSUM_OFFSET = 6;
