// Owns rendering a step's Markdown summary: markdown-it with raw HTML off and its link validation, so no script or HTML from a script ever runs.
import MarkdownIt from 'markdown-it';
import { useMemo } from 'preact/hooks';
import type { WireStepSummary } from '../../../src/core/wire-types';

// html: false escapes every tag the script wrote; validateLink (the default) refuses javascript:, vbscript:, file: and data: other than images.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** A summary rendered from Markdown; marked when the file was cut at 1 MiB. */
export function StepSummary({ summary, label }: { summary: WireStepSummary; label: string }) {
  const html = useMemo(() => markdown.render(summary.markdown), [summary.markdown]);
  return (
    <section class="step-summary" aria-label={label}>
      {/* markdown-it output with html: false is escaped text and safe tags only */}
      <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />
      {summary.truncated && <p class="muted">Summary cut at 1 MiB.</p>}
    </section>
  );
}
