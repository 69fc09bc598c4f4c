// Backoff for retried node calls: exponential with jitter, or the node's Retry-After when it sends one.

export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  /** First delay in ms; doubles per attempt. */
  baseDelayMs: number;
  /** Upper bound for any single wait, Retry-After included. */
  maxDelayMs: number;
  /** Waits `ms` (injectable so tests do not wait); rejects when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  sleep: abortableSleep,
  random: Math.random,
};

/** Delay before retry number `attempt` (1-based): base·2^(attempt-1) plus up to one base of jitter. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfter?: string | null): number {
  const fromHeader = parseRetryAfter(retryAfter);
  if (fromHeader !== undefined) return Math.min(fromHeader, policy.maxDelayMs);
  const exp = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(exp + policy.random() * policy.baseDelayMs, policy.maxDelayMs);
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
