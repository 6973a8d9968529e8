import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { LoadResult } from '../../src/config/load.js';
import { resolveInstance } from '../../src/core/instance-config.js';
import type { InstanceStats } from '../../src/core/instance.js';
import {
  buildKeepalivedJson, formatCommand, formatFloatG, formatKeepalivedJson, keepalivedStats, KEEPALIVED_STATE_NUMBER, writeJsonDump,
} from '../../src/core/json-dump.js';
import type { JsonDumpContext, JsonInstanceSource, KeepalivedJsonInstance } from '../../src/core/json-dump.js';
import type { HostInterface } from '../../src/io/netlink/index.js';
import { GROUP, harness, PEER, peerAdvert, resolved } from './instance-harness.js';
import { buildIpv4Packet, encodeAdvert } from '../../src/vrrp/packet/index.js';
import type { VrrpAdvertV2 } from '../../src/vrrp/packet/index.js';
import { FakeClock } from '../../src/core/clock.js';
import { createRootLog } from '../../src/core/log.js';
import { InstanceDriver } from '../../src/core/instance.js';
import { createInstance } from '../../src/vrrp/fsm/index.js';
import type { VrrpState } from '../../src/vrrp/fsm/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const realText = readFileSync(join(fixtures, 'keepalived-2.2.7.json'), 'utf8');
const real = JSON.parse(realText) as KeepalivedJsonInstance[];

const kjsA: HostInterface = {
  index: 6, name: 'kjs-a', up: true, running: true, mtu: 1500, mac: '0a:10:22:2a:b2:35', flags: 0x1043,
  addresses: [
    { family: 4, address: '10.77.0.1', prefixLen: 24, scope: 0, flags: 0 },
    { family: 6, address: 'fe80::810:22ff:fe2a:b235', prefixLen: 64, scope: 253, flags: 0 },
  ],
};

