// Owns the history filter form; its values live in the URL query so a filtered view is a shareable link.
import { useState } from 'preact/hooks';

/** Filter keys the API understands (GET /api/executions). */
export const FILTER_KEYS = ['status', 'user', 'tag', 'q', 'from', 'to'] as const;
/** A filter value by key. */
export type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

/** The filter bar; submitting replaces the URL query (and resets to the first page). */
export function HistoryFilters({ initial, onApply }: { initial: Filters; onApply: (filters: Filters) => void }) {
  const [values, setValues] = useState<Filters>(initial);
  const bind = (key: keyof Filters) => ({
    id: `h-${key}`,
    name: key,
    value: values[key] ?? '',
    onInput: (event: Event) => setValues({ ...values, [key]: (event.currentTarget as HTMLInputElement).value }),
  });
  return (
    <form
      class="filters card"
      role="search"
      aria-label="Filter executions"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(values);
      }}
    >
      <div class="field">
        <label for="h-q">Text</label>
        <input type="search" placeholder="name or command" {...bind('q')} />
      </div>
      <div class="field">
        <label for="h-status">Status</label>
        <select {...bind('status')} onChange={(event) => setValues({ ...values, status: event.currentTarget.value })}>
          <option value="">any</option>
          {['pending', 'running', 'completed', 'failed', 'cancelled'].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="h-user">User</label>
        <input {...bind('user')} />
      </div>
      <div class="field">
        <label for="h-tag">Tag</label>
        <input {...bind('tag')} />
      </div>
      <div class="field">
        <label for="h-from">Created from</label>
        <input type="date" {...bind('from')} />
      </div>
      <div class="field">
        <label for="h-to">Created to</label>
        <input type="date" {...bind('to')} />
      </div>
      <div class="field actions">
        <button type="submit" class="primary">
          Apply
        </button>
        <button
          type="button"
          onClick={() => {
            setValues({});
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
