// Owns what a run reports beside its log: annotations (stored and counted) and step summaries (read when their step ends).
import { lstatSync } from 'node:fs';
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

/** The summary key of text written to $GITHUB_STEP_SUMMARY while no step was open (shown as the run's own). */
export const RUN_SUMMARY_INDEX = -1;

/**
 * The reports of one run. Annotation counts live on the run's record so list views see them at once;
 * a summary is read as soon as its step ends: the file SUMMARY: named for it, and what the script appended
 * to $GITHUB_STEP_SUMMARY while that step was the innermost open one. As GitHub gives each step its own
 * file, the file is read at every step's start (what came before belongs to the enclosing step, or to the
 * run when none is open), at every step's end (nested ones too) and at exit.
 */
export class RunReports {
  readonly #record: ExecutionRecord;
  readonly #host: RunReportHost;
  readonly #requested = new Map<number | null, string>();
  #githubDirectory: string | null = null;
  #githubOffset = 0;
  readonly #pending = new Set<Promise<void>>();
  /** Steps whose start has been seen, so each start reads the file once. */
  readonly #started = new Set<number>();
  /** $GITHUB_STEP_SUMMARY text read for a step (or the run) that is still open, by step index. */
  readonly #githubText = new Map<number, Promise<SummaryRead | null>[]>();

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

  /** A step opened: what was written to $GITHUB_STEP_SUMMARY before it belongs to the step around it (or the run). */
  stepStarted(stepIndex: number, parentIndex: number | null): void {
    if (this.#started.has(stepIndex)) return;
    this.#started.add(stepIndex);
    this.#readGithub(parentIndex ?? RUN_SUMMARY_INDEX);
  }

  /** Starts reading the summary of a step that just ended (now, so later output is not taken for it) and stores it in write order. */
  stepEnded(stepIndex: number, parentIndex: number | null): void {
    // A step that opened and ended on one line (a TAP test point) was never seen open.
    this.stepStarted(stepIndex, parentIndex);
    const path = this.#requested.get(stepIndex) ?? null;
    this.#requested.delete(stepIndex);
    this.#readGithub(stepIndex);
    const github = this.#takeGithub(stepIndex);
    // The read runs beside the write chain, not in it: a file read must not hold back the step and log writes behind it.
    this.#track(this.#read(path, github).then((parts) => this.#host.persist(() => this.#save(stepIndex, parts))));
  }

  /** The script exited: what was written while no step was open is the run's own summary. */
  runEnded(): void {
    this.#readGithub(RUN_SUMMARY_INDEX);
    this.#track(
      this.#takeGithub(RUN_SUMMARY_INDEX).then((parts) =>
        this.#host.persist(() => this.#save(RUN_SUMMARY_INDEX, parts)),
      ),
    );
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

  #track(work: Promise<unknown>): void {
    const done = work.then(() => undefined);
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }

  /**
   * Takes what was appended to $GITHUB_STEP_SUMMARY since the last look for step `owner`. The file's size is looked at
   * now, while the engine's effects are applied, so the bytes belong to the step that was open when the marker was read;
   * the bytes themselves are read later, beside the write chain.
   */
  #readGithub(owner: number): void {
    const github = this.githubFile;
    const size = github === null ? null : fileSize(github);
    if (github === null || size === null || size <= this.#githubOffset) return;
    const from = this.#githubOffset;
    this.#githubOffset = size;
    const read = readSummaryFrom(github, from, undefined, size).catch(() => null);
    const parts = this.#githubText.get(owner) ?? [];
    parts.push(read);
    this.#githubText.set(owner, parts);
  }

  async #takeGithub(owner: number): Promise<SummaryRead[]> {
    const parts = this.#githubText.get(owner) ?? [];
    this.#githubText.delete(owner);
    return (await Promise.all(parts)).filter((part): part is SummaryRead => part !== null);
  }

  async #read(path: string | null, github: Promise<SummaryRead[]>): Promise<SummaryRead[]> {
    const parts: SummaryRead[] = [];
    if (path !== null) {
      const read = await readConfinedSummary(this.#record.working_directory, path).catch((error: unknown) => {
        this.#host.note(`summary not read: ${(error as Error).message}`);
        return null;
      });
      if (read !== null) parts.push(read);
    }
    return [...parts, ...(await github)];
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
      this.#host.note(
        `summary ${stepIndex < 0 ? 'outside every step' : `of step ${stepIndex + 1}`} cut at ${MAX_SUMMARY_BYTES.toLocaleString('en-US')} bytes`,
      );
  }
}

/** The size of a regular file now, or null (gone, or not a regular file). */
function fileSize(path: string): number | null {
  try {
    const info = lstatSync(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}
