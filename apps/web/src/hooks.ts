import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { isAbort } from './api/errors';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** loads again, keeping the current data on screen meanwhile */
  reload: () => void;
}

/** Loads on mount and whenever `deps` change; a reload or unmount aborts the load in flight. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, error: undefined, loading: false }),
      (error: unknown) => !controller.signal.aborted && !isAbort(error) && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => controller.abort();
  }, [generation, ...deps]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/** Runs `tick` every `ms` while the page is visible. */
export function useInterval(tick: () => void, ms: number, enabled = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms, enabled]);
}

/** An async action with its pending state and error, for buttons and forms. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>): { run: (...args: A) => Promise<R | undefined>; pending: boolean; error: unknown; clearError: () => void } {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(async (...args: A) => {
    setPending(true);
    setError(undefined);
    try {
      return await latest.current(...args);
    } catch (caught) {
      if (!isAbort(caught)) setError(caught);
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  return { run, pending, error, clearError: useCallback(() => setError(undefined), []) };
}

/**
 * A form's action: `submit` keeps the page, clears the last outcome and runs the action; `outcome` is what its last
 * run returned (null until one succeeds), for the notice that confirms it.
 */
export function useFormAction<R>(action: () => Promise<R>): { submit: (event: FormEvent) => void; outcome: R | null; pending: boolean; error: unknown; clearError: () => void } {
  const [outcome, setOutcome] = useState<R | null>(null);
  const { run, pending, error, clearError } = useAction(async () => ({ value: await action() }));
  const submit = useCallback(
    (event: FormEvent) => {
      event.preventDefault();
      setOutcome(null);
      void run().then((done) => done && setOutcome(done.value));
    },
    [run],
  );
  return { submit, outcome, pending, error, clearError };
}

/** Brings the element `id` into view when the calling component appears (a section opened from a table row). */
export function useScrolledIntoView(id: string): void {
  useEffect(() => {
    // in braces: newer browsers' scrollIntoView returns a promise, which React would take for the effect's cleanup
    document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }, [id]);
}
