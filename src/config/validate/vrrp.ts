/**
 * VRRP instance checks of keepalived's completion phase (vrrp_complete_instance and friends):
 * missing VRID, address-family consistency (VIPs, unicast peers/source, IPv6 ⇒ VRRPv3), advert_int
 * rules per version, preemption conflicts, strict-mode resets, authentication with v3, and VRID
 * clashes per interface and family. Host-independent; interface existence lives in interfaces.ts.
 *
 * Every check reports what keepalived reports and describes the fallback it applies, so the exit
 * code under `-t` matches. The model itself is left untouched: the values after keepalived's resets
 * are returned as EffectiveInstance for the runtime to use.
 */
import type { DiagnosticSink } from '../../core/diagnostics.js';
import type { AddressFamily, IpAddress, KeepalivedConfig, SourcePos, VrrpInstance } from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import { ValidateCode as C } from './codes.js';
import { earliest, posKey } from './positions.js';

/** What the validator concluded about one instance (after keepalived's resets). */
export interface EffectiveInstance {
  readonly instance: VrrpInstance;
  readonly family: AddressFamily;
  readonly version: 2 | 3;
  /** advert_int after version-specific rounding, in centiseconds. */
  readonly adverIntervalCs: number;
  /** VIPs of the instance family (mismatched ones dropped). */
  readonly vipCount: number;
  readonly nopreempt: boolean;
  readonly preemptDelayUs: number;
}

const US_PER_S = 1_000_000;
const US_PER_CS = 10_000;
const V3_MAX_CS = 4095;

function isLinkLocal6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

interface FamilyCandidate extends IpAddress {
  readonly pos: SourcePos;
  readonly what: 'vip' | 'peer';
}

/** keepalived fixes the instance family on the first address it parses (source address, peer or VIP). */
function instanceFamily(vi: VrrpInstance): { family: AddressFamily; fromVip: boolean } {
  const src = vi.unicastSrcIp ?? vi.mcastSrcIp;
  if (src !== null) return { family: src.family, fromVip: false };
  const candidates: FamilyCandidate[] = [
    ...vi.unicastPeers.map((p) => ({ ...p, what: 'peer' as const })),
    ...vi.virtualIpAddresses.map((v) => ({ ...v, what: 'vip' as const })),
  ];
  const first = earliest(candidates);
  if (first === null) return { family: 'inet', fromVip: true };
  return { family: first.family, fromVip: first.what === 'vip' };
}

function label(a: { readonly address: string; readonly prefixLen?: number }): string {
  return a.prefixLen !== undefined && a.prefixLen !== (a.address.includes(':') ? 128 : 32) ? `${a.address}/${String(a.prefixLen)}` : a.address;
}

/** Keywords written directly in each vrrp_instance block (keyed by the block's `file:line`), first argument as value. */
export type InstanceKeywords = ReadonlyMap<string, ReadonlyMap<string, string>>;

const FALSE_WORDS = new Set(['off', 'false', 'no', '0']);

/** Collects, from the reader's tree, the keywords each vrrp_instance block sets itself. */
export function instanceKeywords(tree: readonly ConfigNode[]): InstanceKeywords {
  const out = new Map<string, Map<string, string>>();
  for (const node of tree) {
    if (node.keyword !== 'vrrp_instance' || node.children === undefined) continue;
    const kw = new Map<string, string>();
    for (const c of node.children) kw.set(c.keyword, c.args[0] ?? '');
    out.set(posKey(node.pos), kw);
  }
  return out;
}

/**
 * `parseOnly`: report only what keepalived reports while parsing the instance (address families) —
 * used when a missing interface stops keepalived before its completion phase.
 */
