// Owns the old tool's published figures (../shared/reference/seed-benchmark-results.md), the column our reports compare against.

/** The old tool's published figures; null where it published none. Its machine: a MacBook Pro (Intel), Python 3.13. */
export const SEED = {
  /** Old method: 10 sequential requests, ms. */
  health: { avg: 0.41, min: 0.37, max: 0.52, median: 0.4 },
  list: { avg: 1.33, min: 1.06, max: 1.73, median: 1.3 },
  /** 20 concurrent creations: all 20 in 1.26 s; 100 concurrent: 0 of 100 created. */
  creations: { 20: { accepted: 20, seconds: 1.26 }, 100: { accepted: 0, seconds: null } } as Record<
    number,
    { accepted: number; seconds: number | null }
  >,
  /** 30 s mixed 60/40 read/write. */
  stress: { seconds: 30, operations: 24_258, opsPerSecond: 808.55, errors: 0 },
  /** 121 real executions, 4 steps and 2 artifacts each. */
  realWorld: {
    executions: 121,
    successful: 121,
    avgDurationSeconds: 5.8,
    storageBytesPerExecution: 7.9 * 1024,
    totalStorageBytes: 957 * 1024,
  },
  /** Memory profile: startup baseline and the peak (concurrent test), MB. */
  memory: { idleMb: 150, peakMb: 250 },
  /** Published as "<1 ms" message latency and "1000+ connections supported", without a measured run. */
  websocket: { latencyMs: 1, clients: 1000 },
} as const;
