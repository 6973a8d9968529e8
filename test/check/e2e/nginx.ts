/**
 * Debian's nginx (/usr/sbin/nginx) as a real server for checker tests: one instance per real
 * server, each with its own prefix in a temp dir (config, pid, logs, temp paths, document root),
 * `daemon off; master_process off;` so the child process is the server, listening on a 127.0.0.x
 * address with a port picked free by the kernel. Plain HTTP or TLS (self-signed cert made by
 * openssl). stop()/start() kill and respawn it on the same address and port; close() also removes
 * the temp dir. Never touches /etc/nginx or the host's port 80.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface NginxOptions {
  readonly address: string;
  /** Files under the document root: url path → content (`/mrtg/` → `/mrtg/index.html`). */
  readonly pages: Readonly<Record<string, string>>;
  readonly tls?: boolean;
}

export interface Nginx {
  readonly address: string;
  readonly port: number;
  readonly tls: boolean;
  readonly dir: string;
  readonly running: boolean;
  /** Writes (or replaces) a page; nginx serves the new content on the next request. */
  setPage(urlPath: string, content: string): void;
  /** nginx's access log lines so far (combined format: `… "GET /path HTTP/1.0" 200 … "KeepAliveClient"`). */
  accessLog(): string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** stop() and remove the temp dir. */
  close(): Promise<void>;
}

/** A port the kernel considers free on `address` now (bound then released). */
export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, address, () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: address, port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

function pageFile(root: string, urlPath: string): string {
  return join(root, urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath);
}

function nginxConf(dir: string, address: string, port: number, tls: boolean): string {
  const listen = tls ? `listen ${address}:${port} ssl;\n    ssl_certificate ${dir}/cert.pem;\n    ssl_certificate_key ${dir}/key.pem;` : `listen ${address}:${port};`;
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  default_type text/html;
  server {
    ${listen}
    root ${dir}/html;
    index index.html;
  }
}
`;
}

export async function startNginx(o: NginxOptions): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'kts-h12-nginx-'));
  const tls = o.tls ?? false;
  const root = join(dir, 'html');
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const setPage = (urlPath: string, content: string): void => {
    const f = pageFile(root, urlPath);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, content);
  };
  for (const [p, c] of Object.entries(o.pages)) setPage(p, c);
  if (tls) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  }
  const port = await freePort(o.address);
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, o.address, port, tls));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    if (child !== undefined) return;
    const c = spawn(NGINX_BIN, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    child = c;
    let gone = false;
    exited = new Promise((resolve) => c.once('exit', () => ((gone = true), resolve())));
    const end = Date.now() + 10_000;
    while (!(await canConnect(o.address, port))) {
      if (gone || Date.now() > end) {
        child = undefined;
        c.kill('SIGKILL');
        throw new Error(`nginx did not start on ${o.address}:${port} (see ${dir}/error.log)`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (c === undefined) return;
    child = undefined;
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    address: o.address,
    port,
    tls,
    dir,
    get running() {
      return child !== undefined;
    },
    setPage,
    accessLog: () => (existsSync(join(dir, 'access.log')) ? readFileSync(join(dir, 'access.log'), 'utf8').split('\n').filter((l) => l !== '') : []),
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
