/**
 * The differential lab: one network namespace holding every interface the fixtures name (veth pairs
 * renamed eth0/eth1, ens33/ens8, ens192/eno16777736, …), and runners for `keepalived -t` and
 * `keepalived-ts -t` inside it. Shared by the differential test and the benchmark.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root, from either test/diff (vitest) or dist/test/diff (built bench). */
export const REPO_ROOT = existsSync(join(here, '../../package.json')) ? resolve(here, '../..') : resolve(here, '../../..');
export const FIXTURE_DIR = join(REPO_ROOT, 'test/fixtures/conf');
export const KEEPALIVED = '/usr/sbin/keepalived';
export const KEEPALIVED_TS = join(REPO_ROOT, 'bin/keepalived-ts');

/** Interfaces always present in the lab, as veth pairs. */
export const LAB_PAIRS: readonly (readonly [string, string])[] = [
  ['eth0', 'eth1'],
  ['ens33', 'ens8'],
  ['ens192', 'eno16777736'],
];

export interface FixtureMeta {
  readonly interfaces?: readonly string[];
  readonly expectExit?: number;
  readonly why?: string;
}

export interface Fixture {
  readonly name: string;
  readonly path: string;
  readonly meta: FixtureMeta;
}

export function listFixtures(dir = FIXTURE_DIR): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => {
      const metaPath = join(dir, f.replace(/\.conf$/, '.meta.json'));
      const meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as FixtureMeta) : {};
      return { name: f, path: join(dir, f), meta };
    });
}

/** keepalived's own sample configurations, when the distribution ships them (read in place, never copied). */
export const SYSTEM_SAMPLE_DIR = '/usr/share/doc/keepalived/samples';

export function listSystemSamples(dir = SYSTEM_SAMPLE_DIR): Fixture[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith('keepalived.conf.'))
    .sort()
    .map((f) => ({ name: `system-sample/${f}`, path: join(dir, f), meta: { why: `keepalived's shipped sample ${f}` } }));
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], timeoutMs = 30_000): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? (r.signal !== null ? 128 : -1), stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

/** Like run() but without blocking the event loop. */
function runAsync(cmd: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => resolvePromise({ code: -1, stdout, stderr: stderr + err.message }));
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal !== null ? 128 : -1), stdout, stderr }));
  });
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function ip(...args: string[]): RunResult {
  return run('ip', args);
}

export class Lab {
  private constructor(readonly ns: string) {}

  /** Creates the namespace with lo up and every interface named (extra names become dummies). */
  static create(tag: string, extraInterfaces: readonly string[] = []): Lab {
    const ns = `kts-h3-${tag}-${process.pid}`;
    const add = ip('netns', 'add', ns);
    if (add.code !== 0) throw new Error(`ip netns add ${ns} failed: ${add.stderr.trim()}`);
    const lab = new Lab(ns);
    try {
      lab.must(['link', 'set', 'lo', 'up']);
      const have = new Set<string>();
      for (const [a, b] of LAB_PAIRS) {
        lab.must(['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
        lab.must(['link', 'set', a, 'up']);
        lab.must(['link', 'set', b, 'up']);
        have.add(a);
        have.add(b);
      }
      for (const name of extraInterfaces) {
        if (have.has(name)) continue;
        lab.must(['link', 'add', name, 'type', 'dummy']);
        lab.must(['link', 'set', name, 'up']);
        have.add(name);
      }
    } catch (err) {
      lab.destroy();
      throw err;
    }
    return lab;
  }

  private must(args: readonly string[]): void {
    const r = ip('-n', this.ns, ...args);
    if (r.code !== 0) throw new Error(`ip -n ${this.ns} ${args.join(' ')} failed: ${r.stderr.trim()}`);
  }

  exec(cmd: string, args: readonly string[], timeoutMs?: number): RunResult {
    return run('ip', ['netns', 'exec', this.ns, cmd, ...args], timeoutMs);
  }

  execAsync(cmd: string, args: readonly string[], timeoutMs?: number): Promise<RunResult> {
    return runAsync('ip', ['netns', 'exec', this.ns, cmd, ...args], timeoutMs);
  }

  keepalivedTest(file: string): RunResult {
    return this.exec(KEEPALIVED, ['-t', '-f', file]);
  }

  keepalivedTsTest(file: string, extra: readonly string[] = []): RunResult {
    return this.exec(process.execPath, [KEEPALIVED_TS, '-t', '-f', file, ...extra]);
  }

  keepalivedTestAsync(file: string): Promise<RunResult> {
    return this.execAsync(KEEPALIVED, ['-t', '-f', file]);
  }

  keepalivedTsTestAsync(file: string, extra: readonly string[] = []): Promise<RunResult> {
    return this.execAsync(process.execPath, [KEEPALIVED_TS, '-t', '-f', file, ...extra]);
  }

  destroy(): void {
    ip('netns', 'del', this.ns);
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
