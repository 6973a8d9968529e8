/**
 * A scripted stand-in for the kernel side of a NETLINK_ROUTE socket, implementing the channel's
 * NetlinkTransport. Each request is parsed here (independently of src/) and handed to a test
 * handler that answers with messages and/or an errno; the fake frames them as the kernel does.
 */

import type { NetlinkTransport } from '../../../../src/io/netlink/socket.js';
import { attr, cstr, nlmsg, u32le } from './bytes.js';

export interface SeenRequest {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  /** Body after the 16-byte header. */
  readonly body: Uint8Array;
  readonly raw: Uint8Array;
}

export interface Reply {
  /** Messages answering the request (type + payload), sent before the ACK / DONE. */
  readonly messages?: readonly { readonly type: number; readonly payload: readonly number[]; readonly flags?: number }[];
  /** Positive errno for an error ACK; 0/undefined for success. */
  readonly errno?: number;
  /** Extended-ACK message text (NLMSGERR_ATTR_MSG). */
  readonly extack?: string;
  /** Dump answer: end with NLMSG_DONE instead of an ACK. */
  readonly done?: boolean;
  /** Send nothing at all (timeout tests). */
  readonly silent?: boolean;
}

export const FAKE_LOCAL_PORT = 4242;

export class FakeKernel implements NetlinkTransport {
  readonly localPort = FAKE_LOCAL_PORT;
  readonly seen: SeenRequest[] = [];
  readonly groups: number[] = [];
  referenced = false;
  closed = false;
  private listener: ((d: Uint8Array, port: number, truncated: boolean) => void) | undefined;
  private errorListener: ((e: Error) => void) | undefined;

  constructor(private readonly handler: (req: SeenRequest) => Reply = () => ({})) {}

  async send(bytes: Uint8Array): Promise<void> {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const req: SeenRequest = {
      type: dv.getUint16(4, true),
      flags: dv.getUint16(6, true),
      seq: dv.getUint32(8, true),
      pid: dv.getUint32(12, true),
      body: bytes.slice(16, dv.getUint32(0, true)),
      raw: bytes.slice(),
    };
    this.seen.push(req);
    const reply = this.handler(req);
    if (reply.silent) return;
    const out: number[] = [];
    for (const m of reply.messages ?? []) out.push(...nlmsg(m.type, m.flags ?? (reply.done ? 2 : 0), req.seq, this.localPort, m.payload));
    if (reply.done && !reply.errno) {
      out.push(...nlmsg(3, 2, req.seq, this.localPort, u32le(0)));
    } else {
      const errPayload = [...u32le(-(reply.errno ?? 0)), ...Array.from(req.raw.subarray(0, 16))];
      let flags = 0x100; // NLM_F_CAPPED: the kernel echoes only the request header
      if (reply.extack !== undefined) {
        flags |= 0x200; // NLM_F_ACK_TLVS
        errPayload.push(...attr(1, cstr(reply.extack)));
      }
      out.push(...nlmsg(2, flags, req.seq, this.localPort, errPayload));
    }
    queueMicrotask(() => this.deliver(Uint8Array.from(out)));
  }

  /** Pushes a datagram as if the kernel sent it (notifications, garbage). */
  deliver(datagram: Uint8Array, fromPort = 0, truncated = false): void {
    this.listener?.(datagram, fromPort, truncated);
  }

  failSocket(err: Error): void {
    this.errorListener?.(err);
  }

  onDatagram(listener: (d: Uint8Array, port: number, truncated: boolean) => void): void {
    this.listener = listener;
  }

  onError(listener: (e: Error) => void): void {
    this.errorListener = listener;
  }

  addMembership(group: number): void {
    this.groups.push(group);
  }

  setReferenced(referenced: boolean): void {
    this.referenced = referenced;
  }

  close(): void {
    this.closed = true;
  }
}
