/**
 * The daemon's local control socket: a unix stream socket (default
 * `/run/keepalived-ts/control.sock`) speaking newline-delimited JSON, one response line per request
 * line, in order:
 *
 *   → {"cmd":"status"}
 *   ← {"ok":true,"result":{…status document…}}
 *   ← {"ok":false,"error":{"code":"KTS_CONTROL_UNKNOWN_CMD","message":"…"}}
 *
 * Access control is the file mode: 0600 root-owned, or 0660 with the configured group (name or gid)
 * so its members can run `keepalived-ts status`. The socket is created under a restrictive umask, so
 * it is never reachable with looser permissions, then chmod/chown'ed. A stale socket left by a dead
 * daemon is replaced; a live one (something accepts connections) is an error (KTS_CONTROL_IN_USE);
 * a non-socket file at the path is never deleted (KTS_CONTROL_PATH).
 *
 * Commands are handlers supplied by the daemon; `ping` is built in. The client side
 * (`controlRequest`, `requestStatus`) is what the `status` CLI command uses.
 */

import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { validateStatusDocument, type StatusDocument } from './status-schema.js';

export const DEFAULT_CONTROL_SOCKET = '/run/keepalived-ts/control.sock';
/** Longest request line accepted (bytes, without the line feed). */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface ControlRequest {
  readonly cmd: string;
  readonly [field: string]: unknown;
}

export type ControlErrorCode =
  | 'KTS_CONTROL_BAD_REQUEST'
  | 'KTS_CONTROL_UNKNOWN_CMD'
  | 'KTS_CONTROL_HANDLER_FAILED'
  | 'KTS_CONTROL_TOO_LONG';

export type ControlResponse =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { readonly code: ControlErrorCode | string; readonly message: string } };

export type ControlHandler = (request: ControlRequest) => unknown;

export interface ControlServerOptions {
  readonly path?: string;
  /** Group allowed to connect (name from /etc/group or numeric gid); null/absent: root only. */
  readonly group?: string | number | null;
  readonly handlers: Readonly<Record<string, ControlHandler>>;
  readonly maxRequestBytes?: number;
  /** /etc/group replacement for tests. */
  readonly groupFile?: string;
}

export interface ControlServer {
  readonly path: string;
  readonly mode: number;
  readonly gid: number | null;
  close(): Promise<void>;
}

export class ControlSocketError extends Error {
  constructor(
    readonly code:
      | 'KTS_CONTROL_IN_USE'
      | 'KTS_CONTROL_PATH'
      | 'KTS_CONTROL_GROUP'
      | 'KTS_CONTROL_UNREACHABLE'
      | 'KTS_CONTROL_DENIED'
      | 'KTS_CONTROL_TIMEOUT'
      | 'KTS_CONTROL_PROTOCOL',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ControlSocketError';
  }
}

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}

/** gid of a group name (or a numeric gid passed through). */
export function resolveGroupId(group: string | number, groupFile = '/etc/group'): number {
  if (typeof group === 'number') return group;
  if (/^\d+$/.test(group)) return Number(group);
  let text: string;
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch (err) {
    throw new ControlSocketError('KTS_CONTROL_GROUP', `cannot read ${groupFile} to resolve group "${group}"`, { cause: err });
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  throw new ControlSocketError('KTS_CONTROL_GROUP', `control socket group "${group}" does not exist`);
}

function probe(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Removes a stale socket at `path`; throws if it is live or is not a socket. */
async function clearPath(path: string): Promise<void> {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    throw err;
  }
  if (!st.isSocket()) throw new ControlSocketError('KTS_CONTROL_PATH', `${path} exists and is not a socket; not removing it`);
  if (await probe(path)) throw new ControlSocketError('KTS_CONTROL_IN_USE', `${path} is in use: is another keepalived-ts running?`);
  unlinkSync(path);
}

function respond(sock: Socket, r: ControlResponse): void {
  if (!sock.destroyed) sock.write(JSON.stringify(r) + '\n');
}

function failure(code: ControlErrorCode, message: string): ControlResponse {
  return { ok: false, error: { code, message } };
}

async function dispatch(line: string, handlers: Readonly<Record<string, ControlHandler>>): Promise<ControlResponse> {
  let req: unknown;
  try {
    req = JSON.parse(line);
  } catch {
    return failure('KTS_CONTROL_BAD_REQUEST', 'request is not JSON');
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req) || typeof (req as { cmd?: unknown }).cmd !== 'string') {
    return failure('KTS_CONTROL_BAD_REQUEST', 'request must be an object with a string "cmd"');
  }
  const request = req as ControlRequest;
  if (request.cmd === 'ping') return { ok: true, result: { pong: true, pid: process.pid } };
  const handler = Object.prototype.hasOwnProperty.call(handlers, request.cmd) ? handlers[request.cmd] : undefined;
  if (handler === undefined) {
    return failure('KTS_CONTROL_UNKNOWN_CMD', `unknown command "${request.cmd}"; known: ${['ping', ...Object.keys(handlers)].join(', ')}`);
  }
  try {
    return { ok: true, result: await handler(request) };
  } catch (err) {
    return failure('KTS_CONTROL_HANDLER_FAILED', err instanceof Error ? err.message : String(err));
  }
}

