/**
 * `keepalived --genhash` / `-T` (genhash): fetch a URL the way HTTP_GET/SSL_GET does and print the
 * MD5 digest of the body, for the `digest` keyword. Same options and output as keepalived 2.2.7's
 * genhash (checked against it in a netns): the bare digest line, or with `-v` the header / body /
 * hash hex dumps; "Connection failed" (exit 0) when the server cannot be reached; usage + exit 1
 * when -s/-p/-u are missing. The body is hashed whatever the status code (as genhash does).
 */
import { isIPv6 } from 'node:net';
import { fetchHttp, md5Hex } from './probes/http.js';
import type { ProbeEndpoint } from './probes/types.js';

export interface GenhashOptions {
  readonly server: string;
  readonly port: number;
  readonly url: string;
  readonly ssl: boolean;
  readonly sni: boolean;
  readonly virtualhost: string | null;
  readonly protocol: '1.0' | '1.0C' | '1.1';
  readonly timeoutSec: number;
  readonly verbose: boolean;
}

export interface GenhashIo {
  out(text: string): void;
  err(text: string): void;
}

export const GENHASH_USAGE = `Usage: keepalived --genhash COMMAND [OPTIONS]
Commands:
   -s server-address -p port -u url
   -S -s server-address -p port -u url
   -h

Options:
Either long or short options are allowed.
   --use-ssl         -S       Use SSL connection to remote server.
   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).
   --server          -s       Use the specified remote server address.
   --port            -p       Use the specified remote server port.
   --url             -u       Use the specified remote server url.
   --use-virtualhost -V       Use the specified virtualhost in GET query.
   --verbose         -v       Use verbose mode output.
   --help            -h       Display this short inlined help screen.
   --fwmark          -m       Use the specified FW mark.
   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.
                                1.0c means 1.0 with 'Connection: close'
   --timeout         -t       Timeout in seconds
`;

const LONG: Readonly<Record<string, string>> = {
  '--use-ssl': '-S',
  '--use-sni': '-I',
  '--server': '-s',
  '--port': '-p',
  '--url': '-u',
  '--use-virtualhost': '-V',
  '--verbose': '-v',
  '--help': '-h',
  '--fwmark': '-m',
  '--protocol': '-P',
  '--timeout': '-t',
};
const WITH_ARG = new Set(['-s', '-p', '-u', '-V', '-m', '-P', '-t']);

/** Parses genhash arguments (after `--genhash`/`-T`); a string is the usage error to print. */
export function parseGenhashArgs(argv: readonly string[]): GenhashOptions | 'usage' {
  const v = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    const [name, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const opt = LONG[name] ?? name;
    if (WITH_ARG.has(opt)) {
      const val = inline ?? argv[++i];
      if (val === undefined) return 'usage';
      v.set(opt, val);
    } else if (['-S', '-I', '-v', '-h'].includes(opt)) flags.add(opt);
    else return 'usage';
  }
  const server = v.get('-s');
  const port = Number(v.get('-p'));
  const url = v.get('-u');
  if (flags.has('-h') || server === undefined || url === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return 'usage';
  const p = (v.get('-P') ?? '1.0').toLowerCase();
  const protocol = p === '1.1' ? '1.1' : p === '1.0c' ? '1.0C' : '1.0';
  const timeout = Number(v.get('-t') ?? '5');
  return {
    server,
    port,
    url,
    ssl: flags.has('-S'),
    sni: flags.has('-I'),
    virtualhost: v.get('-V') ?? null,
    protocol,
    timeoutSec: Number.isFinite(timeout) && timeout > 0 ? timeout : 5,
    verbose: flags.has('-v'),
  };
}

/** genhash's hex dump: `0000  48 54 … 30 - 20 32 … 0d   HTTP/1.0 200 OK.` */
export function hexDump(b: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < b.length; off += 16) {
    const row = b.subarray(off, off + 16);
    const cell = (i: number): string => (i < row.length ? `${(row[i] ?? 0).toString(16).padStart(2, '0')} ` : '   ');
    let left = '';
    let right = '';
    for (let i = 0; i < 8; i++) left += cell(i);
    for (let i = 8; i < 16; i++) right += cell(i);
    const ascii = Array.from(row, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('').padEnd(16);
    lines.push(`${String(off).padStart(4, '0')}  ${left}- ${right}  ${ascii}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

const banner = (title: string): string => `-----------------------[${title}]-----------------------\n`;

export type GenhashResult = { readonly ok: true; readonly digest: string; readonly head: Buffer; readonly body: Buffer } | { readonly ok: false; readonly error: string };

/** Fetches the URL and hashes its body (never rejects). */
export async function genhashDigest(o: GenhashOptions, signal: AbortSignal = new AbortController().signal): Promise<GenhashResult> {
  const endpoint: ProbeEndpoint = { address: o.server, family: isIPv6(o.server) ? 'inet6' : 'inet', port: o.port, bindAddress: null, bindPort: null, timeoutMs: Math.round(o.timeoutSec * 1000) };
  const res = await fetchHttp({ endpoint, tls: o.ssl, path: o.url, virtualhost: o.virtualhost, protocol: o.protocol, sni: o.sni && o.virtualhost !== null ? o.virtualhost : null }, signal);
  if ('error' in res) return { ok: false, error: res.error };
  return { ok: true, digest: md5Hex(res.body), head: res.rawHead, body: res.body };
}

/** The whole command: returns the exit status. */
export async function runGenhash(argv: readonly string[], io: GenhashIo): Promise<number> {
  const o = parseGenhashArgs(argv);
  if (o === 'usage') {
    io.err(GENHASH_USAGE);
    return 1;
  }
  const r = await genhashDigest(o);
  if (!r.ok) {
    io.out('Connection failed\n');
    return 0;
  }
  if (!o.verbose) {
    io.out(`${r.digest}\n`);
    return 0;
  }
  io.out(banner('    HTTP Header Buffer    ') + hexDump(r.head));
  io.out(`${banner(' HTTP Header Ascii Buffer ')}${r.head.toString('latin1')}\n`);
  io.out(`${banner('        HTML Buffer        ')}${hexDump(r.body)}\n`);
  io.out(banner('    HTML hash resulting    ') + hexDump(Buffer.from(r.digest, 'hex')));
  io.out(`${banner(' HTML hash final resulting ')}${r.digest}\n`);
  return 0;
}
