// Owns timers longer than setTimeout's 24.8-day limit (a longer delay would fire immediately).

const MAX_TIMER_MS = 2_147_483_647;

/** Calls `fn` once after `delayMs` (any length); returns a function that cancels it. */
export function startLongTimer(delayMs: number, fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = (remaining: number): void => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    timer = setTimeout(() => {
      timer = null;
      if (remaining > step) arm(remaining - step);
      else fn();
    }, step);
  };
  arm(delayMs);
  return () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
}
