/**
 * SIGHUP reload planning (pure): which running instances stop, which new ones start, and which keep
 * running with the new configuration. keepalived matches old↔new instances by (VRID, family, interface,
 * unicast/multicast) — `ResolvedInstance.key` — not by name, so a renamed instance keeps its state.
 * A kept instance reopens its advert socket only when what the socket depends on changed.
 */
import type { ResolvedInstance } from './instance-config.js';
import { withSyncGroup } from './instance-config.js';

export interface ReloadUpdate {
  readonly key: string;
  readonly next: ResolvedInstance;
  /** Source address, multicast group, unicast peers or TTL changed: the socket must be reopened. */
  readonly reopenChannel: boolean;
}

export interface ReloadPlan {
  /** Keys of running instances absent from the new configuration. */
  readonly stop: readonly string[];
  /** New instances (sync group membership cleared: groups are formed at startup only). */
  readonly start: readonly ResolvedInstance[];
  readonly update: readonly ReloadUpdate[];
  /** New instances that asked for a sync group they cannot join before a restart. */
  readonly groupDeferred: readonly string[];
}

/** Whether the advert transport of `next` differs from the one opened for `prev`. */
export function channelChanged(prev: ResolvedInstance, next: ResolvedInstance): boolean {
  return (
    prev.sourceAddress !== next.sourceAddress ||
    prev.multicastGroup !== next.multicastGroup ||
    prev.unicastTtl !== next.unicastTtl ||
    prev.unicastPeers.join(',') !== next.unicastPeers.join(',')
  );
}

export function planReload(running: ReadonlyMap<string, ResolvedInstance>, next: ReadonlyMap<string, ResolvedInstance>): ReloadPlan {
  const stop = [...running.keys()].filter((k) => !next.has(k));
  const start: ResolvedInstance[] = [];
  const update: ReloadUpdate[] = [];
  const groupDeferred: string[] = [];
  for (const [key, n] of next) {
    const prev = running.get(key);
    if (prev === undefined) {
      if (n.params.syncGroup !== null) groupDeferred.push(n.name);
      start.push(withSyncGroup(n, null));
      continue;
    }
    // Group membership is fixed at startup: keep the running one.
    const kept = withSyncGroup(n, prev.params.syncGroup);
    update.push({ key, next: kept, reopenChannel: channelChanged(prev, kept) });
  }
  return { stop, start, update, groupDeferred };
}
