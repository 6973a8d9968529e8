/**
 * Errors of the netlink adapter. Match on `code` (stable, never reused), not on the class:
 *
 * - `KTS_NETLINK_KERNEL`   the kernel refused the request; `errno`/`errnoName` say why, `extack`
 *                          carries the kernel's own explanation when it sent one.
 * - `KTS_NETLINK_TIMEOUT`  no answer within the request timeout.
 * - `KTS_NETLINK_SEND`     sendmsg() on the netlink socket failed.
 * - `KTS_NETLINK_OPEN`     the netlink socket could not be created (no CAP_NET_ADMIN is *not* this:
 *                          creating the socket needs no privilege, requests then fail with EPERM).
 * - `KTS_NETLINK_CLOSED`   the channel was closed with the request outstanding.
 * - `KTS_NETLINK_DECODE`   a datagram from the kernel could not be decoded (or was truncated).
 * - `KTS_NETLINK_SOCKET`   the socket reported an error while receiving (ENOBUFS: notifications lost).
 * - `KTS_NETLINK_OVERRUN`  the kernel said messages were dropped (NLMSG_OVERRUN).
 * - `KTS_NETLINK_DUMP_INTERRUPTED`  a dump kept changing under us (NLM_F_DUMP_INTR) after retries.
 * - `KTS_NETLINK_INVALID_ARGUMENT`  the caller's request is malformed (bad IP literal, prefix, name…);
 *                          detected before anything is sent.
 */

import { constants as osConstants } from 'node:os';

export type NetlinkErrorCode =
  | 'KTS_NETLINK_KERNEL'
  | 'KTS_NETLINK_TIMEOUT'
  | 'KTS_NETLINK_SEND'
  | 'KTS_NETLINK_OPEN'
  | 'KTS_NETLINK_CLOSED'
  | 'KTS_NETLINK_DECODE'
  | 'KTS_NETLINK_SOCKET'
  | 'KTS_NETLINK_OVERRUN'
  | 'KTS_NETLINK_DUMP_INTERRUPTED'
  | 'KTS_NETLINK_INVALID_ARGUMENT';

export interface NetlinkErrorDetails {
  /** Positive errno (EEXIST = 17). */
  readonly errno?: number;
  readonly extack?: string;
  /** nlmsg_type of the request that failed (RTM_NEWADDR…). */
  readonly requestType?: number;
  readonly cause?: unknown;
}

export class NetlinkError extends Error {
  override readonly name = 'NetlinkError';
  readonly code: NetlinkErrorCode;
  readonly errno?: number;
  /** `EEXIST`, `EADDRNOTAVAIL`… (from the errno), when known. */
  readonly errnoName?: string;
  readonly extack?: string;
  readonly requestType?: number;

  constructor(code: NetlinkErrorCode, message: string, details: NetlinkErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.code = code;
    if (details.errno !== undefined) {
      this.errno = details.errno;
      const name = errnoName(details.errno);
      if (name !== undefined) this.errnoName = name;
    }
    if (details.extack !== undefined) this.extack = details.extack;
    if (details.requestType !== undefined) this.requestType = details.requestType;
  }
}

const ERRNO_NAMES = new Map<number, string>(Object.entries(osConstants.errno).map(([k, v]) => [v, k]));

export function errnoName(errno: number): string | undefined {
  return ERRNO_NAMES.get(errno);
}

export function isKernelErrno(err: unknown, name: keyof typeof osConstants.errno): err is NetlinkError {
  return err instanceof NetlinkError && err.code === 'KTS_NETLINK_KERNEL' && err.errno === osConstants.errno[name];
}
