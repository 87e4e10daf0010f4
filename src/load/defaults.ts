/** The load generators' defaults, shared by the HTTP and the stdio one. */

/** The ticker's period: every rate is spread over ticks this long. */
export const TICK_MS = 10;
/** Requests in flight at most (--concurrency). */
export const DEFAULT_CONCURRENCY = 64;
/** Per-request timeout (--request-timeout). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The largest reply body read (LoadOptions.maxReplyBytes): far above any tool result, far below what hurts memprof. */
export const DEFAULT_MAX_REPLY_BYTES = 16 * 1024 * 1024;
