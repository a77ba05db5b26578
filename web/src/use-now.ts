// Owns a ticking clock for live durations.
import { useEffect, useState } from 'preact/hooks';

/** The current time, refreshed every `ms` while `active` (no timer otherwise). */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [active, ms]);
  return active ? now : Date.now();
}
