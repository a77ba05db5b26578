// Owns the option syntaxes of STEP_START: `[k=v, …]`, `{k:v, …}` and `--k=v`, in any sequence.
import { parseMarkerValue, unquote } from './parse-marker-value.js';

/** The options of one marker, or a sentence naming why they could not be read. */
export type MarkerOptionsResult = { ok: true; options: Record<string, unknown> } | { ok: false; problem: string };

/**
 * Parses the option part of a STEP_START marker (the text from its first `[`, `{` or `--`).
 * Blocks may follow one another; a later key overrides an earlier one.
 */
export function parseMarkerOptions(text: string): MarkerOptionsResult {
  const options: Record<string, unknown> = {};
  let at = skipSpaces(text, 0);
  while (at < text.length) {
    const open = text[at];
    let problem: string | null;
    if (open === '[' || open === '{') {
      const close = open === '[' ? ']' : '}';
      const end = findUnquoted(text, at + 1, (ch) => ch === close);
      if (end < 0) return { ok: false, problem: `the "${open}" option block is not closed with "${close}"` };
      problem = readEntries(text.slice(at + 1, end), open === '[' ? '=' : ':', options);
      at = end + 1;
    } else if (text.startsWith('--', at)) {
      const end = findUnquoted(text, at, (ch) => /\s/.test(ch));
      const stop = end < 0 ? text.length : end;
      problem = readEntry(text.slice(at + 2, stop), '=', options);
      at = stop;
    } else {
      return { ok: false, problem: `unexpected text "${text.slice(at)}" after the step options` };
    }
    if (problem !== null) return { ok: false, problem };
    at = skipSpaces(text, at);
  }
  return { ok: true, options };
}

/** Reads the comma-separated entries of one block; empty entries (`[a=1,]`) are tolerated. */
function readEntries(body: string, separator: string, into: Record<string, unknown>): string | null {
  let start = 0;
  while (start <= body.length) {
    const comma = findUnquoted(body, start, (ch) => ch === ',');
    const end = comma < 0 ? body.length : comma;
    const entry = body.slice(start, end);
    if (entry.trim() !== '') {
      const problem = readEntry(entry, separator, into);
      if (problem !== null) return problem;
    }
    start = end + 1;
  }
  return null;
}

function readEntry(entry: string, separator: string, into: Record<string, unknown>): string | null {
  const split = findUnquoted(entry, 0, (ch) => ch === separator);
  const shown = entry.trim();
  if (split < 0) return `option "${shown}" has no "${separator}" between its name and value`;
  const rawKey = entry.slice(0, split).trim();
  const key = unquote(rawKey) ?? rawKey;
  if (key === '') return `option "${shown}" has an empty name`;
  into[key] = parseMarkerValue(entry.slice(split + 1));
  return null;
}

/**
 * Index of the first character matching `wanted` outside quotes, or -1 (also when a quote never
 * closes). A quote only opens at the start of a key or value, so `[note=don't]` stays readable.
 */
function findUnquoted(text: string, from: number, wanted: (ch: string) => boolean): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (wanted(ch)) {
      return i;
    } else if ((ch === '"' || ch === "'") && opensValue(text[i - 1])) {
      quote = ch;
    }
  }
  return -1;
}

function opensValue(previous: string | undefined): boolean {
  return previous === undefined || /[\s[{,=:]/.test(previous);
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}
