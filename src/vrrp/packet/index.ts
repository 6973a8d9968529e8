/**
 * VRRP packet layer (pure): advertisement codec with the receive ladder, checksum forms, IPv4 header
 * parse/build, instance-level checks and the per-peer checksum-form tally. Import from here.
 */

export * from './constants.js';
export * from './types.js';
export * from './drop-reason.js';
export { onesComplementSum, internetChecksum, ipv4PseudoHeader, ipv6PseudoHeader, vrrpChecksum, checksumVerifies } from './checksum.js';
export { parseIpv4, formatIpv4, parseIpv6, formatIpv6, parseIp, canonicalIp } from './ip-address.js';
export { authDataFromPassword, authDataEqual } from './auth.js';
export { encodeAdvert, advertLength, checksumFormFor, VrrpEncodeError } from './advert-encode.js';
export { decodeAdvert } from './advert-decode.js';
export { checkAdvertForInstance, type InstanceExpectation, type InstanceAccepted } from './instance-check.js';
export { parseIpv4Header, buildIpv4Header, buildIpv4Packet, type Ipv4Parsed, type Ipv4HeaderFields } from './ipv4-header.js';
export { decodeIpv4Packet, type Ipv4Decoded } from './receive.js';
export { checkUnicastSource, type UnicastPeerWindow, type UnicastSourceVerdict } from './unicast-peer.js';
export { ChecksumFormTally, type ChecksumFormCounts, type TallyUpdate } from './checksum-tally.js';
