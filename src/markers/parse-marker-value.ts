// Owns the typing of marker option and META values: booleans, numbers, else strings.

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Types one raw value: `true`/`false` become booleans, numerals numbers, anything else a string (quotes stripped). */
export function parseMarkerValue(raw: string): unknown {
  const text = raw.trim();
  const quoted = unquote(text);
  // A quoted value is the writer saying "this is a string", as in JSON: `"30"` stays text.
  if (quoted !== null) return quoted;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return value;
  }
  return text;
}

/** Returns the inside of a `"…"` or `'…'` string (backslash escapes undone), or null when not quoted. */
export function unquote(text: string): string | null {
  if (text.length < 2) return null;
  const first = text[0];
  if ((first !== '"' && first !== "'") || text[text.length - 1] !== first) return null;
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}
