/**
 * ChecksumFormTally: per-peer counts of the checksum form each peer's adverts matched (see ChecksumForm).
 * v3/IPv4 peers may use keepalived's pseudo-header form or RFC 9568's message-only form; we accept both
 * and use this tally to report which, to notice a peer switching, and to warn when a group is mixed.
 * Pure data structure: no clock, no logging.
 */

import type { ChecksumForm } from './types.js';

export type ChecksumFormCounts = Readonly<Record<ChecksumForm, number>>;

export interface TallyUpdate {
  /** First advert ever counted from this peer. */
  readonly newPeer: boolean;
  /** The form differs from the one this peer used last time (false for a new peer). */
  readonly formChanged: boolean;
  /** The form this peer used before this advert, if any. */
  readonly previousForm?: ChecksumForm;
}

interface PeerEntry {
  counts: Record<ChecksumForm, number>;
  last: ChecksumForm;
}

const zeroCounts = (): Record<ChecksumForm, number> => ({ v2: 0, pseudo: 0, 'v2-style': 0, 'legacy-unicast': 0 });

export class ChecksumFormTally {
  readonly #peers = new Map<string, PeerEntry>();

  /** Count one advert from `peer` (its source address text) that matched `form`. */
  record(peer: string, form: ChecksumForm): TallyUpdate {
    const entry = this.#peers.get(peer);
    if (entry === undefined) {
      const counts = zeroCounts();
      counts[form] = 1;
      this.#peers.set(peer, { counts, last: form });
      return { newPeer: true, formChanged: false };
    }
    const previousForm = entry.last;
    entry.counts[form] += 1;
    entry.last = form;
    return { newPeer: false, formChanged: previousForm !== form, previousForm };
  }

  /** Counts for one peer (all zero if never seen). */
  countsFor(peer: string): ChecksumFormCounts {
    const entry = this.#peers.get(peer);
    return { ...(entry?.counts ?? zeroCounts()) };
  }

  /** The form the peer's latest advert used. */
  lastFormOf(peer: string): ChecksumForm | undefined {
    return this.#peers.get(peer)?.last;
  }

  peers(): readonly string[] {
    return [...this.#peers.keys()];
  }

  /** Distinct latest forms across peers; more than one means a mixed group worth a warning. */
  formsInUse(): ReadonlySet<ChecksumForm> {
    return new Set([...this.#peers.values()].map((e) => e.last));
  }

  isMixed(): boolean {
    return this.formsInUse().size > 1;
  }

  /** Totals over all peers. */
  totals(): ChecksumFormCounts {
    const t = zeroCounts();
    for (const e of this.#peers.values()) {
      for (const f of Object.keys(t) as ChecksumForm[]) t[f] += e.counts[f];
    }
    return t;
  }

  forget(peer: string): boolean {
    return this.#peers.delete(peer);
  }

  clear(): void {
    this.#peers.clear();
  }
}
