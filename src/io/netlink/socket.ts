/**
 * The netlink channel: one netlink socket (NETLINK_ROUTE by default; the bookkeeping is
 * family-agnostic, so generic netlink / IPVS can reuse it) with request/answer bookkeeping.
 *
 *   NlRequest ──execute()──▶ frame with a fresh seq ──▶ transport.send
 *   datagram ──▶ decodeNlMsgs ──▶ seq known?  ── yes ─▶ collect until ACK/ERROR (`ack`) or DONE (`dump`)
 *                                              └─ no ──▶ notification listeners (multicast events)
 *
 * Kernel errors become `NetlinkError` `KTS_NETLINK_KERNEL` with the errno and extended-ACK text;
 * every request has a timeout; a dump interrupted by concurrent changes (NLM_F_DUMP_INTR) is retried.
 * The transport is an interface so the bookkeeping is unit-tested with a scripted fake; the real one
 * wraps `RawNetlinkSocket` from the `netlink` package (the only place that touches the native binding).
 * The socket is referenced (keeps node alive) only while requests are outstanding, unless `keepAlive`.
 */

import { RawNetlinkSocket } from 'netlink';
import { NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_DUMP_INTR } from './constants.js';
import { NetlinkError, errnoName } from './errors.js';
import { HOST_LITTLE_ENDIAN, decodeNlError, decodeNlMsgs, encodeNlMsg, view, type NlMsg } from './nl-codec.js';
import type { NlRequest } from './nl-request.js';

/** What the channel needs from a netlink socket (dgram-like). */
export interface NetlinkTransport {
  /** Our netlink port id (nl_pid). */
  readonly localPort: number;
  send(bytes: Uint8Array): Promise<void>;
  /** One datagram; `fromPort` 0 is the kernel. */
  onDatagram(listener: (datagram: Uint8Array, fromPort: number, truncated: boolean) => void): void;
  onError(listener: (err: Error) => void): void;
  addMembership(group: number): void;
  setReferenced(referenced: boolean): void;
  close(): void;
}

export interface TransportOptions {
  /** Netlink protocol (default NETLINK_ROUTE; NETLINK_GENERIC = 16 for IPVS). */
  readonly protocol?: number;
  /** SO_RCVBUF; event sockets want a large one (keepalived uses 1 MiB+ for its reflector). */
  readonly recvBufferSize?: number;
  readonly sendBufferSize?: number;
}

/** Opens a netlink socket (NETLINK_ROUTE unless `opts.protocol`) through the `netlink` package's native binding. */
export function openNetlinkTransport(opts: TransportOptions = {}): NetlinkTransport {
  const protocol = opts.protocol ?? NETLINK_ROUTE;
  let sock: RawNetlinkSocket;
  try {
    sock = new RawNetlinkSocket(protocol, {
      recvBufferSize: opts.recvBufferSize ?? 1 << 20,
      sendBufferSize: opts.sendBufferSize ?? 1 << 16,
    });
  } catch (cause) {
    throw new NetlinkError('KTS_NETLINK_OPEN', `cannot open netlink socket (protocol ${protocol}): ${String(cause)}`, { ...errnoDetails(cause), cause });
  }
  return {
    localPort: sock.address().port,
    send: (bytes) =>
      new Promise<void>((resolve, reject) => {
        sock.send(bytes, {}, (err) => (err ? reject(err) : resolve()));
      }),
    onDatagram: (listener) => {
      sock.on('message', (msg, rinfo) => listener(msg, rinfo.port, false));
      sock.on('truncatedMessage', (msg, rinfo) => listener(msg, rinfo.port, true));
    },
    onError: (listener) => {
      sock.on('error', listener);
    },
    addMembership: (group) => {
      try {
        sock.addMembership(group);
      } catch (cause) {
        throw new NetlinkError('KTS_NETLINK_SOCKET', `cannot join netlink group ${group}: ${String(cause)}`, { ...errnoDetails(cause), cause });
      }
    },
    setReferenced: (referenced) => (referenced ? sock.ref() : sock.unref()),
    close: () => sock.close(),
  };
}

