// Owns a viewer's search: asks the server to search the whole log, then steps through matches.
import { useCallback, useState } from 'preact/hooks';
import type { WireLogLine } from '../../../src/core/wire-types';
import { searchLog } from '../api';

/** Search state as the toolbar shows it. */
export interface LogSearch {
  query: string;
  offsets: number[];
  total: number;
  truncated: boolean;
  position: number;
  busy: boolean;
  error: string | null;
  run(query: string): Promise<number | null>;
  step(delta: number): number | null;
  clear(): void;
}

/** Search across the whole stored log (not just loaded rows) of the stream the viewer shows (all when undefined), via GET /logs/search. */
export function useLogSearch(
  executionId: number,
  stepId: string | undefined,
  stream?: WireLogLine['stream'],
): LogSearch {
  const [state, setState] = useState({
    query: '',
    offsets: [] as number[],
    total: 0,
    truncated: false,
    position: 0,
    busy: false,
    error: null as string | null,
  });

  const run = useCallback(
    async (query: string): Promise<number | null> => {
      if (!query) {
        setState((s) => ({ ...s, query: '', offsets: [], total: 0, position: 0, error: null }));
        return null;
      }
      setState((s) => ({ ...s, busy: true, error: null }));
      try {
        const result = await searchLog(executionId, query, stepId, stream);
        setState({
          query,
          offsets: result.offsets,
          total: result.total_matches,
          truncated: result.truncated,
          position: 0,
          busy: false,
          error: null,
        });
        return result.offsets[0] ?? null;
      } catch (error) {
        setState((s) => ({ ...s, busy: false, error: (error as Error).message }));
        return null;
      }
    },
    [executionId, stepId, stream],
  );

  const step = (delta: number): number | null => {
    if (state.offsets.length === 0) return null;
    const position = (state.position + delta + state.offsets.length) % state.offsets.length;
    setState((s) => ({ ...s, position }));
    return state.offsets[position] ?? null;
  };

  const clear = () =>
    setState({ query: '', offsets: [], total: 0, truncated: false, position: 0, busy: false, error: null });
  return { ...state, run, step, clear };
}
