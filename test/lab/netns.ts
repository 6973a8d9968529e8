/**
 * Network-namespace lab library: builds small L2 topologies out of namespaces, a bridge and veth pairs,
 * runs commands and daemons inside them, reads addresses and neighbours as JSON, and always cleans up.
 *
 * Topology model: one "switch" namespace holds bridge `br0`; every host is its own namespace whose `eth0`
 * is a veth whose peer sits in the switch namespace, enslaved to `br0`. Nothing is created in the caller's
 * namespace. All namespace names are `kts-<tag>-<random>-<name>` so parallel runs never collide.
 *
 * Cleanup is guaranteed: `Lab.cleanup()` kills the processes this lab started and deletes its namespaces;
 * labs still alive at process exit / SIGINT / SIGTERM are cleaned synchronously by an exit hook.
 * Requires root (CAP_SYS_ADMIN + CAP_NET_ADMIN) and iproute2.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; never throws for a non-zero exit (see `code`). */
export function run(cmd: string, args: readonly string[], timeoutMs = 20_000): Promise<ExecResult> {
  return new Promise((res) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs a command and throws with its stderr when it fails. */
export async function mustRun(cmd: string, args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await run(cmd, args, timeoutMs);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, intervalMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The repository root (directory holding package.json), from this file's location (src or dist). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export interface AddrInfo {
  readonly family: 'inet' | 'inet6';
  readonly local: string;
  readonly prefixlen: number;
}

export interface LinkAddrs {
  readonly ifname: string;
  readonly mac: string;
  readonly up: boolean;
  readonly addrs: readonly AddrInfo[];
}

export interface NeighEntry {
  readonly dst: string;
  readonly dev: string;
  readonly lladdr?: string;
  readonly state: readonly string[];
}

/** A process running inside a namespace, with its output collected line by line. */
export class NsProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private waiters: { re: RegExp; resolve: (l: string) => void }[] = [];

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    logFile?: string,
  ) {
    const onData = (buf: Buffer): void => {
      const text = buf.toString('utf8');
      if (logFile !== undefined) writeFileSync(logFile, text, { flag: 'a' });
      for (const l of text.split('\n')) {
        if (l.length === 0) continue;
        this.lines.push(l);
        this.waiters = this.waiters.filter((w) => {
          if (!w.re.test(l)) return true;
          w.resolve(l);
          return false;
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((res) => {
      child.on('exit', (code, sig) => {
        this.exitCode = code ?? (sig !== null ? null : code);
        res(code);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Resolves with the first line (already seen or future) matching `re`. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((res, rej) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.re !== re);
        rej(new Error(`${this.name}: no line matching ${re} within ${timeoutMs} ms; last lines:\n${this.lines.slice(-15).join('\n')}`));
      }, timeoutMs);
      this.waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(t);
          res(l);
        },
      });
    });
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, sig);
      } catch {
        // already gone
      }
    }
  }

  /** Sends `sig` and waits for the exit (escalates to SIGKILL after `graceMs`). */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<number | null> {
    if (!this.running) return this.exitCode ?? null;
    this.signal(sig);
    const t = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }
}

/** A one-shot ICMP echo client (CommonJS, run with `node -e` from the repository root). */
const PING_SCRIPT = `
const raw = require(require.resolve('raw-socket', { paths: [process.cwd()] }));
const [target, timeoutMs] = process.argv.slice(1);
const id = process.pid & 0xffff;
const s = raw.createSocket({ protocol: raw.Protocol.ICMP });
const req = Buffer.alloc(16);
req[0] = 8; req.writeUInt16BE(id, 4); req.writeUInt16BE(1, 6); req.write('kts-ping', 8);
raw.writeChecksum(req, 2, raw.createChecksum(req));
const t = setTimeout(() => process.exit(1), Number(timeoutMs));
s.on('message', (buf, src) => {
  const off = (buf[0] & 0x0f) * 4;
  if (src === target && buf[off] === 0 && buf.readUInt16BE(off + 4) === id) { clearTimeout(t); process.exit(0); }
});
s.on('error', () => process.exit(2));
s.send(req, 0, req.length, target, (err) => { if (err) process.exit(2); });
`;

