import { createContext, useContext, useEffect, useRef } from 'react';
import type { ApiClient, Me } from './api/client';
import type { LiveEvent, LiveStatus } from './api/live-events';

export interface Session {
  client: ApiClient;
  me: Me;
  /** `admin` implies every scope */
  can(scope: string): boolean;
  signOut(): void;
  live: LiveStatus;
  /** every event of `/api/v1/events` while signed in; returns the unsubscribe */
  subscribe(listener: (event: LiveEvent) => void): () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** Calls `handler` for live events of the given types (the latest handler, without resubscribing). */
export function useLiveEvents(types: readonly string[], handler: (event: LiveEvent) => void): void {
  const { subscribe } = useSession();
  const latest = useRef(handler);
  latest.current = handler;
  const key = types.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    return subscribe((event) => {
      if (wanted.has(event.type)) latest.current(event);
    });
  }, [subscribe, key]);
}
