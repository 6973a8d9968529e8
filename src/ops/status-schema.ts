/**
 * The status document: what `keepalived-ts status --json` prints and what the daemon answers to
 * `{"cmd":"status"}` on the control socket. Three views of one contract, kept together:
 *   - TypeScript types (`StatusDocument` …) used by the daemon to build it;
 *   - `statusJsonSchema`, a JSON Schema (draft 2020-12) document published for consumers;
 *   - `validateStatusDocument()`, which runs that very schema (json-schema-lite.ts), so the
 *     published schema and the runtime check cannot drift apart.
 *
 * Versioning: `schemaVersion` is an integer. The schema is closed (no unknown properties); any change
 * to it — even an added field — increments `STATUS_SCHEMA_VERSION`, and the CLI refuses documents
 * whose version it does not know. Times are wall-clock ISO 8601 strings in UTC (`…Z`); durations and
 * intervals carry their unit in the name (`advertIntervalCs`, `lastDurationMs`).
 */

import { validateJsonSchema, type JsonSchema, type SchemaError } from './json-schema-lite.js';
import { SPLIT_BRAIN_KINDS, type SplitBrainKind } from './split-brain.js';

export const STATUS_SCHEMA_VERSION = 1;

export type StatusVrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';
export type TrackerType = 'interface' | 'script' | 'file' | 'process' | 'bfd';
export type UpDown = 'up' | 'down' | 'unknown';

export interface StatusAddress {
  readonly address: string;
  readonly prefixLength: number | null;
  readonly interface: string | null;
}

export interface StatusTracker {
  readonly type: TrackerType;
  readonly name: string;
  /** Configured weight; 0 means a failure puts the instance in FAULT. */
  readonly weight: number;
  readonly status: UpDown;
  /** What this tracker currently adds to (or, negative, removes from) the priority. */
  readonly contribution: number;
}

export interface StatusTransition {
  readonly from: StatusVrrpState;
  readonly to: StatusVrrpState;
  readonly reason: string;
  readonly at: string;
}

export interface StatusSplitBrainFinding {
  readonly kind: SplitBrainKind;
  readonly peer: string;
  readonly since: string;
  readonly detail: string;
}

export interface StatusInstanceStats {
  readonly advertsSent: number;
  readonly advertsReceived: number;
  readonly advertsDropped: number;
  readonly garpSent: number;
}

export interface StatusInstance {
  readonly name: string;
  readonly vrid: number;
  readonly family: 4 | 6;
  readonly version: 2 | 3;
  readonly interface: string;
  readonly state: StatusVrrpState;
  readonly priority: { readonly base: number; readonly effective: number };
  /** The master we hear (our own address when we are MASTER); null when unknown. */
  readonly master: { readonly address: string | null; readonly priority: number | null };
  readonly advertIntervalCs: number;
  readonly masterAdverIntervalCs: number;
  readonly vips: readonly StatusAddress[];
  readonly excludedVips: readonly StatusAddress[];
  readonly vipsInstalled: boolean;
  readonly lastTransition: StatusTransition | null;
  readonly transitions: number;
  readonly trackers: readonly StatusTracker[];
  /** Why the instance is (or would be) in FAULT; empty when none. */
  readonly faults: readonly string[];
  readonly syncGroup: string | null;
  readonly splitBrain: readonly StatusSplitBrainFinding[];
  readonly stats?: StatusInstanceStats;
}

export interface StatusSyncGroup {
  readonly name: string;
  readonly state: StatusVrrpState;
  readonly members: readonly string[];
}

export interface StatusCheck {
  /** Checker keyword: TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, DNS_CHECK, SMTP_CHECK, UDP_CHECK, FILE_CHECK… */
  readonly type: string;
  readonly status: UpDown;
  readonly lastCheckedAt: string | null;
  readonly lastDurationMs: number | null;
  readonly detail: string | null;
}

export interface StatusRealServer {
  readonly address: string;
  readonly port: number;
  readonly configuredWeight: number;
  /** Effective weight while alive (dynamic MISC_CHECK weights included); 0 when down. */
  readonly weight: number;
  readonly alive: boolean;
  readonly checks: readonly StatusCheck[];
}

