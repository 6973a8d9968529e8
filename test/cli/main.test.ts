import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

function captureIo(): CliIo & { out: string; err: string; files: Map<string, string> } {
  const io = {
    out: '',
    err: '',
    files: new Map<string, string>(),
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    writeFile: (p: string, t: string) => void io.files.set(p, t),
  };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'kts-cli-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function conf(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const good = conf(
  'good.conf',
  `vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1/24
    }
}
`,
);
const duplicate = conf(
  'dup.conf',
  `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 7
    virtual_ipaddress {
        10.0.0.1
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 7
    virtual_ipaddress {
        10.0.0.2
    }
}
`,
);
const scripted = conf(
  'script.conf',
  `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 8
    notify_master "/usr/local/bin/notify.sh master"
    virtual_ipaddress {
        10.0.0.1
    }
}
`,
);

const missingParam = conf(
  'missing.conf',
  `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 9
    advert_int
    virtual_ipaddress {
        10.0.0.1
    }
}
`,
);

describe('keepalived-ts -t', () => {
  it('exits 2 like keepalived when a keyword lacks its parameter', async () => {
    const io = captureIo();
    expect(await run(['-t', '-f', missingParam, '--no-host-checks'], io)).toBe(2);
    expect(io.err).toContain('is missing a parameter');
  });

  it('exits 0 and prints nothing for a clean configuration', async () => {
    const io = captureIo();
    expect(await run(['-t', '-f', good, '--no-host-checks'], io)).toBe(0);
    expect(io.err).toBe('');
  });

  it('prints keepalived-style diagnostics with our code and exits 5', async () => {
    const io = captureIo();
    expect(await run(['-t', '-f', duplicate, '--no-host-checks'], io)).toBe(5);
    expect(io.err).toContain(`(${duplicate}: Line 8) VI_1 and VI_2 both use VRID 7 with IPv4 on interface eth0 [KTS_VRRP_VRID_DUPLICATE]`);
  });

  it('exits 6 for scripts without enable_script_security', async () => {
    const io = captureIo();
    expect(await run(['-t', '-f', scripted, '--no-host-checks'], io)).toBe(6);
    expect(io.err).toContain('SECURITY VIOLATION');
  });

  it('writes the report to the -t log file', async () => {
    const io = captureIo();
    const log = join(dir, 'check.log');
    expect(await run([`--config-test=${log}`, '-f', duplicate, '--no-host-checks'], io)).toBe(5);
    expect(io.err).toBe('');
    expect(io.files.get(log)).toContain('KTS_VRRP_VRID_DUPLICATE');
  });

  it('prints a JSON report with --json', async () => {
    const io = captureIo();
    expect(await run(['-t', '--json', '-f', duplicate, '--no-host-checks'], io)).toBe(5);
    const report = JSON.parse(io.out) as { exitCode: number; diagnostics: { code: string; line?: number }[] };
    expect(report.exitCode).toBe(5);
    expect(report.diagnostics.map((d) => d.code)).toContain('KTS_VRRP_VRID_DUPLICATE');
  });

  it('dumps the resolved model with -d --json', async () => {
    const io = captureIo();
    expect(await run(['-d', '--json', '-f', good, '--no-host-checks'], io)).toBe(0);
    const model = JSON.parse(io.out) as { vrrpInstances: { name: string; virtualRouterId: number }[] };
    expect(model.vrrpInstances.map((v) => [v.name, v.virtualRouterId])).toEqual([['VI_1', 51]]);
  });

  it('writes a real log file through the process I/O', async () => {
    const { processIo } = await import('../../src/cli/io.js');
    const log = join(dir, 'real.log');
    processIo.writeFile(log, 'hello\n');
    expect(readFileSync(log, 'utf8')).toBe('hello\n');
  });
});

describe('informational commands', () => {
  it('prints signal numbers like keepalived', async () => {
    const expected: Record<string, string> = { STOP: '15', RELOAD: '1', DATA: '10', STATS: '12', STATS_CLEAR: '63', JSON: '36' };
    for (const [name, num] of Object.entries(expected)) {
      const io = captureIo();
      expect(await run([`--signum=${name}`], io)).toBe(0);
      expect(io.out).toBe(`${num}\n`);
    }
    const io = captureIo();
    expect(await run(['--signum=TDUMP'], io)).toBe(1);
    expect(io.err).toBe('Unknown sigfunc TDUMP\n');
  });

  it('reports unknown options with exit 1 and no stack trace', async () => {
    const io = captureIo();
    expect(await run(['--bogus'], io)).toBe(1);
    expect(io.err).not.toMatch(/\bat .*\.js:\d+/);
    expect(io.err).toContain('--bogus');
  });

  it('prints usage and version', async () => {
    const help = captureIo();
    expect(await run(['-h'], help)).toBe(0);
    expect(help.err).toContain('--config-test[=LOG_FILE]');
    const ver = captureIo();
    expect(await run(['-v'], ver)).toBe(0);
    expect(ver.err).toContain('2.2.7');
  });

  it('without -n starts itself detached and reports a child that dies at start with its exit code', async () => {
    // A missing config makes the detached daemon stop at once, so nothing keeps running on this host.
    const io = captureIo();
    const code = await run(['-f', '/nonexistent/keepalived-ts-test.conf', '-p', '/nonexistent/kts.pid'], io);
    expect(code).not.toBe(0);
    expect(io.err).toContain('background daemon exited at start');
  });
});

describe('-T/--genhash as the first option', () => {
  it('prints the MD5 digest of the page body, like keepalived --genhash', async () => {
    const { createServer } = await import('node:http');
    const { createHash } = await import('node:crypto');
    const body = 'keepalived-ts genhash page\n';
    const server = createServer((_req, res) => res.end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const addr = server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      const io = captureIo();
      expect(await run(['-T', '-s', '127.0.0.1', '-p', String(port), '-u', '/'], io)).toBe(0);
      expect(io.out).toContain(createHash('md5').update(body).digest('hex'));
    } finally {
      server.close();
    }
  });
  it('prints genhash usage and fails on a bad option', async () => {
    const io = captureIo();
    expect(await run(['--genhash', '--bogus'], io)).toBe(1);
    expect(io.err).toContain('--genhash');
  });
});
