// Owns finding the command examples in README.md and docs/*.md and splitting them into words the way a shell would.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** One documentation file: its path from the root and its text. */
export interface DocFile {
  path: string;
  text: string;
}

/** One command example: where it is written and the command as a shell would read it (continuations joined). */
export interface DocExample {
  where: string;
  command: string;
  /** True for an inline code span, false for a line of a fenced block. */
  inline: boolean;
}

/** README.md and every docs/*.md. */
export function readDocs(): DocFile[] {
  const names = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  return names.map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

/** Commands in fenced blocks (one per line, `\` continuations joined, a leading `$ ` dropped) and in inline code spans. */
export function findExamples(doc: DocFile, startsWith: RegExp): DocExample[] {
  const found: DocExample[] = [];
  const lines = doc.text.split('\n');
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      let command = line.replace(/^\s*\$ /, '');
      const first = i;
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
      if (startsWith.test(command.trim()))
        found.push({ where: `${doc.path}:${first + 1}`, command: command.trim(), inline: false });
      continue;
    }
    // A table cell escapes its pipes as `\|`; inside the span they are the shell's (or a placeholder's) pipes.
    for (const match of line.matchAll(/`([^`]+)`/g)) {
      const span = match[1]!.replace(/\\\|/g, '|');
      if (startsWith.test(span)) found.push({ where: `${doc.path}:${i + 1}`, command: span, inline: true });
    }
  }
  return found;
}

/**
 * The words of the first command of a shell line: quotes and backslashes as sh reads them; the line stops at an
 * unquoted pipe, `;`, `&&`, redirection or comment. Leading `NAME=value` assignments are dropped.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++)
        text += line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '') ? line[++i] : line[i];
      word = (word ?? '') + text;
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if ((word === null && (c === '|' || c === ';' || c === '>' || c === '#')) || line.startsWith('&&', i)) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) words.shift();
  return words;
}

/**
 * Replaces a synopsis' placeholders by sample values: `<id|name>` -> `1`, `viewer|operator|admin` -> `viewer`,
 * `[--storage DIR]` -> `--storage DIR`; `[options]`, `[args…]` and `…` are dropped.
 */
export function fillPlaceholders(command: string): string {
  return command
    .replace(/\[(options|args…|args\.\.\.)\]/g, '')
    .replace(/\[([^\]]*)\]/g, '$1')
    .replace(/<[^>]+>/g, '1')
    .replace(/\b([\w-]+)(\|[\w-]+)+\b/g, '$1')
    .replace(/(^|\s)(…|\.\.\.)(?=\s|$)/g, '$1');
}
