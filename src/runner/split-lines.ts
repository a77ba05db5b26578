// Owns turning one output stream's raw bytes into text lines (UTF-8 decoding, newline handling, line-length cap).
import { StringDecoder } from 'node:string_decoder';

/**
 * Receives one line, or one piece of a line longer than the cap. `continuation` is true for every
 * piece after a line's first: it does not start a line, so it must never be read as a marker.
 */
export type OnLine = (text: string, continuation: boolean) => void;

/** A stateful byte-to-line splitter for one stream. */
export interface LineSplitter {
  /** Feeds the next chunk of bytes; complete lines are emitted synchronously. */
  push(chunk: Buffer): void;
  /** Flushes a final unterminated line, if any; call once when the stream has ended. */
  end(): void;
}

const CR = 13;

/**
 * Creates a splitter that emits each line without its `\n` / `\r\n` terminator; lines longer than
 * `maxLineChars` are emitted in pieces of that size so a newline-free stream never grows a buffer.
 */
export function createLineSplitter(onLine: OnLine, maxLineChars = 1_048_576): LineSplitter {
  if (!Number.isInteger(maxLineChars) || maxLineChars < 2)
    throw new RangeError(`maxLineChars must be an integer >= 2, got ${maxLineChars}`);
  // StringDecoder keeps a partial multi-byte sequence between chunks and turns invalid bytes into U+FFFD.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  // True once a piece of the line being gathered in `pending` was emitted: the rest continues it.
  let continued = false;

  const emitLine = (line: string): void => {
    const content = line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
    emitPieces(content, maxLineChars, continued, onLine);
    continued = false;
  };

  const take = (text: string): void => {
    if (text.length === 0) return;
    let start = 0;
    let newline = text.indexOf('\n');
    if (newline !== -1 && pending.length > 0) {
      const first = pending + text.slice(0, newline);
      pending = '';
      emitLine(first);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    while (newline !== -1) {
      emitLine(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) pending += start === 0 ? text : text.slice(start);
    const rest = emitOverflow(pending, maxLineChars, continued, onLine);
    if (rest !== pending) continued = true;
    pending = rest;
  };

  return {
    push: (chunk) => take(decoder.write(chunk)),
    end: () => {
      take(decoder.end());
      const rest = pending;
      pending = '';
      if (rest.length > 0) {
        const content = rest.charCodeAt(rest.length - 1) === CR ? rest.slice(0, -1) : rest;
        if (content.length > 0) emitPieces(content, maxLineChars, continued, onLine);
      }
      continued = false;
    },
  };
}

/** Emits a complete line (or the end of one already `continued`), cut into pieces of at most `max` characters. */
function emitPieces(content: string, max: number, continued: boolean, onLine: OnLine): void {
  if (content.length <= max) {
    onLine(content, continued);
    return;
  }
  let rest = content;
  let continuation = continued;
  while (rest.length > max) {
    const cut = safeCut(rest, max);
    onLine(rest.slice(0, cut), continuation);
    continuation = true;
    rest = rest.slice(cut);
  }
  if (rest.length > 0) onLine(rest, true);
}

/**
 * Emits full pieces of a still-growing partial line and returns what is kept. A trailing `\r` is
 * not counted, because it may be the first half of a `\r\n` split across chunks.
 */
function emitOverflow(pending: string, max: number, continued: boolean, onLine: OnLine): string {
  let rest = pending;
  let continuation = continued;
  const trailingCr = (s: string): number => (s.charCodeAt(s.length - 1) === CR ? 1 : 0);
  while (rest.length - trailingCr(rest) > max) {
    const cut = safeCut(rest, max);
    onLine(rest.slice(0, cut), continuation);
    continuation = true;
    rest = rest.slice(cut);
  }
  return rest;
}

/** Moves a cut left by one when it would split a UTF-16 surrogate pair. */
function safeCut(text: string, max: number): number {
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
