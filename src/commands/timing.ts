// Waits and timeouts of the online commands in one place. The defaults are for real nodes; tests shorten them
// (the commands run in-process, so a test sets these before calling runMain and restores them afterwards).

export const pollTiming = {
  /** Between GET /status polls while a node restarts (sesam-py: 3 s). */
  restartPollMs: 3000,
  /** Between GET /pipes polls while wipe waits for pipes to disappear (sesam-py: 5 s). */
  wipePollMs: 2000,
  /** Between GET /pipes polls while upload waits for pipes to deploy (sesam-py always slept 5 s). */
  deployPollMs: 500,
  /** Upper bound for deploy and removal waits (sesam-py: 1800 s). */
  deployTimeoutMs: 1_800_000,
  /** First delay between test data upload attempts (sesam-py: 1 s, doubling, plus up to 1 s of jitter). */
  testdataRetryBaseMs: 1000,
};

/** HTTP client settings for connectNode; undefined means the client's defaults (120 s / 600 s / 500 ms). */
export const clientTuning: { timeoutMs?: number; longTimeoutMs?: number; retryBaseDelayMs?: number } = {};

/** A wait that ends early (rejecting) when the command is interrupted. */
export { abortableSleep as sleep } from '../node/retry.js';
