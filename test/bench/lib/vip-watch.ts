/**
 * Times the appearance of a VIP in a namespace: a netlink address monitor (`ip -n NS monitor address`,
 * event-driven) raced against `ip -j addr` polling every 10 ms. The first to see the address wins; both
 * report `performance.now()` of the observation.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Netns } from '../../lab/netns.js';
import { sleep } from '../../lab/netns.js';

export const VIP_POLL_INTERVAL_MS = 10;

export interface VipWatch {
  /** performance.now() when the VIP was first seen; rejects after the timeout. */
  readonly seenAt: Promise<number>;
  /** Stops the monitor and the polling (idempotent). */
  close(): void;
}

/** Address part of a `a.b.c.d/len` string. */
export const bareAddress = (cidr: string): string => cidr.split('/')[0] ?? cidr;

/**
 * Starts watching `ns` for `vip` (bare address); resolves once the monitor is subscribed, so the caller
 * can trigger the event right after. `seenAt` resolves with the first observation.
 */
export async function watchVip(ns: Netns, vip: string, timeoutMs: number): Promise<VipWatch> {
  let done = false;
  const mon = spawn('ip', ['-n', ns.name, '-o', 'monitor', 'address'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let resolveSeen: (t: number) => void = () => undefined;
  let rejectSeen: (e: Error) => void = () => undefined;
  const seenAt = new Promise<number>((res, rej) => {
    resolveSeen = res;
    rejectSeen = rej;
  });
  const hit = (t: number): void => {
    if (done) return;
    done = true;
    resolveSeen(t);
  };
  const escaped = vip.replace(/[.:]/g, (c) => `\\${c}`);
  const re = new RegExp(`inet6? ${escaped}/`);
  let buf = '';
  mon.stdout.on('data', (chunk: Buffer) => {
    const t = performance.now();
    buf += chunk.toString('utf8');
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    if (lines.some((l) => !l.startsWith('Deleted') && re.test(l))) hit(t);
  });
  const timer = setTimeout(() => {
    if (done) return;
    done = true;
    rejectSeen(new Error(`${ns.name}: ${vip} not seen within ${timeoutMs} ms`));
  }, timeoutMs);
  const close = (): void => {
    done = true;
    clearTimeout(timer);
    mon.kill('SIGKILL');
  };
  void seenAt.then(close, close);
  // Let the monitor subscribe before the caller triggers anything.
  await sleep(60);
  void (async () => {
    while (!done) {
      const t0 = performance.now();
      const present = await ns.hasAddress(vip).catch(() => false);
      // Conservative: the time the read that saw the address returned.
      if (present) hit(performance.now());
      const spent = performance.now() - t0;
      if (spent < VIP_POLL_INTERVAL_MS) await sleep(VIP_POLL_INTERVAL_MS - spent);
    }
  })();
  return { seenAt, close };
}
