// Owns turning one stored log line into DOM: ANSI colours via anser, `\r` overwrite, erase codes removed, safe links, search marks.
import Anser from 'anser';

// Cursor movement and erase sequences (everything CSI except SGR `m`) and OSC titles/hyperlinks are not drawn as text.
// eslint-disable-next-line no-control-regex
const NON_SGR = /\x1b\[[0-9;?]*[ -/]*[@-ln-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}]/g;
const NAMED = new Set([
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'bright-black',
  'bright-red',
  'bright-green',
  'bright-yellow',
  'bright-blue',
  'bright-magenta',
  'bright-cyan',
  'bright-white',
]);

/** What a terminal would leave on screen: text after the last `\r` (progress bars show their final state), erase codes dropped. */
export function terminalText(content: string): string {
  const clean = content.replace(NON_SGR, '');
  const trimmed = clean.endsWith('\r') ? clean.slice(0, -1) : clean;
  const cut = trimmed.lastIndexOf('\r');
  if (cut === -1) return trimmed;
  // Colours set before the carriage return still apply to what follows it.
  const before = trimmed.slice(0, cut).match(SGR)?.join('') ?? '';
  return before + trimmed.slice(cut + 1);
}

/** Visible text only (no escapes), as the server's search matches it. */
export function plainText(content: string): string {
  return terminalText(content).replace(SGR, '');
}

function paletteColour(index: number): string | null {
  if (index < 16) return null;
  if (index >= 232) {
    const level = 8 + (index - 232) * 10;
    return `rgb(${level},${level},${level})`;
  }
  const n = index - 16;
  const steps = [0, 95, 135, 175, 215, 255];
  return `rgb(${steps[Math.floor(n / 36)]},${steps[Math.floor(n / 6) % 6]},${steps[n % 6]})`;
}

function styleSpan(span: HTMLElement, entry: Anser.AnserJsonEntry): void {
  for (const [value, truecolor, kind] of [
    [entry.fg, entry.fg_truecolor, 'fg'],
    [entry.bg, entry.bg_truecolor, 'bg'],
  ] as const) {
    if (!value) continue;
    const name = value.replace(/^ansi-/, '');
    const palette = /^palette-(\d+)$/.exec(name);
    const colour =
      name === 'truecolor' && truecolor ? `rgb(${truecolor})` : palette ? paletteColour(Number(palette[1])) : null;
    if (NAMED.has(name)) span.classList.add(`a-${kind}-${name}`);
    else if (palette && Number(palette[1]) < 16) span.classList.add(`a-${kind}-p${palette[1]}`);
    else if (colour) span.style[kind === 'fg' ? 'color' : 'backgroundColor'] = colour;
  }
  for (const decoration of entry.decorations) span.classList.add(`a-${decoration}`);
}

/** Appends `text` to `parent`, wrapping the parts inside `marks` ([start, end) in line coordinates) in <mark>. */
function appendMarked(
  parent: Node,
  text: string,
  start: number,
  marks: readonly [number, number][],
  currentMark: boolean,
): void {
  let cursor = 0;
  for (const [from, to] of marks) {
    const a = Math.max(from - start, cursor);
    const b = Math.min(to - start, text.length);
    if (b <= a) continue;
    if (a > cursor) parent.appendChild(document.createTextNode(text.slice(cursor, a)));
    const mark = document.createElement('mark');
    if (currentMark) mark.className = 'current';
    mark.textContent = text.slice(a, b);
    parent.appendChild(mark);
    cursor = b;
  }
  if (cursor < text.length) parent.appendChild(document.createTextNode(text.slice(cursor)));
}

/** Appends one colour segment, turning http(s) URLs into links that open safely. */
function appendSegment(
  parent: HTMLElement,
  text: string,
  start: number,
  marks: readonly [number, number][],
  currentMark: boolean,
): void {
  let cursor = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index;
    if (index > cursor) appendMarked(parent, text.slice(cursor, index), start + cursor, marks, currentMark);
    const link = document.createElement('a');
    link.href = match[0];
    link.rel = 'noopener noreferrer nofollow';
    link.target = '_blank';
    appendMarked(link, match[0], start + index, marks, currentMark);
    parent.appendChild(link);
    cursor = index + match[0].length;
  }
  if (cursor < text.length) appendMarked(parent, text.slice(cursor), start + cursor, marks, currentMark);
}

function findMarks(plain: string, query: string): [number, number][] {
  if (!query) return [];
  const marks: [number, number][] = [];
  const haystack = plain.toLowerCase();
  const needle = query.toLowerCase();
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length))
    marks.push([at, at + needle.length]);
  return marks;
}

/** Fills `target` with the line's text as DOM nodes (never HTML), highlighting `query`; answers whether it matched. */
export function renderLineText(target: HTMLElement, content: string, query: string, current: boolean): boolean {
  target.textContent = '';
  const text = terminalText(content);
  const hasEscapes = text.includes('\x1b');
  const entries = hasEscapes ? Anser.ansiToJson(text, { use_classes: true, remove_empty: true }) : null;
  const plain = entries ? entries.map((entry) => entry.content).join('') : text;
  const marks = findMarks(plain, query);
  if (!entries) {
    appendSegment(target, plain, 0, marks, current);
    return marks.length > 0;
  }
  let offset = 0;
  for (const entry of entries) {
    const plainStyle = !entry.fg && !entry.bg && entry.decorations.length === 0;
    const holder = plainStyle ? target : document.createElement('span');
    if (!plainStyle) {
      styleSpan(holder, entry);
      target.appendChild(holder);
    }
    appendSegment(holder, entry.content, offset, marks, current);
    offset += entry.content.length;
  }
  return marks.length > 0;
}
