/**
 * Text for the SIGUSR1 checker dump (`/tmp/keepalived_check.data`): virtual servers with quorum
 * and sorry-server state, real servers with weight / alive / checker results, then the IPVS table
 * in `ipvsadm -Ln` layout (the kernel's, or the in-memory one when the kernel has no IPVS).
 * keepalived says this format is not stable; we keep it readable and greppable.
 */
import type { KeepalivedConfig } from '../config/model.js';
import { fmtRs, fmtVs } from './format.js';
import { formatIpvsTable } from './ipvs-text.js';
import type { CheckerSnapshot } from './protocol.js';

export function formatCheckerDump(config: KeepalivedConfig, snap: CheckerSnapshot): string {
  const out: string[] = ['------< Health checkers >------'];
  config.virtualServers.forEach((vs, i) => {
    const s = snap.pool.virtualServers[i];
    out.push(` Virtual server ${fmtVs(vs)}`);
    out.push(`   lvs_sched = ${vs.lvsSched}, lvs_method = ${vs.forwarding.method}, protocol = ${vs.protocol}, delay_loop = ${vs.delayLoopUs / 1e6}`);
    if (vs.persistenceTimeoutSec !== null) out.push(`   persistence_timeout = ${vs.persistenceTimeoutSec}${vs.persistenceGranularity !== null ? `, granularity = ${vs.persistenceGranularity}` : ''}`);
    out.push(`   quorum = ${vs.quorum}, hysteresis = ${vs.hysteresis}, quorum state = ${s?.quorumUp === true ? 'UP' : 'DOWN'}, alive weight = ${s?.weightSum ?? 0}`);
    if (vs.sorryServer !== null) out.push(`   sorry server = ${fmtRs(vs.sorryServer, vs)} (${s?.sorryAlive === true ? 'in use' : 'standby'})${vs.sorryServerInhibit ? ' inhibit' : ''}`);
    vs.realServers.forEach((rs, j) => {
      const r = s?.realServers[j];
      out.push(`   Real server ${fmtRs(rs, vs)} weight ${r?.effectiveWeight ?? rs.weight} ${r?.alive === true ? 'UP' : 'DOWN'}${rs.inhibitOnFailure ? ' inhibit_on_failure' : ''}`);
      for (const c of snap.checkers) {
        if (!c.id.startsWith(`${i}/${j}/`)) continue;
        const state = c.lastOk === null ? 'not run yet' : c.lastOk ? 'OK' : `failed (${c.lastReason ?? '?'})`;
        out.push(`     ${c.kind}: ${state}, attempts ${c.attempts}, retry ${c.retryIt}`);
      }
    });
  });
  out.push('------< IPVS >------');
  out.push(` backend = ${snap.ipvs.backend === 'kernel' ? 'kernel' : 'memory (no IPVS in the kernel)'}, operations applied ${snap.ipvs.opsApplied}, failed ${snap.ipvs.opsFailed}`);
  return `${out.join('\n')}\n${formatIpvsTable(snap.applied)}`;
}
