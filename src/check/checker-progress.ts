/**
 * One checker's retry logic, pure (keepalived's *_epilog): after each attempt decide whether the
 * checker reports up/down and when it runs next.
 *
 *   success                     → report up, retries reset, next in delay_loop
 *   failure, retryIt < retry    → no report, retryIt+1, next in delay_before_retry
 *   failure, retries exhausted  → report down, retries reset, next in delay_loop
 *
 * So `retry N` means N+1 consecutive failures before a server is taken down. Only TCP_CHECK keeps
 * retrying while its checker is already down; the others (check_misc / check_udp / check_dns /
 * HTTP) go straight back to delay_loop: `retryWhileDown: false`.
 */

export interface CheckerTiming {
  readonly retry: number;
  readonly delayLoopUs: number;
  readonly delayBeforeRetryUs: number;
}

export interface CheckerProgress {
  readonly retryIt: number;
}

export interface ProgressStep {
  readonly next: CheckerProgress;
  /** `up`/`down` to hand to the pool, null while retrying. */
  readonly report: 'up' | 'down' | null;
  readonly nextDelayUs: number;
}

export const INITIAL_PROGRESS: CheckerProgress = { retryIt: 0 };

export interface CheckerState {
  readonly isUp: boolean;
  readonly retryWhileDown: boolean;
  /** Delay after a failure while already down (default delay_loop). */
  readonly downDelayUs?: number;
}

export function afterAttempt(p: CheckerProgress, success: boolean, t: CheckerTiming, state: CheckerState = { isUp: true, retryWhileDown: true }): ProgressStep {
  if (success) return { next: { retryIt: 0 }, report: 'up', nextDelayUs: t.delayLoopUs };
  if (!state.isUp && !state.retryWhileDown) return { next: { retryIt: 0 }, report: 'down', nextDelayUs: state.downDelayUs ?? t.delayLoopUs };
  if (p.retryIt < t.retry) return { next: { retryIt: p.retryIt + 1 }, report: null, nextDelayUs: t.delayBeforeRetryUs };
  return { next: { retryIt: 0 }, report: 'down', nextDelayUs: t.delayLoopUs };
}
