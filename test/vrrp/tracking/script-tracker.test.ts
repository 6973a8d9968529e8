import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createScriptTracker, feedScriptResult, scriptObservation } from '../../../src/vrrp/tracking/script-tracker.js';
import type { ScriptResult, ScriptTrackerState } from '../../../src/vrrp/tracking/script-tracker.js';

const OK: ScriptResult = { exitCode: 0 };
const KO: ScriptResult = { exitCode: 1 };

function run(st: ScriptTrackerState, results: ScriptResult[]): { st: ScriptTrackerState; logs: string[] } {
  const logs: string[] = [];
  for (const r of results) {
    const s = feedScriptResult(st, r);
    if (s.log !== null) logs.push(s.log);
    st = s.state;
  }
  return { st, logs };
}

describe('vrrp_script rise/fall', () => {
  it('first result decides without init_fail', () => {
    const t = createScriptTracker({ name: 'chk', rise: 3, fall: 3, initFail: false });
    expect(scriptObservation(t).kind).toBe('unknown');
    expect(run(t, [OK]).logs).toEqual(['VRRP_Script(chk) succeeded']);
    expect(run(t, [KO]).logs).toEqual(['VRRP_Script(chk) failed (exited with status 1)']);
  });

  it('fall consecutive failures to go BAD, rise consecutive successes to go GOOD', () => {
    const t = createScriptTracker({ name: 'chk', rise: 2, fall: 3, initFail: false });
    let { st } = run(t, [OK]);
    expect(st.status).toBe('good');
    st = run(st, [KO, KO]).st;
    expect(st.status).toBe('good');
    st = run(st, [OK, KO, KO]).st; // a success resets the fall count
    expect(st.status).toBe('good');
    const r = run(st, [KO]);
    expect(r.st.status).toBe('bad');
    st = run(r.st, [OK, KO, OK]).st; // a failure resets the rise count
    expect(st.status).toBe('bad');
    const g = run(st, [OK]);
    expect(g.st.status).toBe('good');
    expect(g.logs).toEqual(['VRRP_Script(chk) succeeded']);
  });

  it('init_fail starts BAD and needs rise successes; timeouts are failures', () => {
    const t = createScriptTracker({ name: 'chk', rise: 2, fall: 1, initFail: true });
    expect(scriptObservation(t).kind).toBe('down');
    expect(run(t, [OK]).st.status).toBe('bad');
    const up = run(t, [OK, OK]).st;
    expect(scriptObservation(up).kind).toBe('up');
    const down = run(up, [{ timedOut: true }]);
    expect(down.logs).toEqual(['VRRP_Script(chk) failed (timed out)']);
  });

  it('property: status matches the last run of identical results when it is long enough', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (rise, fall, seq) => {
        let st = createScriptTracker({ name: 's', rise, fall, initFail: false });
        let streak = 0;
        let last: boolean | null = null;
        for (const ok of seq) {
          st = feedScriptResult(st, ok ? OK : KO).state;
          streak = ok === last ? streak + 1 : 1;
          last = ok;
          expect(st.result).toBeGreaterThanOrEqual(0);
          expect(st.result).toBeLessThanOrEqual(rise + fall - 1);
        }
        if (last === true && streak >= rise) expect(st.status).toBe('good');
        if (last === false && streak >= fall) expect(st.status).toBe('bad');
      }),
    );
  });
});