export function validateInstance(
  vi: VrrpInstance,
  sink: DiagnosticSink,
  explicit: InstanceKeywords | null = null,
  parseOnly = false,
): EffectiveInstance | null {
  const name = vi.name;
  const strict = vi.strictMode;

  // Address family: every VIP / peer of the other family is dropped with an error.
  const { family, fromVip } = instanceFamily(vi);
  let vipCount = 0;
  for (const v of vi.virtualIpAddresses) {
    if (v.family === family) vipCount++;
    else sink.error(C.FAMILY_MISMATCH, `(${name}): address family must match VRRP instance [${label(v)}] - ignoring`, v.pos, 'virtual_ipaddress');
  }
  for (const p of vi.unicastPeers) {
    if (p.family !== family)
      sink.error(C.FAMILY_MISMATCH, `(${name}): address family must match VRRP instance [${p.address}] - ignoring`, p.pos, 'unicast_peer');
  }

  if (parseOnly) return null;
  if (vi.virtualRouterId === null) {
    sink.error(C.VRID_MISSING, `(${name}) the virtual router id must be set`, vi.pos, 'virtual_router_id');
    return null;
  }
  if (vi.interface === null) sink.error(C.UNKNOWN_INTERFACE, `(${name}) Unknown interface!`, vi.pos, 'interface');

  // IPv6 forces VRRPv3 (only reported in strict mode, where the configured version is an error).
  let version: 2 | 3 = vi.version;
  if (family === 'inet6' && version === 2) {
    if (strict) sink.error(C.STRICT_IPV6_V2, `(${name}) cannot use IPv6 with VRRP version 2; setting version 3`, vi.pos, 'version');
    version = 3;
  }

  if (vipCount === 0) {
    const why = strict || !fromVip ? 'required' : 'sensible';
    sink.error(C.NO_VIP, `(${name}) No VIP specified; at least one is ${why}`, vi.pos, 'virtual_ipaddress');
  }

  // Unicast settings without any peer: keepalived falls back to multicast.
  const own = explicit?.get(posKey(vi.pos));
  if (vi.unicastPeers.length === 0) {
    if (own?.has('unicast_ttl') === true || vi.unicastTtl !== null)
      sink.error(C.UNICAST_WITHOUT_PEERS, `(${name}): Cannot use unicast_ttl without unicast peers - resetting`, vi.pos, 'unicast_ttl');
    const unicastKeyword = vi.unicastSrcIp !== null || vi.checkUnicastSrc || own?.has('unicast_peer') === true;
    if (unicastKeyword && vipCount > 0)
      sink.error(
        C.UNICAST_WITHOUT_PEERS,
        `(${name}) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration.`,
        vi.pos,
        'unicast_peer',
      );
  }

  if (strict && family === 'inet6') {
    const firstVip = vi.virtualIpAddresses.find((v) => v.family === 'inet6');
    if (firstVip !== undefined && !isLinkLocal6(firstVip.address))
      sink.error(C.STRICT_IPV6_LINK_LOCAL, `(${name}) the first IPv6 VIP address must be link local`, firstVip.pos, 'virtual_ipaddress');
  }

  // advert_int per version.
  let adverIntervalCs: number;
  if (version === 2) {
    if (vi.advertIntUs % US_PER_S !== 0)
      sink.error(
        C.ADVERT_INT_V2_NOT_INTEGER,
        `(${name}) VRRPv2 advertisement interval ${(vi.advertIntUs / US_PER_S).toFixed(6)}s must be an integer. rounding`,
        vi.pos,
        'advert_int',
      );
    adverIntervalCs = Math.max(1, Math.round(vi.advertIntUs / US_PER_S)) * 100;
  } else {
    adverIntervalCs = Math.round(vi.advertIntUs / US_PER_CS);
    if (adverIntervalCs > V3_MAX_CS) {
      sink.error(
        C.ADVERT_INT_V3_RANGE,
        `(${name}) VRRPv3 advertisement interval ${(vi.advertIntUs / US_PER_S).toFixed(2)}s is out of range. Must be less than 40.96s. Setting to 40.95s`,
        vi.pos,
        'advert_int',
      );
      adverIntervalCs = V3_MAX_CS;
    } else if (vi.advertIntUs % US_PER_CS !== 0) {
      sink.error(
        C.ADVERT_INT_V3_RANGE,
        `(${name}) VRRPv3 advertisement interval ${(vi.advertIntUs / US_PER_S).toFixed(6)}s must be in units of 10ms - rounding`,
        vi.pos,
        'advert_int',
      );
      adverIntervalCs = Math.max(1, adverIntervalCs);
    }
  }

  // Authentication: not with VRRPv3, not in strict mode.
  if (vi.authentication !== null && vi.authentication.type !== null) {
    if (strict) sink.error(C.STRICT_AUTH, `(${name}) Strict mode does not support authentication. Ignoring.`, vi.authentication.pos, 'authentication');
    else if (version === 3)
      sink.error(C.AUTH_V3, `(${name}) VRRP version 3 does not support authentication. Ignoring.`, vi.authentication.pos, 'authentication');
    else if (vi.authentication.pass === '')
      sink.error(C.AUTH_NO_PASSWORD, `(${name}) Authentication specified but no password given. Ignoring`, vi.authentication.pos, 'authentication');
    else if (vi.authentication.type === 'AH' && vi.state === 'MASTER')
      sink.error(C.AH_MASTER, `(${name}) Initial state master is incompatible with AH authentication - clearing`, vi.authentication.pos, 'authentication');
  }

  // Preemption.
  let nopreempt = vi.nopreempt;
  let preemptDelayUs = vi.preemptDelayUs;
  if (strict && preemptDelayUs > 0) {
    sink.error(C.STRICT_PREEMPT_DELAY, `(${name}) preempt_delay is incompatible with strict mode - resetting`, vi.pos, 'preempt_delay');
    preemptDelayUs = 0;
  }
  if (nopreempt && vi.priority === 255) {
    sink.error(C.NOPREEMPT_OWNER, `(${name}) nopreempt is incompatible with priority 255. resetting nopreempt`, vi.pos, 'nopreempt');
    nopreempt = false;
  } else if (nopreempt && vi.state === 'MASTER') {
    sink.error(C.NOPREEMPT_MASTER, `(${name}) Warning - nopreempt will not work with initial state MASTER - clearing`, vi.pos, 'nopreempt');
    nopreempt = false;
  }
  if (preemptDelayUs > 0 && nopreempt) {
    sink.error(C.PREEMPT_DELAY_NOPREEMPT, `(${name}) preempt_delay is incompatible with nopreempt mode - resetting`, vi.pos, 'preempt_delay');
    preemptDelayUs = 0;
  } else if (preemptDelayUs > 0 && (vi.state === 'MASTER' || (!vi.stateConfigured && vi.priority === 255))) {
    // Without a `state` line the address owner (priority 255) starts as MASTER.
    sink.error(C.PREEMPT_DELAY_MASTER, `(${name}) Warning - preempt delay will not work with initial state MASTER - clearing`, vi.pos, 'preempt_delay');
    preemptDelayUs = 0;
  }

  const xmitBaseAlone = vi.vmacXmitBase && vi.useVmac === null;
  if (xmitBaseAlone)
    sink.error(C.XMIT_BASE_WITHOUT_VMAC, `(${name}) vmac_xmit_base is only valid with a vmac`, vi.pos, 'vmac_xmit_base');

  // Remaining strict-mode rules.
  if (strict) {
    // Initial state MASTER if and only if address owner (an owner without a state line starts as MASTER).
    const startsMaster = vi.state === 'MASTER' || (!vi.stateConfigured && vi.priority === 255);
    if (startsMaster !== (vi.priority === 255))
      sink.error(C.STRICT_MASTER_OWNER, `(${name}) State MASTER must match being address owner`, vi.pos, 'state');
    if (version === 2 && vi.accept === true)
      sink.error(C.STRICT_V2_ACCEPT, `(${name}) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting`, vi.pos, 'accept');
    if (vi.vmacXmitBase && !xmitBaseAlone) sink.error(C.STRICT_XMIT_BASE, `(${name}) xmit_base is incompatible with strict mode - resetting`, vi.pos, 'vmac_xmit_base');
    if (vi.higherPrioSendAdvert)
      sink.error(C.STRICT_HIGHER_PRIO_SEND_ADVERT, `(${name}) strict mode requires higher_prio_send_advert to be clear. resetting`, vi.pos, 'higher_prio_send_advert');
    if (vi.downTimerAdverts !== 3)
      sink.error(C.STRICT_DOWN_TIMER_ADVERTS, `(${name}) down_timer_adverts is incompatible with strict mode - resetting`, vi.pos, 'down_timer_adverts');
    if (vi.useVmac !== null && vi.useVmac.mac !== null)
      sink.error(C.STRICT_VMAC_MAC, `(${name}): cannot specify MAC address with strict mode - clearing`, vi.useVmac.pos, 'use_vmac');
    // Only values written in the instance block itself count (copies of global_defs are accepted).
    const repeat = own?.get('garp_lower_prio_repeat');
    if (repeat !== undefined && repeat !== '0')
      sink.error(C.STRICT_GARP_REPEAT, `(${name}) Strict mode requires no repeat garps. resetting`, vi.pos, 'garp_lower_prio_repeat');
    const noAdvert = own?.get('lower_prio_no_advert');
    if (noAdvert !== undefined && FALSE_WORDS.has(noAdvert.toLowerCase()))
      sink.error(C.STRICT_LOWER_PRIO_ADVERT, `(${name}) Strict mode requires no lower priority advert. resetting`, vi.pos, 'lower_prio_no_advert');
  }

  return { instance: vi, family, version, adverIntervalCs, vipCount, nopreempt, preemptDelayUs };
}

