// Owns the browser tab's title, so a tab says which page, and for a run its status, without being opened.
import { useEffect } from 'preact/hooks';

/** Sets `document.title` to `title` while the caller is shown (and whenever it changes). */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}
