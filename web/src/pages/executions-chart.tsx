// Owns the dashboard charts: executions per day stacked by status, and duration over time, as small inline SVG.
import type { WireExecution } from '../../../src/core/wire-types';
import { formatDuration } from '../format';
import { dayKey, useTimeZone, zoneName, type TimeZoneChoice } from '../time-zone';

const STATUSES = ['completed', 'failed', 'cancelled', 'running', 'pending'] as const;
/** Days shown in the per-day chart. */
export const CHART_DAYS = 14;

/** The last CHART_DAYS calendar days in the page's time zone, each with its executions counted by status. */
function countPerDay(executions: WireExecution[], now: Date, zone: TimeZoneChoice) {
  const days = Array.from({ length: CHART_DAYS }, (_, i) => {
    const date = new Date(now);
    if (zone === 'utc') date.setUTCDate(now.getUTCDate() - (CHART_DAYS - 1 - i));
    else date.setDate(now.getDate() - (CHART_DAYS - 1 - i));
    const label = date.toLocaleDateString(undefined, {
      month: 'short',
      day: 'numeric',
      timeZone: zone === 'utc' ? 'UTC' : undefined,
    });
    return {
      key: dayKey(date, zone),
      label,
      counts: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<string, number>,
    };
  });
  const byKey = new Map(days.map((day) => [day.key, day]));
  for (const execution of executions) {
    const day = byKey.get(dayKey(new Date(execution.created_at), zone));
    if (day) day.counts[execution.status] = (day.counts[execution.status] ?? 0) + 1;
  }
  return days;
}

function PerDayChart({ executions }: { executions: WireExecution[] }) {
  const zone = useTimeZone();
  const days = countPerDay(executions, new Date(), zone);
  const max = Math.max(1, ...days.map((day) => STATUSES.reduce((sum, s) => sum + (day.counts[s] ?? 0), 0)));
  const width = 100 / days.length;
  return (
    <figure class="chart">
      <figcaption>
        Executions per day (last {CHART_DAYS} days, {zoneName(zone)})
      </figcaption>
      <svg
        viewBox="0 0 100 50"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Executions per day: ${days.map((d) => `${d.label} ${STATUSES.reduce((n, s) => n + (d.counts[s] ?? 0), 0)}`).join(', ')}`}
      >
        {days.map((day, i) => {
          let y = 50;
          return STATUSES.map((status) => {
            const count = day.counts[status] ?? 0;
            if (count === 0) return null;
            const h = (count / max) * 48;
            y -= h;
            return (
              <rect
                key={`${day.key}-${status}`}
                class={`bar-${status}`}
                x={i * width + width * 0.15}
                y={y}
                width={width * 0.7}
                height={h}
              >
                <title>{`${day.label}: ${count} ${status}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <div class="chart-axis">
        <span>{days[0]?.label}</span>
        <span>{days[days.length - 1]?.label}</span>
      </div>
      <ul class="legend">
        {STATUSES.slice(0, 3).map((s) => (
          <li key={s}>
            <span class={`swatch bar-${s}`} aria-hidden="true" />
            {s}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function DurationChart({ executions }: { executions: WireExecution[] }) {
  const finished = executions
    .filter((e) => e.duration_seconds !== null && e.completed_at)
    .slice(0, 200)
    .reverse();
  if (finished.length === 0)
    return (
      <figure class="chart">
        <figcaption>Duration over time</figcaption>
        <p class="muted">No finished executions yet.</p>
      </figure>
    );
  const max = Math.max(0.001, ...finished.map((e) => e.duration_seconds ?? 0));
  const step = finished.length > 1 ? 100 / (finished.length - 1) : 0;
  const points = finished.map(
    (e, i) => [finished.length > 1 ? i * step : 50, 48 - ((e.duration_seconds ?? 0) / max) * 46] as const,
  );
  return (
    <figure class="chart">
      <figcaption>
        Duration over time (last {finished.length} finished, max {formatDuration(max)})
      </figcaption>
      <svg
        viewBox="0 0 100 50"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Durations of the last ${finished.length} executions, longest ${formatDuration(max)}`}
      >
        <polyline
          class="duration-line"
          fill="none"
          points={points.map(([x, y]) => `${x},${y}`).join(' ')}
          vector-effect="non-scaling-stroke"
        />
        {points.map(([x, y], i) => {
          const execution = finished[i] as WireExecution;
          return (
            <circle key={execution.id} class={`dot-${execution.status}`} cx={x} cy={y} r={0.9}>
              <title>{`#${execution.id} ${execution.name}: ${formatDuration(execution.duration_seconds)} (${execution.status})`}</title>
            </circle>
          );
        })}
      </svg>
      <div class="chart-axis">
        <span>older</span>
        <span>newer</span>
      </div>
    </figure>
  );
}

/** Both charts, computed from the recent executions the dashboard already loaded. */
export function ExecutionsChart({ executions }: { executions: WireExecution[] }) {
  return (
    <div class="charts">
      <PerDayChart executions={executions} />
      <DurationChart executions={executions} />
    </div>
  );
}
