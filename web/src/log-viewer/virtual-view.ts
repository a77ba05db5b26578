// Owns the virtualized log DOM: one capped spacer with scaled scrollTop, a pool of row divs moved as a block, rendering in rAF.
import type { WireLogLine } from '../../../src/core/wire-types';
import { formatClock, type TimeZoneChoice } from '../time-zone';
import { CHUNK, type LineStore } from './line-store';
import { renderLineText } from './render-line';
import { StepFolds, type StepHeader } from './step-folds';

export type { StepHeader } from './step-folds';

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
  /**
   * The execution's steps: each one's opening marker line is drawn as a header row instead of the marker's syntax. In
   * the full, unfiltered log (row index = line number − 1) headers fold and closing-marker lines are hidden.
   */
  headers?: readonly StepHeader[];
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
  private readonly folds: StepFolds;
  following = false;

  constructor(
    private readonly host: HTMLElement,
    private readonly store: LineStore,
    private readonly onFollowChange: (following: boolean) => void,
    foldable = false,
  ) {
    this.folds = new StepFolds(foldable);
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
    this.rows.addEventListener('click', this.onClick);
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  private readonly onScroll = (): void => {
    const top = this.scroller.scrollTop;
    const programmatic = this.expectedTop !== null && Math.abs(top - this.expectedTop) < 2;
    this.expectedTop = null;
    if (!programmatic) this.setFollowing(top >= this.maxScroll() - 4);
    this.schedule();
  };

  /** A header row's fold button folds or unfolds its step. */
  private readonly onClick = (event: MouseEvent): void => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button.lv-fold');
    const id = button?.dataset.step;
    if (id === undefined) return;
    this.folds.toggle(id);
    this.version += 1;
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
    if (options.headers !== this.options.headers) this.folds.setHeaders(options.headers ?? []);
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

  /** Rows drawn: the stored lines less those hidden by folds and closing markers. */
  private visibleTotal(): number {
    return this.folds.visibleCount(this.store.total);
  }

  private contentHeight(): number {
    return this.visibleTotal() * ROW + PAD;
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

  /** Scrolls so that stored line `index` is in view, a third from the top, unfolding the steps that hide it. */
  scrollToIndex(index: number): void {
    this.setFollowing(false);
    if (this.folds.reveal(index)) this.version += 1;
    this.updateSpacer();
    const target = Math.max(0, this.folds.toVisible(index) * ROW - this.scroller.clientHeight / 3);
    this.setScrollTop(target / this.factor());
  }

  private setScrollTop(top: number): void {
    this.expectedTop = Math.round(Math.min(top, this.maxScroll()));
    this.scroller.scrollTop = top;
    this.schedule();
  }

  private updateSpacer(): void {
    const height = `${Math.min(this.contentHeight(), MAX_SPACER)}px`;
    if (this.spacer.style.height === height) return;
    this.spacer.style.height = height;
    // The box is sized by the rows drawn, so folded groups and hidden closing markers leave no empty space.
    this.host.style.setProperty('--lv-rows', String(this.visibleTotal()));
  }

  private render(): void {
    this.updateSpacer();
    if (this.following && Math.abs(this.scroller.scrollTop - this.maxScroll()) > 1) this.setScrollTop(this.maxScroll());
    const viewport = this.scroller.clientHeight;
    const top = this.scroller.scrollTop;
    const virtualTop = top * this.factor();
    const first = Math.floor(virtualTop / ROW);
    const count = Math.min(Math.ceil(viewport / ROW) + 2, Math.max(0, this.visibleTotal() - first));
    while (this.pool.length < count) this.pool.push(this.rows.appendChild(createRow()));
    this.rows.style.transform = `translateY(${top - (virtualTop - first * ROW)}px)`;
    for (let slot = 0; slot < this.pool.length; slot += 1) {
      const row = this.pool[slot] as HTMLDivElement;
      if (slot >= count) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      this.fillRow(row, this.folds.toStore(first + slot));
    }
    if (count > 0) this.store.touch(Math.floor(this.folds.toStore(first) / CHUNK));
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
    paintLine(row, line, this.options, index, this.folds);
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

function paintLine(
  row: HTMLDivElement,
  line: WireLogLine,
  options: ViewOptions,
  index: number,
  folds: StepFolds,
): void {
  const [number, time, text] = row.children as unknown as [HTMLAnchorElement, HTMLSpanElement, HTMLSpanElement];
  // Line numbers and times are drawn by CSS ::before from data attributes, so copying the log copies only its text.
  number.dataset.n = String(line.line);
  number.href = `#L${line.line}`;
  number.setAttribute('aria-label', `line ${line.line}`);
  time.dataset.ts = formatClock(line.timestamp, options.timeZone);
  const current = options.currentIndex === index;
  const header = folds.header(line.line);
  const matched = header
    ? paintHeader(text, header, folds.isFolded(header.id))
    : renderLineText(text, line.content, options.query, current);
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

/** Draws a step header: indentation by depth, a fold button with the step's name, status and duration; never a search match. */
function paintHeader(text: HTMLSpanElement, header: StepHeader, folded: boolean): boolean {
  text.textContent = '';
  const name = document.createElement('button');
  name.type = 'button';
  name.className = 'lv-fold lv-step-name';
  name.dataset.step = header.id;
  name.setAttribute('aria-expanded', String(!folded));
  name.textContent = `${'  '.repeat(Math.min(header.depth, 12))}${folded ? '▸' : '▾'} ${header.name}`;
  const status = document.createElement('span');
  status.className = `lv-step-status status-${header.status}`;
  status.textContent = ` ${header.status}${header.duration === '' ? '' : ` in ${header.duration}`}`;
  text.append(name, status);
  return false;
}