export interface ChannelOptions {
  /** Per-request timeout (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Keep the node event loop alive while the channel is open (event watchers). Default false. */
  readonly keepAlive?: boolean;
  /** First sequence number (default: random); tests pin it. */
  readonly firstSeq?: number;
  /** Attempts for a dump interrupted by concurrent changes (default 3). */
  readonly dumpAttempts?: number;
}

interface Pending {
  readonly request: NlRequest;
  readonly parts: NlMsg[];
  interrupted: boolean;
  readonly resolve: (msgs: NlMsg[]) => void;
  readonly reject: (err: NetlinkError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class NetlinkChannel {
  private readonly pending = new Map<number, Pending>();
  private readonly notificationListeners = new Set<(msg: NlMsg) => void>();
  private readonly problemListeners = new Set<(err: NetlinkError) => void>();
  private seq: number;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly keepAlive: boolean;
  private readonly dumpAttempts: number;

  constructor(
    private readonly transport: NetlinkTransport,
    opts: ChannelOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.keepAlive = opts.keepAlive ?? false;
    this.dumpAttempts = Math.max(1, opts.dumpAttempts ?? 3);
    this.seq = (opts.firstSeq ?? Math.floor(Math.random() * 0x7fffffff)) >>> 0;
    transport.onDatagram((d, port, truncated) => this.receive(d, port, truncated));
    transport.onError((err) => this.problem(new NetlinkError('KTS_NETLINK_SOCKET', `netlink socket error: ${err.message}`, errnoDetails(err))));
    transport.setReferenced(this.keepAlive);
  }

  /** Opens a real netlink socket (NETLINK_ROUTE unless `opts.protocol`). */
  static open(opts: ChannelOptions & TransportOptions = {}): NetlinkChannel {
    return new NetlinkChannel(openNetlinkTransport(opts), opts);
  }

  get localPort(): number {
    return this.transport.localPort;
  }

  /** Sends `req` and resolves with the messages answering it (none for a bare ACK). */
  async execute(req: NlRequest): Promise<NlMsg[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.executeOnce(req);
      } catch (err) {
        if (!(err instanceof NetlinkError) || err.code !== 'KTS_NETLINK_DUMP_INTERRUPTED' || attempt >= this.dumpAttempts) throw err;
      }
    }
  }

  /** Joins an rtnetlink multicast group (RTNLGRP_*); its messages reach `onNotification`. */
  addMembership(group: number): void {
    this.transport.addMembership(group);
  }

  /** Messages not answering one of our requests (multicast notifications). Returns an unsubscribe. */
  onNotification(listener: (msg: NlMsg) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Undecodable datagrams, socket errors (ENOBUFS: notifications were lost), overruns. */
  onProblem(listener: (err: NetlinkError) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(seq);
      p.reject(new NetlinkError('KTS_NETLINK_CLOSED', 'netlink channel closed', { requestType: p.request.type }));
    }
    this.transport.close();
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0;
    if (this.seq === 0) this.seq = 1;
    return this.seq;
  }

