import { describe, expect, it } from 'vitest';
import { LvsPool, type PoolEffect } from '../../src/check/pool.js';
import { computeDesiredTable } from '../../src/check/desired-table.js';
import { model } from './helpers.js';

const fifo = (fx: readonly PoolEffect[]): string[] => fx.flatMap((e) => (e.kind === 'fifo' ? [e.line] : []));
const logs = (fx: readonly PoolEffect[]): string[] => fx.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
const scripts = (fx: readonly PoolEffect[]): string[] => fx.flatMap((e) => (e.kind === 'script' ? [`${e.reason} ${e.script.commandLine}`] : []));

function vsConf(opts: { quorum?: number; hysteresis?: number; sorry?: boolean; sorryInhibit?: boolean; inhibit?: boolean; alpha?: boolean; omega?: boolean; weights?: number[] } = {}): string {
  const weights = opts.weights ?? [1, 1];
  const rss = weights
    .map(
      (w, i) => `  real_server 192.168.0.${i + 2} 8080 {
    weight ${w}
    ${opts.inhibit === true ? 'inhibit_on_failure' : ''}
    notify_up "/bin/up ${i}"
    notify_down "/bin/down ${i}"
    TCP_CHECK {
      connect_timeout 1
      ${opts.alpha === true ? 'alpha' : ''}
    }
  }`,
    )
    .join('\n');
  return `virtual_server 10.0.0.1 80 {
  delay_loop 5
  lb_algo rr
  lb_kind NAT
  protocol TCP
  quorum ${opts.quorum ?? 1}
  hysteresis ${opts.hysteresis ?? 0}
  quorum_up "/bin/qup"
  quorum_down "/bin/qdown"
  ${opts.sorry === true ? 'sorry_server 192.168.0.100 8080' : ''}
  ${opts.sorryInhibit === true ? 'sorry_server_inhibit' : ''}
  ${opts.omega === true ? 'omega' : ''}
${rss}
}
`;
}

function setup(opts: Parameters<typeof vsConf>[0] = {}) {
  const config = model(vsConf(opts));
  const pool = new LvsPool(config.virtualServers);
  const table = () => computeDesiredTable(config.virtualServers, config.virtualServerGroups, pool.snapshot()).entries;
  const dests = () => (table()[0]?.dests ?? []).map((d) => `${d.address}:${d.port}/${d.weight}`);
  return { config, pool, table, dests };
}

describe('LvsPool start', () => {
  it('starts every non-alpha real server alive with the quorum up, silently', () => {
    const { pool, dests } = setup();
    const fx = pool.start();
    expect(dests()).toEqual(['192.168.0.2:8080/1', '192.168.0.3:8080/1']);
    expect(pool.snapshot().virtualServers[0]?.quorumUp).toBe(true);
    expect(fx).toEqual([]);
  });

  it('starting below quorum reports "Starting with quorum down" and runs quorum_down', () => {
    const { pool } = setup({ quorum: 3 });
    const fx = pool.start();
    expect(logs(fx)).toEqual(['Starting with quorum down 3-0=3 > 2 for VS [10.0.0.1]:tcp:80']);
    expect(scripts(fx)).toEqual(['quorum_down /bin/qdown']);
    expect(fifo(fx)).toEqual(['VS [10.0.0.1]:tcp:80 DOWN']);
  });

  it('alpha checkers start down: no dest until the first success, notify_down after the first failure', () => {
    const { pool, dests } = setup({ alpha: true });
    pool.start();
    expect(dests()).toEqual([]);
    const first = pool.checkerResult('0/0', 0, false);
    expect(fifo(first)).toEqual(['RS [192.168.0.2]:tcp:8080 [10.0.0.1]:tcp:80 DOWN']);
    expect(scripts(first)).toEqual(['notify_down /bin/down 0']);
    const up = pool.checkerResult('0/1', 0, true);
    expect(dests()).toEqual(['192.168.0.3:8080/1']);
    expect(logs(up)).toContain('Adding service [192.168.0.3]:tcp:8080 to VS [10.0.0.1]:tcp:80');
    expect(fifo(up)).toEqual(['RS [192.168.0.3]:tcp:8080 [10.0.0.1]:tcp:80 UP', 'VS [10.0.0.1]:tcp:80 UP']);
    expect(logs(up)).toContain('Gained quorum 1+0=1 <= 1 for VS [10.0.0.1]:tcp:80');
  });

  it('a sorry server is added at start when quorum cannot be met', () => {
    const { pool, dests } = setup({ alpha: true, sorry: true });
    const fx = pool.start();
    expect(logs(fx)[0]).toBe('Starting with quorum down 1-0=1 > 0 for VS [10.0.0.1]:tcp:80');
    expect(dests()).toEqual(['192.168.0.100:8080/1']);
  });
});

