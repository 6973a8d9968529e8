/**
 * GARP / unsolicited NA: pure frame builders, the AF_PACKET sender and the paced announcer.
 */
export * from './addresses.js';
export * from './checksum.js';
export * from './garp-frame.js';
export * from './una-frame.js';
export * from './packet-sender.js';
export * from './announcer.js';
export * from './forwarding.js';
