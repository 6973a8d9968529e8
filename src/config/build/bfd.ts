/**
 * `bfd_instance NAME { … }` → BfdInstance, with keepalived 2.2.7's checks and wording (bfd_parser.c,
 * bfd_data.c): timers in milliseconds with up to 3 decimals, a neighbor address required, source and
 * neighbor of one family, unique names and neighbor/source pairs, ttl defaulting per family and
 * max_hops capped at it. keepalived parses the block in three processes; the VRRP process only
 * records the name (+ `weight`) for `track_bfd`, so the name stays trackable even when the BFD
 * process drops the instance (its session then never comes up): `declaredBfd` mirrors that.
 */
import { bfdInstanceKeywords } from '../keywords/root.js';
import type { BfdInstance, IpAddress } from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import { BuildCodes, handlers, walkBlock, type BuildContext } from './context.js';
import { parseDecimal, parseInt10, parseIp, parseUnsigned, UINT_MAX } from './values.js';

/** keepalived BFD_INAME_MAX (including the NUL). */
export const BFD_INAME_MAX = 32;
const MS_MAX = Math.floor(UINT_MAX / 1000);

/** What `track_bfd` needs of a declared bfd_instance (keepalived vrrp_tracked_bfd_t). */
export interface DeclaredBfd {
  readonly weight: number;
  readonly reverse: boolean;
}

interface BfdState {
  name: string;
  neighborIp: IpAddress | null;
  neighborWord: 'neighbor';
  /** Malformed neighbor: the rest of the block is skipped and the instance dropped. */
  dropped: boolean;
  sourceIp: IpAddress | null;
  minRxUs: number;
  minTxUs: number;
  idleTxUs: number;
  multiplier: number;
  passive: boolean;
  ttl: number;
  maxHops: number;
  weight: number;
  weightReverse: boolean;
  vrrp: boolean;
  checker: boolean;
}

function timer(ctx: BuildContext, node: ConfigNode, s: BfdState, what: string, minMs: number): number | null {
  const text = ctx.arg(node, 1);
  if (text === undefined) return null;
  const r = parseDecimal(text, 3, minMs * 1000, MS_MAX * 1000);
  if (!r.ok) {
    ctx.error(node, BuildCodes.INVALID_NUMBER, `Configuration error: BFD instance ${s.name} ${what} value ${text} is not valid (must be in range [${minMs}-${MS_MAX}]), ignoring`);
    return null;
  }
  if (r.warning !== undefined) ctx.error(node, BuildCodes.INVALID_NUMBER, r.warning);
  if (r.value > 10_000 * 1000) ctx.info(node, BuildCodes.INVALID_NUMBER, `Configuration warning: BFD instance ${s.name} ${what} value ${text} is larger than max sensible (10000)`);
  return r.value;
}

/** keepalived's inet_stosockaddr takes a bare address: no `%zone` (fe80::1%eth0 is malformed). */
function bfdAddress(text: string): IpAddress | null {
  return text.includes('%') ? null : parseIp(text);
}

function neighbor(ctx: BuildContext, node: ConfigNode, s: BfdState): void {
  // keepalived 2.2.7 compares the address (not the keyword) with "neighbour_ip": messages always say "neighbor"
  if (s.dropped) return;
  const text = ctx.arg(node, 1);
    if (text === undefined) return;
    const ip = bfdAddress(text);
    if (ip === null) {
      ctx.error(node, BuildCodes.INVALID_ADDRESS, `Configuration error: BFD instance ${s.name} has malformed ${s.neighborWord} address ${text}, ignoring instance`);
      s.dropped = true;
      return;
    }
    s.neighborIp = ip;
}

function ttl(ctx: BuildContext, node: ConfigNode, s: BfdState): void {
  const text = ctx.arg(node, 1);
  if (text === undefined) return;
  const r = parseUnsigned(text, 1, 255);
  if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Configuration error: BFD instance ${s.name} ttl/hoplimit value ${text} not valid (must be in range [1-255]), ignoring`);
  else s.ttl = r.value;
}

const bfdHandlers = handlers<BfdState>({
  neighbor_ip: neighbor,
  neighbour_ip: neighbor,
  ttl,
  hoplimit: ttl,
  source_ip: (ctx, node, s) => {
    const text = ctx.arg(node, 1);
    if (text === undefined) return;
    const ip = bfdAddress(text);
    if (ip === null) ctx.error(node, BuildCodes.INVALID_ADDRESS, `Configuration error: BFD instance ${s.name} has malformed source address ${text}, ignoring`);
    else s.sourceIp = ip;
  },
  min_rx: (ctx, node, s) => {
    s.minRxUs = timer(ctx, node, s, 'min_rx', 1) ?? s.minRxUs;
  },
  min_tx: (ctx, node, s) => {
    s.minTxUs = timer(ctx, node, s, 'min_tx', 1) ?? s.minTxUs;
  },
  idle_tx: (ctx, node, s) => {
    s.idleTxUs = timer(ctx, node, s, 'idle_tx', 1000) ?? s.idleTxUs;
  },
  multiplier: (ctx, node, s) => {
    const text = ctx.arg(node, 1);
    if (text === undefined) return;
    const r = parseUnsigned(text, 1, 255);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Configuration error: BFD instance ${s.name} multiplier value ${text} not valid (must be in range [1-255]), ignoring`);
    else s.multiplier = r.value;
  },
  passive: (_ctx, _node, s) => {
    s.passive = true;
  },
  max_hops: (ctx, node, s) => {
    const text = ctx.arg(node, 1);
    if (text === undefined) return;
    const r = parseInt10(text, -1, 255);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Configuration error: BFD instance ${s.name} max_hops value ${text} not valid (must be in range [-1-255]), ignoring`);
    else s.maxHops = r.value === -1 ? 255 : r.value; // stored in a uint8_t by keepalived
  },
  weight: (ctx, node, s) => {
    const text = ctx.arg(node, 1);
    if (text === undefined) return;
    const r = parseInt10(text, -253, 253);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `Configuration error: BFD instance ${s.name} weight value ${text} not valid (must be in range [-253-253]), ignoring`);
    else s.weight = r.value;
    const opt = node.args[1];
    if (opt === undefined) return;
    if (opt === 'reverse') s.weightReverse = true;
    else ctx.error(node, BuildCodes.INVALID_VALUE, `Configuration error: BFD instance ${s.name} unknown weight option ${opt}`);
  },
  vrrp: (_ctx, _node, s) => {
    s.vrrp = true;
  },
  checker: (_ctx, _node, s) => {
    s.checker = true;
  },
});

const sameAddr = (a: IpAddress | null, b: IpAddress | null): boolean =>
  a === null || b === null ? a === b : a.family === b.family && parseIpKey(a) === parseIpKey(b);

function parseIpKey(a: IpAddress): string {
  return a.family === 'inet' ? a.address : new URL(`http://[${a.address}]/`).hostname;
}

