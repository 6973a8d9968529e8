/**
 * The health-checker subsystem (keepalived's Keepalived_healthcheckers): public surface.
 *
 *   host.ts            main thread: startCheckerHost() — worker supervision, notify scripts, LVS FIFO
 *   worker/            worker thread: runtime (protocol endpoint) and entry file
 *   protocol.ts        the versioned, validated main ↔ worker messages
 *   engine.ts          checker timers + retries → pool → desired table
 *   pool.ts            pure real-server / quorum / sorry-server state machine
 *   desired-table.ts   pure config + pool → IPVS services and dests (virtual_server_group expansion)
 *   reconcile.ts       pure desired vs kernel → add/edit/del operations
 *   ipvs-sync.ts       applies operations to the kernel (IPVS genl) or to an in-memory table
 *   probes/            TCP_CHECK, HTTP_GET/SSL_GET, MISC_CHECK, SMTP_CHECK, DNS_CHECK, UDP_CHECK,
 *                      PING_CHECK (ICMP/ICMPv6 echo over the native addon's ping or raw socket)
 *   track-file.ts      FILE_CHECK values
 *   ipvs-text.ts, dump.ts   `ipvsadm -Ln`-style text and the SIGUSR1 dump
 *   genhash.ts         `keepalived --genhash` / `-T`
 */
export { startCheckerHost, CheckerHostError, type CheckerHost, type CheckerHostOptions, type CheckerHostEvent, type CheckerLogger, type WorkerLike } from './host.js';
export { type CheckerSnapshot, type WireEffect, CHECKER_PROTOCOL_VERSION } from './protocol.js';
export { runGenhash, genhashDigest, parseGenhashArgs, GENHASH_USAGE, type GenhashOptions, type GenhashIo } from './genhash.js';
export { LvsPool, type PoolEffect, type PoolSnapshot } from './pool.js';
export { computeDesiredTable, type DesiredTable, type DesiredEntry } from './desired-table.js';
export { reconcile, teardownOps, type IpvsOp } from './reconcile.js';
export { formatIpvsTable } from './ipvs-text.js';
export { formatCheckerDump } from './dump.js';
export { CheckerEngine, type EngineOptions, type CheckerStatus } from './engine.js';
export { fifoRsLine, fifoVsLine, fmtRs, fmtVs } from './format.js';
