// Owns the token buckets behind the per-key (or per-address) request and creation limits.

/** Takes tokens from per-identity buckets. */
export interface RateLimiter {
  /** Takes one token for `id`; answers 0 when allowed, else whole seconds until one is available. */
  take(id: string): number;
}

const MAX_BUCKETS = 10_000;

/** A bucket of `perMinute` tokens per identity, refilled continuously; a burst of a full minute's allowance is allowed. */
export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  // Full buckets carry no information, so dropping them bounds memory against many distinct addresses.
  function sweep(time: number): void {
    for (const [id, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.at) * refillPerMs >= perMinute) buckets.delete(id);
    }
  }

  return {
    take(id) {
      const time = now();
      if (buckets.size >= MAX_BUCKETS) sweep(time);
      const bucket = buckets.get(id) ?? { tokens: perMinute, at: time };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.at) * refillPerMs);
      bucket.at = time;
      buckets.set(id, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    },
  };
}
