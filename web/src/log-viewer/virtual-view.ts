// Owns the virtualized log DOM: one capped spacer with scaled scrollTop, a pool of row divs moved as a block, rendering in rAF.
import type { WireLogLine } from '../../../src/core/wire-types';
import { formatClock, type TimeZoneChoice } from '../time-zone';
import { CHUNK, type LineStore } from './line-store';
import { renderLineText } from './render-line';

/** Row height in px; must match `.lv-row` line-height in the stylesheet. */
export const ROW = 20;
/** Browsers cap element height (~17.9M px in Firefox), so the spacer stays below and scrollTop is scaled. */
const MAX_SPACER = 15_000_000;
const PAD = 8;

/** How rows are drawn; changing any of these re-renders the visible rows. */
export interface ViewOptions {
  query: string;
  /** Index (within the selection) of the current search match. */
  currentIndex: number | null;
  /** Line number selected by a #L permalink. */
  selectedLine: number | null;
  /** The zone of the timestamp column (the page's one time zone). */
  timeZone: TimeZoneChoice;
  /** Step headers by the line number of the marker that opened the step: drawn as a header row instead of the marker's syntax. */
  headers?: ReadonlyMap<number, StepHeader>;
}

/** What a step's header row shows in place of its marker line (the stored line and the raw download keep the marker). */
export interface StepHeader {
  name: string;
  status: string;
  depth: number;
  /** Formatted duration, or '' while unknown. */
  duration: string;
}

/** The imperative viewer: knows nothing of Preact, so a million-line log never goes through a virtual DOM. */
export class VirtualView {
  readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private options: ViewOptions = { query: '', currentIndex: null, selectedLine: null, timeZone: 'local' };
  private version = 0;
  private frame = 0;
  private expectedTop: number | null = null;
  following = false;

