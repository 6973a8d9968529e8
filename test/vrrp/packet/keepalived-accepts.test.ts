/**
 * Interop of the encoder with the reference: adverts built by encodeAdvert/buildIpv4Packet are injected
 * (IP_HDRINCL raw socket) into a keepalived 2.2.7 BACKUP with a lower priority. An accepted advert keeps
 * keepalived in BACKUP past its Master_Down_Interval; a rejected one lets it become MASTER and log why.
 * This pins what keepalived 2.2.7 itself accepts: the pseudo-header and legacy-unicast v3/IPv4 forms,
 * but NOT the RFC 9568 message-only ("v2-style") form, and v2 PASS only with the right password.
 * Needs root, iproute2 and /usr/sbin/keepalived; skipped otherwise.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Lab, leftoverNamespaces, sleep, type Netns } from '../../lab/netns.js';
import { authDataFromPassword, buildIpv4Packet, encodeAdvert, type ChecksumMode, type VrrpAdvert } from '../../../src/vrrp/packet/index.js';

const canRun =
  typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/sbin/keepalived') && existsSync('/usr/sbin/ip');

/** Sends the given IPv4 packet (hex, header included) `count` times, `gapMs` apart, with IP_HDRINCL. */
const INJECT_SCRIPT = `
const raw = require(require.resolve('raw-socket', { paths: [process.cwd()] }));
const [hex, dst, count, gapMs] = process.argv.slice(1);
const pkt = Buffer.from(hex, 'hex');
const s = raw.createSocket({ protocol: 112 });
s.setOption(raw.SocketLevel.IPPROTO_IP, 3 /* IP_HDRINCL */, 1);
let n = 0;
const tick = () => {
  s.send(pkt, 0, pkt.length, dst, (err) => { if (err) { console.error(String(err)); process.exit(2); } });
  if (++n < Number(count)) setTimeout(tick, Number(gapMs)); else setTimeout(() => process.exit(0), 50);
};
tick();
`;

const KA_IP = '10.94.4.1';
const INJ_IP = '10.94.4.2';
const GROUP = '224.0.0.18';
const VIP = '10.94.4.200';

interface Case {
  readonly name: string;
  readonly version: 2 | 3;
  readonly unicast?: boolean;
  readonly configPass?: string;
  /** What the injected advert carries. */
  readonly advert: VrrpAdvert;
  readonly checksumMode?: ChecksumMode;
  readonly accepted: boolean;
  /** keepalived log line proving why (rejection reason or legacy-checksum switch). */
  readonly logLine?: RegExp;
}

const v2 = (pass?: string, adverIntS = 1): VrrpAdvert => ({
  version: 2, type: 1, vrid: 94, priority: 200, addrCount: 1, checksum: 0, addresses: [VIP],
  authType: pass === undefined ? 0 : 1, adverIntS, authData: pass === undefined ? undefined : authDataFromPassword(pass),
});
const v3: VrrpAdvert = { version: 3, type: 1, vrid: 94, priority: 200, addrCount: 1, checksum: 0, addresses: [VIP], maxAdverIntCs: 100 };

const cases: readonly Case[] = [
  { name: 'v2 PASS, right password', version: 2, configPass: 's3cr3t', advert: v2('s3cr3t'), accepted: true },
  { name: 'v2 PASS, wrong password', version: 2, configPass: 's3cr3t', advert: v2('wrongpw'), accepted: false, logLine: /invalid passwd/ },
  { name: 'v2 PASS configured, none sent', version: 2, configPass: 's3cr3t', advert: v2(), accepted: false, logLine: /received a 0 auth, expecting 1/ },
  { name: 'v2 interval 2s vs 1s', version: 2, advert: v2(undefined, 2), accepted: false, logLine: /advertisement interval mismatch mine=1 sec rcv'd=2 sec/ },
  { name: 'v3/IPv4 multicast, pseudo-header checksum', version: 3, advert: v3, checksumMode: 'pseudo', accepted: true },
  { name: 'v3/IPv4 multicast, message-only checksum', version: 3, advert: v3, checksumMode: 'v2-style', accepted: false, logLine: /Invalid VRRPv3 checksum/ },
  { name: 'v3/IPv4 unicast, pseudo-header checksum', version: 3, unicast: true, advert: v3, checksumMode: 'pseudo', accepted: true },
  {
    name: 'v3/IPv4 unicast, legacy (≤ 1.3.6) checksum', version: 3, unicast: true, advert: v3, checksumMode: 'legacy-unicast', accepted: true,
    logLine: /Setting unicast VRRPv3 checksum to old version/,
  },
  {
    name: 'v3/IPv4 interval 200cs vs 100cs (adopted, not dropped)', version: 3, advert: { ...v3, maxAdverIntCs: 200 }, accepted: true,
    logLine: /advertisement interval updated from 1000ms to 2000ms by master/,
  },
];

function conf(c: Case): string {
  return [
    'global_defs {', '  router_id kts-h4-accepts', '}',
    'vrrp_instance VI_94 {',
    '  state BACKUP', '  interface eth0', '  virtual_router_id 94', '  priority 100', '  advert_int 1', `  version ${c.version}`,
    ...(c.configPass === undefined ? [] : ['  authentication {', '    auth_type PASS', `    auth_pass ${c.configPass}`, '  }']),
    ...(c.unicast === true ? [`  unicast_src_ip ${KA_IP}`, '  unicast_peer {', `    ${INJ_IP}`, '  }'] : []),
    '  virtual_ipaddress {', `    ${VIP}/24`, '  }',
    '}', '',
  ].join('\n');
}

describe.skipIf(!canRun)('keepalived 2.2.7 accepts what encodeAdvert sends', () => {
  // Each case has its own lab (namespaces, keepalived), so they run side by side.
  it.concurrent.each(cases)('$name → accepted: $accepted', async (c) => {
    const lab = Lab.create('h4pk');
    try {
      await runCase(lab, c);
    } finally {
      await lab.cleanup();
    }
    expect(await leftoverNamespaces(lab.prefix)).toEqual([]);
  });
});

async function runCase(lab: Lab, c: Case): Promise<void> {
  const ka = await lab.addHost('ka', { ipv4: `${KA_IP}/24` });
  const inj: Netns = await lab.addHost('inj', { ipv4: `${INJ_IP}/24` });
  await inj.ip('route', 'add', '224.0.0.0/4', 'dev', 'eth0');
  const proc = ka.startKeepalived(lab.writeFile('ka.conf', conf(c)));
  await proc.waitForLine(/Entering BACKUP STATE/, 10_000);

  const dst = c.unicast === true ? KA_IP : GROUP;
  const msg = encodeAdvert(c.advert, { family: 4, srcAddr: INJ_IP, dstAddr: dst, checksumMode: c.checksumMode });
  const pkt = buildIpv4Packet(msg, { src: INJ_IP, dst, id: 1 });
  // 18 adverts 300 ms apart cover well over keepalived's 3.6 s Master_Down_Interval.
  const sent = await inj.exec(process.execPath, ['-e', INJECT_SCRIPT, pkt.toString('hex'), dst, '18', '300'], 20_000);
  expect(sent.code, sent.stderr).toBe(0);
  await sleep(200);

  const becameMaster = proc.lines.some((l) => /Entering MASTER STATE/.test(l));
  expect(becameMaster, proc.lines.slice(-10).join('\n')).toBe(!c.accepted);
  if (c.logLine !== undefined) expect(proc.lines.some((l) => c.logLine!.test(l)), proc.lines.slice(-10).join('\n')).toBe(true);
}
