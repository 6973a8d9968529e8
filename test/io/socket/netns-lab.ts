// Two network namespaces joined by a veth pair (names kts-h6b-<suffix>-{a,b}, interface veth0 on
// both sides, fixed MACs and addresses) for the privileged io tests. Sockets are opened inside a
// namespace by switching the test thread's netns with the native setns for the duration of a
// callback (sockets keep the namespace they were created in). Skips cleanly when not root or
// when the native addon is missing.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadNative, nativeAvailable } from '../../../src/io/native/index.js';

export const canRunNetnsTests: boolean =
  process.platform === 'linux' && process.getuid?.() === 0 && nativeAvailable() && hasIp();

function hasIp(): boolean {
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface LabSide {
  readonly ns: string;
  readonly ifname: 'veth0';
  readonly ifindex: number;
  readonly mac: string;
  readonly ipv4: string;
  readonly ipv6: string;
  readonly linkLocal: string;
}

export interface VethLab {
  readonly a: LabSide;
  readonly b: LabSide;
  /** Run fn with the calling thread inside `ns` (socket creation happens there). */
  inNs<T>(ns: string, fn: () => T): T;
  /** Run a command inside `ns`, returning stdout. */
  exec(ns: string, cmd: string, args: readonly string[]): string;
  destroy(): void;
}

const run = (args: readonly string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

export function createVethLab(): VethLab {
  const base = `kts-h6b-${randomBytes(3).toString('hex')}`;
  const nsA = `${base}-a`;
  const nsB = `${base}-b`;
  run(['netns', 'add', nsA]);
  run(['netns', 'add', nsB]);
  const lab = {
    inNs<T>(ns: string, fn: () => T): T {
      const native = loadNative();
      const home = openSync('/proc/thread-self/ns/net', 'r');
      const target = openSync(`/run/netns/${ns}`, 'r');
      try {
        native.setNetns(target);
        return fn();
      } finally {
        native.setNetns(home);
        closeSync(home);
        closeSync(target);
      }
    },
    exec(ns: string, cmd: string, args: readonly string[]): string {
      return execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8' });
    },
    destroy(): void {
      for (const ns of [nsA, nsB]) {
        try {
          run(['netns', 'del', ns]);
        } catch {
          // already gone
        }
      }
    },
  };
  try {
    run(['link', 'add', 'veth0', 'netns', nsA, 'type', 'veth', 'peer', 'name', 'veth0', 'netns', nsB]);
    const sides: [string, string, string][] = [[nsA, '02:00:00:00:0a:01', '1'], [nsB, '02:00:00:00:0b:01', '2']];
    for (const [ns, mac, host] of sides) {
      run(['-n', ns, 'link', 'set', 'veth0', 'address', mac]);
      run(['-n', ns, 'link', 'set', 'lo', 'up']);
      run(['-n', ns, 'link', 'set', 'veth0', 'up']);
      run(['-n', ns, 'addr', 'add', `192.168.77.${host}/24`, 'dev', 'veth0']);
      run(['-n', ns, 'addr', 'add', `fd00:77::${host}/64`, 'dev', 'veth0', 'nodad']);
    }
    const side = (ns: string, mac: string, host: string): LabSide => {
      const linkLocal = waitLinkLocal(ns);
      const ifindex = lab.inNs(ns, () => loadNative().ifNameToIndex('veth0'));
      return { ns, ifname: 'veth0', ifindex, mac, ipv4: `192.168.77.${host}`, ipv6: `fd00:77::${host}`, linkLocal };
    };
    return { ...lab, a: side(...sides[0]!), b: side(...sides[1]!) };
  } catch (err) {
    lab.destroy();
    throw err;
  }
}

/** Wait (≤ 5 s) until veth0 has a non-tentative link-local address and return it. */
function waitLinkLocal(ns: string): string {
  for (let i = 0; i < 100; i++) {
    const out = run(['-n', ns, '-j', 'addr', 'show', 'dev', 'veth0']);
    const info = JSON.parse(out) as { addr_info?: { family: string; local: string; scope: string; tentative?: boolean }[] }[];
    const ll = info[0]?.addr_info?.find((a) => a.family === 'inet6' && a.scope === 'link' && !a.tentative);
    if (ll) return ll.local;
    execFileSync('sleep', ['0.05']);
  }
  throw new Error(`no link-local address on veth0 in ${ns}`);
}

/** `ip -j neigh` entry for an address in ns, if any. */
export function neighbour(lab: VethLab, ns: string, address: string): { lladdr?: string; state?: string[] } | undefined {
  const out = lab.exec(ns, 'ip', ['-j', 'neigh', 'show', 'to', address, 'dev', 'veth0']);
  const entries = JSON.parse(out || '[]') as { dst: string; lladdr?: string; state?: string[] }[];
  return entries.find((e) => e.dst === address);
}
