/** Public surface of the pure VRRP state machine (see `types.ts` for the event/effect contract). */
export * from './types.js';
export { step, createInstance, faultReasons, ownFaultReasons, currentMasterDownIntervalUs, currentSkewUs } from './machine.js';
export { skewUs, masterDownIntervalUs, adverIntervalUs, wireAdverIntervalCs, US_PER_CS, US_PER_S } from './timers.js';
export { compareAddresses, addressToBigInt } from './address-order.js';
