/**
 * Small-budget fuzzing of every wire decoder (VRRP packets, netlink/rtnetlink, IPVS replies, the
 * checker worker protocol): a fixed seed (FUZZ_SEED overrides, printed), a few thousand inputs per
 * target, each input checked for "no throw, well-formed result or drop reason" and timed (> 2 s = hang).
 * `npm run fuzz` runs the same targets with 10^6 inputs each.
 */
import { describe, it } from 'vitest';
import { netlinkTargets } from './targets/netlink.js';
import { packetTargets } from './targets/packets.js';
import { protocolTargets } from './targets/protocol.js';
import { fuzzRuns, fuzzSeed } from './support/seed.js';
import { assertRunPassed, type RunnableTarget } from './support/target.js';

const SEED = fuzzSeed();
const RUNS = fuzzRuns(5000);
/** One input taking longer than this is reported as a hang. */
const HANG_MS = 2000;

console.log(`fuzz decoders: seed ${SEED} (FUZZ_SEED to change), ${RUNS} inputs per target`);

function runWithHangCheck(t: RunnableTarget): void {
  assertRunPassed(t.run({ seed: SEED, numRuns: RUNS, maxInputMs: HANG_MS }));
}

for (const [group, targets] of [
  ['vrrp packet', packetTargets],
  ['netlink', netlinkTargets],
  ['checker protocol', protocolTargets],
] as const) {
  describe(`fuzz: ${group} decoders never throw`, () => {
    for (const t of targets) it(t.name, () => runWithHangCheck(t));
  });
}
