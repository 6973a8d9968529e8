/**
 * The shape every netlink request builder returns (rtnetlink here, generic netlink for IPVS):
 * message type, header flags and body, plus what answer to wait for. The channel (`socket.ts`)
 * adds seq/pid and frames it with `encodeNlMsg`; tests frame it the same way and compare whole
 * messages byte-for-byte.
 */

export interface NlRequest {
  readonly type: number;
  /** Complete nlmsg_flags (NLM_F_REQUEST included). */
  readonly flags: number;
  readonly body: Uint8Array;
  /** `ack`: replies until the NLMSG_ERROR for our seq; `dump`: NLM_F_MULTI parts until NLMSG_DONE. */
  readonly expect: 'ack' | 'dump';
}