  private executeOnce(req: NlRequest): Promise<NlMsg[]> {
    if (this.closed) return Promise.reject(new NetlinkError('KTS_NETLINK_CLOSED', 'netlink channel closed', { requestType: req.type }));
    const seq = this.nextSeq();
    const bytes = encodeNlMsg({ type: req.type, flags: req.flags, seq, pid: this.transport.localPort }, req.body);
    return new Promise<NlMsg[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.finish(seq);
        reject(new NetlinkError('KTS_NETLINK_TIMEOUT', `no netlink answer to message type ${req.type} within ${this.timeoutMs} ms`, { requestType: req.type }));
      }, this.timeoutMs);
      this.pending.set(seq, { request: req, parts: [], interrupted: false, resolve, reject, timer });
      this.updateRef();
      this.transport.send(bytes).catch((cause: unknown) => {
        if (!this.finish(seq)) return;
        reject(new NetlinkError('KTS_NETLINK_SEND', `netlink send failed: ${String(cause)}`, { ...errnoDetails(cause), requestType: req.type, cause }));
      });
    });
  }

  /** Forgets a pending request; undefined when it was already settled. */
  private finish(seq: number): Pending | undefined {
    const p = this.pending.get(seq);
    if (p === undefined) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(seq);
    this.updateRef();
    return p;
  }

  private updateRef(): void {
    if (!this.closed) this.transport.setReferenced(this.keepAlive || this.pending.size > 0);
  }

  private problem(err: NetlinkError): void {
    for (const l of this.problemListeners) l(err);
  }

  private receive(datagram: Uint8Array, fromPort: number, truncated: boolean): void {
    if (fromPort !== 0) return; // only the kernel talks to us
    if (truncated) {
      this.problem(new NetlinkError('KTS_NETLINK_DECODE', `truncated netlink datagram (${datagram.length} bytes)`));
      return;
    }
    const decoded = decodeNlMsgs(datagram);
    if (!decoded.ok) {
      this.problem(new NetlinkError('KTS_NETLINK_DECODE', `bad netlink datagram: ${decoded.error.detail} at ${decoded.error.offset}`));
      return;
    }
    for (const msg of decoded.value) this.dispatch(msg);
  }

  private dispatch(msg: NlMsg): void {
    const { type, seq, flags } = msg.header;
    const p = seq !== 0 ? this.pending.get(seq) : undefined;
    if (p === undefined) {
      if (type === NLMSG_OVERRUN) this.problem(new NetlinkError('KTS_NETLINK_OVERRUN', 'netlink overrun: messages were lost'));
      else if (type !== NLMSG_NOOP && type !== NLMSG_ERROR && type !== NLMSG_DONE) for (const l of this.notificationListeners) l(msg);
      return;
    }
    const reqType = p.request.type;
    switch (type) {
      case NLMSG_NOOP:
        return;
      case NLMSG_ERROR: {
        this.finish(seq);
        const e = decodeNlError(msg.payload, flags);
        if (!e.ok) {
          p.reject(new NetlinkError('KTS_NETLINK_DECODE', `bad NLMSG_ERROR: ${e.error.detail}`, { requestType: reqType }));
        } else if (e.value.error === 0) {
          p.resolve(p.parts);
        } else {
          const errno = -e.value.error;
          const extack = e.value.extackMessage;
          const why = `${errnoName(errno) ?? `errno ${errno}`}${extack !== undefined ? ` (${extack})` : ''}`;
          const err = new NetlinkError('KTS_NETLINK_KERNEL', `kernel refused message type ${reqType}: ${why}`, {
            errno,
            requestType: reqType,
            ...(extack !== undefined ? { extack } : {}),
          });
          p.reject(err);
        }
        return;
      }
      case NLMSG_DONE: {
        this.finish(seq);
        const status = msg.payload.length >= 4 ? view(msg.payload).getInt32(0, HOST_LITTLE_ENDIAN) : 0;
        if (status < 0) p.reject(new NetlinkError('KTS_NETLINK_KERNEL', `dump of message type ${reqType} failed`, { errno: -status, requestType: reqType }));
        else if (p.interrupted || (flags & NLM_F_DUMP_INTR) !== 0)
          p.reject(new NetlinkError('KTS_NETLINK_DUMP_INTERRUPTED', `dump of message type ${reqType} was interrupted`, { requestType: reqType }));
        else p.resolve(p.parts);
        return;
      }
      case NLMSG_OVERRUN:
        this.finish(seq);
        p.reject(new NetlinkError('KTS_NETLINK_OVERRUN', 'netlink overrun during request', { requestType: reqType }));
        return;
      default:
        if ((flags & NLM_F_DUMP_INTR) !== 0) p.interrupted = true;
        p.parts.push(msg);
        // A non-dump answer without NLM_F_ACK would end here; we always ask for the ACK.
        return;
    }
  }
}

function errnoDetails(cause: unknown): { errno?: number } {
  if (typeof cause === 'object' && cause !== null && 'errno' in cause) {
    const n = (cause as { errno: unknown }).errno;
    if (typeof n === 'number') return { errno: Math.abs(n) };
  }
  return {};
}