/**
 * Build one bfd_instance. `instances` holds the BFD process's instances so far (for duplicate
 * names / addresses), `declared` the names `track_bfd` can use (updated here). Null when dropped.
 */
export function buildBfdInstance(
  ctx: BuildContext,
  node: ConfigNode,
  instances: readonly BfdInstance[],
  declared: Map<string, DeclaredBfd>,
): BfdInstance | null {
  const name = ctx.arg(node, 1);
  if (name === undefined) return null;
  if (name.length >= BFD_INAME_MAX) {
    ctx.error(node, BuildCodes.INVALID_VALUE, `Configuration error: BFD instance ${name} name too long (maximum length is ${BFD_INAME_MAX - 1} characters) - ignoring`);
    return null;
  }
  const duplicateName = declared.has(name) || instances.some((b) => b.name === name);
  if (duplicateName) {
    ctx.error(node, BuildCodes.DUPLICATE, `Configuration error: BFD instance ${name} already configured - ignoring`);
    return null;
  }
  const s: BfdState = {
    name,
    neighborIp: null,
    neighborWord: 'neighbor',
    dropped: false,
    sourceIp: null,
    minRxUs: 10_000,
    minTxUs: 10_000,
    idleTxUs: 1_000_000,
    multiplier: 5,
    passive: false,
    ttl: 0,
    maxHops: 0,
    weight: 0,
    weightReverse: false,
    vrrp: false,
    checker: false,
  };
  walkBlock(ctx, node.children ?? [], bfdInstanceKeywords, bfdHandlers, s);
  const anyTarget = s.vrrp || s.checker;
  const vrrp = !anyTarget || s.vrrp;
  const checker = !anyTarget || s.checker;
  if (vrrp) declared.set(name, { weight: s.weight, reverse: s.weightReverse });
  if (s.dropped) return null;
  const nbr = s.neighborIp;
  if (nbr === null) {
    ctx.error(node, BuildCodes.MISSING_PARAMETER, `Configuration error: BFD instance ${name} has no ${s.neighborWord} address set, disabling instance`);
    return null;
  }
  if (s.sourceIp !== null && s.sourceIp.family !== nbr.family) {
    // keepalived formats both addresses through one static buffer: the source address shows twice
    ctx.error(
      node,
      BuildCodes.INVALID_ADDRESS,
      `Configuration error: BFD instance ${name} source address ${s.sourceIp.address} and ${s.neighborWord} address ${s.sourceIp.address} are not of the same family, disabling instance`,
    );
    return null;
  }
  if (instances.some((b) => sameAddr(b.neighborIp, nbr) && sameAddr(b.sourceIp, s.sourceIp))) {
    ctx.error(
      node,
      BuildCodes.DUPLICATE,
      s.sourceIp !== null
        ? `Configuration error: BFD instance ${name} has duplicate source/${s.neighborWord} address ${s.sourceIp.address}/${nbr.address}, ignoring instance`
        : `Configuration error: BFD instance ${name} has duplicate ${s.neighborWord} address ${nbr.address}, ignoring instance`,
    );
    return null;
  }
  const ttl = s.ttl === 0 ? (nbr.family === 'inet' ? 255 : 64) : s.ttl;
  let maxHops = s.maxHops;
  if (maxHops > ttl) {
    ctx.error(node, BuildCodes.INVALID_NUMBER, `BFD instance ${name}: max_hops exceeds ttl/hoplimit - setting to ttl/hoplimit`);
    maxHops = ttl;
  }
  return {
    name,
    pos: node.pos,
    neighborIp: nbr,
    sourceIp: s.sourceIp,
    minRxUs: s.minRxUs,
    minTxUs: s.minTxUs,
    idleTxUs: s.idleTxUs,
    multiplier: s.multiplier,
    passive: s.passive,
    ttl,
    maxHops,
    weight: s.weight,
    weightReverse: s.weightReverse,
    vrrp,
    checker,
  };
}

export const bfdHandlerNames: ReadonlySet<string> = new Set(bfdHandlers.keys());
