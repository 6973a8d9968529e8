/**
 * LinkWatcher: turns rtnetlink multicast notifications (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
 * RTNLGRP_IPV6_IFADDR) into typed events the daemon maps to FAULT / VIP restore.
 *
 * `start()` joins the groups *first*, then dumps the links to learn their current state, so no
 * change between the two is lost; the dump itself emits nothing. After that:
 * - `link-up` / `link-down` when an interface's usable state flips, usable meaning IFF_UP and
 *   IFF_RUNNING (keepalived's test); repeated RTM_NEWLINKs that do not flip it emit nothing;
 * - `link-added` for a new ifindex (with its state), `link-removed` on RTM_DELLINK;
 * - `address-added` / `address-removed` for every RTM_NEWADDR / RTM_DELADDR;
 * - `resync-needed` when notifications were lost (ENOBUFS, undecodable datagram): the consumer
 *   should re-read state (e.g. `listInterfaces`), the watcher re-dumps links itself.
 * The pure part — state table + message → events — is `LinkStateTracker`.
 */

import {
  IFF_RUNNING,
  IFF_UP,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_LINK,
} from './constants.js';
import type { IpFamily } from './inet.js';
import type { NlMsg } from './nl-codec.js';
import { parseAddrMsg } from './rtnl-addr-codec.js';
import { buildGetLinkDump, parseLinkMsg, type LinkMessage } from './rtnl-link-codec.js';
import { NetlinkChannel } from './socket.js';
import type { NetlinkError } from './errors.js';

export type LinkEvent =
  | { readonly kind: 'link-up' | 'link-down'; readonly ifindex: number; readonly name: string; readonly flags: number; readonly operState?: number }
  | { readonly kind: 'link-added'; readonly ifindex: number; readonly name: string; readonly usable: boolean; readonly flags: number }
  | { readonly kind: 'link-removed'; readonly ifindex: number; readonly name: string }
  | {
      readonly kind: 'address-added' | 'address-removed';
      readonly ifindex: number;
      readonly family: IpFamily;
      readonly address: string;
      readonly prefixLen: number;
      readonly label?: string;
    }
  | { readonly kind: 'resync-needed'; readonly reason: string };

interface LinkState {
  readonly name: string;
  readonly usable: boolean;
}

/** keepalived's notion of a usable interface. */
export function linkUsable(flags: number): boolean {
  return (flags & IFF_UP) !== 0 && (flags & IFF_RUNNING) !== 0;
}

/** Pure: remembers link state and converts rtnetlink messages to events. */
export class LinkStateTracker {
  private readonly links = new Map<number, LinkState>();

  /** Replaces the table from a dump; emits nothing. */
  seed(links: readonly LinkMessage[]): void {
    this.links.clear();
    for (const l of links) this.links.set(l.index, { name: l.name ?? '', usable: linkUsable(l.flags) });
  }

  /** Like `seed`, but reports what changed since the table was last known (after a resync). */
  reconcile(links: readonly LinkMessage[]): LinkEvent[] {
    const events: LinkEvent[] = [];
    const seen = new Set<number>();
    for (const l of links) {
      seen.add(l.index);
      events.push(...this.onLink(l));
    }
    for (const [ifindex, st] of [...this.links]) {
      if (!seen.has(ifindex)) {
        this.links.delete(ifindex);
        events.push({ kind: 'link-removed', ifindex, name: st.name });
      }
    }
    return events;
  }

  state(ifindex: number): { readonly name: string; readonly usable: boolean } | undefined {
    return this.links.get(ifindex);
  }

