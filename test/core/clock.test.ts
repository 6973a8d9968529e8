import { describe, expect, it } from 'vitest';
import { FakeClock, createRealClock } from '../../src/core/clock.js';

describe('FakeClock', () => {
  it('fires due timers in deadline order, including timers set by callbacks', () => {
    const c = new FakeClock(0);
    const fired: string[] = [];
    c.setTimer(300, () => fired.push(`b@${c.nowUs()}`));
    c.setTimer(100, () => {
      fired.push(`a@${c.nowUs()}`);
      c.setTimer(50, () => fired.push(`c@${c.nowUs()}`));
    });
    const d = c.setTimer(200, () => fired.push('d'));
    c.clearTimer(d);
    c.advance(250);
    expect(fired).toEqual(['a@100', 'c@150']);
    expect(c.nowUs()).toBe(250);
    c.advance(100);
    expect(fired).toEqual(['a@100', 'c@150', 'b@300']);
    expect(c.pendingCount).toBe(0);
  });
});

describe('real clock', () => {
  it('is monotonic and fires timers', async () => {
    const c = createRealClock();
    const t0 = c.nowUs();
    await new Promise<void>((resolve) => c.setTimer(2000, resolve));
    expect(c.nowUs()).toBeGreaterThan(t0);
    let fired = false;
    const h = c.setTimer(1000, () => (fired = true));
    c.clearTimer(h);
    await new Promise((r) => setTimeout(r, 5));
    expect(fired).toBe(false);
  });
});
