import { afterAll, describe, expect, it } from 'vitest';
import { Lab, leftoverNamespaces, waitFor } from './netns.js';

describe('netns lab library', () => {
  let lab: Lab | undefined;
  let prefix = '';
  afterAll(async () => {
    await lab?.cleanup();
    expect(await leftoverNamespaces(prefix)).toEqual([]);
  });

  it('builds two hosts on a bridge that can reach each other, and tracks processes', async () => {
    lab = Lab.create('nt');
    prefix = lab.prefix;
    const a = await lab.addHost('a', { ipv4: '10.199.0.1/24', mac: '02:00:00:00:00:0a' });
    const b = await lab.addHost('b', { ipv4: '10.199.0.2/24' });
    expect(await a.hasAddress('10.199.0.1')).toBe(true);
    expect(await b.hasAddress('10.199.0.1')).toBe(false);
    expect(await a.mac()).toBe('02:00:00:00:00:0a');
    expect(await waitFor('ping', () => b.ping('10.199.0.1'), 5000)).toBe(true);
    expect(await b.neighMac('10.199.0.1')).toBe('02:00:00:00:00:0a');

    const p = a.spawn('echo', 'sh', ['-c', 'echo ready; sleep 30']);
    await p.waitForLine(/ready/, 5000);
    expect(p.running).toBe(true);
    await lab.setPort('b', false);
    expect(await b.ping('10.199.0.1', 500)).toBe(false);
  });
});
