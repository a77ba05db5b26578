// Owns /executions/:id: header, steps with their logs, timeline, artifacts and the full searchable log.
import { useMemo, useRef } from 'preact/hooks';
import { fetchLogPage } from '../api';
import { ArtifactList } from '../components/artifact-list';
import { FeedLostNotice } from '../components/feed-lost-notice';
import { Link } from '../components/link';
import { isActive } from '../components/status-badge';
import { CHUNK } from '../log-viewer/line-store';
import { LogViewer } from '../log-viewer/log-viewer';
import { useLocation } from '../router';
import { useDocumentTitle } from '../use-document-title';
import { ExecutionHeader } from './execution-header';
import { describeTabTitle } from '../components/execution-outcome';
import { StepList } from './step-list';
import { StepTimeline } from './step-timeline';
import { AnnotationList } from '../reports/annotation-list';
import { StepSummary } from '../reports/step-summary';
import { useReports } from '../reports/use-reports';
import { useExecution } from './use-execution';
import { usePermalinkInView } from './use-permalink-in-view';

/** The execution view. */
export function ExecutionPage({ id }: { id: number }) {
  const { detail, error, live } = useExecution(id);
  // Fetched alongside the execution rather than after it, so a big finished log shows its first screen one round trip sooner.
  const firstPage = useMemo(() => {
    const page = fetchLogPage(id, 0, CHUNK);
    page.catch(() => undefined);
    return page;
  }, [id]);
  const { hash } = useLocation();
  const selected = /^#L(\d+)$/.exec(hash);
  const selectedLine = selected ? Number(selected[1]) : null;
  const fullLog = useRef<HTMLElement>(null);
  usePermalinkInView(fullLog, selectedLine, detail !== null);
  useDocumentTitle(detail ? describeTabTitle(detail.execution) : `#${id} — StepFlow`);
  const reports = useReports(detail?.execution ?? null);

  if (error && !detail)
    return (
      <main class="page">
        <h1>Execution {id}</h1>
        <p class="error" role="alert">
          {error}
        </p>
        <Link href="/history">Back to history</Link>
      </main>
    );
  if (!detail)
    return (
      <main class="page">
        <p class="muted" aria-busy="true">
          Loading execution {id}…
        </p>
      </main>
    );
  const { execution, steps, artifacts } = detail;
  const running = isActive(execution.status);
  return (
    <main class="page execution-page">
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <Link href="/">Dashboard</Link> / <Link href="/history">History</Link> / #{id}
      </nav>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {running && <FeedLostNotice />}
      <ExecutionHeader execution={execution} />
      {reports.annotations !== null && reports.annotations.total_count > 0 && (
        <section aria-labelledby="annotations-title" class="annotations-section">
          <h2 id="annotations-title">
            Annotations <span class="count">{reports.annotations.total_count}</span>
          </h2>
          <AnnotationList
            annotations={reports.annotations.annotations}
            more={reports.annotations.more}
            label="Annotations"
          />
        </section>
      )}
      {reports.summaries.length > 0 && (
        <section aria-labelledby="summaries-title" class="summaries-section">
          <h2 id="summaries-title">Summaries</h2>
          {reports.summaries.map((summary) => {
            const step = steps.find((candidate) => candidate.id === summary.step_id);
            // Index -1: what the script wrote to $GITHUB_STEP_SUMMARY while no step was open.
            const title =
              step?.name ?? (summary.step_index < 0 ? 'Outside every step' : `Step ${summary.step_index + 1}`);
            return (
              <div key={summary.step_index}>
                <h3>{title}</h3>
                <StepSummary summary={summary} label={`Summary of ${title}`} />
              </div>
            );
          })}
        </section>
      )}
      <div class="execution-grid">
        <section aria-labelledby="steps-title" class="steps-section">
          <h2 id="steps-title">
            Steps <span class="count">{steps.length}</span>
          </h2>
          <StepList execution={execution} steps={steps} live={live} reports={reports} />
        </section>
        <aside class="side">
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            <StepTimeline execution={execution} steps={steps} />
          </section>
          <section aria-labelledby="artifacts-title">
            <h2 id="artifacts-title">
              Artifacts <span class="count">{artifacts.length}</span>
            </h2>
            <ArtifactList artifacts={artifacts} />
          </section>
        </aside>
      </div>
      <section aria-labelledby="log-title" ref={fullLog} class="full-log-section">
        <h2 id="log-title">Full log {running && <span class="badge live">live</span>}</h2>
        <LogViewer
          executionId={id}
          live={live}
          full
          selectedLine={selectedLine}
          label="Full log"
          firstPage={firstPage}
          downloadName={`execution-${id}.log`}
          steps={steps}
        />
      </section>
    </main>
  );
}