/** One network namespace of a lab. */
export class Netns {
  constructor(
    readonly lab: Lab,
    /** Short role name inside the lab (`r1`, `client`, `sw`). */
    readonly role: string,
    /** Full namespace name. */
    readonly name: string,
  ) {}

  /** Runs `cmd args…` inside the namespace. */
  exec(cmd: string, args: readonly string[] = [], timeoutMs?: number): Promise<ExecResult> {
    return run('ip', ['netns', 'exec', this.name, cmd, ...args], timeoutMs);
  }

  /** `ip -n NS args…`, throwing on failure. */
  ip(...args: string[]): Promise<string> {
    return mustRun('ip', ['-n', this.name, ...args]);
  }

  async links(): Promise<LinkAddrs[]> {
    const out = await this.ip('-j', 'addr', 'show');
    const raw = JSON.parse(out) as { ifname: string; address?: string; flags?: string[]; addr_info?: { family: string; local: string; prefixlen: number }[] }[];
    return raw.map((l) => ({
      ifname: l.ifname,
      mac: l.address ?? '',
      up: (l.flags ?? []).includes('UP'),
      addrs: (l.addr_info ?? [])
        .filter((a) => a.family === 'inet' || a.family === 'inet6')
        .map((a) => ({ family: a.family as 'inet' | 'inet6', local: a.local, prefixlen: a.prefixlen })),
    }));
  }

  /** True when `ip` is configured on any interface of the namespace. */
  async hasAddress(ip: string): Promise<boolean> {
    return (await this.links()).some((l) => l.addrs.some((a) => a.local === ip));
  }

  async mac(ifname = 'eth0'): Promise<string> {
    const l = (await this.links()).find((x) => x.ifname === ifname);
    if (l === undefined) throw new Error(`${this.name}: no interface ${ifname}`);
    return l.mac;
  }

  async neigh(): Promise<NeighEntry[]> {
    const out = await this.ip('-j', 'neigh', 'show');
    return (JSON.parse(out === '' ? '[]' : out) as NeighEntry[]).map((n) => ({ ...n, state: n.state ?? [] }));
  }

  /** MAC the namespace's ARP cache holds for `ip` (undefined when absent/incomplete). */
  async neighMac(ip: string): Promise<string | undefined> {
    const e = (await this.neigh()).find((n) => n.dst === ip);
    return e?.lladdr;
  }

  /**
   * ICMP echo to `ip` from inside the namespace (iputils `ping` is not assumed to be installed: this uses
   * the raw-socket addon the project already depends on). True when a reply came back within `timeoutMs`.
   */
  async ping(ip: string, timeoutMs = 1000): Promise<boolean> {
    const r = await this.exec(process.execPath, ['-e', PING_SCRIPT, ip, String(timeoutMs)], timeoutMs + 5000);
    return r.code === 0;
  }

  /** Sends `sig` to every process in the namespace (all of them were started by this lab). */
  async killAll(sig: NodeJS.Signals = 'SIGKILL'): Promise<number> {
    const r = await run('ip', ['netns', 'pids', this.name]);
    let n = 0;
    for (const pid of r.stdout.split(/\s+/).filter((x) => x !== '')) {
      try {
        process.kill(Number(pid), sig);
        n++;
      } catch {
        // gone
      }
    }
    return n;
  }

  setLink(ifname: string, up: boolean): Promise<string> {
    return this.ip('link', 'set', ifname, up ? 'up' : 'down');
  }

