// Owns the progress bar of a running execution.

/** A labelled progress bar (0–100). */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
    >
      <div class="progress-fill" style={{ width: `${clamped}%` }} />
    </div>
  );
}
