/**
 * The shape every fuzz target has, shared by the small-budget vitest files and the large-budget
 * program (run.ts): an input generator, and a check that runs the code under test on one input and
 * throws FuzzViolation when an invariant does not hold (a decoder threw, returned a malformed value, …).
 */
import * as fc from 'fast-check';

export interface FuzzTarget<T> {
  /** Stable name (`vrrp.decodeAdvert.v4`), used on the command line and in reports. */
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Runs the code under test once; throws FuzzViolation (or whatever the code threw) on failure. */
  readonly check: (input: T) => void;
  /** Human/replay form of an input for reports (default: JSON with byte arrays as hex). */
  readonly describe?: (input: T) => string;
}

/** Outcome of running a target with fast-check. */
export interface TargetRun {
  readonly name: string;
  readonly seed: number;
  readonly numRuns: number;
  readonly failed: boolean;
  /** fast-check replay path of the (shrunk) counterexample. */
  readonly path: string | null;
  readonly counterexample: string | null;
  readonly error: string | null;
}

/** A target with its input type erased, so lists of targets can be run uniformly. */
export interface RunnableTarget {
  readonly name: string;
  run(params: RunParams, beforeEach?: () => void): TargetRun;
  /** Describes the input run `index` of a run with `seed` generates, without checking it (replaying hangs). */
  inputAt(seed: number, index: number): string;
}

export interface RunParams {
  readonly seed: number;
  readonly numRuns: number;
  /** fast-check replay path (replays one recorded input). */
  readonly path?: string;
  /** An input whose check takes longer than this fails as a hang (small budget; the large one uses a watchdog). */
  readonly maxInputMs?: number;
}

export function runnable<T>(t: FuzzTarget<T>): RunnableTarget {
  const describe = t.describe ?? describeJson;
  return {
    name: t.name,
    run(params, beforeEach) {
      const prop = fc.property(t.arbitrary, (input) => {
        beforeEach?.();
        const started = performance.now();
        t.check(input);
        const ms = performance.now() - started;
        if (params.maxInputMs !== undefined && ms > params.maxInputMs) {
          throw new FuzzViolation(`one input took ${ms.toFixed(0)} ms (limit ${params.maxInputMs} ms): a hang`);
        }
      });
      const d = fc.check(prop, { seed: params.seed, numRuns: params.numRuns, ...(params.path !== undefined ? { path: params.path } : {}) });
      const ce = d.counterexample;
      return {
        name: t.name,
        seed: params.seed,
        numRuns: d.numRuns,
        failed: d.failed,
        path: d.failed ? d.counterexamplePath : null,
        counterexample: ce !== null ? describe(ce[0]) : null,
        error: d.errorInstance instanceof Error ? (d.errorInstance.stack ?? d.errorInstance.message) : d.errorInstance !== null ? String(d.errorInstance) : null,
      };
    },
    inputAt(seed, index) {
      let seen = '';
      fc.check(
        fc.property(t.arbitrary, (input) => {
          seen = describe(input);
        }),
        { seed, numRuns: 1, path: String(index) },
      );
      return seen;
    },
  };
}

/** Fails (throws one readable Error) when a run failed: used by the vitest files. */
export function assertRunPassed(r: TargetRun): void {
  if (!r.failed) return;
  throw new Error(
    `fuzz target ${r.name} failed (seed ${r.seed}, path ${r.path ?? '?'}; replay: FUZZ_SEED=${r.seed})\n` +
      `input: ${r.counterexample ?? '?'}\n${r.error ?? ''}`,
  );
}

export function describeJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (v instanceof Uint8Array ? `hex:${hex(v)}` : typeof v === 'bigint' ? `${v}n` : v));
}

/** A broken invariant (as opposed to an exception escaping the code under test). */
export class FuzzViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzViolation';
  }
}

export function expectThat(cond: boolean, message: string): asserts cond {
  if (!cond) throw new FuzzViolation(message);
}

/** Calls `fn`; an exception is re-thrown as a FuzzViolation naming the target, so reports say "threw". */
export function mustNotThrow<R>(what: string, fn: () => R): R {
  try {
    return fn();
  } catch (err) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    throw new FuzzViolation(`${what} threw: ${detail}`);
  }
}

/** Hex dump for reports. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