function serve(sock: Socket, opts: ControlServerOptions): void {
  const max = opts.maxRequestBytes ?? MAX_REQUEST_BYTES;
  let pending = Buffer.alloc(0);
  let queue: Promise<void> = Promise.resolve();
  let refused = false;
  sock.on('error', () => sock.destroy());
  sock.on('data', (chunk: Buffer) => {
    if (refused) return;
    pending = Buffer.concat([pending, chunk]);
    for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10)) {
      const line = pending.subarray(0, nl).toString('utf8').replace(/\r$/, '');
      pending = pending.subarray(nl + 1);
      if (line.trim() === '') continue;
      queue = queue.then(async () => respond(sock, await dispatch(line, opts.handlers)));
    }
    if (pending.length > max) {
      refused = true;
      pending = Buffer.alloc(0);
      queue = queue.then(() => {
        respond(sock, failure('KTS_CONTROL_TOO_LONG', `request longer than ${max} bytes`));
        sock.end();
      });
    }
  });
  sock.on('end', () => {
    void queue.then(() => sock.end());
  });
}

/** Creates the socket (and its directory when missing) and starts serving. */
export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const path = opts.path ?? DEFAULT_CONTROL_SOCKET;
  const gid = opts.group === undefined || opts.group === null ? null : resolveGroupId(opts.group, opts.groupFile);
  const mode = gid === null ? 0o600 : 0o660;
  const dir = dirname(path);
  let createdDir: string | undefined;
  try {
    createdDir = mkdirSync(dir, { recursive: true, mode: gid === null ? 0o700 : 0o750 });
  } catch (err) {
    throw new ControlSocketError('KTS_CONTROL_PATH', `cannot create ${dir}: ${String(err)}`, { cause: err });
  }
  if (createdDir !== undefined && gid !== null) chownSync(dir, process.getuid?.() ?? 0, gid);
  await clearPath(path);

  const connections = new Set<Socket>();
  const server: Server = createServer((sock) => {
    connections.add(sock);
    sock.once('close', () => connections.delete(sock));
    serve(sock, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The bind happens synchronously inside listen(): the socket file is born 0600.
    // (process.umask(mask) throws in worker threads; the chmod below still applies there.)
    let oldMask: number | undefined;
    try {
      oldMask = process.umask(0o177);
    } catch {
      oldMask = undefined;
    }
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      if (oldMask !== undefined) process.umask(oldMask);
    }
  });
  try {
    if (gid !== null) chownSync(path, process.getuid?.() ?? 0, gid);
    chmodSync(path, mode);
  } catch (err) {
    server.close();
    throw new ControlSocketError('KTS_CONTROL_PATH', `cannot set permissions on ${path}: ${String(err)}`, { cause: err });
  }
  return {
    path,
    mode,
    gid,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.destroy();
        server.close(() => {
          // net.Server unlinks its unix socket on close; be tolerant if someone removed it first.
          try {
            if (lstatSync(path).isSocket()) unlinkSync(path);
          } catch {
            /* already gone */
          }
          resolve();
        });
      }),
  };
}

export interface ControlClientOptions {
  readonly path?: string;
  readonly timeoutMs?: number;
}

/** Sends one request and resolves with the daemon's response line. */
export function controlRequest(request: ControlRequest, opts: ControlClientOptions = {}): Promise<ControlResponse> {
  const path = opts.path ?? DEFAULT_CONTROL_SOCKET;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const sock = connect(path);
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new ControlSocketError('KTS_CONTROL_TIMEOUT', `no answer on ${path} within ${timeoutMs} ms`))),
      timeoutMs,
    );
    sock.once('connect', () => sock.write(JSON.stringify(request) + '\n'));
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      const line = buf.subarray(0, nl).toString('utf8');
      finish(() => {
        try {
          const parsed = JSON.parse(line) as unknown;
          if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { ok?: unknown }).ok !== 'boolean') {
            throw new Error('response is not {"ok":…}');
          }
          resolve(parsed as ControlResponse);
        } catch (err) {
          reject(new ControlSocketError('KTS_CONTROL_PROTOCOL', `bad response on ${path}: ${String(err)}`, { cause: err }));
        }
      });
    });
    sock.on('end', () => finish(() => reject(new ControlSocketError('KTS_CONTROL_PROTOCOL', `${path} closed without answering`))));
    sock.on('error', (err) => {
      const code = errnoOf(err);
      const denied = code === 'EACCES' || code === 'EPERM';
      finish(() =>
        reject(
          new ControlSocketError(
            denied ? 'KTS_CONTROL_DENIED' : 'KTS_CONTROL_UNREACHABLE',
            denied
              ? `permission denied on ${path} (run as root or as a member of the control socket group)`
              : `cannot reach the keepalived-ts daemon on ${path} (${code ?? String(err)}): is it running?`,
            { cause: err },
          ),
        ),
      );
    });
  });
}

/** `{"cmd":"status"}` with the answer validated against the status schema. */
export async function requestStatus(opts: ControlClientOptions = {}): Promise<StatusDocument> {
  const r = await controlRequest({ cmd: 'status' }, opts);
  if (!r.ok) throw new ControlSocketError('KTS_CONTROL_PROTOCOL', `status failed: ${r.error.code}: ${r.error.message}`);
  const v = validateStatusDocument(r.result);
  if (!v.ok) {
    const first = v.errors.slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`).join('; ');
    throw new ControlSocketError('KTS_CONTROL_PROTOCOL', `daemon sent an invalid status document (${v.code}): ${first}`);
  }
  return v.doc;
}
