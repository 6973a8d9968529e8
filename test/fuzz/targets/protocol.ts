/**
 * Fuzz targets for the checker worker protocol guards (src/check/protocol.ts): parseMainToWorker and
 * parseWorkerToMain get arbitrary values and valid messages with one field replaced, removed or
 * retyped. Invariant: never throws; returns null or a message of a known type that the same guard
 * accepts again (what passes validation is itself valid).
 */
import * as fc from 'fast-check';
import { parseMainToWorker, parseWorkerToMain } from '../../../src/check/protocol.js';
import { expectThat, mustNotThrow, runnable, type FuzzTarget, type RunnableTarget } from '../support/target.js';

const entry = {
  service: {
    family: 'inet', protocol: 'TCP', address: '192.0.2.10', port: 80, fwmark: 0, scheduler: 'wrr', flags: 0, timeoutSec: 0, netmask: 0xffffffff, peName: null,
  },
  dests: [{ address: '192.0.2.20', port: 80, forwarding: 'NAT', weight: 1, upperThreshold: 0, lowerThreshold: 0 }],
};

const snapshot = {
  ipvs: { backend: 'memory', opsApplied: 3, opsFailed: 0 },
  pool: {
    virtualServers: [
      {
        index: 0, name: '192.0.2.10:80', quorumUp: true, sorryAlive: false, weightSum: 1,
        realServers: [{ id: 'rs0', alive: true, effectiveWeight: 1, failedCheckers: 0, checkersUp: [true] }],
      },
    ],
  },
  checkers: [{ id: 'c0', kind: 'TCP_CHECK', target: '192.0.2.20:80', attempts: 1, retryIt: 0, lastOk: true, lastReason: null }],
  desired: [entry],
  applied: [entry],
};

const config = { globalDefs: { routerId: 'lb1' }, virtualServers: [{ index: 0 }], virtualServerGroups: [] };

/** One valid message of every kind, each direction. */
export const VALID_MAIN_TO_WORKER: readonly unknown[] = [
  { v: 1, type: 'start', config, options: { ipvs: 'memory', bootstrapDelayUs: null } },
  { v: 1, type: 'start', config, options: { ipvs: 'kernel', bootstrapDelayUs: 5 } },
  { v: 1, type: 'query', id: 4, what: 'dump' },
  { v: 1, type: 'query', id: 5, what: 'snapshot' },
  { v: 1, type: 'reload', config },
  { v: 1, type: 'stop', keepIpvs: false },
];

export const VALID_WORKER_TO_MAIN: readonly unknown[] = [
  { v: 1, type: 'ready', ipvs: 'memory' },
  { v: 1, type: 'log', level: 'warn', message: 'x' },
  { v: 1, type: 'effect', effect: { kind: 'fifo', line: 'RS UP' } },
  { v: 1, type: 'effect', effect: { kind: 'script', reason: 'notify_up', subject: 'rs', argv: ['/bin/true'], user: null, group: 'g' } },
  { v: 1, type: 'table', services: 1, dests: 2 },
  { v: 1, type: 'reply', id: 1, dump: 'text' },
  { v: 1, type: 'reply', id: 2, snapshot },
  { v: 1, type: 'stopped' },
];

type Path = readonly (string | number)[];

function paths(x: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (typeof x === 'object' && x !== null) for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Edit = { readonly kind: 'replace'; readonly value: unknown } | { readonly kind: 'delete' };

/** A deep copy of `x` with the value at `path` replaced or removed. */
function edit(x: unknown, path: Path, e: Edit): unknown {
  if (path.length === 0) return e.kind === 'replace' ? e.value : undefined;
  const [head, ...rest] = path;
  if (Array.isArray(x)) {
    const copy: unknown[] = [...(x as unknown[])];
    const i = head as number;
    if (rest.length === 0 && e.kind === 'delete') copy.splice(i, 1);
    else copy[i] = edit(copy[i], rest, e);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(x as Record<string, unknown>) };
  const k = head as string;
  if (rest.length === 0 && e.kind === 'delete') delete copy[k];
  else copy[k] = edit(copy[k], rest, e);
  return copy;
}

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, NaN, Infinity, -Infinity, -0, '', 0, 1, 2, true, false, [], {}, 'start', 'reply', 'inet', 'TCP'),
  fc.anything({ maxDepth: 2 }),
);

function messageArb(valid: readonly unknown[]): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.constantFrom(...valid), fc.nat(), fc.oneof(nastyValue.map((value): Edit => ({ kind: 'replace', value })), fc.constant<Edit>({ kind: 'delete' })), fc.nat({ max: 2 }))
    .map(([msg, pick, e, again]) => {
      let out = msg;
      for (let i = 0; i <= again; i++) {
        const ps = paths(out);
        out = edit(out, ps[(pick + i * 7) % ps.length]!, e);
      }
      return out;
    });
  return fc.oneof({ arbitrary: mutated, weight: 4 }, { arbitrary: fc.constantFrom(...valid), weight: 1 }, { arbitrary: fc.anything(), weight: 1 });
}

function protocolTarget(name: string, valid: readonly unknown[], parse: (x: unknown) => { readonly v: 1; readonly type: string } | null): FuzzTarget<unknown> {
  const types = new Set(valid.map((m) => (m as { type: string }).type));
  return {
    name,
    arbitrary: messageArb(valid),
    check: (x) => {
      const r = mustNotThrow(name, () => parse(x));
      if (r === null) return;
      expectThat(r.v === 1 && types.has(r.type), `accepted a message of type ${String(r.type)}`);
      const again = mustNotThrow(`${name} (re-parse)`, () => parse(r));
      expectThat(again !== null && again.type === r.type, `an accepted ${r.type} message is rejected when parsed again`);
    },
  };
}

export const mainToWorkerTarget = protocolTarget('check.parseMainToWorker', VALID_MAIN_TO_WORKER, parseMainToWorker);
export const workerToMainTarget = protocolTarget('check.parseWorkerToMain', VALID_WORKER_TO_MAIN, parseWorkerToMain);

export const protocolTargets: readonly RunnableTarget[] = [runnable(mainToWorkerTarget), runnable(workerToMainTarget)];
