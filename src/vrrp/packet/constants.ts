/**
 * Wire constants for VRRP advertisements (RFC 3768 v2, RFC 5798/9568 v3) and the IP layer that carries
 * them. Only numbers fixed by the RFCs or by keepalived's on-the-wire behaviour live here.
 */

/** IP protocol number of VRRP (and, unhelpfully, of CARP). */
export const VRRP_IP_PROTOCOL = 112;
/** IPv4 multicast group for VRRP adverts (RFC 3768 §5.2.2, RFC 9568 §5.1.1.2). */
export const VRRP_IPV4_GROUP = '224.0.0.18';
/** IPv6 multicast group for VRRP adverts (RFC 9568 §5.1.2.2). */
export const VRRP_IPV6_GROUP = 'ff02::12';
/** Required TTL / hop limit of every advert (RFC 3768 §5.2.3, RFC 9568 §5.1.1.3). */
export const VRRP_TTL = 255;
/** TOS / traffic class keepalived (and FRR, holo) put on adverts: precedence "internetwork control". */
export const VRRP_TOS = 0xc0;

/** Advertisement type (the only one defined). */
export const VRRP_TYPE_ADVERTISEMENT = 1;
/** Fixed part of every advert: version/type, VRID, priority, count, auth/interval, checksum. */
export const VRRP_HEADER_LEN = 8;
/** VRRPv2 always carries 8 bytes of authentication data after the addresses (RFC 3768 §5.3.10). */
export const VRRP_V2_AUTH_DATA_LEN = 8;
/** Largest value of the 12-bit v3 Max Adver Int field, in centiseconds. */
export const VRRP_V3_MAX_ADVER_INT_CS = 0x0fff;

/** VRRPv2 authentication types (RFC 2338 §5.3.6; RFC 3768 keeps the numbers reserved). */
export const VrrpAuthType = {
  NONE: 0,
  /** Simple text password, 8 bytes, NUL padded (keepalived `auth_type PASS`). */
  SIMPLE_TEXT: 1,
  /** IPsec AH (keepalived `auth_type AH`): carried inside IP proto 51, never seen on a proto-112 socket. */
  IP_AH: 2,
} as const;

/**
 * CARP (OpenBSD / ucarp) shares proto 112 and 224.0.0.18. Its header starts like a VRRPv2 advert
 * (version 2, type 1) but byte 3 is `authlen` = 7 (32-bit words of counter + SHA1 HMAC) and the
 * packet is 36 bytes long, which no valid VRRPv2 advert with count 7 can be (16 + 7·4 = 44).
 */
export const CARP_PACKET_LEN = 36;
export const CARP_AUTHLEN_WORDS = 7;

/** Minimum IPv4 header length in bytes (IHL = 5). */
export const IPV4_MIN_HEADER_LEN = 20;
