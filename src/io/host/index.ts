/**
 * Builds the HostView the validator consults: interfaces over netlink, accounts from /etc/passwd and
 * /etc/group, files through stat(2)/realpath(3). `createHostView` assembles one from plain data
 * (tests, or callers that already know the interfaces).
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { readAccounts } from './accounts.js';
import { readInterfaces } from './netlinkInterfaces.js';
import type { HostFileInfo, HostGroup, HostInterface, HostUser, HostView } from './types.js';

export type { HostAddress, HostFileInfo, HostGroup, HostInterface, HostUser, HostView } from './types.js';
export { parseGroup, parsePasswd } from './accounts.js';

/** keepalived runs scripts with this PATH when its own environment has none. */
export const DEFAULT_SEARCH_PATH: readonly string[] = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface HostViewParts {
  readonly interfaces: readonly HostInterface[];
  readonly users: readonly HostUser[];
  readonly groups: readonly HostGroup[];
  readonly stat?: (path: string) => HostFileInfo | null;
  readonly realpath?: (path: string) => string | null;
  readonly searchPath?: readonly string[];
}

function liveStat(path: string): HostFileInfo | null {
  try {
    const s = statSync(path);
    return { uid: s.uid, gid: s.gid, mode: s.mode, isDirectory: s.isDirectory(), isFile: s.isFile() };
  } catch {
    return null;
  }
}

function liveRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

export function createHostView(parts: HostViewParts): HostView {
  const ifByName = new Map(parts.interfaces.map((i) => [i.name, i] as const));
  const userByName = new Map(parts.users.map((u) => [u.name, u] as const));
  const userById = new Map<number, HostUser>();
  for (const u of parts.users) if (!userById.has(u.uid)) userById.set(u.uid, u);
  const groupByName = new Map(parts.groups.map((g) => [g.name, g] as const));
  const stat = parts.stat ?? liveStat;
  const realpath = parts.realpath ?? liveRealpath;
  return {
    interfaces: parts.interfaces,
    interfaceByName: (name) => ifByName.get(name) ?? null,
    userByName: (name) => userByName.get(name) ?? null,
    userById: (uid) => userById.get(uid) ?? null,
    groupByName: (name) => groupByName.get(name) ?? null,
    stat,
    realpath,
    searchPath: parts.searchPath ?? DEFAULT_SEARCH_PATH,
  };
}

function envSearchPath(): readonly string[] {
  const p = process.env['PATH'];
  if (p === undefined || p === '') return DEFAULT_SEARCH_PATH;
  return p.split(':').filter((d) => d !== '');
}

/** Interface names from sysfs, used only when netlink is unavailable (no addresses, flags unknown). */
function sysfsInterfaces(): HostInterface[] {
  try {
    return readdirSync('/sys/class/net').map((name, i) => ({ index: i + 1, name, up: false, multicast: false, mtu: null, mac: null, addresses: [] }));
  } catch {
    return [];
  }
}

/** Reads the live system (current network namespace). Never throws: an unreadable source yields an empty list. */
export async function loadHostView(): Promise<HostView> {
  const [interfaces, accounts] = await Promise.all([readInterfaces().catch(sysfsInterfaces), readAccounts()]);
  return createHostView({ interfaces, users: accounts.users, groups: accounts.groups, searchPath: envSearchPath() });
}
