/**
 * VRRP tracker objects and references: vrrp_script, track_file (vrrp_track_file),
 * vrrp_track_process, and the `track_* { NAME [weight W [reverse]] }` reference lines that
 * instances and sync groups use (keepalived vrrp_track.c: the referenced object must be declared
 * earlier in the file, else "not found, ignoring").
 */
import { trackFileKeywords, vrrpScriptKeywords, vrrpTrackProcessKeywords } from '../keywords/vrrp.js';
import type { TrackFile, TrackProcess, VrrpScript, WeightedRef } from '../model.js';
import type { ConfigNode } from '../source/tree.js';
import type { DeclaredBfd } from './bfd.js';
import { BuildCodes, handlers, walkBlock, type BuildContext, type Mutable } from './context.js';
import { INT_MAX, parseInt10, parseScript, parseTimerUs, parseUnsigned, UINT_MAX, US_PER_SEC } from './values.js';

/** Objects declared so far, by name (single pass, like keepalived). */
export interface Declared {
  readonly scripts: Map<string, VrrpScript>;
  readonly trackFiles: Map<string, TrackFile>;
  readonly trackProcesses: Map<string, TrackProcess>;
  /** bfd_instance names track_bfd can use (see bfd.ts), with their default weight. */
  readonly bfdInstances: Map<string, DeclaredBfd>;
}

export function emptyDeclared(): Declared {
  return { scripts: new Map(), trackFiles: new Map(), trackProcesses: new Map(), bfdInstances: new Map() };
}

/** keepalived's weight rule: [-254, 254] parsed, ±254 clamped to ±253 with an error. */
function readWeight(ctx: BuildContext, node: ConfigNode, text: string, what: string): number | null {
  const r = parseInt10(text, -254, 254);
  if (!r.ok) {
    ctx.error(node, BuildCodes.INVALID_NUMBER, `${what}: weight must be between [-253..253] inclusive, ignoring...`);
    return null;
  }
  if (r.value === 254 || r.value === -254) {
    ctx.error(node, BuildCodes.INVALID_NUMBER, `${what}: weight cannot be +/-254. Setting to +/-253`);
    return r.value > 0 ? 253 : -253;
  }
  return r.value;
}

export type TrackKind = 'interface' | 'script' | 'file' | 'process' | 'bfd';

/**
 * Parse a `track_<kind> { … }` block for `owner` (instance or group name). Unknown (not yet
 * declared) objects and duplicates are reported and skipped, like keepalived.
 */
export function parseTrackRefs(ctx: BuildContext, block: ConfigNode, kind: TrackKind, owner: string, declared: Declared): WeightedRef[] {
  const out: WeightedRef[] = [];
  const seen = new Set<string>();
  for (const line of block.children ?? []) {
    const name = line.keyword;
    let defaultWeight: number | null = null;
    let defaultReverse = false;
    if (kind === 'script') {
      const s = declared.scripts.get(name);
      if (s === undefined) {
        ctx.error(line, BuildCodes.UNKNOWN_REFERENCE, `(${owner}) track script ${name} not found, ignoring...`);
        continue;
      }
      defaultWeight = s.weight;
      defaultReverse = s.weightReverse;
    } else if (kind === 'file') {
      const f = declared.trackFiles.get(name);
      if (f === undefined) {
        ctx.error(line, BuildCodes.UNKNOWN_REFERENCE, `(${owner}) track file ${name} not found, ignoring...`);
        continue;
      }
      defaultWeight = f.weight;
      defaultReverse = f.weightReverse;
    } else if (kind === 'process') {
      const p = declared.trackProcesses.get(name);
      if (p === undefined) {
        ctx.error(line, BuildCodes.UNKNOWN_REFERENCE, `(${owner}) track process ${name} not found, ignoring...`);
        continue;
      }
      defaultWeight = p.weight;
      defaultReverse = p.weightReverse;
    } else if (kind === 'bfd') {
      const b = declared.bfdInstances.get(name);
      if (b === undefined) {
        ctx.error(line, BuildCodes.UNKNOWN_REFERENCE, `(${owner}) track bfd ${name} not found, ignoring...`);
        continue;
      }
      defaultWeight = b.weight;
      defaultReverse = b.reverse;
    }
    if (seen.has(name)) {
      ctx.error(line, BuildCodes.DUPLICATE, `(${owner}) duplicate track_${kind} ${name} - ignoring`);
      continue;
    }
    let weight = defaultWeight;
    let reverse = defaultReverse;
    const opt = line.args[0];
    if (opt !== undefined) {
      if (opt !== 'weight') {
        ctx.error(line, BuildCodes.INVALID_VALUE, `(${owner}) unknown track ${kind} option ${opt} - ignoring`);
        continue;
      }
      const wText = line.args[1];
      if (wText === undefined) {
        ctx.error(line, BuildCodes.MISSING_PARAMETER, `(${owner}) weight without value specified for track ${kind} ${name} - ignoring`);
        continue;
      }
      const w = readWeight(ctx, line, wText, `(${owner}) track ${kind} ${name}`);
      if (w !== null) weight = w;
      const rev = line.args[2];
      if (rev === 'reverse') reverse = true;
      else if (rev === 'noreverse') reverse = false;
      else if (rev !== undefined) ctx.error(line, BuildCodes.INVALID_VALUE, `(${owner}) unknown track_${kind} ${name} weight option ${rev} - ignoring`);
    }
    seen.add(name);
    out.push({ name, pos: line.pos, weight, reverse });
  }
  return out;
}

