// Owns what a run reports beside its log: annotations (stored and counted) and step summaries (read when their step ends).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Annotation } from '../core/annotation.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { EngineEffect } from '../engine/engine-types.js';
import type { Store } from '../store/store.js';
import { MAX_SUMMARY_BYTES, readConfinedSummary, readSummaryFrom, type SummaryRead } from './read-step-summary.js';

type ReportEffect = Extract<EngineEffect, { type: 'annotation' | 'summary' }>;

/** How run reports reach the rest of the service: the write chain, the run's masking, its log notices, its bus event. */
export interface RunReportHost {
  store: Store;
  persist(write: () => Promise<void>): void;
  mask(text: string): string;
  note(content: string): void;
  changed(): void;
}

/**
 * The reports of one run. Annotation counts live on the run's record so list views see them at once;
 * a summary is read as soon as its step ends: the file SUMMARY: named for it, and, for a top-level step,
 * what the script appended to $GITHUB_STEP_SUMMARY since the last top-level step ended (one GitHub job
 * step is one process, so its file belongs to the outermost steps, not to every group inside them).
 */
export class RunReports {
  readonly #record: ExecutionRecord;
  readonly #host: RunReportHost;
  readonly #requested = new Map<number | null, string>();
  #githubDirectory: string | null = null;
  #githubOffset = 0;
  /** The latest $GITHUB_STEP_SUMMARY read: reads follow each other so two steps ending together never read the same bytes. */
  #githubRead: Promise<unknown> = Promise.resolve();
  readonly #pending = new Set<Promise<void>>();

  constructor(record: ExecutionRecord, host: RunReportHost) {
    this.#record = record;
    this.#host = host;
  }

  /** The $GITHUB_STEP_SUMMARY file, created empty (writable by a run-as user, readable only by the server), or null if it could not be. */
  async open(): Promise<string | null> {
    try {
      this.#githubDirectory = await mkdtemp(join(tmpdir(), 'stepflow-summary-'));
      await chmod(this.#githubDirectory, 0o711);
      const file = this.githubFile as string;
      await writeFile(file, '', { mode: 0o622 });
      await chmod(file, 0o622);
      return file;
    } catch {
      return null;
    }
  }

  /** The path given to the script as $GITHUB_STEP_SUMMARY, or null. */
  get githubFile(): string | null {
    return this.#githubDirectory === null ? null : join(this.#githubDirectory, 'step-summary.md');
  }

  /** Takes an annotation or summary effect from the engine. */
  accept(effect: ReportEffect): void {
    if (effect.type === 'summary') this.#requested.set(effect.step_index, effect.path);
    else this.#saveAnnotation(effect.annotation, effect.kept);
  }

  /** Starts reading the summary of a step that just ended (now, so later output is not taken for it) and stores it in write order. */
  stepEnded(stepIndex: number, depth: number): void {
    const path = this.#requested.get(stepIndex) ?? null;
    this.#requested.delete(stepIndex);
    if (path === null && depth > 0) return;
    // The read runs beside the write chain, not in it: a file read must not hold back the step and log writes behind it.
    const saved = this.#read(path, depth === 0).then((parts) => this.#host.persist(() => this.#save(stepIndex, parts)));
    this.#pending.add(saved);
    void saved.finally(() => this.#pending.delete(saved));
  }

  /** Waits until every summary read so far has been handed to the write chain (the run's end waits for it). */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Removes the $GITHUB_STEP_SUMMARY file once the run is over. */
  async close(): Promise<void> {
    if (this.#githubDirectory !== null)
      await rm(this.#githubDirectory, { recursive: true, force: true }).catch(() => undefined);
  }

  #saveAnnotation(annotation: Annotation, kept: boolean): void {
    const counts = (this.#record.annotation_counts ??= { error: 0, warning: 0, notice: 0 });
    counts[annotation.level]++;
    const id = this.#record.id;
    this.#host.persist(async () => {
      await this.#host.store.saveAnnotation(id, annotation, kept);
      this.#host.changed();
    });
  }

  async #read(path: string | null, readGithub: boolean): Promise<SummaryRead[]> {
    const parts: SummaryRead[] = [];
    if (path !== null) {
      const read = await readConfinedSummary(this.#record.working_directory, path).catch((error: unknown) => {
        this.#host.note(`summary not read: ${(error as Error).message}`);
        return null;
      });
      if (read !== null) parts.push(read);
    }
    const github = this.githubFile;
    if (github !== null && readGithub) {
      const reading = this.#githubRead.then(async () => {
        const read = await readSummaryFrom(github, this.#githubOffset).catch(() => null);
        if (read !== null) this.#githubOffset = read.end;
        return read;
      });
      this.#githubRead = reading;
      const read = await reading;
      if (read !== null) parts.push(read);
    }
    return parts;
  }

  async #save(stepIndex: number, parts: readonly SummaryRead[]): Promise<void> {
    const text = parts
      .map((part) => part.text)
      .filter((part) => part.trim() !== '')
      .join('\n\n');
    if (text === '') return;
    const cut = Buffer.byteLength(text) > MAX_SUMMARY_BYTES || parts.some((part) => part.truncated);
    const markdown = this.#host.mask(cut ? Buffer.from(text).subarray(0, MAX_SUMMARY_BYTES).toString('utf8') : text);
    await this.#host.store.saveStepSummary(this.#record.id, { step_index: stepIndex, markdown, truncated: cut });
    if (cut)
      this.#host.note(`summary of step ${stepIndex + 1} cut at ${MAX_SUMMARY_BYTES.toLocaleString('en-US')} bytes`);
  }
}
