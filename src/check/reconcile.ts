/**
 * IPVS reconciler, pure: desired table vs the kernel's table → the operations that make the kernel
 * match (add/edit/del service, add/edit/del dest). Only what is ours is touched: services and
 * dests the kernel has but we never desired (ipvsadm by hand, another daemon) are left alone,
 * unless they are in `owned` (keys we desired earlier and no longer do). `teardownOps` removes
 * everything we own (shutdown without `-I`).
 */
import type { IpvsDest, IpvsService, IpvsServiceEntry } from '../io/netlink/ipvs-types.js';
import { destKey, serviceKey } from '../io/netlink/ipvs-types.js';

export type IpvsOp =
  | { readonly op: 'add-service'; readonly service: IpvsService }
  | { readonly op: 'edit-service'; readonly service: IpvsService }
  | { readonly op: 'del-service'; readonly service: IpvsService }
  | { readonly op: 'add-dest'; readonly service: IpvsService; readonly dest: IpvsDest }
  | { readonly op: 'edit-dest'; readonly service: IpvsService; readonly dest: IpvsDest }
  | { readonly op: 'del-dest'; readonly service: IpvsService; readonly dest: IpvsDest };

/** Keys of what we have put into the kernel: service keys and `serviceKey|destKey`. */
export interface OwnedKeys {
  readonly services: ReadonlySet<string>;
  readonly dests: ReadonlySet<string>;
}

export function ownedKeysOf(entries: readonly IpvsServiceEntry[]): OwnedKeys {
  const services = new Set<string>();
  const dests = new Set<string>();
  for (const e of entries) {
    const sk = serviceKey(e.service);
    services.add(sk);
    for (const d of e.dests) dests.add(`${sk}|${destKey(d)}`);
  }
  return { services, dests };
}

function sameService(a: IpvsService, b: IpvsService): boolean {
  return a.scheduler === b.scheduler && a.flags === b.flags && a.timeoutSec === b.timeoutSec && a.netmask === b.netmask && (a.peName ?? '') === (b.peName ?? '');
}

function sameDest(a: IpvsDest, b: IpvsDest): boolean {
  return (
    a.forwarding === b.forwarding &&
    a.weight === b.weight &&
    a.upperThreshold === b.upperThreshold &&
    a.lowerThreshold === b.lowerThreshold &&
    (a.tunnelType ?? 'ipip') === (b.tunnelType ?? 'ipip') &&
    (a.tunnelPort ?? 0) === (b.tunnelPort ?? 0) &&
    (a.tunnelCsum ?? 'nocsum') === (b.tunnelCsum ?? 'nocsum')
  );
}

export function reconcile(desired: readonly IpvsServiceEntry[], kernel: readonly IpvsServiceEntry[], owned: OwnedKeys = { services: new Set(), dests: new Set() }): IpvsOp[] {
  const ops: IpvsOp[] = [];
  const kernelByKey = new Map(kernel.map((e) => [serviceKey(e.service), e]));
  const desiredKeys = new Set<string>();
  for (const d of desired) {
    const sk = serviceKey(d.service);
    desiredKeys.add(sk);
    const k = kernelByKey.get(sk);
    if (k === undefined) {
      ops.push({ op: 'add-service', service: d.service });
      for (const dest of d.dests) ops.push({ op: 'add-dest', service: d.service, dest });
      continue;
    }
    if (!sameService(d.service, k.service)) ops.push({ op: 'edit-service', service: d.service });
    const kDests = new Map(k.dests.map((x) => [destKey(x), x]));
    const wanted = new Set<string>();
    for (const dest of d.dests) {
      const dk = destKey(dest);
      wanted.add(dk);
      const kd = kDests.get(dk);
      if (kd === undefined) ops.push({ op: 'add-dest', service: d.service, dest });
      else if (!sameDest(dest, kd)) ops.push({ op: 'edit-dest', service: d.service, dest });
    }
    for (const [dk, kd] of kDests) if (!wanted.has(dk) && owned.dests.has(`${sk}|${dk}`)) ops.push({ op: 'del-dest', service: d.service, dest: kd });
  }
  for (const [sk, k] of kernelByKey) if (!desiredKeys.has(sk) && owned.services.has(sk)) ops.push({ op: 'del-service', service: k.service });
  return ops;
}

/** Shutdown without `-I`: delete our services (the kernel drops their dests with them). */
export function teardownOps(kernel: readonly IpvsServiceEntry[], owned: OwnedKeys): IpvsOp[] {
  return kernel.filter((e) => owned.services.has(serviceKey(e.service))).map((e) => ({ op: 'del-service', service: e.service }) as const);
}

/** Applies ops to an in-memory table (what the kernel would hold afterwards); used without kernel IPVS. */
export function applyOps(table: readonly IpvsServiceEntry[], ops: readonly IpvsOp[]): IpvsServiceEntry[] {
  const m = new Map<string, { service: IpvsService; dests: Map<string, IpvsDest> }>();
  for (const e of table) m.set(serviceKey(e.service), { service: e.service, dests: new Map(e.dests.map((d) => [destKey(d), d])) });
  for (const o of ops) {
    const sk = serviceKey(o.service);
    switch (o.op) {
      case 'add-service':
        if (!m.has(sk)) m.set(sk, { service: o.service, dests: new Map() });
        break;
      case 'edit-service': {
        const e = m.get(sk);
        if (e !== undefined) e.service = o.service;
        break;
      }
      case 'del-service':
        m.delete(sk);
        break;
      case 'add-dest':
      case 'edit-dest':
        m.get(sk)?.dests.set(destKey(o.dest), o.dest);
        break;
      case 'del-dest':
        m.get(sk)?.dests.delete(destKey(o.dest));
        break;
    }
  }
  return [...m.values()].map((e) => ({ service: e.service, dests: [...e.dests.values()] }));
}
