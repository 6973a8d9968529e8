/**
 * Keeps an IPVS backend in line with the desired table: on every change, read the backend's table,
 * `reconcile()` and apply the operations one by one (a refused operation is logged, the rest still
 * go). Calls are serialised; a newer desired table supersedes one still waiting.
 *
 * Backends: the kernel (`IpvsClient`) or, when the kernel has no IPVS, an in-memory table that
 * records what would have been programmed — so dumps and snapshots stay meaningful.
 * `teardown()` removes what we own (daemon stop without `-I`).
 */
import type { IpvsClient } from '../io/netlink/ipvs-client.js';
import { serviceKey, type IpvsServiceEntry } from '../io/netlink/ipvs-types.js';
import { applyOps, ownedKeysOf, reconcile, teardownOps, type IpvsOp } from './reconcile.js';
import { formatServiceLine } from './ipvs-text.js';

/** A desired service; `managedDestKeys` names the configured dests that are ours even when not desired now. */
export interface ManagedEntry extends IpvsServiceEntry {
  readonly managedDestKeys?: readonly string[];
}

export interface IpvsBackend {
  readonly kind: 'kernel' | 'memory';
  dump(): Promise<IpvsServiceEntry[]>;
  apply(op: IpvsOp): Promise<void>;
  close(): void;
}

export function memoryBackend(): IpvsBackend {
  let table: IpvsServiceEntry[] = [];
  return {
    kind: 'memory',
    dump: () => Promise.resolve(table),
    apply: (op) => {
      table = applyOps(table, [op]);
      return Promise.resolve();
    },
    close: () => {},
  };
}

export function kernelBackend(client: IpvsClient): IpvsBackend {
  return {
    kind: 'kernel',
    dump: () => client.dump(),
    apply: async (op) => {
      switch (op.op) {
        case 'add-service':
          return client.addService(op.service);
        case 'edit-service':
          return client.editService(op.service);
        case 'del-service':
          return client.delService(op.service);
        case 'add-dest':
          return client.addDest(op.service, op.dest);
        case 'edit-dest':
          return client.editDest(op.service, op.dest);
        case 'del-dest':
          return client.delDest(op.service, op.dest);
      }
    },
    close: () => client.close(),
  };
}

export function describeOp(op: IpvsOp): string {
  const svc = formatServiceLine(op.service);
  return 'dest' in op ? `${op.op} ${op.dest.address}:${op.dest.port} weight ${op.dest.weight} in ${svc}` : `${op.op} ${svc}`;
}

export class IpvsSync {
  private owned = { services: new Set<string>(), dests: new Set<string>() };
  private running: Promise<void> = Promise.resolve();
  private pending: readonly ManagedEntry[] | null = null;
  private lastApplied: IpvsServiceEntry[] = [];
  opsApplied = 0;
  opsFailed = 0;

  constructor(
    readonly backend: IpvsBackend,
    private readonly log: (level: 'info' | 'warn' | 'error' | 'debug', message: string) => void,
    /** Called for each refused operation (`dump`: the backend's table could not be read), for metrics. */
    private readonly onError?: (op: IpvsOp['op'] | 'dump') => void,
  ) {}

  /** Queue a desired table; resolves when it (or a newer one) has been applied. */
  sync(desired: readonly ManagedEntry[]): Promise<void> {
    const first = this.pending === null;
    this.pending = desired;
    if (first) this.running = this.running.then(() => this.drain());
    return this.running;
  }

  /** Delete everything we own from the backend. */
  async teardown(): Promise<void> {
    await this.running;
    let current: IpvsServiceEntry[];
    try {
      current = await this.backend.dump();
    } catch (err) {
      this.log('error', `IPVS: cannot read the table at shutdown: ${String(err)}`);
      return;
    }
    await this.applyAll(teardownOps(current, this.owned));
  }

  /** The backend's table as last read after applying. */
  table(): readonly IpvsServiceEntry[] {
    return this.lastApplied;
  }

  private async drain(): Promise<void> {
    while (this.pending !== null) {
      const desired = this.pending;
      this.pending = null;
      let current: IpvsServiceEntry[];
      try {
        current = await this.backend.dump();
      } catch (err) {
        this.log('error', `IPVS: cannot read the kernel table: ${String(err)}`);
        this.onError?.('dump');
        continue;
      }
      const now = ownedKeysOf(desired);
      for (const k of now.services) this.owned.services.add(k);
      for (const k of now.dests) this.owned.dests.add(k);
      for (const e of desired) for (const dk of e.managedDestKeys ?? []) this.owned.dests.add(`${serviceKey(e.service)}|${dk}`);
      const ops = reconcile(desired, current, this.owned);
      await this.applyAll(ops);
      try {
        this.lastApplied = await this.backend.dump();
      } catch {
        // keep the previous view
      }
    }
  }

  private async applyAll(ops: readonly IpvsOp[]): Promise<void> {
    for (const op of ops) {
      try {
        await this.backend.apply(op);
        this.opsApplied++;
        this.log('debug', `IPVS: ${describeOp(op)}`);
      } catch (err) {
        this.opsFailed++;
        this.onError?.(op.op);
        this.log('error', `IPVS: ${describeOp(op)} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
