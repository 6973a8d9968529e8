/**
 * BFD control packet codec (RFC 5880 §4.1, asynchronous mode). Owns the 24-byte mandatory header
 * layout and the packet-level receive checks of RFC 5880 §6.8.6 that do not need session state.
 *
 * No authentication section and no echo function: keepalived 2.2.7 has neither (it sends A=0 and a
 * zero Required Min Echo RX Interval, and drops packets with A set) and neither do we; a packet with
 * A set is reported as the `auth` drop reason so the caller can count it.
 *
 * Decoding never throws: bad input yields `{ ok: false, reason, detail }` with a typed reason.
 * The checks, in order: too-short → length (length field vs datagram, keepalived requires equality) →
 * version → detect-mult-zero → multipoint → my-discr-zero → your-discr-zero (state not Down /
 * AdminDown) → poll-and-final → diag (keepalived rejects diag codes above 8) → auth.
 */

/** RFC 5880 §4.1 Sta field. */
export const BfdState = { AdminDown: 0, Down: 1, Init: 2, Up: 3 } as const;
export type BfdState = (typeof BfdState)[keyof typeof BfdState];

export const BFD_STATE_NAMES: Readonly<Record<BfdState, string>> = { 0: 'AdminDown', 1: 'Down', 2: 'Init', 3: 'Up' };

/** RFC 5880 §4.1 Diag field (0-8 defined). */
export const BfdDiag = {
  NoDiag: 0,
  ControlDetectionTimeExpired: 1,
  EchoFunctionFailed: 2,
  NeighborSignaledSessionDown: 3,
  ForwardingPlaneReset: 4,
  PathDown: 5,
  ConcatenatedPathDown: 6,
  AdministrativelyDown: 7,
  ReverseConcatenatedPathDown: 8,
} as const;
export type BfdDiag = (typeof BfdDiag)[keyof typeof BfdDiag];

/** Diagnostic texts as keepalived logs them. */
export const BFD_DIAG_NAMES: readonly string[] = [
  'No Diagnostic',
  'Control Detection Time Expired',
  'Echo Function Failed',
  'Neighbor Signaled Session Down',
  'Forwarding Plane Reset',
  'Path Down',
  'Concatenated Path Down',
  'Administratively Down',
  'Reverse Concatenated Path Down',
];

export const BFD_VERSION = 1;
/** Mandatory section length (no authentication). */
export const BFD_HEADER_LEN = 24;
/** RFC 5881 single-hop control port (keepalived uses it for every session, max_hops relaxes GTSM). */
export const BFD_CONTROL_PORT = 3784;
/** RFC 5881 §4: source port range. */
export const BFD_SRC_PORT_MIN = 49152;
export const BFD_SRC_PORT_MAX = 65535;

/** A decoded (or to-be-encoded) control packet; intervals in microseconds as on the wire. */
export interface BfdControlPacket {
  readonly version: number;
  readonly diag: number;
  readonly state: BfdState;
  readonly poll: boolean;
  readonly final: boolean;
  /** C: control plane independent. */
  readonly cpi: boolean;
  /** A: authentication present (never sent). */
  readonly auth: boolean;
  /** D: demand mode. */
  readonly demand: boolean;
  /** M: multipoint (must be 0). */
  readonly multipoint: boolean;
  readonly detectMult: number;
  readonly length: number;
  readonly myDiscr: number;
  readonly yourDiscr: number;
  readonly desiredMinTxUs: number;
  readonly requiredMinRxUs: number;
  readonly requiredMinEchoRxUs: number;
}

export type BfdDropReason =
  | 'too-short'
  | 'length'
  | 'version'
  | 'detect-mult-zero'
  | 'multipoint'
  | 'my-discr-zero'
  | 'your-discr-zero'
  | 'poll-and-final'
  | 'diag'
  | 'auth';

export type BfdDecodeResult =
  | { readonly ok: true; readonly packet: BfdControlPacket }
  | { readonly ok: false; readonly reason: BfdDropReason; readonly detail: string };

function drop(reason: BfdDropReason, detail: string): BfdDecodeResult {
  return { ok: false, reason, detail };
}

