/** A HostView over an in-memory file system, users and interfaces (no real system access). */
import { createHostView } from '../../../src/io/host/index.js';
import type { HostFileInfo, HostView } from '../../../src/io/host/index.js';

export interface FakeFile {
  readonly uid?: number;
  readonly gid?: number;
  readonly mode: number;
  readonly dir?: boolean;
}

export function fakeHost(opts: {
  interfaces?: readonly string[];
  users?: readonly { name: string; uid: number; gid: number }[];
  files?: Readonly<Record<string, FakeFile>>;
}): HostView {
  const files = new Map<string, FakeFile>(Object.entries(opts.files ?? {}));
  for (const d of ['/', '/bin', '/usr', '/usr/bin', '/etc', '/tmp']) if (!files.has(d)) files.set(d, { mode: d === '/tmp' ? 0o1777 : 0o755, dir: true });
  const stat = (path: string): HostFileInfo | null => {
    const f = files.get(path);
    if (f === undefined) return null;
    const dir = f.dir === true;
    return { uid: f.uid ?? 0, gid: f.gid ?? 0, mode: f.mode | (dir ? 0o040000 : 0o100000), isDirectory: dir, isFile: !dir };
  };
  return createHostView({
    interfaces: (opts.interfaces ?? ['lo', 'eth0']).map((name, i) => ({ index: i + 1, name, up: true, multicast: true, mtu: 1500, mac: null, addresses: [] })),
    users: opts.users ?? [{ name: 'root', uid: 0, gid: 0 }],
    groups: [{ name: 'root', gid: 0 }],
    stat,
    realpath: (p) => (files.has(p) ? p : null),
    searchPath: ['/usr/bin', '/bin'],
  });
}