  /** Starts a long-running process inside the namespace (tracked and killed by `lab.cleanup()`). */
  spawn(label: string, cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): NsProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, cmd, ...args], {
      cwd: opts.cwd ?? repoRoot(),
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = new NsProcess(`${this.role}/${label}`, child, join(this.lab.dir, `${this.role}-${label}.log`));
    this.lab.track(p);
    return p;
  }

  /**
   * Starts keepalived-ts in the foreground with console logging: `node bin/keepalived-ts -n -l -f CONF`
   * (pid files and the control socket inside the lab directory so several daemons never share
   * /run/keepalived.pid or /run/keepalived-ts/control.sock).
   */
  startKeepalivedTs(conf: string, extra: readonly string[] = [], env?: NodeJS.ProcessEnv): NsProcess {
    const root = repoRoot();
    const pid = join(this.lab.dir, `${this.role}-kts`);
    // KTS_BIN: run another entry script instead of bin/keepalived-ts (development of the daemon).
    const bin = process.env['KTS_BIN'] ?? join(root, 'bin', 'keepalived-ts');
    // Each daemon gets its own control socket in the lab directory (the default /run/keepalived-ts path is
    // shared by every namespace on this host).
    const control = extra.includes('--control-socket') ? [] : ['--control-socket', `${pid}-control.sock`];
    return this.spawn('keepalived-ts', process.execPath, [
      bin, '-n', '-l', '-D', '-f', conf,
      '-p', `${pid}.pid`, '-r', `${pid}-vrrp.pid`, '-c', `${pid}-checkers.pid`, ...control, ...extra,
    ], env !== undefined ? { env: { ...process.env, ...env } } : {});
  }

  /** Starts the reference keepalived (VRRP only) in the foreground with console logging. */
  startKeepalived(conf: string, extra: readonly string[] = [], env?: NodeJS.ProcessEnv): NsProcess {
    const pid = join(this.lab.dir, `${this.role}-ka`);
    return this.spawn('keepalived', '/usr/sbin/keepalived', [
      '-n', '-l', '-D', '-P', '-f', conf,
      '-p', `${pid}.pid`, '-r', `${pid}-vrrp.pid`, '-c', `${pid}-checkers.pid`, ...extra,
    ], env !== undefined ? { env: { ...process.env, ...env } } : {});
  }
}

/** Labs alive in this process, cleaned synchronously on exit/SIGINT/SIGTERM. */
const liveLabs = new Set<Lab>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) lab.cleanupSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      if (liveLabs.size > 0) process.stderr.write(`\n${sig}: killing lab daemons and deleting namespaces ${[...liveLabs].map((l) => `${l.prefix}-*`).join(' ')}\n`);
      for (const lab of liveLabs) lab.cleanupSync();
      // Then die of the same signal, as if no handler had been installed (test runners rely on it).
      process.kill(process.pid, sig);
    });
  }
}

export interface HostOptions {
  /** IPv4 address with prefix for eth0, e.g. `10.99.0.1/24`. */
  readonly ipv4?: string;
  /** Fixed MAC for eth0 (default: random). */
  readonly mac?: string;
  /** Keep IPv6 on (link-local without DAD delay); default off. */
  readonly ipv6?: boolean;
  /** IPv6 address with prefix for eth0 (implies ipv6). */
  readonly ipv6Address?: string;
  /** With ipv6: keep duplicate address detection on (the link-local stays tentative for a moment). */
  readonly dad?: boolean;
}

/** A set of namespaces joined by one bridge, with guaranteed cleanup. */
export class Lab {
  readonly namespaces: Netns[] = [];
  private readonly processes: NsProcess[] = [];
  private switchNs: Netns | undefined;
  private cleaned = false;

  private constructor(
    /** `kts-<tag>-<random>`: prefix of every namespace name. */
    readonly prefix: string,
    /** Scratch directory for configs, logs and pid files. */
    readonly dir: string,
  ) {}

