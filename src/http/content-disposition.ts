// Owns the Content-Disposition header of downloads: an ASCII fallback plus the exact name in RFC 8187 encoding.

/** `attachment; filename="…"; filename*=UTF-8''…` for any name, safe against quotes, CR/LF and non-ASCII. */
export function contentDisposition(fileName: string): string {
  // encodeURIComponent throws on a lone surrogate; such a name gets U+FFFD instead.
  const name = fileName.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  // The quoted fallback is for old clients only: anything outside printable ASCII, and quote/backslash/percent, becomes _.
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'artifact';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