describe('LvsPool transitions', () => {
  it('removes a failed real server and puts it back when it recovers', () => {
    const { pool, dests } = setup();
    pool.start();
    const down = pool.checkerResult('0/0', 0, false);
    expect(logs(down)).toEqual(['Removing service [192.168.0.2]:tcp:8080 from VS [10.0.0.1]:tcp:80']);
    expect(scripts(down)).toEqual(['notify_down /bin/down 0']);
    expect(dests()).toEqual(['192.168.0.3:8080/1']);
    expect(pool.checkerResult('0/0', 0, false)).toEqual([]); // already down: nothing new
    const up = pool.checkerResult('0/0', 0, true);
    expect(scripts(up)).toEqual(['notify_up /bin/up 0']);
    expect(dests()).toEqual(['192.168.0.2:8080/1', '192.168.0.3:8080/1']);
  });

  it('inhibit_on_failure keeps the failed server at weight 0', () => {
    const { pool, dests } = setup({ inhibit: true, weights: [5, 3] });
    pool.start();
    const fx = pool.checkerResult('0/1', 0, false);
    expect(logs(fx)).toEqual(['Disabling service [192.168.0.3]:tcp:8080 of VS [10.0.0.1]:tcp:80']);
    expect(dests()).toEqual(['192.168.0.2:8080/5', '192.168.0.3:8080/0']);
  });

  it('quorum loss brings in the sorry server and removes the alive ones; regaining reverses it', () => {
    const { pool, dests } = setup({ quorum: 3, weights: [2, 2], sorry: true });
    pool.start();
    expect(dests()).toEqual(['192.168.0.2:8080/2', '192.168.0.3:8080/2']);
    const lost = pool.checkerResult('0/0', 0, false);
    expect(logs(lost)).toContain('Lost quorum 3-0=3 > 2 for VS [10.0.0.1]:tcp:80');
    expect(logs(lost)).toContain('Adding sorry server [192.168.0.100]:tcp:8080 to VS [10.0.0.1]:tcp:80');
    expect(scripts(lost)).toEqual(['notify_down /bin/down 0', 'quorum_down /bin/qdown']);
    expect(fifo(lost)).toEqual(['RS [192.168.0.2]:tcp:8080 [10.0.0.1]:tcp:80 DOWN', 'VS [10.0.0.1]:tcp:80 DOWN']);
    expect(dests()).toEqual(['192.168.0.100:8080/1']);
    const gained = pool.checkerResult('0/0', 0, true);
    expect(logs(gained)).toContain('Removing sorry server [192.168.0.100]:tcp:8080 from VS [10.0.0.1]:tcp:80');
    expect(dests()).toEqual(['192.168.0.2:8080/2', '192.168.0.3:8080/2']);
  });

  it('sorry_server_inhibit keeps the sorry server at weight 0 while unused', () => {
    const { pool, dests } = setup({ sorry: true, sorryInhibit: true });
    pool.start();
    expect(dests()).toEqual(['192.168.0.2:8080/1', '192.168.0.3:8080/1', '192.168.0.100:8080/0']);
  });

  it('hysteresis: lose below quorum-h, regain only at quorum+h', () => {
    const { pool } = setup({ quorum: 2, hysteresis: 1, weights: [1, 1, 1] });
    pool.start();
    const q = () => pool.snapshot().virtualServers[0]?.quorumUp;
    expect(q()).toBe(true);
    pool.checkerResult('0/0', 0, false); // sum 2 ≥ 1
    expect(q()).toBe(true);
    pool.checkerResult('0/1', 0, false); // sum 1 ≥ 1
    expect(q()).toBe(true);
    pool.checkerResult('0/2', 0, false); // sum 0
    expect(q()).toBe(false);
    pool.checkerResult('0/2', 0, true); // sum 1 < 3
    pool.checkerResult('0/1', 0, true); // sum 2 < 3
    expect(q()).toBe(false);
    pool.checkerResult('0/0', 0, true); // sum 3
    expect(q()).toBe(true);
  });

  it('setWeight changes the dest weight and can cost the quorum', () => {
    const { pool, dests } = setup({ quorum: 2, weights: [1, 1] });
    pool.start();
    const fx = pool.setWeight('0/0', 7);
    expect(logs(fx)).toEqual(['Changing weight from 1 to 7 for active service [192.168.0.2]:tcp:8080 of VS [10.0.0.1]:tcp:80']);
    expect(dests()).toEqual(['192.168.0.2:8080/7', '192.168.0.3:8080/1']);
    pool.setWeight('0/0', 0);
    pool.setWeight('0/1', 0);
    expect(pool.snapshot().virtualServers[0]?.quorumUp).toBe(false);
  });

  it('stop notifies only with omega', () => {
    const plain = setup();
    plain.pool.start();
    expect(fifo(plain.pool.stop())).toEqual([]);
    const omega = setup({ omega: true });
    omega.pool.start();
    const fx = omega.pool.stop();
    expect(fifo(fx)).toEqual([
      'RS [192.168.0.2]:tcp:8080 [10.0.0.1]:tcp:80 DOWN',
      'RS [192.168.0.3]:tcp:8080 [10.0.0.1]:tcp:80 DOWN',
      'VS [10.0.0.1]:tcp:80 DOWN',
    ]);
  });

  it('a server with two checkers is down while either is down', () => {
    const config = model(`virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.168.0.2 80 {
    TCP_CHECK { connect_port 80 }
    TCP_CHECK { connect_port 81 }
  }
}`);
    const pool = new LvsPool(config.virtualServers);
    pool.start();
    const alive = () => pool.snapshot().virtualServers[0]?.realServers[0]?.alive;
    pool.checkerResult('0/0', 0, false);
    pool.checkerResult('0/0', 1, false);
    expect(alive()).toBe(false);
    pool.checkerResult('0/0', 0, true);
    expect(alive()).toBe(false);
    pool.checkerResult('0/0', 1, true);
    expect(alive()).toBe(true);
  });
});
