import { describe, expect, it } from 'vitest';
import { benchConf, httpVirtualServers } from './conf.js';

describe('bench configurations', () => {
  it('spreads real servers over virtual servers with distinct ports, none lost', () => {
    const vss = httpVirtualServers(3, 10, '10.0.0.1', 18000, '10.9.0', 0.1);
    expect(vss.map((v) => v.realServers.length)).toEqual([4, 4, 2]);
    const ports = vss.flatMap((v) => v.realServers.map((r) => r.port));
    expect(new Set(ports).size).toBe(10);
    expect(Math.min(...ports)).toBe(18000);
    expect(Math.max(...ports)).toBe(18009);
    expect(vss.map((v) => v.ip)).toEqual(['10.9.0.1', '10.9.0.2', '10.9.0.3']);
  });

  it('renders instances and HTTP_GET virtual servers', () => {
    const text = benchConf('r', [{ name: 'VI_1', vrid: 5, priority: 150, state: 'MASTER', advertIntS: 0.1, version: 3, iface: 'eth0', vips: ['10.0.0.200/24'] }],
      httpVirtualServers(1, 1, '10.0.0.1', 8080, '10.9.0', 0.5));
    expect(text).toContain('advert_int 0.1');
    expect(text).toContain('version 3');
    expect(text).toContain('virtual_server 10.9.0.1 80 {');
    expect(text).toContain('delay_loop 0.5');
    expect(text).toContain('real_server 10.0.0.1 8080 {');
    expect(text.split('{').length).toBe(text.split('}').length);
  });
});
