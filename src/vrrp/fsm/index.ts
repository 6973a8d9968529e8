/**
 * Public surface of the pure VRRP state machine. Contract for the daemon that drives it:
 *
 *  1. Build `VrrpInstanceParams` (`../params-from-config.ts`), fill `primaryAddress` from the
 *     interface when the config has no `unicast_src_ip`/`mcast_src_ip`, then `createInstance()`.
 *  2. Before `start`, report the trackers' initial state with one `trackingChanged` (init_fail
 *     scripts, interfaces already down, track_file values) and the interface state with
 *     `interfaceChanged`; keepalived also waits for unweighted scripts still in INIT
 *     (`summarize(set).pending`) before starting the instance.
 *  3. Feed every event with the current monotonic time in µs; execute the returned effects in
 *     order (they follow keepalived's call order: advert before VIPs before GARPs before notifies).
 *  4. `setTimer` replaces the timer of that kind; deliver `timerFired` with the same generation.
 *     Stale generations are ignored, so cancelling a host timer is an optimisation, not a must.
 *  5. `notify` = run `notify_<state>` then the generic `notify` with `args` appended (STOP: wait,
 *     bounded); `fifoLine` = write to `notify_fifo` and `vrrp_notify_fifo`.
 *  6. Members of a `vrrp_sync_group` must be driven through `../sync-group.ts` (`stepGroup`).
 */
export * from './types.js';
export { step, createInstance, faultReasons, ownFaultReasons, currentMasterDownIntervalUs, currentSkewUs } from './machine.js';
export { skewUs, masterDownIntervalUs, adverIntervalUs, wireAdverIntervalCs, US_PER_CS, US_PER_S } from './timers.js';
export { compareAddresses, addressToBigInt } from './address-order.js';
