/**
 * Loader and typed surface of the `kts_native` Node-API addon (source: ./kts_native.c, built by
 * node-gyp from the repository's binding.gyp into build/Release on `npm ci`).
 *
 * The addon covers only what Node.js and the raw-socket package cannot do: AF_PACKET frame send
 * (gratuitous ARP / unsolicited NA), an IPv6 raw socket read with recvmsg() ancillary data (hop
 * limit, destination, ifindex), ICMP echo sockets (PING_CHECK), a libuv readability poller
 * (closed automatically when a worker thread's environment ends) and AF_UNIX datagrams (sd_notify's
 * NOTIFY_SOCKET; Node.js has no unix datagram sockets) and real-time signal handlers feeding a
 * self-pipe (Node.js cannot listen to SIGRTMIN+n; see ./rt-signals.ts). Everything else stays in TypeScript.
 * Loading is lazy: importing this module never fails; `loadNative()` throws `KTS_NATIVE_MISSING`
 * with the build command if the binary is absent.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What recvMsg() reports besides the payload bytes (written into the caller's buffer). */
export interface NativeRecvInfo {
  readonly length: number;
  readonly truncated: boolean;
  readonly source?: string;
  readonly destination?: string;
  readonly ifindex?: number;
  readonly hopLimit?: number;
  readonly ttl?: number;
}

/** What icmpEchoOpen() returns. */
export interface NativeIcmpSocket {
  readonly fd: number;
  readonly raw: boolean;
}

/** Opaque handle returned by pollStart(). */
export type NativePollHandle = { readonly __ktsPoll: unique symbol };

export interface KtsNative {
  packetOpen(): number;
  packetSend(fd: number, ifindex: number, frame: Uint8Array): number;
  ifNameToIndex(name: string): number;
  rawOpen(family: 4 | 6, protocol: number): number;
  /**
   * Non-blocking ICMP (4) / ICMPv6 (6) echo socket: a datagram "ping" socket when
   * net.ipv4.ping_group_range admits our gid (`raw: false`: the kernel sets the echo id, receives
   * carry no IP header and only this socket's replies), else a raw socket (`raw: true`: IPv4 receives
   * start with the IP header; every echo reply to this host arrives, other ICMP types are filtered).
   */
  icmpEchoOpen(family: 4 | 6): NativeIcmpSocket;
  setSockOpt(fd: number, level: number, option: number, value: Uint8Array): void;
  /** SO_ATTACH_FILTER: `program` is classic BPF, 8-byte struct sock_filter entries in host byte order (see bpf.ts). */
  attachFilter(fd: number, program: Uint8Array): void;
  bindAddress(fd: number, address: Uint8Array, scopeId: number): void;
  sendTo(fd: number, payload: Uint8Array, destination: Uint8Array, scopeId: number): number;
  recvMsg(fd: number, buffer: Uint8Array): NativeRecvInfo | undefined;
  closeFd(fd: number): void;
  pollStart(fd: number, onReadable: (status: number) => void): NativePollHandle;
  pollStop(handle: NativePollHandle): void;
  pollRef(handle: NativePollHandle, ref: boolean): void;
  /** setns(fd, CLONE_NEWNET) for the calling thread (fd of /run/netns/NAME or /proc/…/ns/net). */
  setNetns(fd: number): void;
  /** mkfifo(path, mode); throws EEXIST if the path exists. */
  mkfifo(path: string, mode: number): void;
  /**
   * Sends one AF_UNIX datagram to `path` ("@name" = Linux abstract socket, as in NOTIFY_SOCKET);
   * returns the bytes sent. Non-blocking: a full receive queue throws EAGAIN.
   */
  unixDgramSend(path: string, data: Uint8Array): number;
  /** Non-blocking AF_UNIX datagram socket bound to `path` / "@name"; returns the fd (closeFd it). */
  unixDgramBind(path: string): number;
  /** Reads one datagram into `buffer`: its length, or undefined when none is queued. */
  unixDgramRecv(fd: number, buffer: Uint8Array): number | undefined;
  /**
   * Installs a sigaction() handler for each real-time signal (SIGRTMIN..SIGRTMAX, else RangeError
   * KTS_NATIVE_ARG) that writes the signal number as one byte to a self-pipe; returns the pipe's
   * non-blocking read end (the same fd on every call; never close it).
   */
  rtSignalsOpen(signals: readonly number[]): number;
  /** Sets the signals to SIG_IGN (their default action would terminate the process). */
  rtSignalsIgnore(signals: readonly number[]): void;
}

/** Error thrown by the addon: `code` is the errno name (EPERM, ENODEV, …), `syscall` the call. */
export interface NativeSyscallError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly errno?: number;
}

export class NativeAddonMissingError extends Error {
  readonly code = 'KTS_NATIVE_MISSING';
  constructor(searched: readonly string[], cause: unknown) {
    super(
      'keepalived-ts native addon (kts_native.node) is not built; run `npm ci` or ' +
        '`npx node-gyp rebuild` in the repository root. Looked in: ' + searched.join(', '),
      { cause },
    );
    this.name = 'NativeAddonMissingError';
  }
}

const ADDON_RELATIVE = join('build', 'Release', 'kts_native.node');
let cached: KtsNative | undefined;

/** Candidate paths: walk up from this file (src/io/native or dist/src/io/native) to the repo root. */
export function nativeAddonCandidates(startDir = dirname(fileURLToPath(import.meta.url))): string[] {
  const out: string[] = [];
  const fromEnv = process.env['KTS_NATIVE_ADDON'];
  if (fromEnv) out.push(fromEnv);
  let dir = startDir;
  for (let i = 0; i < 6; i++) {
    out.push(join(dir, ADDON_RELATIVE));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** Load (once) and return the addon; throws NativeAddonMissingError if it is not built. */
export function loadNative(): KtsNative {
  if (cached) return cached;
  const candidates = nativeAddonCandidates();
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new NativeAddonMissingError(candidates, undefined);
  const require = createRequire(import.meta.url);
  try {
    cached = require(found) as KtsNative;
  } catch (err) {
    throw new NativeAddonMissingError([found], err);
  }
  return cached;
}

/** True if the addon can be loaded (for tests that skip without it). */
export function nativeAvailable(): boolean {
  try {
    loadNative();
    return true;
  } catch {
    return false;
  }
}

export function isNativeSyscallError(err: unknown): err is NativeSyscallError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}