const FAMILY_TEXT: Record<AddressFamily, string> = { inet: 'IPv4', inet6: 'IPv6' };

/** Two instances may not share VRID + family on one interface (keepalived reports each clash once). */
export function checkVridClashes(instances: readonly EffectiveInstance[], sink: DiagnosticSink): void {
  const seen = new Map<string, EffectiveInstance>();
  for (const e of instances) {
    const ifname = e.instance.interface?.name;
    if (ifname === undefined) continue;
    const key = `${ifname}\u0000${e.family}\u0000${String(e.instance.virtualRouterId)}`;
    const prev = seen.get(key);
    if (prev === undefined) {
      seen.set(key, e);
      continue;
    }
    sink.error(
      C.VRID_DUPLICATE,
      `${prev.instance.name} and ${e.instance.name} both use VRID ${String(e.instance.virtualRouterId)} with ${FAMILY_TEXT[e.family]} on interface ${ifname}`,
      e.instance.pos,
      'virtual_router_id',
    );
  }
}

export function validateVrrp(cfg: KeepalivedConfig, sink: DiagnosticSink, explicit: InstanceKeywords | null = null, parseOnly = false): EffectiveInstance[] {
  const out: EffectiveInstance[] = [];
  for (const vi of cfg.vrrpInstances) {
    const e = validateInstance(vi, sink, explicit, parseOnly);
    if (e !== null) out.push(e);
  }
  if (!parseOnly) checkVridClashes(out, sink);
  return out;
}
