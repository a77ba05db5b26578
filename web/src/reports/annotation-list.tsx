// Owns the list of annotations: level, file:line, title and message, each linked to the log line that reported it.
import type { WireAnnotation } from '../../../src/core/wire-types';

function place(annotation: WireAnnotation): string | null {
  if (annotation.file === null) return null;
  if (annotation.line === null) return annotation.file;
  return `${annotation.file}:${annotation.line}${annotation.col === null ? '' : `:${annotation.col}`}`;
}

/** Annotations in the order reported; `more` is how many were reported but are not listed (said, never hidden). */
export function AnnotationList({
  annotations,
  more,
  label,
}: {
  annotations: WireAnnotation[];
  more: number;
  label: string;
}) {
  if (annotations.length === 0 && more === 0) return null;
  return (
    <div class="annotations">
      <ul aria-label={label}>
        {annotations.map((annotation) => (
          <li key={annotation.id} class={`annotation annotation-${annotation.level}`} data-level={annotation.level}>
            <span class={`badge level-${annotation.level}`}>{annotation.level}</span>{' '}
            {place(annotation) !== null && <code class="annotation-place">{place(annotation)}</code>}{' '}
            {annotation.title !== null && <strong class="annotation-title">{annotation.title}: </strong>}
            <span class="annotation-message">{annotation.message}</span>{' '}
            <a class="annotation-line" href={`#L${annotation.log_line}`}>
              line {annotation.log_line}
            </a>
          </li>
        ))}
      </ul>
      {more > 0 && <p class="muted annotations-more">{more.toLocaleString('en-US')} more not shown</p>}
    </div>
  );
}
