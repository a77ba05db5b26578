// Owns the GitLab CI dialect: `section_start:TS:NAME[collapsed=true]` / `section_end:TS:NAME` -> nested steps.
import type { MarkerEvent } from './marker-event.js';

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
// The erase-line prefix GitLab scripts print so a terminal hides the marker; optional here.
const SECTION =
  // eslint-disable-next-line no-control-regex -- ESC [ 0 K is the prefix GitLab documents
  /^(?:\x1b\[0K)?section_(start|end):(\d{1,12}):([A-Za-z0-9_.-]{1,128})(\[[^\]\r]{0,256}\])?(\r(?:\x1b\[0K)?)?/;

/**
 * Reads one line that may hold a GitLab section marker. `section_start` opens a step named by the
 * header text after `\r\e[0K` (or by the section name when there is none); `section_end` closes the
 * section of that name and every section inside it. The printed unix timestamp comes along as `printedAt` (ms);
 * the engine uses it for the step's times when it is near the server's clock. Anything else is text.
 */
export function parseGitlabMarker(line: string): MarkerEvent {
  const match = SECTION.exec(line);
  if (match === null) return TEXT;
  const key = match[3] as string;
  const printedAt = Number(match[2]) * 1000;
  if (match[1] === 'end')
    return match[4] === undefined ? { kind: 'group_end', key, status: null, message: null, printedAt } : TEXT;
  const options = match[4] ?? '';
  const header = line.slice(match[0].length).replace(/\r$/, '').trim();
  return {
    kind: 'group_start',
    name: header === '' ? key : header,
    key,
    collapsed: /collapsed=true/.test(options),
    closing: 'explicit',
    printedAt,
  };
}
