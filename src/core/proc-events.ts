/**
 * The kernel's process events connector (NETLINK_CONNECTOR, CN_IDX_PROC — keepalived's source of
 * track_process events) as a best-effort wake-up for the /proc poller in `process-trackers.ts`:
 * `decodeProcEvents()` (pure, never throws on odd datagrams) turns a datagram into fork / exec / comm /
 * exit events, and `openProcEvents()` subscribes and delivers them.
 *
 * Best effort by design: the connector only answers in the initial network namespace (elsewhere the
 * subscription is refused with ECONNREFUSED), needs CAP_NET_ADMIN and can overflow (ENOBUFS) on busy
 * hosts. Every failure is reported once through `onUnavailable`/`onOverrun` and the poller, which never
 * depends on events for correctness, simply keeps polling.
 */
import { openNetlinkTransport } from '../io/netlink/socket.js';
import type { NetlinkTransport } from '../io/netlink/socket.js';
import { HOST_LITTLE_ENDIAN } from '../io/netlink/nl-codec.js';

export const NETLINK_CONNECTOR = 11;
export const CN_IDX_PROC = 1;
export const CN_VAL_PROC = 1;
const NLMSG_HDR_LEN = 16;
const CN_MSG_LEN = 20;
const NLMSG_DONE = 3;
const PROC_CN_MCAST_LISTEN = 1;
const PROC_CN_MCAST_IGNORE = 2;

const PROC_EVENT_NONE = 0;
const PROC_EVENT_FORK = 0x1;
const PROC_EVENT_EXEC = 0x2;
const PROC_EVENT_COMM = 0x200;
const PROC_EVENT_EXIT = 0x80000000;

/** One process event (thread events are reported too: compare pid and tgid). */
export type ProcEvent =
  | { readonly kind: 'ack' }
  | { readonly kind: 'fork'; readonly parentTgid: number; readonly childPid: number; readonly childTgid: number }
  | { readonly kind: 'exec'; readonly pid: number; readonly tgid: number }
  | { readonly kind: 'comm'; readonly pid: number; readonly tgid: number; readonly comm: string }
  | { readonly kind: 'exit'; readonly pid: number; readonly tgid: number };

/** Decodes the proc connector messages of one datagram; anything else (other connectors, short data) is skipped. */
export function decodeProcEvents(datagram: Uint8Array): ProcEvent[] {
  const out: ProcEvent[] = [];
  const dv = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const le = HOST_LITTLE_ENDIAN;
  let off = 0;
  while (off + NLMSG_HDR_LEN <= datagram.byteLength) {
    const len = dv.getUint32(off, le);
    if (len < NLMSG_HDR_LEN || off + len > datagram.byteLength) break;
    const cn = off + NLMSG_HDR_LEN;
    // struct proc_event: what u32, cpu u32, timestamp u64, then the event data.
    const ev = cn + CN_MSG_LEN;
    const data = ev + 16;
    if (cn + CN_MSG_LEN <= off + len && dv.getUint32(cn, le) === CN_IDX_PROC && dv.getUint32(cn + 4, le) === CN_VAL_PROC && data <= off + len) {
      const what = dv.getUint32(ev, le);
      const u32 = (i: number): number | undefined => (data + 4 * (i + 1) <= off + len ? dv.getUint32(data + 4 * i, le) : undefined);
      if (what === PROC_EVENT_NONE) out.push({ kind: 'ack' });
      else if (what === PROC_EVENT_FORK) {
        const parentTgid = u32(1);
        const childPid = u32(2);
        const childTgid = u32(3);
        if (parentTgid !== undefined && childPid !== undefined && childTgid !== undefined) out.push({ kind: 'fork', parentTgid, childPid, childTgid });
      } else if (what === PROC_EVENT_EXEC || what === PROC_EVENT_EXIT) {
        const pid = u32(0);
        const tgid = u32(1);
        if (pid !== undefined && tgid !== undefined) out.push({ kind: what === PROC_EVENT_EXEC ? 'exec' : 'exit', pid, tgid });
      } else if (what === PROC_EVENT_COMM) {
        const pid = u32(0);
        const tgid = u32(1);
        const commStart = data + 8;
        if (pid !== undefined && tgid !== undefined && commStart + 16 <= off + len) {
          const raw = datagram.subarray(commStart, commStart + 16);
          const nul = raw.indexOf(0);
          out.push({ kind: 'comm', pid, tgid, comm: new TextDecoder().decode(nul < 0 ? raw : raw.subarray(0, nul)) });
        }
      }
    }
    off += (len + 3) & ~3;
  }
  return out;
}

/** The subscription request: nlmsghdr + cn_msg + enum proc_cn_mcast_op. */
export function encodeProcSubscribe(listen: boolean, portId: number): Uint8Array {
  const b = new Uint8Array(NLMSG_HDR_LEN + CN_MSG_LEN + 4);
  const dv = new DataView(b.buffer);
  const le = HOST_LITTLE_ENDIAN;
  dv.setUint32(0, b.byteLength, le);
  dv.setUint16(4, NLMSG_DONE, le);
  dv.setUint32(12, portId, le);
  dv.setUint32(16, CN_IDX_PROC, le);
  dv.setUint32(20, CN_VAL_PROC, le);
  dv.setUint16(32, 4, le);
  dv.setUint32(36, listen ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE, le);
  return b;
}

export interface ProcEventsHandlers {
  readonly onEvent: (ev: ProcEvent) => void;
  /** The connector cannot be used (not the initial network namespace, no permission, no kernel support). */
  readonly onUnavailable: (reason: string) => void;
  /** Events were lost (ENOBUFS): the caller should rescan. */
  readonly onOverrun: () => void;
}

export interface ProcEventsHandle {
  close(): void;
}

/** Subscribes to process events; failures go to `onUnavailable` (also when opening fails synchronously). */
export function openProcEvents(h: ProcEventsHandlers, recvBufferSize = 1 << 18): ProcEventsHandle {
  let t: NetlinkTransport;
  try {
    t = openNetlinkTransport({ protocol: NETLINK_CONNECTOR, recvBufferSize });
    t.addMembership(CN_IDX_PROC);
  } catch (err) {
    h.onUnavailable(err instanceof Error ? err.message : String(err));
    return { close: () => undefined };
  }
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    try {
      t.close();
    } catch {
      // already closed
    }
  };
  t.setReferenced(false);
  t.onDatagram((d, fromPort) => {
    if (closed || fromPort !== 0) return;
    for (const ev of decodeProcEvents(d)) h.onEvent(ev);
  });
  t.onError((err) => {
    if (closed) return;
    if ((err as { code?: string }).code === 'ENOBUFS') h.onOverrun();
    else {
      close();
      h.onUnavailable(err.message);
    }
  });
  t.send(encodeProcSubscribe(true, t.localPort)).catch((err: unknown) => {
    close();
    h.onUnavailable(err instanceof Error ? err.message : String(err));
  });
  return {
    close: () => {
      if (closed) return;
      // Best effort: tell the kernel to stop (it counts listeners), then close.
      t.send(encodeProcSubscribe(false, t.localPort)).then(close, close);
    },
  };
}
