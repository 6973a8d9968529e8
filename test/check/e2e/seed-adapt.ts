/**
 * Seed configuration → test configuration: the virtual_server / real_server / checker blocks of a
 * seed article's keepalived.conf, with only what a loopback test must change rewritten — addresses
 * and ports (192.168.x → 127.0.0.x:ephemeral), delays (delay_loop, connect_timeout,
 * delay_before_retry → fractions of a second), `digest` values (computed by genhash against the
 * test's server) and, when asked, the checker kind (SSL_GET ↔ HTTP_GET). Extra lines the scenario
 * needs (notify_up/down, inhibit_on_failure, sorry_server, a checker's connect_timeout) are
 * inserted right after the block's opening line, so the seed's own lines stay as published.
 */

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface SeedAdaptation {
  /** `"<seed ip> <seed port>"` → where the test's server listens. Every virtual/real server must be mapped. */
  readonly servers: ReadonlyMap<string, Endpoint>;
  /** New values (seconds) for these keywords, wherever they appear. */
  readonly delays?: { readonly delay_loop?: number; readonly connect_timeout?: number; readonly delay_before_retry?: number };
  /** `digest` of the url whose `path` is the key. */
  readonly digests?: ReadonlyMap<string, string>;
  /** Checker keyword replacement, e.g. SSL_GET → HTTP_GET. */
  readonly checkerKind?: { readonly from: string; readonly to: string };
  /** Lines inserted after each `virtual_server … {` (given the seed's "ip port"). */
  readonly virtualServerLines?: (seedKey: string) => readonly string[];
  /** Lines inserted after each `real_server … {` (given the seed's "ip port" of the real server). */
  readonly realServerLines?: (seedKey: string) => readonly string[];
  /** Lines inserted after each checker's opening line (`HTTP_GET {`, `DNS_CHECK {`, …). */
  readonly checkerLines?: readonly string[];
}

export class SeedAdaptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedAdaptError';
  }
}

const SERVER_LINE = /^(\s*)(virtual_server|real_server)\s+(\S+)\s+(\d+)(\s*\{.*)$/;
const DELAY_LINE = /^(\s*)(delay_loop|connect_timeout|delay_before_retry)\s+\S+(.*)$/;
const PATH_LINE = /^\s*path\s+(\S+)/;
const DIGEST_LINE = /^(\s*)digest\s+\S+(.*)$/;
const CHECKER_LINE = /^(\s*)(HTTP_GET|SSL_GET|TCP_CHECK|SMTP_CHECK|DNS_CHECK|UDP_CHECK|MISC_CHECK)\s*\{/;

/** Rewrites the seed text; throws SeedAdaptError when a server is not mapped or a digest path is unknown. */
export function adaptSeedConf(text: string, a: SeedAdaptation): string {
  const out: string[] = [];
  let lastPath: string | null = null;
  for (const line of text.split('\n')) {
    const s = SERVER_LINE.exec(line);
    if (s !== null) {
      const [, indent = '', keyword = '', ip = '', port = '', rest = ''] = s;
      const key = `${ip} ${port}`;
      const to = a.servers.get(key);
      if (to === undefined) throw new SeedAdaptError(`no test endpoint for ${keyword} ${key}`);
      out.push(`${indent}${keyword} ${to.address} ${to.port}${rest}`);
      const extra = keyword === 'virtual_server' ? a.virtualServerLines?.(key) : a.realServerLines?.(key);
      for (const e of extra ?? []) out.push(`${indent}    ${e}`);
      continue;
    }
    const d = DELAY_LINE.exec(line);
    if (d !== null) {
      const [, indent = '', keyword = '', rest = ''] = d;
      const v = a.delays?.[keyword as keyof NonNullable<SeedAdaptation['delays']>];
      out.push(v === undefined ? line : `${indent}${keyword} ${v}${rest}`);
      continue;
    }
    const p = PATH_LINE.exec(line);
    if (p !== null) lastPath = p[1] ?? null;
    const g = DIGEST_LINE.exec(line);
    if (g !== null && a.digests !== undefined) {
      const digest = lastPath !== null ? a.digests.get(lastPath) : undefined;
      if (digest === undefined) throw new SeedAdaptError(`no digest for path ${lastPath ?? '(none)'}`);
      out.push(`${g[1] ?? ''}digest ${digest}${g[2] ?? ''}`);
      continue;
    }
    const k = a.checkerKind;
    out.push(k !== undefined && line.trim().startsWith(`${k.from} `) ? line.replace(k.from, k.to) : line);
    const c = CHECKER_LINE.exec(line);
    if (c !== null) for (const e of a.checkerLines ?? []) out.push(`${c[1] ?? ''}    ${e}`);
  }
  return out.join('\n');
}