export interface StatusVirtualServer {
  /** keepalived's FMT_VS text, e.g. `[10.0.0.10]:tcp:80` or `FWM 5`. */
  readonly name: string;
  readonly address: string | null;
  readonly port: number | null;
  readonly fwmark: number | null;
  readonly group: string | null;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | null;
  readonly scheduler: string;
  readonly quorum: { readonly required: number; readonly up: boolean; readonly aliveWeight: number };
  readonly sorryServer: { readonly address: string; readonly port: number | null; readonly active: boolean } | null;
  readonly realServers: readonly StatusRealServer[];
}

export interface StatusDocument {
  readonly schemaVersion: typeof STATUS_SCHEMA_VERSION;
  readonly generator: { readonly name: 'keepalived-ts'; readonly version: string };
  readonly generatedAt: string;
  readonly daemon: {
    readonly pid: number;
    readonly startedAt: string;
    readonly configFile: string | null;
    readonly lastReloadAt: string | null;
  };
  readonly vrrp: { readonly instances: readonly StatusInstance[]; readonly syncGroups: readonly StatusSyncGroup[] };
  readonly virtualServers: readonly StatusVirtualServer[];
}

// ---- JSON Schema ----

const STATES = ['INIT', 'BACKUP', 'MASTER', 'FAULT', 'STOP'] as const;
const ISO_TIME: JsonSchema = {
  type: 'string',
  format: 'date-time',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
};
const NULLABLE_ISO_TIME: JsonSchema = { ...ISO_TIME, type: ['string', 'null'] };
const U8: JsonSchema = { type: 'integer', minimum: 0, maximum: 255 };
const COUNT: JsonSchema = { type: 'integer', minimum: 0 };
const NAME: JsonSchema = { type: 'string', minLength: 1 };
const PORT: JsonSchema = { type: 'integer', minimum: 0, maximum: 65535 };

function closed(properties: Record<string, JsonSchema>, optional: readonly string[] = [], description?: string): JsonSchema {
  return {
    type: 'object',
    ...(description !== undefined ? { description } : {}),
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  };
}

