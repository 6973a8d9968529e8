/**
 * Value types of the advertisement codec: the decoded advert (a v2 | v3 discriminated union), the
 * checksum forms we can send and recognise, and the contexts encode/decode need from the IP layer.
 *
 *  RFC 3768 v2                                   RFC 5798/9568 v3
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Type  | Virtual Rtr ID|   Priority    | Count IPvX Addr|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  v2: | Auth Type     |  Adver Int (s)|          Checksum             |
 *  v3: |(rsvd)|  Max Adver Int (cs, 12b)|          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Count × IPv4 (4 B) or IPv6 (16 B, v3 only) addresses |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  v2 only: Authentication Data, 8 bytes (zeros, or NUL-padded password for type 1)
 */

interface VrrpAdvertCommon {
  /** Advertisement is the only VRRP packet type. */
  readonly type: 1;
  /** Virtual Router ID, 1–255 on the wire (0 is decoded as-is and rejected by the instance check). */
  readonly vrid: number;
  /** 0 = master leaving, 1–254, 255 = address owner. */
  readonly priority: number;
  /** "Count IPvX Addr" as received; always equals `addresses.length` once decoded. */
  readonly addrCount: number;
  /** Checksum field as received (decode) — ignored and recomputed by encode. */
  readonly checksum: number;
  /** Virtual addresses in packet order: dotted IPv4 or RFC 5952 IPv6 text. */
  readonly addresses: readonly string[];
}

export interface VrrpAdvertV2 extends VrrpAdvertCommon {
  readonly version: 2;
  /** 0 none, 1 simple text password, 2 IP AH (see VrrpAuthType). */
  readonly authType: number;
  /** Advertisement interval in whole seconds (u8). */
  readonly adverIntS: number;
  /** The 8 authentication bytes; encode writes zeros when absent and NUL-pads shorter data. */
  readonly authData?: Uint8Array;
}

export interface VrrpAdvertV3 extends VrrpAdvertCommon {
  readonly version: 3;
  /** Max Advertise Interval in centiseconds (12 bits, 1–4095). */
  readonly maxAdverIntCs: number;
}

export type VrrpAdvert = VrrpAdvertV2 | VrrpAdvertV3;

export type IpFamily = 4 | 6;

/**
 * How a checksum was (or is to be) computed:
 *  - `v2`              VRRPv2: message only.
 *  - `pseudo`          v3 with the IPv4/IPv6 pseudo-header built from the real src/dst (keepalived default).
 *  - `v2-style`        v3/IPv4 over the message only (RFC 9568, Cisco/Arista, keepalived `v3_checksum_as_v2`).
 *  - `legacy-unicast`  v3/IPv4 unicast with the pseudo-header dst set to 224.0.0.18 (keepalived ≤ 1.3.6,
 *                      `old_unicast_checksum`).
 */
export type ChecksumForm = 'v2' | 'pseudo' | 'v2-style' | 'legacy-unicast';

/** What a sender asks for; v2 and v3/IPv6 ignore it (they only have one correct form). */
export type ChecksumMode = 'pseudo' | 'v2-style' | 'legacy-unicast';

export interface EncodeContext {
  readonly family: IpFamily;
  /** Source address the packet will carry (needed for the pseudo-header). */
  readonly srcAddr: string;
  /** Destination address the packet will carry: the group, or the unicast peer. */
  readonly dstAddr: string;
  /** v3/IPv4 only; default `pseudo` (keepalived 2.2.7's only behaviour). */
  readonly checksumMode?: ChecksumMode;
}

/** Inclusive TTL / hop-limit window; adverts must arrive with 255 unless unicast peers say otherwise. */
export interface TtlRange {
  readonly min: number;
  readonly max: number;
}

export interface DecodeContext {
  readonly family: IpFamily;
  readonly srcAddr: string;
  readonly dstAddr: string;
  /** IPv4 TTL from the IP header; checked when present. */
  readonly ttl?: number;
  /** IPv6 hop limit from IPV6_HOPLIMIT ancillary data; checked when present (IPv6 falls back to `ttl`). */
  readonly hopLimit?: number;
  /**
   * Accepted TTL/hop-limit window, default exactly 255. keepalived unicast peers may set
   * `min_ttl`/`max_ttl`; keepalived 2.2.7 sends IPv6 unicast adverts with hop limit 64 (observed), so a
   * unicast receiver passes `{ min: 0, max: 255 }` unless the peer configures a range.
   */
  readonly ttlRange?: TtlRange;
  /** Multicast group used as the legacy-unicast pseudo-header dst; default 224.0.0.18. */
  readonly multicastGroup?: string;
}

export interface Decoded {
  readonly ok: true;
  readonly advert: VrrpAdvert;
  readonly checksumForm: ChecksumForm;
}