  /** One notification; undecodable or irrelevant messages give no event. */
  handle(msg: NlMsg): LinkEvent[] {
    switch (msg.header.type) {
      case RTM_NEWLINK: {
        const l = parseLinkMsg(msg.payload);
        return l.ok ? this.onLink(l.value) : [];
      }
      case RTM_DELLINK: {
        const l = parseLinkMsg(msg.payload);
        if (!l.ok) return [];
        const prev = this.links.get(l.value.index);
        this.links.delete(l.value.index);
        return [{ kind: 'link-removed', ifindex: l.value.index, name: l.value.name ?? prev?.name ?? '' }];
      }
      case RTM_NEWADDR:
      case RTM_DELADDR: {
        const a = parseAddrMsg(msg.payload);
        if (!a.ok || a.value === null) return [];
        const v = a.value;
        return [
          {
            kind: msg.header.type === RTM_NEWADDR ? 'address-added' : 'address-removed',
            ifindex: v.ifindex,
            family: v.family,
            address: v.address,
            prefixLen: v.prefixLen,
            ...(v.label !== undefined ? { label: v.label } : {}),
          },
        ];
      }
      default:
        return [];
    }
  }

  private onLink(l: LinkMessage): LinkEvent[] {
    const usable = linkUsable(l.flags);
    const prev = this.links.get(l.index);
    const name = l.name ?? prev?.name ?? '';
    this.links.set(l.index, { name, usable });
    if (prev === undefined) return [{ kind: 'link-added', ifindex: l.index, name, usable, flags: l.flags }];
    if (prev.usable === usable) return [];
    return [
      {
        kind: usable ? 'link-up' : 'link-down',
        ifindex: l.index,
        name,
        flags: l.flags,
        ...(l.operState !== undefined ? { operState: l.operState } : {}),
      },
    ];
  }
}

export interface LinkWatcherOptions {
  /** Use this channel (tests); otherwise a dedicated socket with a 4 MiB receive buffer is opened. */
  readonly channel?: NetlinkChannel;
}

export class LinkWatcher {
  private readonly tracker = new LinkStateTracker();
  private readonly listeners = new Set<(e: LinkEvent) => void>();
  private channel: NetlinkChannel | undefined;
  private readonly ownChannel: boolean;
  private unsubscribe: (() => void)[] = [];
  private resyncing = false;
  /** Notifications that arrive while the first dump runs, replayed after seeding. */
  private backlog: NlMsg[] | undefined;

  constructor(private readonly opts: LinkWatcherOptions = {}) {
    this.ownChannel = opts.channel === undefined;
  }

  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (e: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Current knowledge about a link (after `start`). */
  linkState(ifindex: number): { readonly name: string; readonly usable: boolean } | undefined {
    return this.tracker.state(ifindex);
  }

  async start(): Promise<void> {
    if (this.channel !== undefined) return;
    const channel = this.opts.channel ?? NetlinkChannel.open({ keepAlive: true, recvBufferSize: 4 << 20 });
    this.channel = channel;
    this.unsubscribe = [
      channel.onNotification((m) => (this.backlog !== undefined ? this.backlog.push(m) : this.emitAll(this.tracker.handle(m)))),
      channel.onProblem((e) => this.onProblem(e)),
    ];
    for (const g of [RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR]) channel.addMembership(g);
    this.backlog = [];
    try {
      this.tracker.seed(await this.dumpLinks(channel));
    } finally {
      const queued = this.backlog;
      this.backlog = undefined;
      for (const m of queued) this.emitAll(this.tracker.handle(m));
    }
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    if (this.ownChannel) this.channel?.close();
    this.channel = undefined;
  }

  private async dumpLinks(channel: NetlinkChannel): Promise<LinkMessage[]> {
    const msgs = await channel.execute(buildGetLinkDump());
    const out: LinkMessage[] = [];
    for (const m of msgs) {
      const l = m.header.type === RTM_NEWLINK ? parseLinkMsg(m.payload) : undefined;
      if (l?.ok) out.push(l.value);
    }
    return out;
  }

  private onProblem(e: NetlinkError): void {
    this.emitAll([{ kind: 'resync-needed', reason: e.message }]);
    const channel = this.channel;
    if (channel === undefined || this.resyncing) return;
    this.resyncing = true;
    this.dumpLinks(channel)
      .then((links) => this.emitAll(this.tracker.reconcile(links)))
      .catch((err: unknown) => this.emitAll([{ kind: 'resync-needed', reason: `link re-dump failed: ${String(err)}` }]))
      .finally(() => {
        this.resyncing = false;
      });
  }

  private emitAll(events: readonly LinkEvent[]): void {
    for (const e of events) for (const l of this.listeners) l(e);
  }
}
