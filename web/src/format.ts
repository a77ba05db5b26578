// Owns how numbers, durations, sizes and times read in the dashboard.

/** 75 -> "1m 15s"; null -> "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return h > 0 ? `${h}h ${m}m` : `${m}m ${s}s`;
}

/** 2048 -> "2.0 KB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** 1, "line" -> "1 line"; 3 -> "3 lines" (regular plurals only). */
export function formatCount(count: number, singular: string): string {
  return `${count.toLocaleString()} ${singular}${count === 1 ? '' : 's'}`;
}

/** "3 minutes ago" style, for lists. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 60) return `${Math.floor(seconds)}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** A command as one shell line: argv parts in POSIX single quotes where needed, so `$`, spaces and quotes read (and paste) literally. */
export function formatCommand(command: string | string[]): string {
  if (!Array.isArray(command)) return command;
  return command.map((part) => (SAFE_WORD.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** Seconds an execution has run so far (live for running ones). */
export function elapsedSeconds(
  startedAt: string | null,
  completedAt: string | null,
  fallback: number | null,
  now = Date.now(),
): number | null {
  if (!startedAt) return fallback;
  const end = completedAt ? Date.parse(completedAt) : now;
  return Math.max(0, (end - Date.parse(startedAt)) / 1000);
}
