/**
 * Kernel constants for the rtnetlink adapter, under their C names.
 *
 * Each group names the UAPI header it comes from (as of Linux 6.x; every value used here has been
 * stable for years). Only what the adapter builds or parses is listed; unknown values met on the
 * wire are kept as numbers, never rejected.
 */

// ---- <linux/netlink.h> -------------------------------------------------------------------------

/** Netlink protocol number of rtnetlink (socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)). */
export const NETLINK_ROUTE = 0;

/** sizeof(struct nlmsghdr): __u32 nlmsg_len, __u16 nlmsg_type, __u16 nlmsg_flags, __u32 nlmsg_seq, __u32 nlmsg_pid. */
export const NLMSG_HDRLEN = 16;
/** NLMSG_ALIGNTO / NLA_ALIGNTO: messages and attributes are padded to 4 bytes. */
export const NLMSG_ALIGNTO = 4;
/** sizeof(struct nlattr): __u16 nla_len, __u16 nla_type. */
export const NLA_HDRLEN = 4;

export const NLMSG_NOOP = 0x1;
export const NLMSG_ERROR = 0x2;
export const NLMSG_DONE = 0x3;
export const NLMSG_OVERRUN = 0x4;

export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP_FILTERED = 0x20;
/** Modifiers to GET requests. */
export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
/** Modifiers to NEW requests. */
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
/** Flags on an NLMSG_ERROR (ACK) message. */
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

/** enum nlmsgerr_attrs: extended-ACK TLVs after the echoed request. */
export const NLMSGERR_ATTR_MSG = 1;
export const NLMSGERR_ATTR_OFFS = 2;

/** nla_type high bits. */
export const NLA_F_NESTED = 1 << 15;
export const NLA_F_NET_BYTEORDER = 1 << 14;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

// ---- <linux/socket.h> / <bits/socket.h> ----------------------------------------------------------

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

// ---- <linux/rtnetlink.h> -----------------------------------------------------------------------

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_SETLINK = 19;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;

/** sizeof(struct rtmsg): family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), __u32 flags. */
export const RTMSG_LEN = 12;

/** enum rtattr_type_t */
export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_IIF = 3;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_TABLE = 15;

/** rtm_flags / rtnh_flags: gateway is on-link. */
export const RTNH_F_ONLINK = 4;

/** enum rt_class_t (reserved table ids). */
export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

/** rtm_protocol values. */
export const RTPROT_UNSPEC = 0;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;
/** Routes (and, here, addresses) installed by keepalived. */
export const RTPROT_KEEPALIVED = 18;

/** enum rt_scope_t */
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

/** rtm_type values. */
export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_ANYCAST = 4;
export const RTN_MULTICAST = 5;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
export const RTN_THROW = 9;

/** enum rtnetlink_groups (group numbers for NETLINK_ADD_MEMBERSHIP, not bitmasks). */
export const RTNLGRP_LINK = 1;
export const RTNLGRP_IPV4_IFADDR = 5;
export const RTNLGRP_IPV6_IFADDR = 9;

/** IFLA_EXT_MASK bits. */
export const RTEXT_FILTER_VF = 1 << 0;
export const RTEXT_FILTER_SKIP_STATS = 1 << 3;

/** sizeof(struct ifinfomsg): __u8 family, __u8 pad, __u16 type, __s32 index, __u32 flags, __u32 change. */
export const IFINFOMSG_LEN = 16;

// ---- <linux/if_addr.h> -------------------------------------------------------------------------

/** sizeof(struct ifaddrmsg): __u8 family, __u8 prefixlen, __u8 flags, __u8 scope, __u32 index. */
export const IFADDRMSG_LEN = 8;

export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_ANYCAST = 5;
export const IFA_CACHEINFO = 6;
export const IFA_MULTICAST = 7;
export const IFA_FLAGS = 8;
export const IFA_RT_PRIORITY = 9;
export const IFA_TARGET_NETNSID = 10;
/** __u8 address protocol (Linux >= 5.18). */
export const IFA_PROTO = 11;

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;
export const IFA_F_STABLE_PRIVACY = 0x800;

/** sizeof(struct ifa_cacheinfo): __u32 ifa_prefered, ifa_valid, cstamp, tstamp. */
export const IFA_CACHEINFO_LEN = 16;
/** INFINITY_LIFE_TIME: a lifetime that never expires ("forever"). */
export const INFINITY_LIFE_TIME = 0xffffffff;

// ---- <linux/if_link.h> -------------------------------------------------------------------------

export const IFLA_ADDRESS = 1;
export const IFLA_BROADCAST = 2;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_MASTER = 10;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKINFO = 18;
export const IFLA_EXT_MASK = 29;

/** Nested inside IFLA_LINKINFO. */
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;

/** Nested inside IFLA_INFO_DATA for kind "macvlan". */
export const IFLA_MACVLAN_MODE = 1;
export const MACVLAN_MODE_PRIVATE = 1;
export const MACVLAN_MODE_VEPA = 2;
export const MACVLAN_MODE_BRIDGE = 4;
export const MACVLAN_MODE_PASSTHRU = 8;

/** RFC 2863 operational status (IFLA_OPERSTATE). */
export const IF_OPER_UNKNOWN = 0;
export const IF_OPER_NOTPRESENT = 1;
export const IF_OPER_DOWN = 2;
export const IF_OPER_LOWERLAYERDOWN = 3;
export const IF_OPER_TESTING = 4;
export const IF_OPER_DORMANT = 5;
export const IF_OPER_UP = 6;

// ---- <linux/if.h> ------------------------------------------------------------------------------

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_MULTICAST = 0x1000;
export const IFF_LOWER_UP = 0x10000;

/** IFNAMSIZ including the terminating NUL: names are at most 15 bytes. */
export const IFNAMSIZ = 16;