export const statusJsonSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:keepalived-ts:status:1',
  title: 'keepalived-ts status document',
  description: 'Output of `keepalived-ts status --json` and of the control socket command {"cmd":"status"}.',
  $defs: {
    state: { type: 'string', enum: STATES },
    address: closed({ address: NAME, prefixLength: { type: ['integer', 'null'], minimum: 0, maximum: 128 }, interface: { type: ['string', 'null'] } }),
    tracker: closed({
      type: { type: 'string', enum: ['interface', 'script', 'file', 'process', 'bfd'] },
      name: NAME,
      weight: { type: 'integer', minimum: -254, maximum: 254 },
      status: { type: 'string', enum: ['up', 'down', 'unknown'] },
      contribution: { type: 'integer' },
    }),
    transition: closed({ from: { $ref: '#/$defs/state' }, to: { $ref: '#/$defs/state' }, reason: { type: 'string' }, at: ISO_TIME }),
    splitBrain: closed({ kind: { type: 'string', enum: SPLIT_BRAIN_KINDS }, peer: NAME, since: ISO_TIME, detail: { type: 'string' } }),
    instance: closed(
      {
        name: NAME,
        vrid: { type: 'integer', minimum: 1, maximum: 255 },
        family: { type: 'integer', enum: [4, 6] },
        version: { type: 'integer', enum: [2, 3] },
        interface: { type: 'string' },
        state: { $ref: '#/$defs/state' },
        priority: closed({ base: U8, effective: U8 }),
        master: closed({ address: { type: ['string', 'null'] }, priority: { type: ['integer', 'null'], minimum: 0, maximum: 255 } }),
        advertIntervalCs: { type: 'integer', minimum: 1, maximum: 4095 * 100 },
        masterAdverIntervalCs: { type: 'integer', minimum: 1, maximum: 4095 * 100 },
        vips: { type: 'array', items: { $ref: '#/$defs/address' } },
        excludedVips: { type: 'array', items: { $ref: '#/$defs/address' } },
        vipsInstalled: { type: 'boolean' },
        lastTransition: { anyOf: [{ $ref: '#/$defs/transition' }, { type: 'null' }] },
        transitions: COUNT,
        trackers: { type: 'array', items: { $ref: '#/$defs/tracker' } },
        faults: { type: 'array', items: { type: 'string' } },
        syncGroup: { type: ['string', 'null'] },
        splitBrain: { type: 'array', items: { $ref: '#/$defs/splitBrain' } },
        stats: closed({ advertsSent: COUNT, advertsReceived: COUNT, advertsDropped: COUNT, garpSent: COUNT }),
      },
      ['stats'],
    ),
    syncGroup: closed({ name: NAME, state: { $ref: '#/$defs/state' }, members: { type: 'array', items: NAME } }),
    check: closed({
      type: NAME,
      status: { type: 'string', enum: ['up', 'down', 'unknown'] },
      lastCheckedAt: NULLABLE_ISO_TIME,
      lastDurationMs: { type: ['number', 'null'], minimum: 0 },
      detail: { type: ['string', 'null'] },
    }),
    realServer: closed({
      address: NAME,
      port: PORT,
      configuredWeight: COUNT,
      weight: COUNT,
      alive: { type: 'boolean' },
      checks: { type: 'array', items: { $ref: '#/$defs/check' } },
    }),
    virtualServer: closed({
      name: NAME,
      address: { type: ['string', 'null'] },
      port: { type: ['integer', 'null'], minimum: 0, maximum: 65535 },
      fwmark: { type: ['integer', 'null'], minimum: 0 },
      group: { type: ['string', 'null'] },
      protocol: { type: ['string', 'null'], enum: ['TCP', 'UDP', 'SCTP', null] },
      scheduler: { type: 'string' },
      quorum: closed({ required: COUNT, up: { type: 'boolean' }, aliveWeight: COUNT }),
      sorryServer: {
        type: ['object', 'null'],
        properties: { address: NAME, port: { type: ['integer', 'null'], minimum: 0, maximum: 65535 }, active: { type: 'boolean' } },
        required: ['address', 'port', 'active'],
        additionalProperties: false,
      },
      realServers: { type: 'array', items: { $ref: '#/$defs/realServer' } },
    }),
  },
  ...closed({
    schemaVersion: { type: 'integer', const: STATUS_SCHEMA_VERSION },
    generator: closed({ name: { type: 'string', const: 'keepalived-ts' }, version: { type: 'string' } }),
    generatedAt: ISO_TIME,
    daemon: closed({
      pid: { type: 'integer', minimum: 1 },
      startedAt: ISO_TIME,
      configFile: { type: ['string', 'null'] },
      lastReloadAt: NULLABLE_ISO_TIME,
    }),
    vrrp: closed({
      instances: { type: 'array', items: { $ref: '#/$defs/instance' } },
      syncGroups: { type: 'array', items: { $ref: '#/$defs/syncGroup' } },
    }),
    virtualServers: { type: 'array', items: { $ref: '#/$defs/virtualServer' } },
  }),
};

export type StatusValidation =
  | { readonly ok: true; readonly doc: StatusDocument }
  | { readonly ok: false; readonly code: 'KTS_STATUS_SCHEMA' | 'KTS_STATUS_VERSION'; readonly errors: readonly SchemaError[] };

/** Checks a parsed document against `statusJsonSchema`; a different schemaVersion is reported as such. */
export function validateStatusDocument(value: unknown): StatusValidation {
  const version = typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== STATUS_SCHEMA_VERSION) {
    return {
      ok: false,
      code: 'KTS_STATUS_VERSION',
      errors: [{ path: '/schemaVersion', message: `unsupported schemaVersion ${JSON.stringify(version)}, this build reads ${STATUS_SCHEMA_VERSION}` }],
    };
  }
  const errors = validateJsonSchema(statusJsonSchema, value);
  return errors.length === 0 ? { ok: true, doc: value as StatusDocument } : { ok: false, code: 'KTS_STATUS_SCHEMA', errors };
}

/** Wall-clock ISO time of a monotonic µs instant, given a matching pair (nowUs ↔ nowMs wall). */
export function monotonicToIso(atUs: number, nowUs: number, nowWallMs: number): string {
  return new Date(nowWallMs - (nowUs - atUs) / 1000).toISOString();
}