function u32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) >>> 0) + (b[off + 1]! << 16) + (b[off + 2]! << 8) + b[off + 3]!;
}

function putU32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

/** Decode one UDP payload. Never throws. */
export function decodeBfdPacket(bytes: Uint8Array): BfdDecodeResult {
  if (bytes.length < BFD_HEADER_LEN) return drop('too-short', `${bytes.length} bytes, a BFD header needs ${BFD_HEADER_LEN}`);
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  const length = bytes[3]!;
  if (length !== bytes.length) return drop('length', `length field ${length}, datagram ${bytes.length} bytes`);
  const version = b0 >> 5;
  if (version !== BFD_VERSION) return drop('version', `version ${version}`);
  const p: BfdControlPacket = {
    version,
    diag: b0 & 0x1f,
    state: (b1 >> 6) as BfdState,
    poll: (b1 & 0x20) !== 0,
    final: (b1 & 0x10) !== 0,
    cpi: (b1 & 0x08) !== 0,
    auth: (b1 & 0x04) !== 0,
    demand: (b1 & 0x02) !== 0,
    multipoint: (b1 & 0x01) !== 0,
    detectMult: bytes[2]!,
    length,
    myDiscr: u32(bytes, 4),
    yourDiscr: u32(bytes, 8),
    desiredMinTxUs: u32(bytes, 12),
    requiredMinRxUs: u32(bytes, 16),
    requiredMinEchoRxUs: u32(bytes, 20),
  };
  if (p.detectMult === 0) return drop('detect-mult-zero', 'Detect Mult is zero');
  if (p.multipoint) return drop('multipoint', 'Multipoint (M) bit set');
  if (p.myDiscr === 0) return drop('my-discr-zero', 'My Discriminator is zero');
  if (p.yourDiscr === 0 && p.state !== BfdState.Down && p.state !== BfdState.AdminDown) {
    return drop('your-discr-zero', `Your Discriminator is zero in state ${BFD_STATE_NAMES[p.state]}`);
  }
  if (p.poll && p.final) return drop('poll-and-final', 'both Poll and Final set');
  if (p.diag > BfdDiag.ReverseConcatenatedPathDown) return drop('diag', `diag ${p.diag}`);
  if (p.auth) return drop('auth', 'authentication present (not supported)');
  return { ok: true, packet: p };
}

/** Fields a sender chooses; the rest (version, length, C/A/M, echo) are fixed as keepalived sends them. */
export interface BfdPacketFields {
  readonly diag: number;
  readonly state: BfdState;
  readonly poll: boolean;
  readonly final: boolean;
  readonly demand?: boolean;
  readonly detectMult: number;
  readonly myDiscr: number;
  readonly yourDiscr: number;
  readonly desiredMinTxUs: number;
  readonly requiredMinRxUs: number;
}

/** Encode a 24-byte control packet (no auth, Required Min Echo RX 0). */
export function encodeBfdPacket(f: BfdPacketFields): Uint8Array {
  const b = new Uint8Array(BFD_HEADER_LEN);
  b[0] = (BFD_VERSION << 5) | (f.diag & 0x1f);
  b[1] = ((f.state & 0x3) << 6) | (f.poll ? 0x20 : 0) | (f.final ? 0x10 : 0) | (f.demand === true ? 0x02 : 0);
  b[2] = f.detectMult & 0xff;
  b[3] = BFD_HEADER_LEN;
  putU32(b, 4, f.myDiscr);
  putU32(b, 8, f.yourDiscr);
  putU32(b, 12, f.desiredMinTxUs);
  putU32(b, 16, f.requiredMinRxUs);
  putU32(b, 20, 0);
  return b;
}

/**
 * RFC 5881 §5 GTSM, extended as keepalived does with `max_hops`: a packet is dropped when its
 * received TTL / hop limit plus `maxHops` is below the TTL we send (`ttl`). maxHops 255 disables the
 * check; an unknown received TTL (undefined) is accepted, as keepalived does when no cmsg came.
 */
export function bfdTtlAcceptable(receivedTtl: number | undefined, ttl: number, maxHops: number): boolean {
  if (maxHops === 255 || receivedTtl === undefined || receivedTtl === 0) return true;
  return receivedTtl + maxHops >= ttl;
}
