// Owns the ClusterCoordinator interface: what several servers on one database share (queue claims, heartbeats, change notices).

/** A change one server announces to the others; they read the data itself from the database. */
export type ClusterNotice =
  | { kind: 'lines'; server: string; execution_id: number; from: number; to: number }
  | {
      kind: 'execution';
      server: string;
      execution_id: number;
      event: 'created' | 'started' | 'updated' | 'completed' | 'deleted';
    }
  | { kind: 'step'; server: string; execution_id: number; step_index: number }
  | { kind: 'artifact'; server: string; execution_id: number; artifact_id: number }
  | { kind: 'pending'; server: string }
  /** Asks the server running the execution to cancel it (a cancel request that reached another server). */
  | { kind: 'cancel'; server: string; execution_id: number }
  /** `server` took over an agent's execution from `holder`, which must let go of it (without ending it) and answer `released`. */
  | { kind: 'release'; server: string; execution_id: number; holder: string }
  /** `server` let go of the execution: every write it accepted for it is stored. */
  | { kind: 'released'; server: string; execution_id: number; to: string };

/** The executions a lost server held: its running ones (to fail); its pending claims and agents' runs are already released. */
export interface LostServer {
  server: string;
  running: number[];
}

/** Coordination of several StepFlow servers through their shared database. */
export interface ClusterCoordinator {
  /** This server's name, unique among the servers on the database. */
  readonly serverName: string;
  /** Records this server alive now (by the database's clock). */
  heartbeat(): Promise<void>;
  /** Claims up to `limit` unclaimed pending executions for this server, oldest first; ids claimed. */
  claimPending(limit: number): Promise<number[]>;
  /** Gives up this server's claim on a pending execution it did not start (it is shut down or cancelled). */
  releaseClaim(executionId: number): Promise<void>;
  /** At start: releases this server's pending claims from a previous life; returns its running ones. */
  recoverOwn(): Promise<number[]>;
  /**
   * Makes this server the holder of an unfinished execution an agent holds (one conditional update: exactly one holder);
   * answers the previous holder (null: none), or null when the execution is no agent's unfinished run.
   */
  takeOver(executionId: number): Promise<{ previous: string | null } | null>;
  /** Removes servers silent for `lostSeconds`; takes over what servers without a heartbeat held: their pending claims are released, their running executions returned (to fail). */
  reapLost(lostSeconds: number): Promise<LostServer[]>;
  /** Tells every other server about a change (best effort: readers also poll). */
  notify(notice: ClusterNotice): Promise<void>;
  /** Starts receiving the other servers' notices (own ones are filtered out). */
  listen(onNotice: (notice: ClusterNotice) => void): Promise<void>;
  /** Stops listening, releases this server's pending claims and removes its heartbeat row. */
  close(): Promise<void>;
}
