/**
 * What every health probe shares: where to connect (connect_ip/connect_port/bindto/bind_port
 * resolved against the real server) and the outcome of one attempt. A probe never throws: every
 * failure (refused, timeout, bad status, wrong digest, script exit) is an outcome with a reason.
 */
import type { AddressFamily, CheckerCommon, RealServer } from '../../config/model.js';

export interface ProbeEndpoint {
  readonly address: string;
  readonly family: AddressFamily;
  readonly port: number;
  readonly bindAddress: string | null;
  readonly bindPort: number | null;
  readonly timeoutMs: number;
}

export type ProbeOutcome =
  | { readonly ok: true; readonly detail?: string; /** misc_dynamic weight */ readonly weight?: number }
  | { readonly ok: false; readonly reason: string };

/** One attempt; resolves (never rejects) with the outcome. `signal` aborts it (shutdown). */
export type Probe = (signal: AbortSignal) => Promise<ProbeOutcome>;

export function endpointOf(c: CheckerCommon, rs: RealServer): ProbeEndpoint {
  return {
    address: c.connectIp?.address ?? rs.address,
    family: c.connectIp?.family ?? rs.family,
    port: c.connectPort ?? rs.port,
    bindAddress: c.bindTo?.address ?? null,
    bindPort: c.bindPort,
    timeoutMs: Math.max(1, Math.round(c.connectTimeoutUs / 1000)),
  };
}

export function fail(reason: string): ProbeOutcome {
  return { ok: false, reason };
}

export function errText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== undefined ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}
