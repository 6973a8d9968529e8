/**
 * VRRP instance parameters: the resolved, immutable description of one `vrrp_instance` as the
 * pure state machine (`fsm/`) consumes it. Config mapping lives in `params-from-config.ts`;
 * defaults here are keepalived 2.2.7's.
 *
 * Units are in the names: `Cs` centiseconds (the VRRPv3 wire unit), `Us` microseconds
 * (keepalived's timer resolution). Addresses are textual (dotted quad / RFC 5952), compared
 * numerically by `fsm/address-order.ts`.
 */

export type AddressFamily = 'inet' | 'inet6';
export type VrrpVersion = 2 | 3;

/** Address owner priority (RFC 9568 §6.1). */
export const PRIORITY_OWNER = 255;
/** Priority carried by a "leaving" advert (shutdown / entering FAULT from MASTER). */
export const PRIORITY_STOP = 0;
/** keepalived's default `priority`. */
export const DEFAULT_PRIORITY = 100;
/** keepalived default `advert_int` (1 s). */
export const DEFAULT_ADVER_INTERVAL_CS = 100;

/** Gratuitous ARP / unsolicited NA pacing (keepalived `garp_*` / `vrrp_garp_*`). */
export interface GarpParams {
  /** `garp_master_delay`: delay of the second burst after becoming MASTER; 0 = no second burst. Default 5 s. */
  readonly masterDelayUs: number;
  /** `garp_master_repeat`: GARPs per address per burst on becoming MASTER. Default 5. */
  readonly masterRepeat: number;
  /** `garp_master_refresh`: period of refresh bursts while MASTER; 0 = off (default). */
  readonly masterRefreshUs: number;
  /** `garp_master_refresh_repeat`: GARPs per address per refresh. Default 1. */
  readonly masterRefreshRepeat: number;
  /** `garp_lower_prio_delay`: second burst after a lower-priority advert; default = masterDelayUs. */
  readonly lowerPrioDelayUs: number;
  /** `garp_lower_prio_repeat`: burst on a lower-priority advert while MASTER; 0 = none; default = masterRepeat. */
  readonly lowerPrioRepeat: number;
}

export const DEFAULT_GARP: GarpParams = {
  masterDelayUs: 5_000_000,
  masterRepeat: 5,
  masterRefreshUs: 0,
  masterRefreshRepeat: 1,
  lowerPrioDelayUs: 5_000_000,
  lowerPrioRepeat: 5,
};

/** Kind of tracked object (keepalived track_script / track_interface / track_file / track_process / track_bfd). */
export type TrackerKind = 'script' | 'interface' | 'file' | 'process' | 'bfd';

/**
 * One tracker reference of an instance (or sync group), with the weight already resolved
 * (the instance's `weight` overrides the object's own; see `params-from-config.ts`).
 * weight 0 = unweighted: failure puts the instance in FAULT.
 */
export interface TrackerDef {
  readonly kind: TrackerKind;
  readonly name: string;
  /** -253..253; 0 = unweighted (FAULT on failure). For `file`: multiplier of the file value. */
  readonly weight: number;
  /** `reverse`: the weight applies in the opposite direction. */
  readonly reverse: boolean;
}

export interface VrrpInstanceParams {
  /** `vrrp_instance` name, used in every log line as `(NAME)`. */
  readonly name: string;
  readonly vrid: number;
  readonly family: AddressFamily;
  readonly version: VrrpVersion;
  /** Configured priority 1..255 (255 = address owner). */
  readonly basePriority: number;
  /** Configured Advertisement_Interval. v2 uses whole seconds on the wire (see `fsm/timers.ts`). */
  readonly adverIntervalCs: number;
  /** Configured `state` (informational: keepalived still starts non-owners in BACKUP). */
  readonly initialState: 'MASTER' | 'BACKUP';
  /** Preempt_Mode; false when `nopreempt` is configured. */
  readonly preempt: boolean;
  /** `preempt_delay`; 0 = none. */
  readonly preemptDelayUs: number;
  readonly garp: GarpParams;
  /** `down_timer_adverts` (RFC: 3). */
  readonly downTimerAdverts: number;
  /** `lower_prio_no_advert`: MASTER does not answer a lower-priority advert with its own. */
  readonly lowerPrioNoAdvert: boolean;
  /** `higher_prio_send_advert`: MASTER sends one advert before yielding to a higher priority. */
  readonly higherPrioSendAdvert: boolean;
  /** `notify_priority_changes`: FIFO lines MASTER_PRIORITY / BACKUP_PRIORITY on priority changes. */
  readonly notifyPriorityChanges: boolean;
  /** `notify_deleted`: removal by a reload notifies DELETED instead of keepalived's historical FAULT. */
  readonly notifyDeleted: boolean;
  /** Primary / configured source address used for the equal-priority tie-break; null = unknown yet. */
  readonly primaryAddress: string | null;
  /** Instance interface name (null for unicast without interface). */
  readonly interfaceName: string | null;
  /** False with `dont_track_primary`: the instance interface going down does not cause FAULT. */
  readonly trackPrimaryInterface: boolean;
  /** `virtual_ipaddress` entries (address, textual, without prefix). */
  readonly vips: readonly string[];
  /** `virtual_ipaddress_excluded` entries. */
  readonly excludedVips: readonly string[];
  readonly trackers: readonly TrackerDef[];
  /** Name of the `vrrp_sync_group` this instance belongs to, if any. */
  readonly syncGroup: string | null;
}

/** True when the configured priority makes the instance the address owner. */
export function isAddressOwner(p: Pick<VrrpInstanceParams, 'basePriority'>): boolean {
  return p.basePriority === PRIORITY_OWNER;
}

/** Builds params with keepalived defaults for everything not given (tests, tools). */
export function makeInstanceParams(
  partial: Partial<VrrpInstanceParams> & Pick<VrrpInstanceParams, 'name' | 'vrid'>,
): VrrpInstanceParams {
  const family = partial.family ?? 'inet';
  return {
    family,
    version: partial.version ?? (family === 'inet6' ? 3 : 2),
    basePriority: DEFAULT_PRIORITY,
    adverIntervalCs: DEFAULT_ADVER_INTERVAL_CS,
    initialState: 'BACKUP',
    preempt: true,
    preemptDelayUs: 0,
    garp: DEFAULT_GARP,
    downTimerAdverts: 3,
    lowerPrioNoAdvert: false,
    higherPrioSendAdvert: false,
    notifyPriorityChanges: false,
    notifyDeleted: false,
    primaryAddress: null,
    interfaceName: null,
    trackPrimaryInterface: true,
    vips: [],
    excludedVips: [],
    trackers: [],
    syncGroup: null,
    ...partial,
  };
}