/** /bin is a symlink to /usr/bin where the fixture was recorded. */
const resolveCommand = (argv0: string): string => argv0.replace(/^\/bin\//, '/usr/bin/');

const zeroStats = (): InstanceStats => ({
  advertsReceived: 0, advertsSent: 0, becameMaster: 0, releasedMaster: 0, priorityZeroReceived: 0, priorityZeroSent: 0,
  otherVrid: 0, drops: {}, warnings: {}, sendErrors: 0, vipsReadded: 0, invalidAuthType: 0,
});

const stateByNumber = new Map(Object.entries(KEEPALIVED_STATE_NUMBER).map(([k, v]) => [v, k as VrrpState] as const));

function loadFixture(): LoadResult {
  const res = loadConfig(join(fixtures, 'keepalived-json.conf'), { host: null });
  expect(res.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
  return res;
}

/**
 * Our view of each fixture instance: configuration from the fixture config, and the run-time state
 * keepalived reported (state, vipset, priorities) copied in, so every other value must come from the
 * configuration mapping.
 */
function sourcesFor(res: LoadResult, runtime: readonly KeepalivedJsonInstance[]): JsonInstanceSource[] {
  return res.instances.map((eff, i) => {
    const { instance } = resolveInstance(eff, res.config, [kjsA]);
    const d = runtime[i]?.data;
    const base = createInstance(instance.params);
    const fsmState = d === undefined ? base : {
      ...base,
      state: stateByNumber.get(d.state) ?? 'INIT',
      vipsSet: d.vipset,
      effectivePriority: d.effective_priority,
      masterPriority: d.master_priority === 0 ? null : d.master_priority,
      masterAdverIntervalCs: Math.round(d.master_adver_int * 100),
    };
    return { view: { config: instance, fsmState, stats: zeroStats(), lastTransition: null }, configured: eff.instance };
  });
}

const ctx = (res: LoadResult, over: Partial<JsonDumpContext> = {}): JsonDumpContext => ({
  nowUs: 0, nowWallMs: 1_795_609_770_000, startedAtWallMs: 1_795_609_760_500, globalDefs: res.config.globalDefs,
  vrrpScripts: res.config.vrrpScripts, resolveCommand, ...over,
});

const typeOf = (v: unknown): string => (Array.isArray(v) ? `array<${[...new Set(v.map((e) => typeof e))].join('|')}>` : typeof v);
const shape = (o: object): [string, string][] => Object.entries(o).map(([k, v]) => [k, typeOf(v)]);

describe('keepalived.json document', () => {
  it('has exactly keepalived 2.2.7s keys, in its order, with its JSON types, for the same config', () => {
    const res = loadFixture();
    const ours = buildKeepalivedJson(sourcesFor(res, real), ctx(res));
    expect(ours.map((i) => i.data.iname)).toEqual(real.map((i) => i.data.iname));
    ours.forEach((inst, i) => {
      const ref = real[i]!;
      expect(Object.keys(inst)).toEqual(Object.keys(ref));
      expect(shape(inst.data)).toEqual(shape(ref.data));
      expect(shape(inst.stats)).toEqual(shape(ref.stats));
    });
  });

  /**
   * Where keepalived-ts runs differently from keepalived, the dump reports what we run. VI_3 sets
   * garp_master_delay 2: src/vrrp/params-from-config.ts defaults garp_lower_prio_delay to it, keepalived
   * 2.2.7 to the global vrrp_garp_lower_prio_delay (default vrrp_garp_master_delay, 5 s; vrrp.c
   * vrrp_complete_instance). Remove the entry once params-from-config follows keepalived.
   */
  const KNOWN_DIVERGENCES: Readonly<Record<string, object>> = {};

  it('fills every configuration-derived field with keepalived’s value and unit', () => {
    const res = loadFixture();
    const ours = buildKeepalivedJson(sourcesFor(res, real), ctx(res));
    ours.forEach((inst, i) => {
      const { last_transition: _ours, ...data } = inst.data;
      const { last_transition: _real, ...want } = real[i]!.data;
      expect(data).toEqual({ ...want, ...KNOWN_DIVERGENCES[want.iname] });
    });
  });

  it('serializes a document byte for byte as keepalived does (compact, \\/ escapes, %g floats, %f last_transition)', () => {
    expect(formatKeepalivedJson(real)).toBe(realText);
  });

  it('dates last_transition from the driver’s last transition on the wall clock, else the start time', () => {
    const res = loadFixture();
    const sources = sourcesFor(res, real);
    const first = sources[0]!;
    const moved: JsonInstanceSource = {
      ...first,
      view: { ...first.view, lastTransition: { from: 'BACKUP', to: 'MASTER', reason: 'x', atUs: 7_000_000 } },
    };
    const [a, b] = buildKeepalivedJson([moved, sources[1]!], ctx(res, { nowUs: 10_000_000 }));
    expect(a!.data.last_transition).toBeCloseTo(1_795_609_767, 6);
    expect(b!.data.last_transition).toBeCloseTo(1_795_609_760.5, 6);
  });

  it('reports a sync-group member held in BACKUP as wanting MASTER, and STOP as 98', () => {
    const res = loadFixture();
    const src = sourcesFor(res, [])[0]!;
    const held: JsonInstanceSource = { ...src, view: { ...src.view, fsmState: { ...src.view.fsmState, state: 'BACKUP', wantMaster: true } } };
    const stopped: JsonInstanceSource = { ...src, view: { ...src.view, fsmState: { ...src.view.fsmState, state: 'STOP' } } };
    const [h, s] = buildKeepalivedJson([held, stopped], ctx(res));
    expect([h!.data.state, h!.data.wantstate]).toEqual([1, 2]);
    expect([s!.data.state, s!.data.wantstate]).toEqual([98, 98]);
  });
});

describe('use_vmac instances', () => {
  it('name the VMAC in vmac_ifname / ifp_ifname and write VIPs on it as dev <vmac>@<base>, as keepalived 2.2.7', () => {
    const res = loadFixture();
    const src = sourcesFor(res, real)[1]!; // VI_2, BACKUP
    const c = src.view.config;
    const vmac = {
      wantedName: 'vrrp.52', ifname: 'vrrp.52', ifindex: 9, mac: '00:00:5e:00:01:34', baseIfname: 'kjs-a', baseIfindex: 6,
      baseMac: c.mac, xmitBase: false, prefix: 'vrrp', family: 4 as const,
    };
    const onVmac = {
      ...c, ifname: 'vrrp.52', ifindex: 9, vmac,
      vips: c.vips.map((v) => ({ ...v, ifname: 'vrrp.52', spec: { ...v.spec, ifindex: 9 } })),
    };
    const master = { ...src.view.fsmState, state: 'MASTER' as const, vipsSet: true };
    const data = buildKeepalivedJson([{ view: { ...src.view, config: onVmac, fsmState: master }, configured: src.configured! }], ctx(res))[0]!.data;
    expect([data.vmac_ifname, data.ifp_ifname]).toEqual(['vrrp.52', 'vrrp.52']);
    expect(data.vips).toEqual(['10.77.0.102/24 dev vrrp.52@kjs-a scope global set']);
    // Before the link exists the wanted name is reported.
    const pending = { ...onVmac, vmac: { ...vmac, ifname: '' } };
    expect(buildKeepalivedJson([{ view: { ...src.view, config: pending } }], ctx(res))[0]!.data.vmac_ifname).toBe('vrrp.52');
  });
});

describe('keepalivedStats', () => {
  it('maps our counters and drop codes onto keepalived’s vrrp_stats', () => {
    const st: InstanceStats = {
      ...zeroStats(),
      advertsReceived: 11, advertsSent: 22, becameMaster: 3, releasedMaster: 2, priorityZeroReceived: 4, priorityZeroSent: 5,
      drops: { 'too-short': 1, length: 2, 'ip-total-length': 3, ttl: 4, type: 5, interval: 6, 'interval-zero': 1, 'addr-count': 7, 'addr-list': 1, 'auth-type': 8, 'auth-pass': 9, vrid: 100 },
      warnings: { 'addr-list-mismatch': 50 }, invalidAuthType: 3,
    };
    expect(keepalivedStats(st)).toEqual({
      advert_rcvd: 11, advert_sent: 22, become_master: 3, release_master: 2, packet_len_err: 6, advert_interval_err: 7,
      ip_ttl_err: 4, invalid_type_rcvd: 5, addr_list_err: 8, invalid_authtype: 3, authtype_mismatch: 5, auth_failure: 9,
      pri_zero_rcvd: 4, pri_zero_sent: 5,
    });
  });
});

describe('formatting helpers', () => {
  it('formatFloatG matches C printf("%g")', () => {
    const cases: [number, string][] = [
      [0, '0'], [1, '1'], [0.5, '0.5'], [40.95, '40.95'], [5, '5'], [0.01, '0.01'], [123456, '123456'],
      [1234567, '1.23457e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'], [2.5e-7, '2.5e-07'], [1 / 3, '0.333333'],
    ];
    for (const [x, want] of cases) expect(formatFloatG(x)).toBe(want);
  });

  it('formatCommand quotes every word and resolves argv[0], except a file-existence redirection', () => {
    const spec = { commandLine: '', argv: ['/bin/echo', 'a b', 'c'], user: null, group: null, pos: { file: 'x', line: 1 } };
    expect(formatCommand(spec, resolveCommand)).toBe("'/usr/bin/echo' 'a b' 'c'");
    expect(formatCommand({ ...spec, argv: ['</tmp/x'] }, (a) => `R${a}`)).toBe('</tmp/x');
  });

  it('writes no optional keys for an instance without scripts, VIPs, trackers or auth', () => {
    const res = loadFixture();
    const src = sourcesFor(res, [])[1]!; // VI_2: no scripts, no auth
    const data = buildKeepalivedJson([{ view: { ...src.view, config: { ...src.view.config, vips: [] } } }], ctx(res))[0]!.data;
    for (const k of ['script', 'script_master', 'vips', 'evips', 'track_ifp', 'track_script', 'auth_data']) expect(data).not.toHaveProperty(k);
    expect(data.auth_type).toBe(0);
    expect(data.smtp_alert).toBe(false);
  });
});

describe('InstanceDriver.clearStats (STATS_CLEAR)', () => {
  it('zeroes counters and drop tallies in place; the JSON stats then read 0 and counting resumes', async () => {
    const h = harness(resolved(100));
    h.driver.start(true);
    h.driver.handlePacket(peerAdvert(200));
    h.driver.handlePacket(peerAdvert(0));
    h.driver.handlePacket(peerAdvert(200, 'wrong'));
    await h.driver.idle();
    const before = keepalivedStats(h.driver.stats);
    expect([before.advert_rcvd, before.pri_zero_rcvd, before.auth_failure]).toEqual([2, 1, 1]);
    const statsObject = h.driver.stats;
    h.driver.clearStats();
    expect(h.driver.stats).toBe(statsObject);
    expect(Object.values(keepalivedStats(h.driver.stats)).every((v) => v === 0)).toBe(true);
    expect(h.driver.stats.drops).toEqual({});
    h.driver.handlePacket(peerAdvert(200));
    expect(keepalivedStats(h.driver.stats).advert_rcvd).toBe(1);
  });
});

describe('writeJsonDump', () => {
  it('replaces the file atomically with a 0600 one and never writes through a planted symlink', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-json-'));
    try {
      const victim = join(dir, 'victim');
      writeFileSync(victim, 'precious');
      const path = join(dir, 'keepalived.json');
      symlinkSync(victim, path);
      expect(writeJsonDump(path, '[]\n')).toBeUndefined();
      expect(readFileSync(victim, 'utf8')).toBe('precious');
      expect(lstatSync(path).isSymbolicLink()).toBe(false);
      expect(readFileSync(path, 'utf8')).toBe('[]\n');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir).sort()).toEqual(['keepalived.json', 'victim']);
      expect(writeJsonDump(join(dir, 'missing', 'keepalived.json'), '[]\n')).toMatch(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('advert_sent with unicast peers', () => {
  it('counts one per advert (keepalived), not one per peer nor only the successful ones', async () => {
    const clock = new FakeClock(0);
    let sends = 0;
    const cfg = { ...resolved(255), unicastPeers: ['10.0.0.2', '10.0.0.3'], key: '51/inet/eth0/unicast' };
    const driver = new InstanceDriver(cfg, {
      clock,
      log: createRootLog({ format: 'json', destination: { write: () => undefined } }).component('vrrp'),
      // The first advert fails to both peers, every later one reaches both.
      openChannel: () => ({
        sendToAll: async (encode) => {
          const failing = sends++ === 0;
          return cfg.unicastPeers.map((dst) => {
            const bytes = encode(dst);
            return failing ? { destination: dst, ok: false as const, error: new Error('EHOSTUNREACH') } : { destination: dst, ok: true as const, bytes: bytes.length };
          });
        },
        close: () => undefined,
      }),
      addresses: { add: async () => 'added' as const, remove: async () => 'removed' as const },
      garp: { announce: () => undefined, cancel: () => undefined },
      notify: { runScript: async () => undefined, writeFifo: () => undefined },
      releaseVipsOnStop: true,
    });
    driver.start(true); // address owner: MASTER at once, first advert
    await driver.idle();
    clock.advance(3_050_000); // three more adverts at 1 s
    await driver.idle();
    await driver.stop(); // priority-0 goodbye
    const st = keepalivedStats(driver.stats);
    expect(sends).toBe(5);
    expect([st.advert_sent, st.pri_zero_sent]).toEqual([5, 1]);
    expect(driver.stats.sendErrors).toBe(2);
  });
});

describe('invalid_authtype vs authtype_mismatch', () => {
  it('splits auth-type drops as keepalived: unknown types (not 0/1/2) are invalid, known other types a mismatch', () => {
    const h = harness(resolved(100)); // PASS
    h.driver.start(true);
    const packet = (authType: number): ReturnType<typeof peerAdvert> => {
      const advert: VrrpAdvertV2 = {
        version: 2, type: 1, vrid: 51, priority: 200, addrCount: 1, checksum: 0, addresses: ['10.0.0.100'], authType, adverIntS: 1,
        authData: new Uint8Array(8),
      };
      const payload = encodeAdvert(advert, { family: 4, srcAddr: PEER, dstAddr: GROUP });
      return { family: 4, bytes: buildIpv4Packet(payload, { src: PEER, dst: GROUP }), source: PEER };
    };
    for (const t of [0, 2, 5, 7, 0]) h.driver.handlePacket(packet(t));
    const st = keepalivedStats(h.driver.stats);
    expect([st.invalid_authtype, st.authtype_mismatch, st.advert_rcvd]).toEqual([2, 3, 0]);
  });
});
