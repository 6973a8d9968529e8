/**
 * A deterministic HostView for fuzzing the validator's host checks (interfaces, users, script files)
 * without touching the real system: three interfaces, root/nobody/keepalived_script users, and a
 * small fake file system where programs in the usual bin directories exist and are root-owned.
 */
import type { HostFileInfo, HostInterface, HostView } from '../../../src/io/host/types.js';

const interfaces: readonly HostInterface[] = [
  { index: 1, name: 'lo', up: true, multicast: false, mtu: 65536, mac: null, addresses: [{ family: 'inet', address: '127.0.0.1', prefixLen: 8 }] },
  {
    index: 2, name: 'eth0', up: true, multicast: true, mtu: 1500, mac: '02:00:00:00:00:01',
    addresses: [{ family: 'inet', address: '192.168.200.10', prefixLen: 24 }, { family: 'inet6', address: 'fe80::1', prefixLen: 64 }],
  },
  { index: 3, name: 'eth1', up: false, multicast: true, mtu: 9000, mac: '02:00:00:00:00:02', addresses: [] },
];

const users = [
  { name: 'root', uid: 0, gid: 0 },
  { name: 'nobody', uid: 65534, gid: 65534 },
  { name: 'keepalived_script', uid: 999, gid: 999 },
];
const groups = [
  { name: 'root', gid: 0 },
  { name: 'nogroup', gid: 65534 },
];
const BIN_DIRS = ['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin', '/etc/keepalived'];

function stat(path: string): HostFileInfo | null {
  if (path === '/' || BIN_DIRS.includes(path) || path === '/usr' || path === '/etc' || path === '/tmp') {
    return { uid: 0, gid: 0, mode: path === '/tmp' ? 0o41777 : 0o40755, isDirectory: true, isFile: false };
  }
  const dir = path.slice(0, Math.max(0, path.lastIndexOf('/'))) || '/';
  if (BIN_DIRS.includes(dir)) return { uid: 0, gid: 0, mode: 0o100755, isDirectory: false, isFile: true };
  if (dir === '/tmp') return { uid: 65534, gid: 65534, mode: 0o100777, isDirectory: false, isFile: true };
  return null;
}

export const fakeHost: HostView = {
  interfaces,
  interfaceByName: (name) => interfaces.find((i) => i.name === name) ?? null,
  userByName: (name) => users.find((u) => u.name === name) ?? null,
  userById: (uid) => users.find((u) => u.uid === uid) ?? null,
  groupByName: (name) => groups.find((g) => g.name === name) ?? null,
  stat,
  realpath: (path) => (path.startsWith('/') && stat(path) !== null ? path : null),
  searchPath: ['/usr/sbin', '/usr/bin', '/sbin', '/bin'],
};
