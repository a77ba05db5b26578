// Owns collecting how long each test file took: a node:test reporter that writes one JSON line per file.

/**
 * Yields `{"file", "ms"}` lines. Node reports a file-level `test:complete` named after the file when it runs
 * each file in its own process; when a Node version does not, the file's top-level test durations are summed.
 */
export default async function* fileDurationsReporter(source) {
  const wholeFile = new Map();
  const summed = new Map();
  for await (const event of source) {
    if (event.type !== 'test:complete' && event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { file, name, nesting, details } = event.data;
    const ms = details?.duration_ms;
    if (typeof file !== 'string' || typeof ms !== 'number' || nesting !== 0) continue;
    if (event.type === 'test:complete' && name === file) wholeFile.set(file, ms);
    else if (event.type !== 'test:complete') summed.set(file, (summed.get(file) ?? 0) + ms);
  }
  for (const [file, ms] of summed) if (!wholeFile.has(file)) wholeFile.set(file, ms);
  for (const [file, ms] of wholeFile) yield `${JSON.stringify({ file, ms })}\n`;
}
