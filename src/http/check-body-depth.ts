// Owns refusing JSON bodies nested deeper than any client needs, before validation, storage or serialization recurse into them.
import { AppError } from '../core/app-error.js';

/** Deepest nesting of objects and arrays a JSON body may have (the body itself is level 1). */
export const MAX_BODY_DEPTH = 32;

/** Throws validation_failed naming the first field that nests past `maxDepth`; walks iteratively, so any depth is safe to check. */
export function checkBodyDepth(body: unknown, maxDepth: number = MAX_BODY_DEPTH): void {
  if (nestsWithin(body, maxDepth)) return;
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: body, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) {
      const field = path.split('.')[0] || 'body';
      throw new AppError('validation_failed', `${field}: nests deeper than ${maxDepth} levels (at ${path})`, field);
    }
    for (const [key, child] of Object.entries(value))
      stack.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
  }
}

/**
 * True when no object or array sits deeper than `maxDepth`. Every body takes this walk, which builds no paths and
 * visits only objects (a batch of 4,000 log lines is mostly strings); only a body that fails is walked again, by
 * checkBodyDepth, to name the field.
 */
function nestsWithin(body: unknown, maxDepth: number): boolean {
  const values: object[] = [];
  const depths: number[] = [];
  if (typeof body === 'object' && body !== null) {
    values.push(body);
    depths.push(1);
  }
  for (let value = values.pop(); value !== undefined; value = values.pop()) {
    const depth = depths.pop()!;
    if (depth > maxDepth) return false;
    const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    for (const child of children)
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
  }
  return true;
}
