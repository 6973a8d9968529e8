/**
 * Test harness for instance drivers: a ResolvedInstance builder, recording fake ports (advert channel,
 * kernel VIP table, GARP, FIFO) on a FakeClock, and a builder for peer adverts as raw IPv4 packets.
 */
import { FakeClock } from '../../src/core/clock.js';
import { createRootLog } from '../../src/core/log.js';
import { InstanceDriver } from '../../src/core/instance.js';
import type { InstanceObserver } from '../../src/core/instance.js';
import type { ResolvedInstance, ResolvedVip } from '../../src/core/instance-config.js';
import type { AnnounceRequest, ReceivedAdvertPacket, VipSpec } from '../../src/core/ports.js';
import { makeInstanceParams } from '../../src/vrrp/params.js';
import type { TrackerDef } from '../../src/vrrp/params.js';
import { authDataFromPassword, buildIpv4Packet, decodeAdvert, encodeAdvert } from '../../src/vrrp/packet/index.js';
import type { VrrpAdvertV2 } from '../../src/vrrp/packet/index.js';
import { vipKey } from '../../src/io/netlink/index.js';

export const SELF = '10.0.0.1';
export const PEER = '10.0.0.2';
export const GROUP = '224.0.0.18';

export function vip(address: string): ResolvedVip {
  return { address, family: 4, ifname: 'eth0', spec: { address, prefixLen: 24, ifindex: 2 }, excluded: false };
}

export function resolved(priority: number, vips: readonly string[] = ['10.0.0.100'], pass = 'secret', trackers: readonly TrackerDef[] = []): ResolvedInstance {
  const v = vips.map(vip);
  return {
    name: 'VI_1',
    params: makeInstanceParams({ name: 'VI_1', vrid: 51, basePriority: priority, primaryAddress: SELF, interfaceName: 'eth0', vips: [...vips], trackers }),
    family: 4, version: 2, vrid: 51, ifname: 'eth0', ifindex: 2, mac: '02:00:00:00:00:01', sourceAddress: SELF, sourceConfigured: false,
    multicastGroup: GROUP, unicastPeers: [], unicastTtl: 255, checkUnicastSrc: false, skipCheckAdvAddr: false, authType: 1, authPass: pass, adverIntervalCs: 100, vips: v,
    notify: { master: null, backup: null, fault: null, stop: null, generic: null, masterRxLowerPri: null },
    key: '51/inet/eth0/multicast',
  };
}

export interface Harness {
  clock: FakeClock;
  driver: InstanceDriver;
  sent: { dst: string; bytes: Uint8Array }[];
  kernel: Map<string, VipSpec>;
  garps: AnnounceRequest[];
  fifo: string[];
  logs: Record<string, unknown>[];
}

/** Options of the harness: `openFailures` = how many advert socket opens throw before one succeeds. */
export interface HarnessOptions {
  readonly openFailures?: number;
}

export function harness(
  cfg: ResolvedInstance,
  releaseVipsOnStop = true,
  clock: FakeClock = new FakeClock(0),
  observer?: InstanceObserver,
  options: HarnessOptions = {},
): Harness {
  let openFailures = options.openFailures ?? 0;
  const logs: Record<string, unknown>[] = [];
  const root = createRootLog({ format: 'json', destination: { write: (s: string) => void logs.push(JSON.parse(s) as Record<string, unknown>) } });
  const h: Omit<Harness, 'driver'> = { clock, sent: [], kernel: new Map(), garps: [], fifo: [], logs };
  const driver = new InstanceDriver(cfg, {
    clock,
    log: root.component('vrrp'),
    openChannel: (_inst) => {
      if (openFailures > 0) {
        openFailures--;
        throw Object.assign(new Error('bind EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
      }
      return {
      sendToAll: async (encode) => {
        const bytes = encode(GROUP);
        h.sent.push({ dst: GROUP, bytes });
        return [{ destination: GROUP, ok: true, bytes: bytes.length }];
      },
      close: () => undefined,
      };
    },
    addresses: {
      add: async (v) => (h.kernel.has(vipKey(v)) ? 'already-present' : (h.kernel.set(vipKey(v), v), 'added')),
      remove: async (v) => (h.kernel.delete(vipKey(v)) ? 'removed' : 'not-present'),
    },
    garp: { announce: (r) => void h.garps.push(r), cancel: () => undefined },
    notify: { runScript: async () => undefined, writeFifo: (l) => void h.fifo.push(l) },
    releaseVipsOnStop,
    ...(observer !== undefined ? { observer } : {}),
  });
  return { ...h, driver };
}

/** An advert from PEER as the raw socket delivers it (IPv4 header included). */
export function peerAdvert(priority: number, pass = 'secret', addresses: readonly string[] = ['10.0.0.100']): ReceivedAdvertPacket {
  const advert: VrrpAdvertV2 = {
    version: 2, type: 1, vrid: 51, priority, addrCount: addresses.length, checksum: 0, addresses, authType: 1, adverIntS: 1,
    authData: authDataFromPassword(pass),
  };
  const payload = encodeAdvert(advert, { family: 4, srcAddr: PEER, dstAddr: GROUP });
  return { family: 4, bytes: buildIpv4Packet(payload, { src: PEER, dst: GROUP }), source: PEER };
}

export function sentPriorities(h: Harness): number[] {
  return h.sent.map((s) => {
    const d = decodeAdvert(s.bytes, { family: 4, srcAddr: SELF, dstAddr: s.dst });
    if (!d.ok) throw new Error(`we sent an undecodable advert: ${d.drop.code}`);
    return d.advert.priority;
  });
}