  /** Creates an empty lab; `tag` identifies the user (`lab`, `it`, …). */
  static create(tag: string): Lab {
    const prefix = `kts-${tag}-${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const lab = new Lab(prefix, dir);
    installExitHooks();
    liveLabs.add(lab);
    return lab;
  }

  track(p: NsProcess): void {
    this.processes.push(p);
  }

  /** Writes a file into the lab directory and returns its path. */
  writeFile(name: string, content: string): string {
    const p = resolve(this.dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    return p;
  }

  /** Creates a namespace `<prefix>-<role>` with `lo` up. */
  async addNamespace(role: string): Promise<Netns> {
    const ns = new Netns(this, role, `${this.prefix}-${role}`);
    await mustRun('ip', ['netns', 'add', ns.name]);
    this.namespaces.push(ns);
    await ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** The switch namespace holding bridge br0 (created on first use). */
  async switch(): Promise<Netns> {
    if (this.switchNs !== undefined) return this.switchNs;
    const sw = await this.addNamespace('sw');
    await sw.ip('link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0');
    await sw.ip('link', 'set', 'br0', 'up');
    this.switchNs = sw;
    return sw;
  }

  /** Creates a host namespace whose eth0 is plugged into the bridge. */
  async addHost(role: string, opts: HostOptions = {}): Promise<Netns> {
    const sw = await this.switch();
    const host = await this.addNamespace(role);
    const port = `p-${role}`.slice(0, 15);
    const peerArgs = ['peer', 'name', 'eth0', 'netns', host.name];
    if (opts.mac !== undefined) peerArgs.push('address', opts.mac);
    await sw.ip('link', 'add', port, 'type', 'veth', ...peerArgs);
    await sw.ip('link', 'set', port, 'master', 'br0');
    await sw.ip('link', 'set', port, 'up');
    if (opts.ipv6 === true || opts.ipv6Address !== undefined) {
      // IPv6 on, but no duplicate address detection: the link-local address is usable at once.
      if (opts.dad !== true) await host.exec('sysctl', ['-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.eth0.accept_dad=0']);
      if (opts.ipv6Address !== undefined) await host.ip('addr', 'add', opts.ipv6Address, 'dev', 'eth0', ...(opts.dad === true ? [] : ['nodad']));
    } else {
      // No IPv6 on the lab links: keeps DAD/RS noise out of captures and logs.
      await host.exec('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    }
    if (opts.ipv4 !== undefined) await host.ip('addr', 'add', opts.ipv4, 'dev', 'eth0');
    await host.ip('link', 'set', 'eth0', 'up');
    return host;
  }

  /** Sets the switch-side port of a host down/up (the host sees carrier loss, its eth0 stays admin-up). */
  async setPort(role: string, up: boolean): Promise<void> {
    const sw = await this.switch();
    await sw.setLink(`p-${role}`.slice(0, 15), up);
  }

  /** Kills this lab's processes, deletes its namespaces and scratch directory. Idempotent. */
  async cleanup(opts: { keepDir?: boolean } = {}): Promise<void> {
    if (this.cleaned) return;
    await Promise.all(this.processes.map((p) => p.stop('SIGKILL', 2000)));
    for (const ns of this.namespaces) {
      const pids = await run('ip', ['netns', 'pids', ns.name]);
      for (const pid of pids.stdout.split(/\s+/).filter((s) => s !== '')) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone
        }
      }
      await run('ip', ['netns', 'del', ns.name]);
    }
    if (opts.keepDir !== true) rmSync(this.dir, { recursive: true, force: true });
    this.cleaned = true;
    liveLabs.delete(this);
  }

  /** Synchronous variant used by the exit hooks. */
  cleanupSync(): void {
    if (this.cleaned) return;
    for (const p of this.processes) p.signal('SIGKILL');
    for (const ns of this.namespaces) {
      try {
        const pids = execFileSync('ip', ['netns', 'pids', ns.name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        for (const pid of pids.split(/\s+/).filter((s) => s !== '')) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            // gone
          }
        }
      } catch {
        // namespace already gone
      }
      try {
        execFileSync('ip', ['netns', 'del', ns.name], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.cleaned = true;
    liveLabs.delete(this);
  }
}

/** Names of namespaces left over from labs with this tag (for a post-test "nothing left" check). */
export async function leftoverNamespaces(prefix: string): Promise<string[]> {
  const r = await run('ip', ['netns', 'list']);
  return r.stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(prefix));
}
