// Owns the four headline figures of the dashboard.
import type { Statistics } from '../api';
import { formatDuration } from '../format';

/** Totals, active now, success rate and average duration; the last two read "–" until some run has finished. */
export function StatsCards({ stats }: { stats: Statistics | null }) {
  const by = stats?.by_status ?? {};
  const finished = (by.completed ?? 0) + (by.failed ?? 0) + (by.cancelled ?? 0);
  const cards: [string, string, string][] = stats
    ? [
        ['Total executions', stats.total_executions.toLocaleString(), 'total'],
        ['Active now', `${stats.active_now}`, `${stats.running_now} running · ${stats.queued_now} queued`],
        ['Success rate', finished === 0 ? '–' : `${stats.success_rate.toFixed(1)}%`, 'of finished executions'],
        ['Average duration', finished === 0 ? '–' : formatDuration(stats.avg_duration), 'of finished executions'],
      ]
    : [];
  return (
    <div class="stats" aria-busy={stats === null}>
      {cards.map(([label, value, hint]) => (
        <div class="card stat" key={label}>
          <div class="stat-label">{label}</div>
          <div class="stat-value" data-stat={label}>
            {value}
          </div>
          <div class="stat-hint">{hint}</div>
        </div>
      ))}
    </div>
  );
}
