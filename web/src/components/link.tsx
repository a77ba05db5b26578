// Owns in-app links: real anchors (open in new tab works) that navigate without reloading.
import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../router';

/** An anchor to an in-app URL. */
export function Link({
  href,
  children,
  class: className,
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <a href={href} class={className} onClick={onLinkClick}>
      {children}
    </a>
  );
}
