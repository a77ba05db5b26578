// Owns the token buckets behind the per-key (or per-address) request and creation limits.

/** Takes tokens from per-identity buckets. */
export interface RateLimiter {
  /** Takes one token for `id`; answers 0 when allowed, else whole seconds until one is available. */
  take(id: string): number;
  /** Whole seconds until `id` has a token again, without taking one (0 when it has one now). */
  wait(id: string): number;
}

const MAX_BUCKETS = 10_000;

/** A bucket of `perMinute` tokens per identity, refilled continuously; a burst of a full minute's allowance is allowed. */
export function createRateLimiter(perMinute: number, now: () => number): RateLimiter {
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  // Full buckets carry no information, so dropping them bounds memory against many distinct addresses.
  function sweep(time: number): void {
    for (const [id, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.at) * refillPerMs >= perMinute) buckets.delete(id);
    }
  }

  function refill(id: string, time: number): { tokens: number; at: number } {
    const bucket = buckets.get(id) ?? { tokens: perMinute, at: time };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.at) * refillPerMs);
    bucket.at = time;
    return bucket;
  }

  function secondsUntilToken(tokens: number): number {
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000));
  }

  return {
    take(id) {
      const time = now();
      if (buckets.size >= MAX_BUCKETS) sweep(time);
      const bucket = refill(id, time);
      buckets.set(id, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return secondsUntilToken(bucket.tokens);
    },
    wait(id) {
      const bucket = buckets.get(id);
      return bucket === undefined ? 0 : secondsUntilToken(refill(id, now()).tokens);
    },
  };
}
