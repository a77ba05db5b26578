// Owns client-side routing: the current path and query as a Preact signal-like hook, navigation, and in-app links.
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', notify);
window.addEventListener('hashchange', notify);

/** Moves to an in-app URL without reloading; `replace` keeps the history entry (used for filter changes). */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  if (!url.includes('#')) window.scrollTo(0, 0);
  notify();
}

/** The current location, re-rendering the caller whenever it changes. */
export function useLocation(): { path: string; query: URLSearchParams; hash: string } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search), hash: location.hash };
}

/** Handles a click on an in-app anchor: plain left clicks navigate in place, modified clicks open as the browser would. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement | null;
  if (
    !anchor ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/');
}
