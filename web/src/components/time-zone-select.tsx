// Owns the top bar's time zone picker: local or UTC for every time on every page.
import { localZoneId, setTimeZone, useTimeZone, type TimeZoneChoice } from '../time-zone';

/** A labelled select; the choice persists across visits. */
export function TimeZoneSelect() {
  const zone = useTimeZone();
  return (
    <span class="tz-select">
      <label for="time-zone">Time zone</label>
      <select
        id="time-zone"
        value={zone}
        onChange={(event) => setTimeZone(event.currentTarget.value as TimeZoneChoice)}
      >
        <option value="local">Local ({localZoneId()})</option>
        <option value="utc">UTC</option>
      </select>
    </span>
  );
}
