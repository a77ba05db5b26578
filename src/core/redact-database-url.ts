// Owns showing a database URL safely: the password replaced, everything else kept so an operator can tell which database. Pure.

/** The URL with its password (if any) replaced by `***`; a string that is not a URL is shown as `<unparseable URL>`. */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<unparseable URL>';
  }
  if (parsed.password !== '') parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.toString();
}
