// Owns the success envelope every JSON response is wrapped in (contract §2).

/** Wraps data as `{success: true, data, error: null, timestamp}`. */
export function ok<T>(data: T): { success: true; data: T; error: null; timestamp: string } {
  return { success: true, data, error: null, timestamp: new Date().toISOString() };
}