  constructor(
    host: HTMLElement,
    private readonly store: LineStore,
    private readonly onFollowChange: (following: boolean) => void,
  ) {
    this.scroller = document.createElement('div');
    this.scroller.className = 'lv-scroller';
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'log');
    this.spacer = document.createElement('div');
    this.spacer.className = 'lv-spacer';
    this.rows = document.createElement('div');
    this.rows.className = 'lv-rows';
    this.spacer.appendChild(this.rows);
    this.scroller.appendChild(this.spacer);
    host.appendChild(this.scroller);
    this.scroller.addEventListener('scroll', this.onScroll, { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  private readonly onScroll = (): void => {
    const top = this.scroller.scrollTop;
    const programmatic = this.expectedTop !== null && Math.abs(top - this.expectedTop) < 2;
    this.expectedTop = null;
    if (!programmatic) this.setFollowing(top >= this.maxScroll() - 4);
    this.schedule();
  };

  /** Turns tail-following on or off (the "jump to end" control turns it on). */
  setFollowing(following: boolean): void {
    if (following === this.following) return;
    this.following = following;
    this.onFollowChange(following);
    if (following) this.schedule();
  }

  /** Changes how rows are drawn (search, permalink, time zone) and redraws the visible ones. */
  setOptions(options: ViewOptions): void {
    this.options = options;
    this.version += 1;
    this.schedule();
  }

  /** Re-renders on the next animation frame, at most once per frame. */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private contentHeight(): number {
    return this.store.total * ROW + PAD;
  }

  private maxScroll(): number {
    return Math.max(0, this.spacer.offsetHeight - this.scroller.clientHeight);
  }

  /** Virtual px per real scroll px (1 unless the log is taller than the spacer cap). */
  private factor(): number {
    const real = this.maxScroll();
    const virtual = this.contentHeight() - this.scroller.clientHeight;
    return real > 0 && virtual > real ? virtual / real : 1;
  }

  /** Scrolls so that `index` is in view, a third from the top. */
  scrollToIndex(index: number): void {
    this.setFollowing(false);
    this.updateSpacer();
    const target = Math.max(0, index * ROW - this.scroller.clientHeight / 3);
    this.setScrollTop(target / this.factor());
  }

  private setScrollTop(top: number): void {
    this.expectedTop = Math.round(Math.min(top, this.maxScroll()));
    this.scroller.scrollTop = top;
    this.schedule();
  }

  private updateSpacer(): void {
    const height = `${Math.min(this.contentHeight(), MAX_SPACER)}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
  }

  private render(): void {
    this.updateSpacer();
    if (this.following && Math.abs(this.scroller.scrollTop - this.maxScroll()) > 1) this.setScrollTop(this.maxScroll());
    const viewport = this.scroller.clientHeight;
    const top = this.scroller.scrollTop;
    const virtualTop = top * this.factor();
    const first = Math.floor(virtualTop / ROW);
    const count = Math.min(Math.ceil(viewport / ROW) + 2, Math.max(0, this.store.total - first));
    while (this.pool.length < count) this.pool.push(this.rows.appendChild(createRow()));
    this.rows.style.transform = `translateY(${top - (virtualTop - first * ROW)}px)`;
    for (let slot = 0; slot < this.pool.length; slot += 1) {
      const row = this.pool[slot] as HTMLDivElement;
      if (slot >= count) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      this.fillRow(row, first + slot);
    }
    if (count > 0) this.store.touch(Math.floor(first / CHUNK));
  }

  private fillRow(row: HTMLDivElement, index: number): void {
    const line = this.store.get(index);
    const key = line ? `${line.line}:${this.version}` : `pending:${index}`;
    if (row.dataset.key === key) return;
    row.dataset.key = key;
    if (!line) {
      paintPending(row);
      return;
    }
    paintLine(row, line, this.options, index);
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.scroller.remove();
  }
}

function createRow(): HTMLDivElement {
  const row = document.createElement('div');
  row.className = 'lv-row';
  const number = document.createElement('a');
  number.className = 'lv-ln';
  const time = document.createElement('span');
  time.className = 'lv-ts';
  time.setAttribute('aria-hidden', 'true');
  const text = document.createElement('span');
  text.className = 'lv-text';
  row.append(number, time, text);
  return row;
}

function paintPending(row: HTMLDivElement): void {
  row.className = 'lv-row pending';
  const [number, time, text] = row.children as unknown as [HTMLAnchorElement, HTMLSpanElement, HTMLSpanElement];
  number.removeAttribute('href');
  number.dataset.n = '';
  time.dataset.ts = '';
  text.textContent = '…';
}

function paintLine(row: HTMLDivElement, line: WireLogLine, options: ViewOptions, index: number): void {
  const [number, time, text] = row.children as unknown as [HTMLAnchorElement, HTMLSpanElement, HTMLSpanElement];
  // Line numbers and times are drawn by CSS ::before from data attributes, so copying the log copies only its text.
  number.dataset.n = String(line.line);
  number.href = `#L${line.line}`;
  number.setAttribute('aria-label', `line ${line.line}`);
  time.dataset.ts = formatClock(line.timestamp, options.timeZone);
  const current = options.currentIndex === index;
  const header = options.headers?.get(line.line);
  const matched = header ? paintHeader(text, header) : renderLineText(text, line.content, options.query, current);
  let className = header ? `lv-row step-header step-${header.status}` : 'lv-row';
  if (line.stream === 'stderr') className += ' err';
  if (line.stream === 'system') className += ' sys';
  if (matched) className += ' match';
  if (current) className += ' current';
  if (options.selectedLine === line.line) className += ' selected';
  row.className = className;
  row.id = '';
  row.title = header ? line.content : line.stream === 'stderr' ? 'stderr' : '';
}

/** Draws a step header: indentation by depth, the step's name, status and duration; never a search match. */
function paintHeader(text: HTMLSpanElement, header: StepHeader): boolean {
  text.textContent = '';
  const name = document.createElement('span');
  name.className = 'lv-step-name';
  name.textContent = `${'  '.repeat(Math.min(header.depth, 12))}▸ ${header.name}`;
  const status = document.createElement('span');
  status.className = `lv-step-status status-${header.status}`;
  status.textContent = ` ${header.status}${header.duration === '' ? '' : ` in ${header.duration}`}`;
  text.append(name, status);
  return false;
}
