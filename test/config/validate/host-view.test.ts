import { describe, expect, it } from 'vitest';
import { createHostView, loadHostView, parseGroup, parsePasswd } from '../../../src/io/host/index.js';

describe('HostView sources', () => {
  it('parses passwd(5) and skips malformed lines', () => {
    const users = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\nbroken line\nkeepalived_script:x:998:997::/nonexistent:/usr/sbin/nologin\nbad:x:notanumber:1::/:/bin/sh\n');
    expect(users).toEqual([
      { name: 'root', uid: 0, gid: 0 },
      { name: 'keepalived_script', uid: 998, gid: 997 },
    ]);
  });

  it('parses group(5)', () => {
    expect(parseGroup('root:x:0:\nadm:x:4:syslog,alice\n:x:5:\n')).toEqual([
      { name: 'root', gid: 0 },
      { name: 'adm', gid: 4 },
    ]);
  });

  it('answers lookups from plain data', () => {
    const host = createHostView({
      interfaces: [{ index: 1, name: 'lo', up: true, multicast: false, mtu: 65536, mac: null, addresses: [] }],
      users: [{ name: 'root', uid: 0, gid: 0 }],
      groups: [{ name: 'root', gid: 0 }],
      stat: () => null,
      realpath: () => null,
    });
    expect(host.interfaceByName('lo')?.index).toBe(1);
    expect(host.interfaceByName('eth42')).toBeNull();
    expect(host.userByName('root')?.uid).toBe(0);
    expect(host.userById(0)?.name).toBe('root');
    expect(host.groupByName('wheel')).toBeNull();
  });

  it('reads the live system over netlink (every namespace has lo)', async () => {
    const host = await loadHostView();
    const lo = host.interfaceByName('lo');
    expect(lo).not.toBeNull();
    expect(host.userByName('root')?.uid).toBe(0);
    expect(host.stat('/')?.isDirectory).toBe(true);
    expect(host.realpath('/nonexistent/keepalived-ts')).toBeNull();
  });
});
