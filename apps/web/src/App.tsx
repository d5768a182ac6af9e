import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import { ApiClient, storageCredentialStore, type Me } from './api/client';
import { LiveEvents, type LiveEvent, type LiveStatus } from './api/live-events';
import { Layout } from './components/Layout';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { ChatPage } from './pages/ChatPage';
import { DevicesPage } from './pages/DevicesPage';
import { InstancesPage } from './pages/InstancesPage';
import { JobsPage } from './pages/JobsPage';
import { LogsPage } from './pages/LogsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';
import { UsersPage } from './pages/UsersPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { navigate, PAGES, usePath } from './router';
import { SessionContext, type Session } from './session';

// the charting library is most of the bundle's weight: loaded when the Usage page is first opened
const UsagePage = lazy(() => import('./pages/UsagePage').then((module) => ({ default: module.UsagePage })));

const PAGE_COMPONENTS: Record<string, ComponentType> = {
  '/chat': ChatPage,
  '/usage': UsagePage,
  '/logs': LogsPage,
  '/instances': InstancesPage,
  '/settings': SettingsPage,
  '/devices': DevicesPage,
  '/jobs': JobsPage,
  '/webhooks': WebhooksPage,
  '/keys': ApiKeysPage,
  '/users': UsersPage,
};

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(true);
  const client = useMemo(() => new ApiClient(storageCredentialStore(window.sessionStorage), { onSignedOut: () => setMe(null) }), []);

  // a credential kept in this tab: who is it (and is it still good)?
  useEffect(() => {
    if (!client.signedIn) {
      setChecking(false);
      return;
    }
    client
      .me()
      .then(setMe, () => client.signOut())
      .finally(() => setChecking(false));
  }, [client]);

  const signOut = useCallback(() => {
    void client.signOut();
    setMe(null);
  }, [client]);

  if (checking) {
    return (
      <p className="boot" role="status">
        Loading the console…
      </p>
    );
  }
  if (!me) return <SignInPage client={client} onSignedIn={setMe} />;
  return <SignedIn client={client} me={me} signOut={signOut} />;
}

function SignedIn({ client, me, signOut }: { client: ApiClient; me: Me; signOut: () => void }) {
  const path = usePath();
  const [live, setLive] = useState<LiveStatus>('connecting');
  const listeners = useRef(new Set<(event: LiveEvent) => void>());

  useEffect(() => {
    const events = new LiveEvents(client, (event) => listeners.current.forEach((listener) => listener(event)), setLive);
    events.start();
    return () => events.stop();
  }, [client]);

  useEffect(() => {
    if (path === '/' || path === '/index.html') navigate('/chat');
  }, [path]);

  const subscribe = useCallback((listener: (event: LiveEvent) => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const session: Session = useMemo(
    () => ({ client, me, can: (scope: string) => me.scopes.includes('admin') || me.scopes.includes(scope), signOut, live, subscribe }),
    [client, me, signOut, live, subscribe],
  );
  // a page for another scope (Users for a non-admin) is not there, as it is not in the menu
  const scope = PAGES.find((page) => page.path === path)?.scope;
  const Page = scope && !session.can(scope) ? NotFoundPage : (PAGE_COMPONENTS[path] ?? (path === '/' || path === '/index.html' ? null : NotFoundPage));
  return (
    <SessionContext.Provider value={session}>
      <Layout path={path}>
        <Suspense fallback={<p role="status">Loading the page…</p>}>{Page ? <Page key={path} /> : null}</Suspense>
      </Layout>
    </SessionContext.Provider>
  );
}
