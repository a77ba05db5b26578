// Owns the shape of one benchmark run as written to bench/results/<date>.json.
import type { AgentsResult } from '../scenarios/agents.js';
import type { MarkerDialectsResult } from '../marker-dialects.js';
import type { ApiResponseResult } from '../scenarios/api-response.js';
import type { CreationResult } from '../scenarios/creations.js';
import type { FanoutResult } from '../scenarios/fanout.js';
import type { IngestResult } from '../scenarios/ingest.js';
import type { LogStoreResult } from '../scenarios/log-store.js';
import type { MarkerKindResult } from '../scenarios/marker-kinds.js';
import type { MemoryResult } from '../scenarios/memory.js';
import type { MixedStressResult } from '../scenarios/mixed-stress.js';
import type { RealWorldResult } from '../scenarios/real-world.js';
import type { TailResult, ViewerResult } from '../log-viewer.js';

/** Everything one run measured, with where and how it ran. */
export interface BenchResults {
  startedAt: string;
  node: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; loadAverageAtStart: number[] };
  quick: boolean;
  /** Processes the HTTP load of scenarios 1 and 3 was spread over (absent in results written before it was an option). */
  loadWorkers?: number;
  target: string | null;
  wsUrl: string | null;
  totalSeconds: number;
  failures: string[];
  scenarios: {
    apiResponse?: ApiResponseResult[];
    creations?: CreationResult[];
    mixedStress?: MixedStressResult;
    realWorld?: RealWorldResult;
    ingest?: Record<string, IngestResult>;
    logStore?: LogStoreResult;
    fanout?: FanoutResult[];
    memory?: MemoryResult;
    markerKinds?: MarkerKindResult[];
    agents?: AgentsResult;
    logViewer?: ViewerResult[];
    /** Marker parse throughput, all dialects beside StepFlow's own parser (issue 15). */
    markerDialects?: MarkerDialectsResult[];
    liveTail?: TailResult;
  };
}
