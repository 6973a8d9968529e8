/**
 * Builds the split-brain detector's `AdvertSummary` from what the receive path already has: the
 * source address, the decoded advert and the instance check's verdict (accepted with warnings, or
 * dropped with a reason). Adverts that failed to decode carry no VRID and are not summarised.
 */

import type { Dropped } from '../vrrp/packet/drop-reason.js';
import type { InstanceAccepted } from '../vrrp/packet/instance-check.js';
import type { VrrpAdvert } from '../vrrp/packet/types.js';
import type { AdvertSummary } from './split-brain.js';

export function summarizeAdvert(srcAddr: string, advert: VrrpAdvert, verdict: InstanceAccepted | Dropped): AdvertSummary {
  const base = {
    srcAddr,
    vrid: advert.vrid,
    version: advert.version,
    priority: advert.priority,
    adverIntervalCs: advert.version === 3 ? advert.maxAdverIntCs : advert.adverIntS * 100,
  };
  return verdict.ok ? { ...base, warnings: verdict.warnings.map((w) => w.code) } : { ...base, drop: verdict.drop.code };
}