/**
 * keepalived 2.2.7 silently keeps both objects of a duplicated name and its lookups find the first;
 * we keep the first only and leave a note (no -t exit code change, like keepalived).
 */
function duplicate(ctx: BuildContext, node: ConfigNode, what: string, name: string): null {
  ctx.info(node, BuildCodes.DUPLICATE, `${what} ${name} already defined - using the first definition`);
  return null;
}

// --- vrrp_script -----------------------------------------------------------------------------

type ScriptState = Mutable<VrrpScript> & { timeoutSet: boolean };

const MAX_SCRIPT_SEC = Math.floor(UINT_MAX / US_PER_SEC);

const scriptHandlers = handlers<ScriptState>({
  script: (ctx, node, s) => {
    if (node.args.length === 0) return void ctx.arg(node, 1);
    s.script = parseScript(node);
  },
  interval: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, MAX_SCRIPT_SEC);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.name}): vrrp script interval '${a}' must be between 1 and ${MAX_SCRIPT_SEC} - ignoring`);
    if (r.value === 0) ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.name}): vrrp script interval must be greater than 0, setting to 1`);
    s.intervalUs = Math.max(1, r.value) * US_PER_SEC;
  },
  timeout: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, MAX_SCRIPT_SEC);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.name}): vrrp script timeout '${a}' invalid - ignoring`);
    if (r.value === 0) ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.name}): vrrp script timeout must be greater than 0, setting to 1`);
    s.timeoutUs = Math.max(1, r.value) * US_PER_SEC;
    s.timeoutSet = true;
  },
  weight: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseInt10(a, -253, 253);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `vrrp_script ${s.name} weight ${a} must be in [-253, 253]`);
    else s.weight = r.value;
    const opt = node.args[1];
    if (opt === 'reverse') s.weightReverse = true;
    else if (opt !== undefined) ctx.error(node, BuildCodes.INVALID_VALUE, `vrrp_script ${s.name} unknown weight option ${opt}`);
  },
  rise: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 1, INT_MAX);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.name}): vrrp script rise value '${a}' invalid, defaulting to 1`);
    s.rise = r.ok ? r.value : 1;
  },
  fall: (ctx, node, s) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 1, INT_MAX);
    if (!r.ok) ctx.error(node, BuildCodes.INVALID_NUMBER, `(${s.name}): vrrp script fall value '${a}' invalid, defaulting to 1`);
    s.fall = r.ok ? r.value : 1;
  },
  user: (ctx, node, s) => {
    const u = ctx.arg(node, 1);
    if (u === undefined) return;
    s.user = u;
    s.group = node.args[1] ?? null;
  },
  init_fail: (_ctx, _node, s) => {
    s.initFail = true;
  },
});

export function buildVrrpScript(ctx: BuildContext, node: ConfigNode, declared: Declared): VrrpScript | null {
  const name = ctx.arg(node, 1);
  if (name === undefined) return null;
  const s: ScriptState = {
    name,
    pos: node.pos,
    script: null,
    intervalUs: US_PER_SEC,
    timeoutUs: US_PER_SEC,
    weight: 0,
    weightReverse: false,
    rise: 1,
    fall: 1,
    user: null,
    group: null,
    initFail: false,
    timeoutSet: false,
  };
  walkBlock(ctx, node.children ?? [], vrrpScriptKeywords, scriptHandlers, s);
  if (s.script === null) {
    ctx.error(node, BuildCodes.INCOMPLETE, `No script set for vrrp_script ${name} - removing`);
    return null;
  }
  if (declared.scripts.has(name)) return duplicate(ctx, node, 'vrrp_script', name);
  const { timeoutSet, ...rest } = s;
  const out: VrrpScript = { ...rest, timeoutUs: timeoutSet ? s.timeoutUs : s.intervalUs };
  declared.scripts.set(name, out);
  return out;
}

// --- track_file ------------------------------------------------------------------------------

type FileState = Mutable<TrackFile> & { weightSet: boolean };

const trackFileHandlers = handlers<FileState>({
  file: (ctx, node, f) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (f.file !== null) return ctx.error(node, BuildCodes.DUPLICATE, `File already set for track file ${f.name} - ignoring ${a}`);
    f.file = a;
  },
  weight: (ctx, node, f) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, `No weight specified for track file ${f.name} - ignoring`);
    if (f.weightSet) return ctx.error(node, BuildCodes.DUPLICATE, `Weight already set for track file ${f.name} - ignoring ${a}`);
    const w = readWeight(ctx, node, a, `track_file ${f.name}`);
    if (w === null) return;
    f.weight = w;
    f.weightSet = true;
    const opt = node.args[1];
    if (opt === 'reverse') f.weightReverse = true;
    else if (opt !== undefined && opt !== 'noreverse') ctx.error(node, BuildCodes.INVALID_VALUE, `track_file ${f.name} unknown weight option ${opt}`);
  },
  init_file: (ctx, node, f) => {
    let value = 0;
    let overwrite = false;
    for (const a of node.args) {
      if (a === 'overwrite') {
        overwrite = true;
        continue;
      }
      const r = parseInt10(a, -2147483648, INT_MAX);
      if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `Track file ${f.name} init value ${a} is invalid`);
      value = r.value;
    }
    f.initFile = { value, overwrite };
  },
});

export function buildTrackFile(ctx: BuildContext, node: ConfigNode, declared: Declared): TrackFile | null {
  const name = ctx.arg(node, 1);
  if (name === undefined) return null;
  // keepalived 2.2.7 accepts the deprecated spelling silently: a note only.
  if (node.keyword === 'vrrp_track_file') ctx.info(node, BuildCodes.DEPRECATED, "'vrrp_track_file' is deprecated - please use 'track_file'");
  const f: FileState = { name, pos: node.pos, file: null, weight: 1, weightReverse: false, initFile: null, legacyKeyword: node.keyword === 'vrrp_track_file', weightSet: false };
  walkBlock(ctx, node.children ?? [], trackFileKeywords, trackFileHandlers, f);
  if (f.file === null) {
    ctx.error(node, BuildCodes.INCOMPLETE, `No file set for track_file ${name} - ignoring`);
    return null;
  }
  if (declared.trackFiles.has(name)) return duplicate(ctx, node, 'track_file', name);
  const { weightSet: _w, ...out } = f;
  declared.trackFiles.set(name, out);
  return out;
}

// --- vrrp_track_process ----------------------------------------------------------------------
// keepalived 2.2.7 vrrp_parser.c vrrp_tprocess_*: handlers apply in file order (quorum vs
// quorum_max checks look at what was set before), delays are 0.000001..3600 s, the weight is
// [-254..254] without the ±254 clamp of the track_* reference lines.

type ProcState = Mutable<TrackProcess>;

/** keepalived read_decimal_unsigned_strvec(…, 1, 3600 * TIMER_HZ, …). */
const MAX_PROCESS_DELAY_US = 3600 * US_PER_SEC;

function delayKw(set: (p: ProcState, us: number) => void) {
  return (ctx: BuildContext, node: ConfigNode, p: ProcState): void => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseTimerUs(a, 1, MAX_PROCESS_DELAY_US);
    if (!r.ok) {
      return ctx.error(node, BuildCodes.INVALID_NUMBER, `${node.keyword} (${a}) for vrrp_track_process ${p.name} must be between [0.000001..3600] inclusive. Ignoring...`);
    }
    set(p, r.value);
  };
}

const processHandlers = handlers<ProcState>({
  process: (ctx, node, p) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    if (p.process !== null) return ctx.error(node, BuildCodes.DUPLICATE, `Process already set for track process ${p.name} - ignoring ${a}`);
    p.process = a;
    if (node.args.length > 1) {
      p.params = node.args.slice(1);
      if (p.paramMatch === 'none') p.paramMatch = 'exact';
      p.fullCommand = true;
    }
  },
  param_match: (ctx, node, p) => {
    // A bare `param_match` means an exact match (of no parameters when none are given).
    const a = node.args[0];
    if (a === undefined) p.paramMatch = 'exact';
    else if (a === 'initial' || a === 'partial') p.paramMatch = a;
    else return ctx.error(node, BuildCodes.INVALID_VALUE, `Invalid param_match type ${a} - ignoring`);
    p.fullCommand = true;
  },
  weight: (ctx, node, p) => {
    const a = node.args[0];
    if (a === undefined) return ctx.error(node, BuildCodes.MISSING_PARAMETER, `No weight specified for track process ${p.name} - ignoring`);
    if (p.weight !== 0) return ctx.error(node, BuildCodes.DUPLICATE, `Weight already set for track process ${p.name} - ignoring ${a}`);
    const r = parseInt10(a, -254, 254);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `Weight (${a}) for vrrp_track_process ${p.name} must be between [-254..254] inclusive. Ignoring...`);
    const opt = node.args[1];
    if (opt === 'reverse') p.weightReverse = true;
    else if (opt !== undefined) ctx.error(node, BuildCodes.INVALID_VALUE, `vrrp_track_process ${p.name} unknown weight option ${opt}`);
    p.weight = r.value;
  },
  quorum: (ctx, node, p) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 1, 65535);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `Quorum (${a}) for vrrp_track_process ${p.name} must be between [1..65535] inclusive. Ignoring...`);
    if (r.value > p.quorumMax) return ctx.error(node, BuildCodes.INVALID_VALUE, 'Quorum is greater than quorum_max - ignoring');
    p.quorum = r.value;
  },
  quorum_max: (ctx, node, p) => {
    const a = ctx.arg(node, 1);
    if (a === undefined) return;
    const r = parseUnsigned(a, 0, 65535);
    if (!r.ok) return ctx.error(node, BuildCodes.INVALID_NUMBER, `quorum_max (${a}) for vrrp_track_process ${p.name} must be between [0..65535] inclusive. Ignoring...`);
    // quorum_max 0 (= "fail while any matching process runs") is allowed unless a quorum above 1 was set.
    if ((r.value !== 0 || p.quorum > 1) && r.value < p.quorum) return ctx.error(node, BuildCodes.INVALID_VALUE, 'quorum_max is less than quorum - ignoring');
    p.quorumMax = r.value;
    if (r.value === 0) p.quorum = 0;
    else if (p.quorum === 0) p.quorum = 1;
  },
  delay: delayKw((p, us) => {
    p.forkDelayUs = us;
    p.terminateDelayUs = us;
  }),
  terminate_delay: delayKw((p, us) => (p.terminateDelayUs = us)),
  fork_delay: delayKw((p, us) => (p.forkDelayUs = us)),
  full_command: (_ctx, _node, p) => {
    p.fullCommand = true;
  },
});

export function buildTrackProcess(ctx: BuildContext, node: ConfigNode, declared: Declared): TrackProcess | null {
  const name = ctx.arg(node, 1);
  if (name === undefined) return null;
  const p: ProcState = {
    name,
    pos: node.pos,
    process: null,
    params: [],
    paramMatch: 'none',
    weight: 0,
    weightReverse: false,
    quorum: 1,
    quorumMax: UINT_MAX,
    forkDelayUs: 0,
    terminateDelayUs: 0,
    fullCommand: false,
  };
  walkBlock(ctx, node.children ?? [], vrrpTrackProcessKeywords, processHandlers, p);
  if (p.process === null) {
    ctx.error(node, BuildCodes.INCOMPLETE, `track process '${name}' process name not specified`);
    return null;
  }
  if (declared.trackProcesses.has(name)) return duplicate(ctx, node, 'vrrp_track_process', name);
  const out: TrackProcess = { ...p };
  declared.trackProcesses.set(name, out);
  return out;
}

export const trackerHandlerNames = {
  vrrp_script: new Set(scriptHandlers.keys()),
  track_file: new Set(trackFileHandlers.keys()),
  vrrp_track_process: new Set(processHandlers.keys()),
};
