import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { parseMetricsAddress, startMetricsServer, type MetricsServer } from '../../src/ops/metrics-server.js';
import { MetricsRegistry } from '../../src/ops/metrics.js';

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('parseMetricsAddress', () => {
  it.each([
    ['9650', '127.0.0.1', 9650],
    [':9650', '127.0.0.1', 9650],
    ['0.0.0.0:9100', '0.0.0.0', 9100],
    ['[::1]:9100', '::1', 9100],
    ['localhost:80', 'localhost', 80],
  ])('%s', (text, host, port) => {
    expect(parseMetricsAddress(text)).toEqual({ ok: true, address: { host, port } });
  });
  it.each(['', '0', '70000', 'abc', '::1:9100', '[10.0.0.1]:80', 'a b:80', '1.2.3.4:'])('rejects %j', (text) => {
    const r = parseMetricsAddress(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('KTS_METRICS_ADDR');
  });
});

describe('metrics server', () => {
  let srv: MetricsServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('serves the registry on GET /metrics with the 0.0.4 content type, 404/405 otherwise', async () => {
    const r = new MetricsRegistry();
    const c = r.counter({ name: 'hits_total', help: 'h' });
    srv = await startMetricsServer(r, { host: '127.0.0.1', port: 0 });
    expect(srv.address.port).toBeGreaterThan(0);
    c.inc();
    let res = await get(srv.address.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('hits_total 1\n');
    c.inc();
    res = await get(srv.address.port, '/metrics?x=1');
    expect(res.body).toContain('hits_total 2\n');
    expect((await get(srv.address.port, '/')).status).toBe(404);
    expect((await get(srv.address.port, '/metrics', 'POST')).status).toBe(405);
    const head = await get(srv.address.port, '/metrics', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('rejects when the port is taken', async () => {
    srv = await startMetricsServer(new MetricsRegistry(), { host: '127.0.0.1', port: 0 });
    await expect(startMetricsServer(new MetricsRegistry(), { host: '127.0.0.1', port: srv.address.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});
