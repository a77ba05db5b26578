// Owns bringing a #L permalink's log into the window and keeping it there while the page above it is still loading.
import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

const USER_INPUT = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;

/**
 * For a page opened at a #L permalink, centres `target` (the full log, which scrolls itself to the line) whenever the
 * page's height changes, until the user scrolls or clicks: step logs above it load after it and would push the line below
 * the fold. Lines picked later (a click on a line number, Jump to line) are already in view.
 */
export function usePermalinkInView(target: RefObject<HTMLElement | null>, line: number | null, ready: boolean): void {
  const opened = useRef(line);
  useEffect(() => {
    const element = target.current;
    if (opened.current === null || !ready || !element) return undefined;
    const place = () => element.scrollIntoView({ block: 'center' });
    const observer = new ResizeObserver(place);
    observer.observe(document.body);
    const stop = () => {
      observer.disconnect();
      for (const type of USER_INPUT) window.removeEventListener(type, stop);
    };
    for (const type of USER_INPUT) window.addEventListener(type, stop, { passive: true });
    return stop;
  }, [ready]);
}
