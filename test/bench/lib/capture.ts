/**
 * Wire capture of VRRP adverts inside a lab namespace with tcpdump (kernel timestamps, µs precision).
 */
import type { Netns } from '../../lab/netns.js';
import { parseTcpdumpLine, type WireAdvert } from './adverts.js';

export interface CaptureResult {
  readonly adverts: readonly WireAdvert[];
  /** tcpdump's "packets dropped by kernel" count (a non-zero value makes the figures suspect). */
  readonly droppedByKernel: number;
}

export interface AdvertCapture {
  /** Stops tcpdump and returns the adverts it printed. */
  stop(): Promise<CaptureResult>;
}

/** Starts tcpdump on `iface` of `ns` for IP protocol 112 from `srcIp`; resolves once it is listening. */
export async function captureAdverts(ns: Netns, srcIp: string, iface = 'eth0'): Promise<AdvertCapture> {
  const p = ns.spawn(`tcpdump-${Date.now()}`, 'tcpdump', [
    '-i', iface, '-nn', '-l', '-tt', '--time-stamp-precision=micro', '-B', '8192', `ip proto 112 and src host ${srcIp}`,
  ]);
  await p.waitForLine(/listening on/, 10_000);
  return {
    async stop(): Promise<CaptureResult> {
      await p.stop('SIGINT', 3000);
      const dropped = p.lines.map((l) => /^(\d+) packets? dropped by kernel/.exec(l)).find((m) => m !== null);
      return {
        adverts: p.lines.map(parseTcpdumpLine).filter((a): a is WireAdvert => a !== undefined),
        droppedByKernel: dropped === undefined || dropped === null ? 0 : Number(dropped[1]),
      };
    },
  };
}
